import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from './orm';
import { isUuid } from './ids';

/**
 * Request-scoped batching: every `__resolveReference` and list field of one request becomes one
 * query per entity type instead of one per row.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Loads entities by id; unknown and malformed ids give `null`. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.loader(`${entity.name}#id`, async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await this.em.find(entity, { id: { $in: valid } } as unknown as FilterQuery<T>) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /**
   * Loads the children pointing at each parent id through `property` (a foreign key column), in
   * `orderBy` order; malformed ids get no children.
   */
  byParent<T extends object>(
    entity: EntityClass<T>,
    property: keyof T & string,
    orderBy: QueryOrderMap<T> = {},
  ): DataLoader<string, T[]> {
    return this.loader(`${entity.name}#${property}#${JSON.stringify(orderBy)}`, async (parentIds) => {
      const valid = parentIds.filter(isUuid);
      const rows = valid.length
        ? await this.em.find(entity, { [property]: { $in: valid } } as FilterQuery<T>, { orderBy })
        : [];
      const grouped = new Map<string, T[]>(parentIds.map((id) => [id, []]));
      for (const row of rows) {
        const parent = row[property] as unknown;
        const key = typeof parent === 'string' ? parent : (parent as { id: string }).id;
        grouped.get(key)?.push(row);
      }
      return parentIds.map((id) => grouped.get(id) ?? []);
    });
  }

  /** A request-scoped loader of the subgraph's own, created once per request under `key`. */
  custom<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    return this.loader(`custom#${key}`, batch);
  }

  private loader<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch);
      this.cache.set(key, loader);
    }
    return loader;
  }
}
