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
  keepExchangesWhole(server, db);
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

/** The parts of pglite-socket's (unexported) query queue that keepExchangesWhole replaces. */
interface QueueItem {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Messages that end an exchange: Sync, a simple Query, Terminate; a startup packet has no type byte (0).
const EXCHANGE_ENDS = new Set([0x53, 0x51, 0x58, 0x00]);

/**
 * pglite-socket 0.2 runs every connection's protocol messages through one PGlite session, one message at
 * a time, and keeps to one connection only inside a transaction. An extended-protocol query outside one
 * (Parse, Bind, Describe, Execute … Sync) must not be split either: another connection's Bind in between
 * replaces the unnamed portal, and the first query fails with `portal "" does not exist` — seen as
 * sporadic internal errors when two requests reach one embedded node at once. This keeps the queue on a
 * connection until its exchange ends (and its transaction, as before).
 */
function keepExchangesWhole(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== 'function') {
    throw new Error(
      '@electric-sql/pglite-socket changed: its query queue is not where lib/embedded-postgres.ts expects it',
    );
  }
  let midExchange = false;
  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = this.lastHandlerId !== null && (midExchange || db.isInTransaction());
        const index = sticky ? this.queue.findIndex((q) => q.handlerId === this.lastHandlerId) : 0;
        if (index === -1) break; // the connection's next message has not arrived yet
        const item = this.queue.splice(index, 1)[0]!;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midExchange = false;
          this.lastHandlerId = null;
          item.reject(error);
          continue;
        }
        midExchange = !EXCHANGE_ENDS.has(item.message[0] ?? 0);
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that left mid-exchange must not hold the queue.
    if (queue.lastHandlerId === handlerId && midExchange) {
      midExchange = false;
      queue.lastHandlerId = null;
      void queue.processQueue();
    }
  };
}
