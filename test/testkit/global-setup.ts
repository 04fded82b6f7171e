import { startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { loadTestConfig } from './config';

/**
 * Without TEST_DATABASE_URL the tests run on an embedded PostgreSQL, started here rather than in the
 * test files because PGlite's dynamic `import()` does not run inside jest's module sandbox.
 */
export default async function globalSetup(): Promise<void> {
  const config = loadTestConfig();
  if (config.TEST_DATABASE_URL) return;
  const pg = await startEmbeddedPostgres({ maxConnections: 200 });
  process.env.TEST_EMBEDDED_DATABASE_URL = pg.url;
  (globalThis as { __embeddedPostgres?: typeof pg }).__embeddedPostgres = pg;
}
