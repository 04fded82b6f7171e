import { keysetPage } from '../../lib/keyset';
import { ConnectionType } from '../../lib/pagination';
import type { SubgraphContext } from '../../lib/subgraph';
import { likePattern } from '../../lib/validation';
import { type EventKind, EventTiming, OrganiserKind } from './enums';
import { Event, EventOrganiserLink } from './event.entity';

export const EventConnection = ConnectionType(Event, 'Event', 'event');
export type EventConnection = InstanceType<typeof EventConnection>;

/** Which events to list: the validated filter, or the events of one member / section. */
export interface EventScope {
  kinds?: EventKind[] | null;
  from?: Date | null;
  to?: Date | null;
  when?: EventTiming | null;
  organiserMemberId?: string | null;
  sectionId?: string | null;
  hostMemberId?: string | null;
  /** Events the member hosts or organises (`Member.events`). */
  hostOrOrganiserMemberId?: string | null;
  search?: string | null;
}

/** Events at least one organiser row of which points at `kind`/`id`, as a subquery on event ids. */
function organisedBy(ctx: SubgraphContext, kind: OrganiserKind, id: string) {
  return ctx.em
    .createQueryBuilder(EventOrganiserLink, 'o')
    .select('o.event')
    .where({ organiserKind: kind, organiserId: id })
    .getKnexQuery();
}

/**
 * A page of events by start time, then id: soonest first for upcoming events, most recent first
 * otherwise. Ids in the scope are already validated as UUIDs.
 */
export async function pageEvents(
  ctx: SubgraphContext,
  scope: EventScope,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<EventConnection> {
  const qb = ctx.em.createQueryBuilder(Event, 'e');
  if (scope.kinds?.length) qb.andWhere({ kind: { $in: scope.kinds } });
  if (scope.from) qb.andWhere({ endsAt: { $gte: scope.from } });
  if (scope.to) qb.andWhere({ startsAt: { $lte: scope.to } });
  const now = new Date();
  if (scope.when === EventTiming.UPCOMING) qb.andWhere({ endsAt: { $gte: now } });
  if (scope.when === EventTiming.PAST) qb.andWhere({ endsAt: { $lt: now } });
  if (scope.hostMemberId) qb.andWhere({ hostMemberId: scope.hostMemberId });
  if (scope.organiserMemberId) {
    qb.andWhere({ id: { $in: organisedBy(ctx, OrganiserKind.MEMBER, scope.organiserMemberId) } });
  }
  if (scope.sectionId) qb.andWhere({ id: { $in: organisedBy(ctx, OrganiserKind.SECTION, scope.sectionId) } });
  if (scope.hostOrOrganiserMemberId) {
    const id = scope.hostOrOrganiserMemberId;
    qb.andWhere({ $or: [{ hostMemberId: id }, { id: { $in: organisedBy(ctx, OrganiserKind.MEMBER, id) } }] });
  }
  if (scope.search) {
    qb.andWhere(`(e.search @@ websearch_to_tsquery('russian', ?) or e.title ilike ?)`, [
      scope.search,
      likePattern(scope.search),
    ]);
  }
  return keysetPage({
    qb,
    sort: [
      { column: 'e.starts_at', property: 'e.startsAt', type: 'timestamp' },
      { column: 'e.id', property: 'e.id', type: 'uuid' },
    ],
    keyOf: (e) => [e.startsAt.toISOString(), e.id],
    direction: scope.when === EventTiming.UPCOMING ? 'asc' : 'desc',
    first,
    after,
  });
}
