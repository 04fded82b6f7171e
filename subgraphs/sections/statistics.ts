import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { runSql, schemaOf } from '../../lib/sql';
import {
  NETWORK_STATISTICS_DESCRIPTION,
  StatisticsEntity,
  type StatisticsScope,
  statisticsEntity,
} from '../../lib/statistics';
import type { SubgraphContext } from '../../lib/subgraph';
import { Section } from './section.entity';

@ObjectType('NetworkStatistics', { description: NETWORK_STATISTICS_DESCRIPTION })
@Directive('@key(fields: "scope")')
export class SectionsStatisticsPart extends StatisticsEntity {
  static of(scope: StatisticsScope | string): SectionsStatisticsPart {
    return statisticsEntity(SectionsStatisticsPart, scope);
  }
}

@ObjectType({ description: 'One section and the covered member organisations taking part in it.' })
export class SectionFigures {
  @Field(() => Section, { description: 'The section.' })
  section!: Section;

  @Field(() => Int, { description: 'Covered member organisations taking part (any role) at the end of the period.' })
  memberOrganisations!: number;

  @Field(() => Int, { description: 'Of them, coordinating organisations.' })
  coordinators!: number;

  @Field(() => Int, { description: 'Of them, observers.' })
  observers!: number;
}

@ObjectType({
  description:
    'Sections of the scope: every section (established by the end of the period) with how many covered members take part; events per section are in `events.bySection`.',
})
export class SectionStatistics {
  @Field(() => Int, { description: 'Sections established by the end of the period (or without a date).' })
  total!: number;

  @Field(() => Int, { description: 'Of them, sections in which at least one covered member takes part.' })
  active!: number;

  @Field(() => [SectionFigures], { description: 'Every section, most participating members first, then by name.' })
  bySection!: SectionFigures[];
}

async function sectionStatistics(ctx: SubgraphContext, scope: StatisticsScope): Promise<SectionStatistics> {
  const s = schemaOf(ctx.em);
  const membership: string[] = ['m.section_id = x.id'];
  const params: unknown[] = [];
  if (scope.members) {
    membership.push('m.member_id = any(?::uuid[])');
    params.push(scope.members.map((m) => m.id));
  }
  // Membership at the end of the period: joined by then (or on an unknown date).
  if (scope.to) {
    membership.push('(m.joined_on is null or m.joined_on <= ?::date)');
    params.push(scope.to);
  }
  const established = scope.to ? 'where x.established_on is null or x.established_on <= ?::date' : '';
  if (scope.to) params.push(scope.to);
  const rows = await runSql<{ id: string; members: number; coordinators: number; observers: number }>(
    ctx.em,
    `select x.id::text as id, count(m.id)::int as members,
       count(m.id) filter (where m.role = 'COORDINATOR')::int as coordinators,
       count(m.id) filter (where m.role = 'OBSERVER')::int as observers
     from ${s}.section x left join ${s}.section_membership m on ${membership.join(' and ')}
     ${established}
     group by x.id, x.name order by 2 desc, x.name`,
    params,
  );
  const sections = await ctx.loaders.byId(Section).loadMany(rows.map((r) => r.id));
  return Object.assign(new SectionStatistics(), {
    total: rows.length,
    active: rows.filter((r) => r.members > 0).length,
    bySection: rows.flatMap((row, i) => {
      const section = sections[i];
      if (!section || section instanceof Error) return [];
      return [
        Object.assign(new SectionFigures(), {
          section,
          memberOrganisations: row.members,
          coordinators: row.coordinators,
          observers: row.observers,
        }),
      ];
    }),
  });
}

@Resolver(() => SectionsStatisticsPart)
export class SectionsStatisticsResolver {
  @FieldResolver(() => SectionStatistics, { description: 'Sections and the covered members taking part.' })
  sections(@Ctx() ctx: SubgraphContext, @Root() statistics: SectionsStatisticsPart): Promise<SectionStatistics> {
    return sectionStatistics(ctx, statistics.resolved);
  }
}
