import { raw } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import type { EntityManager } from '../../lib/orm';
import type { SubgraphContext } from '../../lib/subgraph';
import { Participation } from './participation.entity';
import { Talk } from './talk.entity';

/** Counts of an event computed from its registrations and its programme. */
export interface ComputedCounts {
  participants: number;
  organisations: number;
  talks: number;
}

/** Batches the counts of every event in a request into two grouped queries (participations, talks). */
export function computedCounts(ctx: SubgraphContext): DataLoader<string, ComputedCounts> {
  return ctx.loaders.custom('event-counts', (ids) => loadCounts(ctx.em, ids));
}

async function loadCounts(em: EntityManager, ids: readonly string[]): Promise<ComputedCounts[]> {
  const eventIds = [...ids];
  const [people, talks] = await Promise.all([
    em
      .createQueryBuilder(Participation, 'p')
      .select([
        'p.event',
        raw('count(*)::int as participants'),
        raw('count(distinct p.organisation_id)::int as organisations'),
      ])
      .where({ event: { $in: eventIds } })
      .groupBy('p.event')
      .execute<Array<{ event_id: string; participants: number; organisations: number }>>('all', false),
    em
      .createQueryBuilder(Talk, 't')
      .select(['t.event', raw('count(*)::int as talks')])
      .where({ event: { $in: eventIds } })
      .groupBy('t.event')
      .execute<Array<{ event_id: string; talks: number }>>('all', false),
  ]);
  const peopleBy = new Map(people.map((row) => [row.event_id, row]));
  const talksBy = new Map(talks.map((row) => [row.event_id, row]));
  return ids.map((id) => ({
    participants: Number(peopleBy.get(id)?.participants ?? 0),
    organisations: Number(peopleBy.get(id)?.organisations ?? 0),
    talks: Number(talksBy.get(id)?.talks ?? 0),
  }));
}
