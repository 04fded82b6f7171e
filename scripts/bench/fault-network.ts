import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../lib/logger';
import { projectRoot } from '../../lib/paths';
import { issueCredential } from '../../subgraphs/members/credential-client';
import { writeCatalogue } from '../catalogue-generator';
import { type CatalogueNodeProcess, spawnCatalogueNode, uploadCatalogue } from '../catalogue-nodes';
import { childEnv } from '../config';
import { withSubgraphUrls } from '../../gateway/supergraph';
import { distScript, type NodeProcess, startNodeProcess, stopProcess } from '../processes';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { spawnSubgraphs, type SubgraphProcess } from './subgraph-processes';
import { seedBenchDatabase } from './subgraphs';

/** A port nobody listens on now, so a process can be restarted on the port it had. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One library's catalogue node, as a process that can be killed and started again on its port. */
export interface NodeHandle {
  member: string;
  url: string;
  process: CatalogueNodeProcess;
  kill(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The whole network as deployed, every service a process of its own, for the fault checks: a PostgreSQL
 * server of its own (so it can be restarted without touching anyone else's), the members / sections /
 * events subgraphs with the demo data, one catalogue node per library with a generated catalogue, and the
 * gateway (catalogue nodes from a static file). Each part can be stopped and started again.
 */
export interface FaultNetwork {
  gatewayUrl: string;
  /** A coordinator's API key, for the writes. */
  coordinatorKey: string;
  /** The database the subgraphs and nodes use, for counting what was written. */
  databaseUrl: string;
  postgres: PrivatePostgres;
  subgraphs: SubgraphProcess[];
  nodes: NodeHandle[];
  gateway: NodeProcess;
  /** Every service process's pid now, by name: what must not change unless it was made to. */
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export async function startFaultNetwork(options: {
  dir: string;
  members: string[];
  records: number;
  /** Log level of the services (their logs go to this process's output). */
  logLevel?: string;
}): Promise<FaultNetwork> {
  mkdirSync(options.dir, { recursive: true });
  // PostgreSQL runs as its own system user and must reach its directory inside (mkdtemp makes it 0700).
  chmodSync(options.dir, 0o755);
  const logLevel = options.logLevel ?? 'error';
  const secret = randomBytes(24).toString('base64url');
  const token = randomBytes(24).toString('base64url');
  // Small and quick: this server holds a demo network, not a million-record catalogue.
  const postgres = startPrivatePostgres(join(options.dir, 'postgres'), await freePort(), {
    shared_buffers: '128MB',
    effective_cache_size: '512MB',
    maintenance_work_mem: '64MB',
    max_wal_size: '1GB',
    max_connections: '200',
  });
  const stops: Array<() => Promise<void>> = [async () => postgres.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const databaseUrl = postgres.url;
    const logger = createLogger('faults', 'warn');
    // Migrate and seed in this process, then serve each subgraph from a process of its own.
    await seedBenchDatabase(databaseUrl, secret, logger);
    // At info level: their "ready" line is how they are seen to be up (their output stays in a pipe).
    const subgraphs = await spawnSubgraphs(databaseUrl, secret);
    stops.push(async () => void (await Promise.all(subgraphs.map((s) => s.stop()))));
    const nodes: NodeHandle[] = [];
    for (const [i, member] of options.members.entries()) {
      const port = await freePort();
      const spawnNode = () =>
        spawnCatalogueNode(
          [member],
          {
            ...childEnv(),
            CATALOGUE_PORT: String(port),
            CATALOGUE_DATABASE_URL: databaseUrl,
            CATALOGUE_UPLOAD_TOKEN: token,
            LOG_LEVEL: logLevel,
            NODE_ENV: 'production',
            INTERNAL_AUTH_SECRET: secret,
          },
          logger,
        );
      const handle: NodeHandle = {
        member,
        url: `http://127.0.0.1:${port}/graphql`,
        process: await spawnNode(),
        kill: async () => {
          const { child } = handle.process;
          if (child.exitCode !== null || child.signalCode !== null) return;
          await new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          });
        },
        start: async () => {
          handle.process = await spawnNode();
        },
      };
      handle.url = handle.process.endpoints.get(member)!;
      nodes.push(handle);
      stops.push(() => handle.process.stop());
      const file = join(options.dir, `${member}.iso`);
      await writeCatalogue({
        member,
        records: options.records,
        seed: i + 1,
        flavour: 'RUSMARC',
        encoding: 'CP1251',
        out: file,
      });
      const report = await uploadCatalogue(handle.url, file, token);
      if (report.status !== 'SUCCEEDED') throw new Error(`import of ${member} failed: ${report.error ?? ''}`);
    }
    const nodesFile = join(options.dir, 'nodes.json');
    writeFileSync(nodesFile, JSON.stringify(Object.fromEntries(nodes.map((n) => [n.member, n.url]))));
    const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    const supergraphFile = join(options.dir, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      withSubgraphUrls(readFileSync(join(projectRoot(__dirname), 'schema', 'supergraph.graphql'), 'utf8'), urls),
    );
    const gateway = await startNodeProcess(
      [distScript('gateway/main.js')],
      {
        ...childEnv(),
        NODE_ENV: 'production',
        LOG_LEVEL: logLevel,
        HOST: '127.0.0.1',
        GATEWAY_PORT: '0',
        INTERNAL_AUTH_SECRET: secret,
        SUPERGRAPH_PATH: supergraphFile,
        MEMBERS_URL: urls.members!,
        SECTIONS_URL: urls.sections!,
        EVENTS_URL: urls.events!,
        CATALOGUE_NODES_FILE: nodesFile,
        // A node back up is probed again after 2 s rather than 10.
        CATALOGUE_BREAKER_RESET_MS: '2000',
        // The load generator is one client on one address.
        GATEWAY_RATE_LIMIT_ANONYMOUS: '1000000',
        GATEWAY_RATE_LIMIT_COORDINATOR: '1000000',
      },
      /gateway ready at (\S+)/,
    );
    stops.push(() => stopProcess(gateway.child));
    const { secret: coordinatorKey } = await issueCredential(urls.members!, secret, {
      role: 'COORDINATOR',
      label: 'fault checks',
    });
    return {
      gatewayUrl: gateway.ready[1]!,
      coordinatorKey,
      databaseUrl,
      postgres,
      subgraphs,
      nodes,
      gateway,
      pids: () => ({
        gateway: gateway.child.pid,
        ...Object.fromEntries(subgraphs.map((s) => [s.name, s.process.child.pid])),
        ...Object.fromEntries(nodes.map((n) => [`catalogue ${n.member}`, n.process.child.pid])),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
