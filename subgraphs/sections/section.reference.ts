import { SectionsStatisticsPart } from './statistics';
import { isUuid } from '../../lib/ids';
import type { SubgraphContext } from '../../lib/subgraph';
import { Section } from './section.entity';
import type { MemberRef } from './stubs';

/** How the gateway turns `{ __typename, id }` references into this subgraph's objects. */
export const referenceResolvers = {
  NetworkStatistics: {
    __resolveReference: (ref: { scope: string }) => SectionsStatisticsPart.of(ref.scope),
  },
  Section: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.byId(Section).load(ref.id),
  },
  // Members live in the members subgraph; any well-formed id gets its (possibly empty) section lists here.
  Member: {
    __resolveReference: (ref: { id: string }): MemberRef | null => (isUuid(ref.id) ? { id: ref.id } : null),
  },
};
