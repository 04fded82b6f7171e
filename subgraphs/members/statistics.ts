import { actsFor, authorise, isCoordinator } from '../../lib/identity';
import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { badUserInput } from '../../lib/errors';
import { LocalDate } from '../../lib/scalars';
import { runSql, schemaOf } from '../../lib/sql';
import {
  NETWORK_STATISTICS_DESCRIPTION,
  StatisticsCount,
  StatisticsEntity,
  StatisticsPeriod,
  type StatisticsScope,
  YearCount,
  countsOf,
  statisticsEntity,
} from '../../lib/statistics';
import type { SubgraphContext } from '../../lib/subgraph';
import { LibraryType } from './enums';
import { Member } from './member.entity';

/** Most values one list of a statistics filter takes. */
const MAX_FILTER_VALUES = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@InputType({
  description:
    'Narrows statistics to a period and to member organisations: by region, by kind of library and by id; given conditions must all hold (any value of each list).',
})
export class StatisticsFilter {
  @Field(() => LocalDate, { nullable: true, description: 'First day of the period (default: from the beginning).' })
  from?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Last day of the period, inclusive (default: today).' })
  to?: string | null;

  @Field(() => [String], { nullable: true, description: 'Regions of the members covered (exact names).' })
  regions?: string[] | null;

  @Field(() => [LibraryType], { nullable: true, description: 'Kinds of library covered.' })
  types?: LibraryType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Ids of the member organisations covered.' })
  members?: string[] | null;
}

@ObjectType({ description: 'The member organisations a statistics scope covers.' })
export class MemberStatistics {
  @Field(() => Int, {
    description: 'Members covered that had joined by the end of the period (or whose joining date is unknown).',
  })
  total!: number;

  @Field(() => [StatisticsCount], { description: 'Members by region, largest first.' })
  byRegion!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'Members by kind of library (LibraryType values).' })
  byType!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'Members by legal form (LegalForm values).' })
  byLegalForm!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'Members by current status (MemberStatus values).' })
  byStatus!: StatisticsCount[];

  @Field(() => [YearCount], { description: 'Members that joined in each year of the period, oldest first.' })
  joinedPerYear!: YearCount[];
}

@ObjectType({
  description: 'What the covered members reported for one year, summed over those that reported each figure.',
})
export class ReportedYearFigures {
  @Field(() => Int, { description: 'The year.' })
  year!: number;

  @Field(() => Int, { description: 'Covered members that reported anything for the year.' })
  reportingMembers!: number;

  @Field(() => Int, { description: 'Registered users.' })
  registeredUsers!: number;

  @Field(() => Int, { description: 'Visits.' })
  visits!: number;

  @Field(() => Int, { description: 'Documents issued (loans).' })
  loans!: number;

  @Field(() => Int, { description: 'Public events held.' })
  eventsHeld!: number;

  @Field(() => Int, { description: 'Staff.' })
  staff!: number;
}

@ObjectType({ description: 'Figures the covered members reported (current revisions), for the years of the period.' })
export class ReportedStatistics {
  @Field(() => [ReportedYearFigures], { description: 'By year, oldest first.' })
  byYear!: ReportedYearFigures[];
}

@ObjectType('NetworkStatistics', { description: NETWORK_STATISTICS_DESCRIPTION })
@Directive('@key(fields: "scope")')
export class NetworkStatistics extends StatisticsEntity {
  static of(scope: StatisticsScope | string): NetworkStatistics {
    return statisticsEntity(NetworkStatistics, scope);
  }
}

/** Checks a period: `to` not before `from`; BAD_USER_INPUT names the field. */
export function checkPeriod(from: string | null | undefined, to: string | null | undefined, path: string) {
  if (from && to && to < from) {
    throw badUserInput(`${path}to`, `${path}to (${to}) is before ${path}from (${from})`);
  }
  return { from: from ?? null, to: to ?? null };
}

function list<T>(values: T[] | null | undefined, field: string): T[] | null {
  if (!values?.length) return null;
  if (values.length > MAX_FILTER_VALUES) throw badUserInput(field, `${field}: at most ${MAX_FILTER_VALUES} values`);
  return [...new Set(values)];
}

/** Resolves a filter to a scope, refusing unknown regions and members (BAD_USER_INPUT naming the field). */
export async function scopeOf(
  ctx: SubgraphContext,
  filter: StatisticsFilter | null | undefined,
): Promise<StatisticsScope> {
  const period = checkPeriod(filter?.from, filter?.to, 'filter.');
  const regions = list(filter?.regions, 'filter.regions');
  const types = list(filter?.types, 'filter.types');
  const ids = list(filter?.members, 'filter.members');
  if (!regions && !types && !ids) return { ...period, members: null };
  const table = `${schemaOf(ctx.em)}.member`;
  if (regions) {
    const known = new Set(
      (await runSql<{ region: string }>(ctx.em, `select distinct region from ${table}`)).map((r) => r.region),
    );
    const unknown = regions.find((r) => !known.has(r));
    if (unknown !== undefined) {
      throw badUserInput('filter.regions', `No member is in the region «${unknown}»`, {
        knownRegions: [...known].sort(),
      });
    }
  }
  if (ids) {
    const invalid = ids.find((id) => !UUID.test(id));
    const found = invalid
      ? []
      : (await runSql<{ id: string }>(ctx.em, `select id from ${table} where id = any(?::uuid[])`, [ids])).map(
          (r) => r.id,
        );
    const missing = invalid ?? ids.find((id) => !found.includes(id));
    if (missing !== undefined) throw badUserInput('filter.members', `Member ${missing} does not exist`);
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [condition, values] of [
    ['region = any(?::text[])', regions],
    ['type = any(?::text[])', types],
    ['id = any(?::uuid[])', ids],
  ] as const) {
    if (!values) continue;
    conditions.push(condition);
    params.push(values);
  }
  const members = await runSql<{ id: string; code: string }>(
    ctx.em,
    `select id::text as id, code from ${table} where ${conditions.join(' and ')} order by code`,
    params,
  );
  return { ...period, members };
}

/** Figures of the members a scope covers. */
async function memberStatistics(ctx: SubgraphContext, scope: StatisticsScope): Promise<MemberStatistics> {
  const rows = await runSql<{
    region: string;
    type: string;
    legal_form: string;
    status: string;
    joined_on: string | null;
  }>(
    ctx.em,
    `select region, type, legal_form, status, joined_on::text as joined_on from ${schemaOf(ctx.em)}.member
     ${scope.members ? 'where id = any(?::uuid[])' : ''}`,
    scope.members ? [scope.members.map((m) => m.id)] : [],
  );
  const { from, to } = scope;
  // Members as of the end of the period: those that had joined by then, or whose joining date is unknown.
  const present = rows.filter((r) => !to || !r.joined_on || r.joined_on <= to);
  const tally = (key: (r: (typeof rows)[number]) => string) => {
    const counts = new Map<string, number>();
    for (const row of present) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
    return countsOf(counts);
  };
  const joined = new Map<number, number>();
  for (const { joined_on: on } of rows) {
    if (!on || (from && on < from) || (to && on > to)) continue;
    const year = Number(on.slice(0, 4));
    joined.set(year, (joined.get(year) ?? 0) + 1);
  }
  return Object.assign(new MemberStatistics(), {
    total: present.length,
    byRegion: tally((r) => r.region),
    byType: tally((r) => r.type),
    byLegalForm: tally((r) => r.legal_form),
    byStatus: tally((r) => r.status),
    joinedPerYear: [...joined]
      .sort((a, b) => a[0] - b[0])
      .map(([year, count]) => Object.assign(new YearCount(), { year, count })),
  });
}

@Resolver(() => NetworkStatistics)
export class NetworkStatisticsResolver {
  @Query(() => NetworkStatistics, {
    nullable: true,
    description:
      'Figures of the partnership for a period and a set of members: members, sections, events, catalogues (from every catalogue node) and, in `reported`, the figures members report (those for coordinators and a member’s own editors only).',
  })
  async networkStatistics(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => StatisticsFilter, { nullable: true, description: 'Period and members (default: everything).' })
    filter?: StatisticsFilter | null,
  ): Promise<NetworkStatistics> {
    return NetworkStatistics.of(await scopeOf(ctx, filter));
  }

  @FieldResolver(() => StatisticsPeriod, { description: 'The period the figures cover.' })
  period(@Root() statistics: NetworkStatistics): StatisticsPeriod {
    return Object.assign(new StatisticsPeriod(), { from: statistics.resolved.from, to: statistics.resolved.to });
  }

  @FieldResolver(() => ReportedStatistics, {
    nullable: true,
    description:
      'What the covered members reported themselves (visits, loans… — figures the graph cannot compute): for coordinators, and for an editor when the scope is its own member alone.',
  })
  reported(@Ctx() ctx: SubgraphContext, @Root() statistics: NetworkStatistics): Promise<ReportedStatistics> {
    // Coordinators see what members reported; an editor only its own member's figures.
    const members = statistics.resolved.members;
    const ownOnly = !!members && members.length === 1 && actsFor(ctx.identity, members[0]!.id);
    authorise(ctx.identity, isCoordinator(ctx.identity) || ownOnly, 'read what other members reported');
    return reportedStatistics(ctx, statistics.resolved);
  }

  @FieldResolver(() => MemberStatistics, { description: 'The member organisations covered.' })
  members(@Ctx() ctx: SubgraphContext, @Root() statistics: NetworkStatistics): Promise<MemberStatistics> {
    return memberStatistics(ctx, statistics.resolved);
  }
}

/** Current reports of the covered members for the years the period touches, summed per year. */
async function reportedStatistics(ctx: SubgraphContext, scope: StatisticsScope): Promise<ReportedStatistics> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.members) {
    where.push('member_id = any(?::uuid[])');
    params.push(scope.members.map((m) => m.id));
  }
  if (scope.from) {
    where.push('year >= ?');
    params.push(Number(scope.from.slice(0, 4)));
  }
  if (scope.to) {
    where.push('year <= ?');
    params.push(Number(scope.to.slice(0, 4)));
  }
  const rows = await runSql<ReportedYearFigures>(
    ctx.em,
    `select year, count(*)::int as "reportingMembers",
       coalesce(sum(registered_users), 0)::int as "registeredUsers", coalesce(sum(visits), 0)::int as visits,
       coalesce(sum(loans), 0)::int as loans, coalesce(sum(events_held), 0)::int as "eventsHeld",
       coalesce(sum(staff), 0)::int as staff
     from (select distinct on (member_id, year) * from ${schemaOf(ctx.em)}.member_report_revision
       ${where.length ? `where ${where.join(' and ')}` : ''} order by member_id, year, revision desc) current
     group by year order by year`,
    params,
  );
  return Object.assign(new ReportedStatistics(), {
    byYear: rows.map((row) => Object.assign(new ReportedYearFigures(), row)),
  });
}

@Resolver(() => Member)
export class MemberStatisticsResolver {
  @FieldResolver(() => NetworkStatistics, {
    description: 'The same figures as `networkStatistics`, for this member alone.',
  })
  statistics(
    @Root() member: Member,
    @Arg('from', () => LocalDate, { nullable: true, description: 'First day of the period.' }) from?: string | null,
    @Arg('to', () => LocalDate, { nullable: true, description: 'Last day of the period, inclusive.' })
    to?: string | null,
  ): NetworkStatistics {
    return NetworkStatistics.of({ ...checkPeriod(from, to, ''), members: [{ id: member.id, code: member.code }] });
  }
}
