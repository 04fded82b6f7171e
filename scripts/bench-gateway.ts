/**
 * `npm run bench:gateway`: the same supergraph and subgraphs served, in turn, by our gateway, a vanilla
 * `@apollo/gateway` and Hive Gateway, each in a process of its own, under the same load (autocannon): a
 * nested query across members → events → talks → speakers' organisations → their sections, with varied
 * variables so that no response cache can help. Requests a second, latency percentiles, errors, the
 * gateway's memory and CPU per request for each, over alternating rounds; once through the real subgraphs
 * and once through an answer cache in front of them (scripts/bench/answer-cache.ts), which leaves the
 * gateways as the bottleneck. Results go to docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadOrExit } from '../lib/config';
import { createLogger } from '../lib/logger';
import { withSubgraphUrls } from '../gateway/supergraph';
import { loadBenchConfig } from './bench/config';
import { databaseUrl, recreateDatabase, serverDescription } from './bench/db';
import { seedBenchDatabase } from './bench/subgraphs';
import { runLoad, type LoadResult } from './bench/load';
import { spawnSubgraphs, type SubgraphProcess } from './bench/subgraph-processes';
import { cpuMs, distScript, type NodeProcess, rssMb, startNodeProcess, stopProcess } from './processes';
import { log, machineLine, median, positiveInteger, table, writeSection, runBenchmark } from './bench/report';
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

type Measured = LoadResult & { rss: number; gatewayCpu: number; subgraphCpu: number };

interface Peer {
  name: string;
  command: string[];
}

const PEERS: Peer[] = [
  { name: 'ours (gateway/)', command: [distScript('gateway/main.js')] },
  { name: 'vanilla @apollo/gateway 2.14', command: [distScript('scripts/bench/peer-gateways.js'), 'vanilla'] },
  { name: 'Hive Gateway 2.15', command: [distScript('scripts/bench/peer-gateways.js'), 'hive'] },
];

function bodies(): string[] {
  const list: string[] = [];
  for (let first = 3; first <= 12; first++)
    for (const region of REGIONS) list.push(JSON.stringify({ query: QUERY, variables: { first, region } }));
  return list;
}

/** The subgraphs as the gateways see them: the real ones, or the answer cache in front of them. */
type Mode = 'subgraphs' | 'cached';

const MODE_TITLE: Record<Mode, string> = {
  subgraphs: 'through the real subgraphs',
  cached: 'through the answer cache (gateway-bound)',
};

interface Row {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  rss: number;
  gatewayCpu: number;
  subgraphCpu: number;
}

async function main(): Promise<void> {
  const program = new Command('bench:gateway')
    .option('--seconds <n>', 'seconds of load per gateway and round', positiveInteger, 15)
    .option('--rounds <n>', 'rounds (each gateway once per round, in turn)', positiveInteger, 3)
    .option('--connections <n>', 'concurrent connections of the load generator', positiveInteger, 50)
    .option('--only <mode>', 'run one mode only: subgraphs or cached')
    .option('--profile <dir>', 'write a V8 CPU profile of every gateway and subgraph process into <dir>')
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{
    seconds: number;
    rounds: number;
    connections: number;
    only?: Mode;
    profile?: string;
    write: boolean;
  }>();
  const modes: Mode[] = opts.only ? [opts.only] : ['subgraphs', 'cached'];
  if (!modes.every((m) => m in MODE_TITLE)) throw new Error(`--only takes subgraphs or cached, not ${opts.only}`);
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
  const config = loadOrExit(() => loadBenchConfig());
  mkdirSync(config.dataDir, { recursive: true });
  const machine = machineLine(await serverDescription(config.databaseUrl));
  log(machine);
  await recreateDatabase(config.databaseUrl, DATABASE);
  const url = databaseUrl(config.databaseUrl, DATABASE);
  const secret = randomBytes(24).toString('base64url');
  const logger = createLogger('bench', 'warn');
  const subgraphs: SubgraphProcess[] = [];
  let cache: NodeProcess | undefined;
  try {
    // Migrate and seed in this process, then serve each subgraph from a process of its own, as deployed.
    await seedBenchDatabase(url, secret, logger);
    subgraphs.push(...(await spawnSubgraphs(url, secret, { nodeArgs })));
    const real = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    cache = await startNodeProcess(
      [distScript('scripts/bench/answer-cache.js'), ...subgraphs.map((s) => `${s.name}=${s.url}`)],
      childEnv(),
      /answer cache ready (\{.*\})/,
    );
    const cached = JSON.parse(cache.ready[1]!) as Record<string, string>;
    const cacheStats = async () =>
      (await (await fetch(new URL('/stats', Object.values(cached)[0]))).json()) as { hits: number; misses: number };
    const all = bodies();
    const sections: string[] = [];
    // One answer from each gateway: they must agree, or the comparison means nothing.
    const answers = new Map<string, string>();
    for (const mode of modes) {
      const urls = mode === 'cached' ? cached : real;
      const supergraphFile = join(config.dataDir, `bench-gateway-supergraph-${mode}.graphql`);
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
      // CPU on the subgraph side: the subgraph processes, or the cache (which then answers everything).
      const sidePids = () => (mode === 'cached' ? [cache?.child.pid] : subgraphs.map((s) => s.process.child.pid));
      const sideCpu = () => sidePids().reduce<number>((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
      if (mode === 'subgraphs') {
        // The subgraphs warm up (JIT, ORM metadata, connection pools) before any gateway is measured, so
        // the first gateway measured does not pay for it.
        const { child, ready } = await startNodeProcess(PEERS[0]!.command, env, /gateway ready at (\S+)/);
        await runLoad({ url: ready[1]!, seconds: 10, connections: opts.connections, bodies: all });
        await stopProcess(child);
      }
      const results = new Map<string, Measured[]>();
      let misses = 0;
      for (let round = 0; round < opts.rounds; round++) {
        for (const peer of round % 2 ? [...PEERS].reverse() : PEERS) {
          const { child, ready } = await startNodeProcess(peer.command, env, /gateway ready at (\S+)/, { nodeArgs });
          const gatewayUrl = ready[1]!;
          try {
            // Every variable combination once, one at a time: checks the answers and fills the cache with
            // this gateway's own subgraph requests.
            for (const body of all) {
              const response = await fetch(gatewayUrl, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body,
              });
              const answer = (await response.json()) as { data?: unknown; errors?: unknown };
              if (answer.errors || !answer.data)
                throw new Error(`${peer.name} answered ${JSON.stringify(answer).slice(0, 500)}`);
              if (body === all.at(-1)) answers.set(`${peer.name} (${mode})`, JSON.stringify(answer.data));
            }
            // Warm-up: query plans, connections, JIT.
            await runLoad({ url: gatewayUrl, seconds: 3, connections: opts.connections, bodies: all });
            const before = { gateway: cpuMs(child.pid) ?? 0, side: sideCpu(), cache: await cacheStats() };
            const measured = await runLoad({
              url: gatewayUrl,
              seconds: opts.seconds,
              connections: opts.connections,
              bodies: all,
              checkBodies: true,
            });
            const perRequest = (from: number, to: number) => (to - from) / Math.max(1, measured.requests);
            const run: Measured = {
              ...measured,
              rss: rssMb(child.pid) ?? 0,
              gatewayCpu: perRequest(before.gateway, cpuMs(child.pid) ?? 0),
              subgraphCpu: perRequest(before.side, sideCpu()),
            };
            if (mode === 'cached') misses += (await cacheStats()).misses - before.cache.misses;
            log(
              `  ${mode}, round ${round + 1}, ${peer.name}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50.toFixed(1)} ms, p95 ${run.p95.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, errors ${run.errors}, RSS ${run.rss.toFixed(0)} MB, CPU/request gateway ${run.gatewayCpu.toFixed(1)} ms, subgraph side ${run.subgraphCpu.toFixed(1)} ms${run.samples.length ? `; e.g. ${run.samples[0]}` : ''}`,
            );
            results.set(peer.name, [...(results.get(peer.name) ?? []), run]);
          } finally {
            await stopProcess(child);
          }
        }
      }
      const rows: Row[] = PEERS.map((peer) => {
        const runs = results.get(peer.name)!;
        return {
          name: peer.name,
          rps: median(runs.map((r) => r.rps)),
          p50: median(runs.map((r) => r.p50)),
          p95: median(runs.map((r) => r.p95)),
          p99: median(runs.map((r) => r.p99)),
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          rss: median(runs.map((r) => r.rss)),
          gatewayCpu: median(runs.map((r) => r.gatewayCpu)),
          subgraphCpu: median(runs.map((r) => r.subgraphCpu)),
        };
      });
      sections.push(
        [
          `#### ${MODE_TITLE[mode]}, ${opts.connections} connections`,
          '',
          mode === 'cached'
            ? `The answer cache (scripts/bench/answer-cache.ts, its own process) answered every subgraph request of the measured runs from memory (${misses} misses): what remains is each gateway's own work — parsing, planning, fetching, merging, serialising.`
            : 'Each subgraph in a process of its own over PostgreSQL, as deployed.',
          '',
          resultTable(rows),
        ].join('\n'),
      );
    }
    if (new Set(answers.values()).size !== 1) {
      const file = join(config.dataDir, 'bench-gateway-answers.json');
      writeFileSync(
        file,
        JSON.stringify(Object.fromEntries([...answers].map(([k, v]) => [k, JSON.parse(v)])), null, 2),
      );
      throw new Error(`the gateways answered the same query differently (see ${file})`);
    }
    const markdown = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
      '',
      `Command: \`npm run bench:gateway${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
      '',
      `Nested query across members → events → talks → speakers' organisations → sections (7 subgraph fetches, ≈ 20 KB answer). Each gateway in a process of its own, with the load generator, the subgraphs and PostgreSQL on this machine; ${opts.rounds} rounds of ${opts.seconds} s per gateway in alternating order after a 3 s warm-up, medians over rounds; 30 variable combinations so no response cache can help; every gateway gave the same answer. Latencies are exact percentiles of every response; an answer with \`errors\` counts as an error. CPU per request: the process's CPU time (user + system, /proc) during the run divided by the answers. Our gateway ran with its production settings (authentication, rate limits, query limits and cost, audit) except the per-client rate limit's size (the load generator is one client).`,
      '',
      ...sections.flatMap((section) => [section, '']),
    ].join('\n');
    if (opts.write && modes.length === 2) {
      writeSection('gateway', markdown);
      log('results written to docs/benchmarks.md');
    } else log(markdown);
  } finally {
    if (cache) await stopProcess(cache.child);
    // Connections from the gateways are gone with their processes; do not wait on stragglers.
    await Promise.race([
      Promise.all(subgraphs.map((s) => s.stop())),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
  }
}

function resultTable(rows: Row[]): string {
  const ours = rows[0]!;
  const ms = (v: number) => v.toFixed(1);
  return table(
    [
      'gateway',
      'requests/s',
      'ours ÷ it',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'RSS MB',
      'gateway CPU ms/request',
      'subgraph side CPU ms/request',
    ],
    rows.map((r) => [
      r.name,
      r.rps.toFixed(0),
      `${(ours.rps / r.rps).toFixed(2)}×`,
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      r.errors,
      r.rss.toFixed(0),
      ms(r.gatewayCpu),
      ms(r.subgraphCpu),
    ]),
  );
}

runBenchmark(main);
