/**
 * `npm run bench:gateway`: the same supergraph and subgraphs served, in turn, by our gateway, a vanilla
 * `@apollo/gateway` and Hive Gateway, each in a process of its own, under the same load (autocannon): a
 * nested query across members → events → talks → speakers' organisations → their sections, with varied
 * variables so that no response cache can help. Requests a second, latency percentiles, errors and the
 * gateway's memory for each, over alternating rounds. Results go to docs/benchmarks.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { loadOrExit } from '../lib/config';
import type { RunningSubgraph } from '../lib/subgraph';
import { createLogger } from '../lib/logger';
import { withSubgraphUrls } from '../gateway/supergraph';
import { loadBenchConfig } from './bench/config';
import { databaseUrl, recreateDatabase, serverDescription } from './bench/db';
import { startBenchSubgraphs } from './bench/subgraphs';
import { log, machineLine, median, positiveInteger, table, writeSection } from './bench/report';
import { childEnv } from './config';

const DATABASE = 'kuzbass_bench_gateway';

// Shaped like The Guild's federation benchmark query: four levels across subgraphs, lists inside lists.
const QUERY = `query Nested($first: Int!, $region: String) {
  members(first: $first, filter: { region: $region }) {
    totalCount
    edges { node {
      code name type
      sections { name head { since } }
      events(first: 5) { edges { node {
        title startsAt participantsCount
        organisers { __typename ... on Member { code } ... on Section { name } }
        talks { order title speakers { organisation { code shortName sections { name } } } }
      } } }
    } }
  }
}`;
const REGIONS = ['Кемеровская область — Кузбасс', 'Новосибирская область', null];

interface Peer {
  name: string;
  command: string[];
}

const PEERS: Peer[] = [
  { name: 'ours (gateway/)', command: ['dist/gateway/main.js'] },
  { name: 'vanilla @apollo/gateway 2.14', command: ['dist/scripts/bench/peer-gateways.js', 'vanilla'] },
  { name: 'Hive Gateway 2.15', command: ['dist/scripts/bench/peer-gateways.js', 'hive'] },
];

function startProcess(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /gateway ready at (\S+)/.exec(output);
      if (ready) resolve({ child, url: ready[1]! });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output.slice(-2000)}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    // A gateway that waits on its open connections is not waited for.
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** Resident memory of a process (Linux), in MB. */
function rssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

function bodies(): string[] {
  const list: string[] = [];
  for (let first = 3; first <= 12; first++)
    for (const region of REGIONS) list.push(JSON.stringify({ query: QUERY, variables: { first, region } }));
  return list;
}

async function load(url: string, seconds: number, connections: number) {
  const all = bodies();
  let i = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: all[i++ % all.length] }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p95: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

async function main(): Promise<void> {
  const program = new Command('bench:gateway')
    .option('--seconds <n>', 'seconds of load per gateway and round', positiveInteger, 15)
    .option('--rounds <n>', 'rounds (each gateway once per round, in turn)', positiveInteger, 3)
    .option('--connections <n>', 'concurrent connections of the load generator', positiveInteger, 50)
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{ seconds: number; rounds: number; connections: number; write: boolean }>();
  const config = loadOrExit(() => loadBenchConfig());
  mkdirSync(config.dataDir, { recursive: true });
  const machine = machineLine(await serverDescription(config.databaseUrl));
  log(machine);
  await recreateDatabase(config.databaseUrl, DATABASE);
  const url = databaseUrl(config.databaseUrl, DATABASE);
  const secret = randomBytes(24).toString('base64url');
  const logger = createLogger('bench', 'warn');
  const subgraphs: RunningSubgraph[] = [];
  try {
    // The subgraphs in this process; every gateway runs in a process of its own.
    subgraphs.push(...(await startBenchSubgraphs(url, secret, logger)).subgraphs);
    const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    const supergraphFile = join(config.dataDir, 'bench-gateway-supergraph.graphql');
    writeFileSync(supergraphFile, withSubgraphUrls(readFileSync('schema/supergraph.graphql', 'utf8'), urls));
    const env = {
      ...childEnv(),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      INTERNAL_AUTH_SECRET: secret,
      SUPERGRAPH_FILE: supergraphFile,
      SUPERGRAPH_PATH: supergraphFile,
      MEMBERS_URL: urls.members!,
      SECTIONS_URL: urls.sections!,
      EVENTS_URL: urls.events!,
      // The load generator is one client: our per-client rate limit would measure itself.
      GATEWAY_RATE_LIMIT_ANONYMOUS: '1000000',
    };
    const results = new Map<string, Array<Awaited<ReturnType<typeof load>> & { rss: number | null }>>();
    // One answer from each first: they must agree, or the comparison means nothing.
    const answers: string[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      for (const peer of round % 2 ? [...PEERS].reverse() : PEERS) {
        const { child, url: gatewayUrl } = await startProcess(peer.command, env);
        try {
          if (round === 0) {
            const response = await fetch(gatewayUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: QUERY, variables: { first: 12, region: null } }),
            });
            const body = (await response.json()) as { data?: unknown; errors?: unknown };
            if (body.errors || !body.data)
              throw new Error(`${peer.name} answered ${JSON.stringify(body).slice(0, 500)}`);
            answers.push(JSON.stringify(body.data));
          }
          await load(gatewayUrl, 3, opts.connections); // warm-up: plans, connections, JIT
          const measured = await load(gatewayUrl, opts.seconds, opts.connections);
          const rss = rssMb(child.pid);
          log(
            `  round ${round + 1}, ${peer.name}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p97.5 ${measured.p95} ms, p99 ${measured.p99} ms, errors ${measured.errors}, RSS ${rss?.toFixed(0)} MB`,
          );
          results.set(peer.name, [...(results.get(peer.name) ?? []), { ...measured, rss }]);
        } finally {
          await stopProcess(child);
        }
      }
    }
    if (new Set(answers).size !== 1) {
      writeFileSync(
        join(config.dataDir, 'bench-gateway-answers.json'),
        JSON.stringify(
          answers.map((a) => JSON.parse(a) as unknown),
          null,
          2,
        ),
      );
      throw new Error(
        `the gateways answered the same query differently (see ${config.dataDir}/bench-gateway-answers.json)`,
      );
    }
    const ms = (v: number) => v.toFixed(1);
    const rows = PEERS.map((peer) => {
      const runs = results.get(peer.name)!;
      return {
        name: peer.name,
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p95: median(runs.map((r) => r.p95)),
        p99: median(runs.map((r) => r.p99)),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        rss: median(runs.map((r) => r.rss ?? 0)),
      };
    });
    const ours = rows[0]!;
    const markdown = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
      '',
      `Command: \`npm run bench:gateway${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
      '',
      `#### Nested query across members → events → talks → speakers' organisations → sections, ${opts.connections} connections`,
      '',
      `Each gateway in a process of its own against the same three subgraphs (one process) and PostgreSQL, all on this machine; ${opts.rounds} rounds of ${opts.seconds} s per gateway in alternating order after a 3 s warm-up, medians over rounds; 30 variable combinations so no response cache can help; the three gave the same answer. Latency percentiles from autocannon (it reports p97.5, shown as p95). Our gateway ran with its production settings except the per-client rate limit (the load generator is one client).`,
      '',
      table(
        ['gateway', 'requests/s', 'vs ours', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'RSS MB'],
        rows.map((r) => [
          r.name,
          r.rps.toFixed(0),
          `${(ours.rps / r.rps).toFixed(2)}×`,
          ms(r.p50),
          ms(r.p95),
          ms(r.p99),
          r.errors,
          r.rss.toFixed(0),
        ]),
      ),
    ].join('\n');
    if (opts.write) {
      writeSection('gateway', markdown);
      log('results written to docs/benchmarks.md');
    } else log(markdown);
  } finally {
    // Connections from the gateways are gone with their processes; do not wait on stragglers.
    await Promise.race([
      Promise.all(subgraphs.map((s) => s.stop())),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
  }
}

main().then(
  // Leave time for the output to reach a pipe, then go even if a straggling handle would keep us.
  () => void setTimeout(() => process.exit(0), 500).unref(),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
