import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from '../lib/logger';
import type { ImportReport } from '../subgraphs/catalogue/import';
import { uploadImport } from '../subgraphs/catalogue/upload-client';
import { distScript } from './processes';

export interface CatalogueNodeProcess {
  members: string[];
  /** Member code → GraphQL endpoint of its catalogue on this node. */
  endpoints: Map<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs a catalogue node as a process of its own (as a library would), with `env` as its whole
 * environment, and resolves once it prints its endpoints. Its log lines pass through to ours.
 */
export function spawnCatalogueNode(
  members: string[],
  env: Record<string, string>,
  logger: Logger,
): Promise<CatalogueNodeProcess> {
  const child = spawn(process.execPath, [distScript('subgraphs/catalogue/main.js')], {
    env: { ...env, CATALOGUE_MEMBERS: members.join(',') },
    // The IPC channel closes when this process dies in any way, and the node then stops (see its main.ts).
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // Never leave a node behind when this process exits, however it exits.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const endpoints = new Map<string, string>();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const ready = /^catalogue node of (\S+) ready at (\S+)$/.exec(line);
      if (!ready) return void process.stdout.write(`${line}\n`);
      endpoints.set(ready[1]!, ready[2]!);
      if (endpoints.size === members.length) {
        logger.info({ members, endpoints: Object.fromEntries(endpoints) }, 'catalogue node process ready');
        resolve({ members, endpoints, child, stop });
      }
    });
    child.once('exit', (code) => {
      if (endpoints.size < members.length)
        reject(new Error(`catalogue node of ${members.join(', ')} exited with ${code}`));
    });
  });
}

/** Streams a file into a member's catalogue through the node's authenticated import endpoint. */
export function uploadCatalogue(endpoint: string, file: string, token: string): Promise<ImportReport> {
  return uploadImport({
    base: endpoint.replace(/\/graphql$/, ''),
    token,
    file,
    query: new URLSearchParams({ source: file }),
  });
}

/** Record count of one member's catalogue, asked the way any client would. */
export async function catalogueSize(endpoint: string): Promise<number> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ catalogueSearch(query: "", first: 0) { total } }' }),
  });
  const body = (await response.json()) as { data?: { catalogueSearch: { total: number } } };
  return body.data?.catalogueSearch.total ?? 0;
}

export function ensureDir(dir: string): string {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}

export const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);
