import { badUserInput } from './errors';

/*
 * The scope of network statistics — period and member organisations — and its key, which every subgraph and
 * the gateway (fanning statistics out to the catalogue nodes) read alike; free of type-graphql.
 */

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

/** Whether a scope covers a member (by id or code). */
export function scopeCovers(scope: StatisticsScope, member: { id?: string; code?: string }): boolean {
  return !scope.members || scope.members.some((m) => m.id === member.id || m.code === member.code);
}
