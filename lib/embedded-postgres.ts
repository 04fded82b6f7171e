import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres:// URL that the ordinary `pg` driver (and so MikroORM) connects to. */
  url: string;
  dataDir: string | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the data across restarts; undefined keeps it in memory only. */
  dataDir?: string;
  host?: string;
  port?: number;
  /** Socket connections allowed at once; must cover every pool that connects (see docs/ARCHITECTURE.md). */
  maxConnections?: number;
}

// One PGlite per data directory and process: services started together share it, since a data
// directory can only be opened once.
const running = new Map<string, Promise<EmbeddedPostgres>>();

/** Starts PGlite (PostgreSQL compiled to WASM) behind the PostgreSQL wire protocol on a local port. */
export function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const key = dataDir ?? `memory:${running.size}:${Date.now()}`;
  let started = running.get(key);
  if (!started) {
    started = launch(dataDir, options).catch((error: unknown) => {
      running.delete(key);
      throw error;
    });
    running.set(key, started);
  }
  return started.then((pg) => ({
    ...pg,
    stop: async () => {
      if (running.get(key) === started) running.delete(key);
      await pg.stop();
    },
  }));
}

async function launch(dataDir: string | undefined, options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 64,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').at(-1));
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    dataDir,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await db.close();
      })()),
  };
}
