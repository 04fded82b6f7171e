import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadTestConfig } from './config';

export interface TestDatabase {
  url: string;
  /** True on the embedded PostgreSQL, where test files share one database and differ by schema. */
  embedded: boolean;
  /** A schema name for a service's tables, unique to this test database. */
  schema(service: string): string;
  drop(): Promise<void>;
}

/**
 * A database of the test file's own: a fresh PostgreSQL database on a real server, or unique schema
 * names on the embedded one (PGlite serves a single database). Either way tests can run in parallel.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const config = loadTestConfig();
  const suffix = `${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  if (!config.TEST_DATABASE_URL) {
    const url = config.TEST_EMBEDDED_DATABASE_URL;
    if (!url)
      throw new Error('No TEST_DATABASE_URL and no embedded database: run the tests through jest (globalSetup).');
    const schemas = new Set<string>();
    return {
      url,
      embedded: true,
      schema: (service) => {
        const name = `${service}_${suffix}`;
        schemas.add(name);
        return name;
      },
      drop: async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          for (const name of schemas) await client.query(`drop schema if exists "${name}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const name = `kbg_test_${suffix}`;
  const admin = new Client({ connectionString: config.TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(config.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    schema: (service) => service,
    drop: async () => {
      const client = new Client({ connectionString: config.TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
