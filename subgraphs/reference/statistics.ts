import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { runSql, schemaOf } from '../../lib/sql';
import {
  NETWORK_STATISTICS_DESCRIPTION,
  NETWORK_TIME_ZONE,
  StatisticsCount,
  StatisticsEntity,
  type StatisticsScope,
  countsOf,
  statisticsEntity,
} from '../../lib/statistics';
import type { SubgraphContext } from '../../lib/subgraph';
import { referenceSettings } from './config';
import { MemberRef } from './stubs';

@ObjectType('NetworkStatistics', { description: NETWORK_STATISTICS_DESCRIPTION })
@Directive('@key(fields: "scope")')
export class ReferenceStatisticsPart extends StatisticsEntity {
  static of(scope: StatisticsScope | string): ReferenceStatisticsPart {
    return statisticsEntity(ReferenceStatisticsPart, scope);
  }
}

@ObjectType({ description: 'How long something took, over the enquiries it happened to.' })
export class DurationFigures {
  @Field(() => Int, { description: 'Enquiries it happened to.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Median, in hours (null when none).' })
  medianHours!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile, in hours (null when none).' })
  p90Hours!: number | null;
}

@ObjectType({ description: 'One library’s enquiries in the scope.' })
export class ReferenceLibraryFigures {
  @Field(() => MemberRef, { description: 'The library (the one that took them).' })
  library!: MemberRef;

  @Field(() => Int, { description: 'Enquiries it took.' })
  enquiries!: number;

  @Field(() => Int, { description: 'Of them, answered (ANSWERED or CLOSED).' })
  answered!: number;
}

@ObjectType({
  description:
    'The virtual reference desk in the scope: enquiries asked in the period (for a set of members: those routed to or taken by them).',
})
export class ReferenceStatistics {
  @Field(() => Int, { description: 'Enquiries asked in the period.' })
  enquiries!: number;

  @Field(() => [StatisticsCount], { description: 'By status now (`NEW`, `ASSIGNED`, …), largest first.' })
  byStatus!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'By month asked (`YYYY-MM`, the network’s time zone), in order.' })
  byMonth!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description: 'By BBK main class of the topic (the part before the first dot or bracket; `none` without a topic).',
  })
  byTopic!: StatisticsCount[];

  @Field(() => [ReferenceLibraryFigures], { description: 'By the library that took them, most first.' })
  byLibrary!: ReferenceLibraryFigures[];

  @Field(() => DurationFigures, { description: 'From asking to a library’s first response (taking or answering).' })
  timeToFirstResponse!: DurationFigures;

  @Field(() => DurationFigures, { description: 'From asking to the first answer.' })
  timeToAnswer!: DurationFigures;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of the enquiries asked (rejected ones left out) answered within REFERENCE_ANSWER_WITHIN_HOURS, 0–1; null when there are none.',
  })
  answeredWithinTarget!: number | null;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function durations(hours: Array<number | null>): DurationFigures {
  const sorted = hours.filter((h): h is number => h !== null).sort((a, b) => a - b);
  const round = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10);
  return Object.assign(new DurationFigures(), {
    count: sorted.length,
    medianHours: round(percentile(sorted, 0.5)),
    p90Hours: round(percentile(sorted, 0.9)),
  });
}

const mainClass = (topic: string | null): string => (topic ? (/^[^.(\s]+/.exec(topic.trim())?.[0] ?? 'none') : 'none');

interface Row {
  status: string;
  month: string;
  member: string | null;
  topic: string | null;
  first_h: number | null;
  answer_h: number | null;
}

async function referenceStatistics(ctx: SubgraphContext, scope: StatisticsScope): Promise<ReferenceStatistics> {
  const where: string[] = [];
  const params: unknown[] = [NETWORK_TIME_ZONE];
  if (scope.from) {
    where.push('e.created_at >= (?::date)::timestamp at time zone ?');
    params.push(scope.from, NETWORK_TIME_ZONE);
  }
  if (scope.to) {
    where.push('e.created_at < (?::date + 1)::timestamp at time zone ?');
    params.push(scope.to, NETWORK_TIME_ZONE);
  }
  if (scope.members) {
    where.push(`(e.assigned_member_id = any(?::uuid[]) or (e.status = 'NEW' and e.routed_member_ids && ?::uuid[]))`);
    const ids = scope.members.map((m) => m.id);
    params.push(ids, ids);
  }
  const rows = await runSql<Row>(
    ctx.em,
    `select e.status, to_char(e.created_at at time zone ?, 'YYYY-MM') as month, e.assigned_member_id::text as member,
       e.topic, extract(epoch from e.first_response_at - e.created_at)::float8 / 3600 as first_h,
       extract(epoch from e.answered_at - e.created_at)::float8 / 3600 as answer_h
     from ${schemaOf(ctx.em)}.enquiry e ${where.length ? `where ${where.join(' and ')}` : ''}`,
    params,
  );
  const tally = (key: (r: Row) => string) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return counts;
  };
  const libraries = new Map<string, { enquiries: number; answered: number }>();
  for (const r of rows) {
    if (!r.member) continue;
    const figures = libraries.get(r.member) ?? { enquiries: 0, answered: 0 };
    figures.enquiries++;
    if (r.status === 'ANSWERED' || r.status === 'CLOSED') figures.answered++;
    libraries.set(r.member, figures);
  }
  const targetHours = referenceSettings().answerWithinMs / 3_600_000;
  const counted = rows.filter((r) => r.status !== 'REJECTED');
  return Object.assign(new ReferenceStatistics(), {
    enquiries: rows.length,
    byStatus: countsOf(tally((r) => r.status)),
    byMonth: [...tally((r) => r.month)]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, n]) => StatisticsCount.of(k, n)),
    byTopic: countsOf(tally((r) => mainClass(r.topic))),
    byLibrary: [...libraries]
      .sort((a, b) => b[1].enquiries - a[1].enquiries || a[0].localeCompare(b[0]))
      .map(([id, f]) => Object.assign(new ReferenceLibraryFigures(), { library: MemberRef.of(id), ...f })),
    timeToFirstResponse: durations(rows.map((r) => r.first_h)),
    timeToAnswer: durations(rows.map((r) => r.answer_h)),
    answeredWithinTarget: counted.length
      ? counted.filter((r) => r.answer_h !== null && r.answer_h <= targetHours).length / counted.length
      : null,
  });
}

@Resolver(() => ReferenceStatisticsPart)
export class ReferenceStatisticsResolver {
  @FieldResolver(() => ReferenceStatistics, {
    description: 'The virtual reference desk: enquiries and how fast they were answered.',
  })
  reference(@Ctx() ctx: SubgraphContext, @Root() statistics: ReferenceStatisticsPart): Promise<ReferenceStatistics> {
    return referenceStatistics(ctx, statistics.resolved);
  }
}
