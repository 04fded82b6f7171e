import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { runSql, schemaOf } from '../../lib/sql';
import {
  NETWORK_STATISTICS_DESCRIPTION,
  NETWORK_TIME_ZONE,
  StatisticsEntity,
  type StatisticsScope,
  statisticsEntity,
} from '../../lib/statistics';
import type { SubgraphContext } from '../../lib/subgraph';
import { EventKind } from './enums';
import { SectionRef } from './stubs';

@ObjectType('NetworkStatistics', { description: NETWORK_STATISTICS_DESCRIPTION })
@Directive('@key(fields: "scope")')
export class EventsStatisticsPart extends StatisticsEntity {
  static of(scope: StatisticsScope | string): EventsStatisticsPart {
    return statisticsEntity(EventsStatisticsPart, scope);
  }
}

@ObjectType({
  description:
    'Events and who took part: each event counts its reported figures when it has them, else its registrations and programme (as Event.participantsCount and the like).',
})
export class EventFigures {
  @Field(() => Int, { description: 'Events.' })
  events!: number;

  @Field(() => Int, { description: 'Participants (specialists), summed over the events.' })
  participants!: number;

  @Field(() => Int, {
    description: 'Organisations taking part, summed over the events (one organisation at two events counts twice).',
  })
  organisations!: number;

  @Field(() => Int, { description: 'Talks, summed over the events.' })
  talks!: number;
}

@ObjectType({ description: 'Events of one kind that started in one year, with who took part.' })
export class EventYearFigures extends EventFigures {
  @Field(() => Int, { description: 'Year the events started (in the network’s time zone, Asia/Novokuznetsk).' })
  year!: number;

  @Field(() => EventKind, { description: 'Kind of event.' })
  kind!: EventKind;
}

@ObjectType({ description: 'How many events of the scope a section organised.' })
export class SectionEventCount {
  @Field(() => SectionRef, { description: 'The section.' })
  section!: SectionRef;

  @Field(() => Int, { description: 'Events it organised (alone or with others).' })
  events!: number;
}

@ObjectType({
  description:
    'Events of the scope: those that started in the period and that a covered member hosts or organises (every event when the scope covers the whole network).',
})
export class EventStatistics {
  @Field(() => EventFigures, { description: 'All of them.' })
  totals!: EventFigures;

  @Field(() => [EventYearFigures], { description: 'By year and kind, oldest year first.' })
  byYearAndKind!: EventYearFigures[];

  @Field(() => [SectionEventCount], { description: 'Events per organising section, most first.' })
  bySection!: SectionEventCount[];
}

interface FiguresRow {
  events: number;
  participants: number;
  organisations: number;
  talks: number;
}

async function eventStatistics(ctx: SubgraphContext, scope: StatisticsScope): Promise<EventStatistics> {
  const s = schemaOf(ctx.em);
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.members) {
    where.push(`(e.host_member_id = any(?::uuid[]) or exists (select 1 from ${s}.event_organiser o
      where o.event_id = e.id and o.organiser_kind = 'MEMBER' and o.organiser_id = any(?::uuid[])))`);
    const ids = scope.members.map((m) => m.id);
    params.push(ids, ids);
  }
  // Period days are the network's days: from midnight of `from` to midnight after `to`, local time.
  if (scope.from) {
    where.push(`e.starts_at >= (?::date)::timestamp at time zone ?`);
    params.push(scope.from, NETWORK_TIME_ZONE);
  }
  if (scope.to) {
    where.push(`e.starts_at < (?::date + 1)::timestamp at time zone ?`);
    params.push(scope.to, NETWORK_TIME_ZONE);
  }
  const scoped = `
    with e as materialized (
      select e.id, e.kind, extract(year from e.starts_at at time zone '${NETWORK_TIME_ZONE}')::int as year,
        coalesce(e.reported_participants, p.participants, 0) as participants,
        coalesce(e.reported_organisations, p.organisations, 0) as organisations,
        coalesce(e.reported_talks, t.talks, 0) as talks
      from ${s}.event e
      left join (select event_id, count(*)::int as participants, count(distinct organisation_id)::int as organisations
        from ${s}.participation group by 1) p on p.event_id = e.id
      left join (select event_id, count(*)::int as talks from ${s}.talk group by 1) t on t.event_id = e.id
      ${where.length ? `where ${where.join(' and ')}` : ''}
    )`;
  const figures = `count(*)::int as events, coalesce(sum(participants), 0)::int as participants,
    coalesce(sum(organisations), 0)::int as organisations, coalesce(sum(talks), 0)::int as talks`;
  const [totals, byYear, bySection] = await Promise.all([
    runSql<FiguresRow>(ctx.em.fork(), `${scoped} select ${figures} from e`, params),
    runSql<FiguresRow & { year: number; kind: EventKind }>(
      ctx.em.fork(),
      `${scoped} select year, kind, ${figures} from e group by 1, 2 order by 1, 2`,
      params,
    ),
    runSql<{ section_id: string; events: number }>(
      ctx.em.fork(),
      `${scoped} select o.organiser_id::text as section_id, count(distinct e.id)::int as events
       from e join ${s}.event_organiser o on o.event_id = e.id and o.organiser_kind = 'SECTION'
       group by 1 order by 2 desc, 1`,
      params,
    ),
  ]);
  return Object.assign(new EventStatistics(), {
    totals: Object.assign(new EventFigures(), totals[0]),
    byYearAndKind: byYear.map((row) => Object.assign(new EventYearFigures(), row)),
    bySection: bySection.map((row) =>
      Object.assign(new SectionEventCount(), { section: SectionRef.of(row.section_id), events: row.events }),
    ),
  });
}

@Resolver(() => EventsStatisticsPart)
export class EventsStatisticsResolver {
  @FieldResolver(() => EventStatistics, { description: 'Events of the scope and who took part.' })
  events(@Ctx() ctx: SubgraphContext, @Root() statistics: EventsStatisticsPart): Promise<EventStatistics> {
    return eventStatistics(ctx, statistics.resolved);
  }
}
