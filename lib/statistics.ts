import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { LocalDate } from './scalars';
import { type StatisticsScope, decodeScope, encodeScope } from './statistics-scope';

export * from './statistics-scope';

/**
 * `NetworkStatistics` is one entity with a part in every subgraph: the members subgraph answers
 * `networkStatistics(filter)` / `Member.statistics`, checks the filter and resolves it to a scope — the
 * period and the member organisations it covers — and every other subgraph (and every catalogue node,
 * through the gateway's fan-out) computes its figures for that scope from the entity key alone.
 */
export const NETWORK_STATISTICS_DESCRIPTION =
  'Figures of the partnership for one scope (period and member organisations): members, sections, events, catalogues and the figures members report.';
export const SCOPE_DESCRIPTION =
  'The scope the figures cover, as the members service resolved the filter (opaque; the entity key).';

/**
 * The key part of `NetworkStatistics`, which each subgraph extends with its own figures; `resolved` is the
 * decoded scope for that subgraph's resolvers.
 */
@ObjectType({ description: "Base of each subgraph's NetworkStatistics (never emitted by itself)." })
export abstract class StatisticsEntity {
  @Field({ description: SCOPE_DESCRIPTION })
  @Directive('@inaccessible')
  scope!: string;

  resolved!: StatisticsScope;
}

/** This subgraph's `NetworkStatistics` object for a scope or its key. */
export function statisticsEntity<T extends StatisticsEntity>(type: new () => T, scope: StatisticsScope | string): T {
  const resolved = typeof scope === 'string' ? decodeScope(scope) : scope;
  return Object.assign(new type(), { scope: encodeScope(resolved), resolved });
}

@ObjectType({ description: 'How many of one value a statistics table counts.' })
@Directive('@shareable')
export class StatisticsCount {
  @Field({ description: 'The value counted (an enum value name, a region, a language code…).' })
  key!: string;

  @Field(() => Int, { description: 'How many.' })
  count!: number;

  static of(key: string, count: number): StatisticsCount {
    return Object.assign(new StatisticsCount(), { key, count });
  }
}

@ObjectType({ description: 'How many in one calendar year.' })
@Directive('@shareable')
export class YearCount {
  @Field(() => Int, { description: 'The year.' })
  year!: number;

  @Field(() => Int, { description: 'How many.' })
  count!: number;
}

@ObjectType({ description: 'The period statistics cover; null ends are open.' })
@Directive('@shareable')
export class StatisticsPeriod {
  @Field(() => LocalDate, { nullable: true, description: 'First day, or null from the beginning.' })
  from!: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Last day (inclusive), or null until today.' })
  to!: string | null;
}

/** Rows `{ key, count }` sorted by count (largest first), then key. */
export function countsOf(rows: Iterable<[string, number]>): StatisticsCount[] {
  return [...rows]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, count]) => StatisticsCount.of(key, count));
}
