import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Constructor, MigrationObject } from '@mikro-orm/core';
import type { Logger } from './logger';

export type { EntityManager };
export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  /** PostgreSQL schema holding this service's tables and its migrations table. */
  schema: string;
  entities: Array<Constructor<object>>;
  migrations: MigrationObject[];
  logger?: Logger;
  poolMax?: number;
}

/** Connects MikroORM to PostgreSQL (real or embedded) for one service, without touching the schema. */
export async function connectOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolMax ?? 8 },
    forceUtcTimezone: true,
    ensureDatabase: false,
    allowGlobalContext: false,
    discovery: { disableDynamicFileAccess: true },
    debug: false,
    logger: (message) => options.logger?.debug({ orm: message }, 'orm'),
    // knex's own warnings (a pooled connection dropped while the database restarts…) go to our log, not the console.
    driverOptions: {
      log: {
        warn: (message: unknown) => options.logger?.warn({ knex: String(message) }, 'database client'),
        error: (message: unknown) => options.logger?.error({ knex: String(message) }, 'database client'),
        deprecate: (method: unknown, alternative: unknown) =>
          options.logger?.debug(
            { knex: `${String(method)} is deprecated; use ${String(alternative)}` },
            'database client',
          ),
        debug: (message: unknown) => options.logger?.debug({ knex: message }, 'database client'),
      },
    },
  });
}

/** Applies the committed migrations that have not run yet; returns their names. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
