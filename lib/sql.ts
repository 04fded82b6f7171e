import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from './orm';

/** Runs parameterised SQL (`?` placeholders) on the entity manager's connection and current transaction. */
export async function runSql<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  // knex sends real bind parameters; MikroORM's `execute` would inline them into the SQL text.
  const query = em.getKnex().raw(sql, params as Knex.RawBinding[]);
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (trx) void query.transacting(trx);
  const result = (await query) as { rows: T[] };
  return result.rows;
}

/** The configured schema of this ORM instance as a quoted identifier, for raw SQL (never `set search_path`). */
export function schemaOf(em: EntityManager): string {
  const schema = em.config.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return `"${schema}"`;
}
