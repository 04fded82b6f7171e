import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { badUserInput } from './errors';
import { LocalDate } from './scalars';

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

/** The members a scope covers, or null for the whole network. */
export interface ScopeMember {
  id: string;
  code: string;
}

export interface StatisticsScope {
  /** First day of the period (`YYYY-MM-DD`), or null from the beginning. */
  from: string | null;
  /** Last day of the period, inclusive, or null until today. */
  to: string | null;
  /** The member organisations covered (sorted by code), or null for every member. */
  members: ScopeMember[] | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The entity key of a scope: canonical JSON, so the same scope always has the same key (and cache entry). */
export function encodeScope(scope: StatisticsScope): string {
  const members = scope.members
    ? [...scope.members].sort((a, b) => a.code.localeCompare(b.code)).map((m) => [m.id, m.code])
    : null;
  return JSON.stringify({ from: scope.from, to: scope.to, members });
}

/** Reads a scope key; anything else is BAD_USER_INPUT (keys come from the members service, not from users). */
export function decodeScope(key: unknown): StatisticsScope {
  try {
    const value = JSON.parse(String(key)) as { from?: unknown; to?: unknown; members?: unknown };
    const date = (d: unknown) => {
      if (d === null || d === undefined) return null;
      if (typeof d === 'string' && DATE.test(d)) return d;
      throw new Error('bad date');
    };
    let members: ScopeMember[] | null = null;
    if (value.members !== null && value.members !== undefined) {
      if (!Array.isArray(value.members)) throw new Error('bad members');
      members = value.members.map((pair: unknown) => {
        if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string')
          throw new Error('bad member');
        return { id: pair[0], code: pair[1] };
      });
    }
    return { from: date(value.from), to: date(value.to), members };
  } catch {
    throw badUserInput('scope', 'Not a statistics scope key');
  }
}

/** Where the network's dates fall: the Kemerovo region (UTC+7). A period's days are days here. */
export const NETWORK_TIME_ZONE = 'Asia/Novokuznetsk';

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

/** Whether a scope covers a member (by id or code). */
export function scopeCovers(scope: StatisticsScope, member: { id?: string; code?: string }): boolean {
  return !scope.members || scope.members.some((m) => m.id === member.id || m.code === member.code);
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
