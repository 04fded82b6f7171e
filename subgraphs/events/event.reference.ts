import { isUuid } from '../../lib/ids';
import type { SubgraphContext } from '../../lib/subgraph';
import { Event } from './event.entity';
import { EventsStatisticsPart } from './statistics';
import { MemberRef, SectionRef } from './stubs';

/**
 * How the gateway turns `{ __typename, id }` references into objects of this subgraph: events from the
 * database; members and sections are stubs whose `events` this subgraph answers (malformed ids give null).
 */
export const referenceResolvers = {
  Event: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.byId(Event).load(ref.id),
  },
  Member: {
    __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? MemberRef.of(ref.id) : null),
  },
  Section: {
    __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? SectionRef.of(ref.id) : null),
  },
  NetworkStatistics: {
    __resolveReference: (ref: { scope: string }) => EventsStatisticsPart.of(ref.scope),
  },
};
