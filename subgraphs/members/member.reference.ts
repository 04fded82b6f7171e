import type { SubgraphContext } from '../../lib/subgraph';
import { Member } from './member.entity';
import { Person } from './person.entity';

/** How the gateway turns `{ __typename, id }` references from other subgraphs into our entities. */
export const referenceResolvers = {
  Member: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.byId(Member).load(ref.id),
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.byId(Person).load(ref.id),
  },
};
