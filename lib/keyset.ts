import type { QueryBuilder } from '@mikro-orm/postgresql';
import { badUserInput } from './errors';
import { isUuid } from './ids';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

function fits(value: string | number, type: 'text' | 'uuid' | 'timestamp'): boolean {
  if (typeof value !== 'string') return false;
  if (type === 'uuid') return isUuid(value);
  if (type === 'timestamp') return !Number.isNaN(Date.parse(value));
  return true;
}

export interface KeysetOptions<T extends object> {
  /** Builder already filtered; aliased, so `sort` columns are `alias.column`. */
  qb: QueryBuilder<T>;
  /**
   * What orders the list, ending with a unique key (the id): the alias-qualified SQL column, the
   * entity property, and the kind of value, which a cursor's values must match.
   */
  sort: Array<{ column: string; property: string; type: 'text' | 'uuid' | 'timestamp' }>;
  /** The same values read off an entity, for its cursor. */
  keyOf: (row: T) => Array<string | number>;
  direction?: 'asc' | 'desc';
  first: number | null | undefined;
  after: string | null | undefined;
}

/** Forward keyset pagination: stable under inserts, no OFFSET scans, cursors that survive reloads. */
export async function keysetPage<T extends object>(options: KeysetOptions<T>): Promise<Page<T>> {
  const { qb, sort, direction = 'asc' } = options;
  const size = pageSize(options.first);
  const totalCount = await qb.clone().getCount();
  const paged = qb.clone();
  if (options.after) {
    const values = decodeCursor(options.after, sort.length);
    // A forged cursor must be bad input here, not a cast error from PostgreSQL.
    if (!values.every((value, i) => fits(value, sort[i]!.type)))
      throw badUserInput('after', 'after is not a valid cursor');
    const op = direction === 'asc' ? '>' : '<';
    paged.andWhere(`(${sort.map((s) => s.column).join(', ')}) ${op} (${sort.map(() => '?').join(', ')})`, values);
  }
  paged.orderBy(sort.map((s) => ({ [s.property]: direction }))).limit(size + 1);
  const rows = size === 0 ? [] : await paged.getResultList();
  return toPage(rows, size, totalCount, Boolean(options.after), options.keyOf);
}
