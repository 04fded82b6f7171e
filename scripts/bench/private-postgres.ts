import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of the benchmark's own, configured as a catalogue node's server should be
 * (docs/CATALOGUE.md): shared_buffers a quarter of the memory, so that a million-record catalogue's table
 * and indexes stay in PostgreSQL's own cache. Made with the machine's PostgreSQL binaries (Debian's
 * /usr/lib/postgresql/<version>/bin), in `dir`, on `port`; kept between runs; `overrides` change settings
 * (the fault tests run a small one). As root, it runs as the `postgres` system user (initdb refuses root).
 */
export interface PrivatePostgres {
  url: string;
  settings: Record<string, string>;
  /** Starts it again after `stop` (same directory, port and settings). */
  start(): void;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (!found) throw new Error(`no PostgreSQL binaries under ${root}: install Debian's postgresql package`);
  return found;
}

export function startPrivatePostgres(
  dir: string,
  port: number,
  overrides: Record<string, string> = {},
): PrivatePostgres {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      {
        stdio: 'pipe',
      },
    );
  const gib = Math.max(1, Math.floor(totalmem() / 2 ** 30 / 4));
  const settings = {
    shared_buffers: `${gib}GB`,
    effective_cache_size: `${gib * 2}GB`,
    work_mem: '64MB',
    maintenance_work_mem: '1GB',
    max_wal_size: '8GB',
    ...overrides,
  };
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (asRoot)
      chownSync(
        dir,
        Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      );
    run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ];
  const start = () =>
    void run('pg_ctl', ['-D', dir, '-o', options.join(' '), '-l', join(dir, 'server.log'), '-w', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    settings,
    start,
    stop: () => void run('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']),
  };
}
