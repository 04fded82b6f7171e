import { keysetPage } from '../../lib/keyset';
import { ConnectionType, pageSize, toPage } from '../../lib/pagination';
import { isUuid } from '../../lib/ids';
import { runSql, schemaOf } from '../../lib/sql';
import type { SubgraphContext } from '../../lib/subgraph';
import { likePattern } from '../../lib/validation';
import { type EventKind, EventTiming, OrganiserKind } from './enums';
import { Event, EventOrganiserLink } from './event.entity';

export const EventConnection = ConnectionType(Event, 'Event', 'event');

/** The keyset of an event list: start time, then id. */
const eventKey = (e: Event) => [e.startsAt.toISOString(), e.id];
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
    keyOf: eventKey,
    direction: scope.when === EventTiming.UPCOMING ? 'asc' : 'desc',
    first,
    after,
  });
}

/** Whose events a nested `events` field lists: a member's (hosted or organised) or a section's. */
export type EventOwner = 'member' | 'section';

/**
 * The first page of `events` for every member (or section) in a request, in one query: a list of members
 * each with `events(first: 5)` would otherwise cost a count and a page query per member, and the fields
 * under those events could not be batched across members either. Pages after a cursor go one by one
 * (`pageEvents`): they are asked for one list at a time.
 */
export function firstEventPage(ctx: SubgraphContext, owner: EventOwner, first: number | null | undefined) {
  const size = pageSize(first);
  return ctx.loaders.custom(`events-of-${owner}#${size}`, async (keys): Promise<EventConnection[]> => {
    const ids = keys.filter(isUuid);
    const s = schemaOf(ctx.em);
    const organised = `select o.event_id from ${s}.event_organiser o where o.organiser_kind = ? and o.organiser_id = p.id`;
    const belongs = owner === 'member' ? `e.host_member_id = p.id or e.id in (${organised})` : `e.id in (${organised})`;
    // Most recent first, as `pageEvents` orders a member's or a section's events.
    const rows = await runSql<Record<string, unknown> & { owner_id: string; total: number }>(
      ctx.em,
      `select * from (
         select p.id as owner_id, e.*, count(*) over w_all as total,
                row_number() over (partition by p.id order by e.starts_at desc, e.id desc) as position
         from unnest(?::uuid[]) as p(id) join ${s}.event e on (${belongs})
         window w_all as (partition by p.id)
       ) paged where position <= ? order by owner_id, position`,
      [ids, owner === 'member' ? OrganiserKind.MEMBER : OrganiserKind.SECTION, size + 1],
    );
    const byOwner = new Map<string, { total: number; events: Event[] }>();
    for (const { owner_id: ownerId, total, position: _position, ...row } of rows) {
      const entry = byOwner.get(ownerId) ?? { total: Number(total), events: [] };
      entry.events.push(ctx.em.map(Event, row));
      byOwner.set(ownerId, entry);
    }
    return keys.map((id) => {
      const entry = byOwner.get(id);
      return toPage(entry?.events ?? [], size, entry?.total ?? 0, false, eventKey);
    });
  });
}
