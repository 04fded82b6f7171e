/**
 * `npm run bench:federation`: network search through the gateway over 38 catalogue nodes (one hosted node
 * process serving 38 member catalogues, each in its own schema) of 50 000 generated records each, against
 * the slowest single node queried directly with the same query, in the same run, alternating.
 * The catalogues are built once and kept between runs (`--fresh` rebuilds them). Results go to
 * docs/benchmarks.md with the machine and date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { loadGatewayConfig, startGateway } from '../gateway';
import { batchBase } from '../lib/catalogue-protocol';
import { loadOrExit } from '../lib/config';
import { createLogger } from '../lib/logger';
import { loadBenchConfig } from './bench/config';
import { BENCH_INTERNAL_SECRET, signedHeaders } from './bench/identity';
import { startBenchSubgraphs } from './bench/subgraphs';
import { databaseMark, databaseUrl, markDatabase, recreateDatabase, serverDescription, withClient } from './bench/db';
import { machineLine, percentile, table, writeSection, log, positiveInteger, runBenchmark } from './bench/report';
import { writeCatalogue } from './catalogue-generator';
import { spawnCatalogueNode, uploadCatalogue } from './catalogue-nodes';
import type { RunningSubgraph } from '../lib/subgraph';
import { childEnv } from './config';
import { LegalForm, LibraryType } from '../subgraphs/members/enums';
import { seedMembers } from '../subgraphs/members/seed';
import { members as demoMembers } from './demo';
import { memberId } from './demo/members';

const DATABASE = 'kuzbass_bench_federation';
const TOKEN = 'bench-upload-token-0123456789';

/** The demo network's members, then synthetic ones up to `n`. */
function memberCodes(n: number): string[] {
  const codes = demoMembers.map((m) => m.code).slice(0, n);
  for (let i = codes.length + 1; codes.length < n; i++) codes.push(`bench-lib-${String(i).padStart(2, '0')}`);
  return codes;
}

const QUERIES = [
  'история России',
  'библиотечное обслуживание',
  'информационные технологии',
  'горное дело',
  'социальная психология',
  'гражданское право',
  'экономика предприятия',
  'высшее образование',
  'природа Кузбасса',
  'Кемеровская область',
];

const NETWORK = `query Network($query: String!, $groupBy: SearchGrouping) {
  catalogueSearch(query: $query, first: 20, groupBy: $groupBy) {
    total
    hits { score record { id title year } heldBy @include(if: $grouped) { member { code } holdingsCount } }
    facets @include(if: $facets) { field values { value count } }
    nodes { member { code } status tookMs }
  }
}`.replace('$groupBy: SearchGrouping)', '$groupBy: SearchGrouping, $grouped: Boolean!, $facets: Boolean!)');

const NODE = `query Node($query: String!, $facets: Boolean!) {
  catalogueSearch(query: $query, first: 20) {
    total
    hits { score record { id title year } }
    facets @include(if: $facets) { field values { value count } }
  }
}`;

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: signedHeaders(),
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: { catalogueSearch?: { nodes?: Array<{ status: string; tookMs: number | null }> } | null };
    errors?: unknown[];
  };
  const ms = performance.now() - started;
  // A partial answer (some nodes missing, with errors) is a result: `nodes` says who was missing.
  if (!body.data?.catalogueSearch) throw new Error(`search failed: ${JSON.stringify(body.errors)}`);
  return { ms, result: body.data.catalogueSearch };
}

// What the coordinators' dashboard asks for: every part of the network statistics.
const STATISTICS = `{ networkStatistics {
  members { total byRegion { key count } byType { key count } joinedPerYear { year count } }
  sections { bySection { section { name } memberOrganisations } }
  events { totals { events participants organisations talks } byYearAndKind { year kind events participants } }
  catalogue { computedAt complete records uniqueTitles heldByOneLibrary heldBySeveralLibraries
    byMaterialType { key count } byDecade { key count } additionsPerMonth { month count }
    byLibrary { member { code name } status records titles uniqueTitles lastImportAt }
    mostWidelyHeld { title libraries heldBy { code } } }
  reported { byYear { year visits } }
} }`;

interface StatisticsResult {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  uniqueTitles: number;
  records: number;
}

async function statisticsRuns(
  url: string,
  runs: number,
): Promise<{ times: number[]; records: number; unique: number }> {
  const times: number[] = [];
  let records = 0;
  let unique = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: STATISTICS }),
    });
    const body = (await response.json()) as {
      data?: { networkStatistics?: { catalogue?: { records: number; uniqueTitles: number; complete: boolean } } };
      errors?: unknown[];
    };
    times.push(performance.now() - started);
    const catalogue = body.data?.networkStatistics?.catalogue;
    if (!catalogue?.complete) {
      throw new Error(`statistics incomplete: ${JSON.stringify(body.errors ?? body).slice(0, 2000)}`);
    }
    records = catalogue.records;
    unique = catalogue.uniqueTitles;
  }
  return { times, records, unique };
}

/** The hosted node asked directly for every catalogue at once: the batch the gateway sends it. */
async function postBatch(base: string, codes: string[], query: string, facets: boolean) {
  const started = performance.now();
  const response = await fetch(`${base}/batch/graphql`, {
    method: 'POST',
    headers: signedHeaders(),
    body: JSON.stringify({ query: NODE, requests: codes.map((member) => ({ member, variables: { query, facets } })) }),
  });
  const body = (await response.json()) as { results?: Array<{ body?: unknown }> };
  const ms = performance.now() - started;
  if (body.results?.length !== codes.length || body.results.some((r) => !r.body))
    throw new Error(`batch failed: ${JSON.stringify(body).slice(0, 2000)}`);
  return ms;
}

interface ShapeResult {
  name: string;
  runs: number;
  gateway: { p50: number; p95: number };
  slowestNode: { member: string; p50: number; p95: number };
  hostedNode: { p50: number; p95: number };
  overhead: { p50: number; p95: number };
  gatewayCpu: { p50: number; p95: number };
  failedNodes: number;
}

/** Catalogue counts of the scaling table (the full network is the main table). */
const SCALING = [1, 2, 4, 8, 16];

/**
 * Network searches through a gateway, each followed by the same query to every catalogue directly and to the
 * hosted node for all of them at once: percentiles of each, and per request the gateway's time beyond its
 * longest node call and its CPU.
 */
async function measureSearch(
  gatewayUrl: string,
  codes: string[],
  options: {
    name: string;
    groupBy: 'RECORD' | 'EDITION';
    facets: boolean;
    runs: number;
    endpoint: (code: string) => string;
    hostedBase: string;
  },
): Promise<ShapeResult> {
  const { groupBy, facets, endpoint, hostedBase } = options;
  const variables = (query: string) => ({ query, groupBy, grouped: groupBy === 'EDITION', facets });
  const gatewayMs: number[] = [];
  const overheadMs: number[] = [];
  // CPU of this process (the gateway, and the client's share of one request) per network search.
  const gatewayCpuMs: number[] = [];
  const nodeMs = new Map<string, number[]>(codes.map((c) => [c, []]));
  const hostedMs: number[] = [];
  let failedNodes = 0;
  // Warm-up: every query once through the gateway, on every node and as one batch.
  for (const query of QUERIES) {
    await post(gatewayUrl, NETWORK, variables(query));
    for (const code of codes) await post(endpoint(code), NODE, { query, facets });
    await postBatch(hostedBase, codes, query, facets);
  }
  for (let i = 0; i < options.runs; i++) {
    const query = QUERIES[i % QUERIES.length]!;
    const cpuBefore = process.cpuUsage();
    const { ms, result } = await post(gatewayUrl, NETWORK, variables(query));
    const cpu = process.cpuUsage(cpuBefore);
    gatewayCpuMs.push((cpu.user + cpu.system) / 1000);
    gatewayMs.push(ms);
    const nodes = result.nodes ?? [];
    failedNodes += nodes.filter((n) => n.status !== 'OK').length;
    overheadMs.push(ms - Math.max(...nodes.map((n) => n.tookMs ?? 0)));
    // The same query on each catalogue directly, right after, then on all of them at once.
    for (const code of codes) nodeMs.get(code)!.push((await post(endpoint(code), NODE, { query, facets })).ms);
    hostedMs.push(await postBatch(hostedBase, codes, query, facets));
  }
  const slowest = [...nodeMs]
    .map(([member, times]) => ({ member, p50: percentile(times, 0.5), p95: percentile(times, 0.95) }))
    .sort((a, b) => b.p95 - a.p95)[0]!;
  return {
    name: options.name,
    runs: options.runs,
    gateway: { p50: percentile(gatewayMs, 0.5), p95: percentile(gatewayMs, 0.95) },
    slowestNode: slowest,
    hostedNode: { p50: percentile(hostedMs, 0.5), p95: percentile(hostedMs, 0.95) },
    overhead: { p50: percentile(overheadMs, 0.5), p95: percentile(overheadMs, 0.95) },
    gatewayCpu: { p50: percentile(gatewayCpuMs, 0.5), p95: percentile(gatewayCpuMs, 0.95) },
    failedNodes,
  };
}

function logShape(r: ShapeResult, catalogues: number): void {
  const ms = (v: number) => v.toFixed(1);
  log(
    `  ${r.name}: gateway p50 ${ms(r.gateway.p50)} ms, p95 ${ms(r.gateway.p95)} ms; slowest catalogue (${r.slowestNode.member}) p50 ${ms(r.slowestNode.p50)} ms, p95 ${ms(r.slowestNode.p95)} ms; hosted node, all ${catalogues} at once, p50 ${ms(r.hostedNode.p50)} ms, p95 ${ms(r.hostedNode.p95)} ms; gateway beyond its longest node call p50 ${ms(r.overhead.p50)} ms, p95 ${ms(r.overhead.p95)} ms; gateway CPU p50 ${ms(r.gatewayCpu.p50)} ms`,
  );
}

async function main(): Promise<void> {
  const program = new Command('bench:federation')
    .option('--nodes <n>', 'member catalogues (one hosted node process)', positiveInteger, 38)
    .option('--records <n>', 'records per catalogue', positiveInteger, 50_000)
    .option('--runs <n>', 'network searches per shape', positiveInteger, 100)
    .option('--only <part>', 'search or statistics (default: both)')
    .option('--fresh', 'rebuild the catalogues even when they exist')
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{
    nodes: number;
    records: number;
    runs: number;
    only?: 'search' | 'statistics';
    fresh?: boolean;
    write: boolean;
  }>();
  const config = loadOrExit(() => loadBenchConfig());
  mkdirSync(config.dataDir, { recursive: true });
  const machine = machineLine(await serverDescription(config.databaseUrl));
  log(machine);
  const codes = memberCodes(opts.nodes);
  const url = databaseUrl(config.databaseUrl, DATABASE);
  const mark = `kuzbass bench: ${codes.length} catalogues of ${opts.records} generated records`;
  const fresh = opts.fresh || (await databaseMark(config.databaseUrl, DATABASE)) !== mark;
  if (fresh) await recreateDatabase(config.databaseUrl, DATABASE);
  const logger = createLogger('bench', 'warn');
  // The hosted node in a process of its own, as it would run: the gateway and this client stay apart.
  const node = await spawnCatalogueNode(
    codes,
    {
      ...childEnv(),
      CATALOGUE_PORT: '0',
      CATALOGUE_DATABASE_URL: url,
      CATALOGUE_UPLOAD_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      INTERNAL_AUTH_SECRET: BENCH_INTERNAL_SECRET,
    },
    logger,
  );
  const endpoint = (code: string) => node.endpoints.get(code)!;
  const hostedBase = batchBase(endpoint(codes[0]!), codes[0]!)!;
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let cachingGateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  const subgraphs: RunningSubgraph[] = [];
  try {
    // Members, sections and events with the demo data, for the statistics (the registry is the static file).
    const started = await startBenchSubgraphs(url, BENCH_INTERNAL_SECRET, logger);
    subgraphs.push(...started.subgraphs);
    const orm = started.orm;
    // The synthetic libraries are members too, as every catalogue node's library is.
    const synthetic = codes.filter((code) => !demoMembers.some((m) => m.code === code));
    await seedMembers(
      orm('members').fork(),
      synthetic.map((code) => ({
        id: memberId(code),
        code,
        name: `Библиотека для замеров ${code}`,
        shortName: code,
        legalForm: LegalForm.MUNICIPAL_BUDGETARY_INSTITUTION,
        type: LibraryType.MUNICIPAL_BRANCH,
        region: 'Кемеровская область — Кузбасс',
        city: 'Кемерово',
      })),
      [],
    );
    if (fresh) {
      const started = performance.now();
      for (const [i, code] of codes.entries()) {
        const file = join(config.dataDir, `federation-${code}.iso`);
        await writeCatalogue({
          member: code,
          records: opts.records,
          seed: i + 1,
          flavour: 'RUSMARC',
          encoding: 'CP1251',
          out: file,
        });
        const report = await uploadCatalogue(endpoint(code), file, TOKEN);
        if (report.status !== 'SUCCEEDED') throw new Error(`import of ${code} failed: ${report.error ?? ''}`);
        log(`  ${code}: ${report.created} records (${i + 1}/${codes.length})`);
      }
      log(`loaded ${codes.length} × ${opts.records} records in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      // As autovacuum would after the imports: the planner's statistics and the visibility map.
      await withClient(databaseUrl(config.databaseUrl, DATABASE), (c) => c.query('vacuum analyze'));
      await markDatabase(config.databaseUrl, DATABASE, mark);
    } else {
      log(`reusing ${codes.length} catalogues of ${opts.records} records in ${DATABASE} (--fresh rebuilds them)`);
    }
    const nodesFile = join(config.dataDir, 'federation-nodes.json');
    writeFileSync(nodesFile, JSON.stringify(Object.fromEntries(codes.map((c) => [c, endpoint(c)]))));
    const gatewayConfig = (statisticsCacheMs: number) => ({
      ...loadGatewayConfig({}),
      host: '127.0.0.1',
      port: 0,
      catalogueNodesFile: nodesFile,
      subgraphUrls: Object.fromEntries(subgraphs.map((g) => [g.name, g.url])),
      registryRefreshMs: 600_000,
      statisticsCacheMs,
      internalSecret: BENCH_INTERNAL_SECRET,
      logLevel: 'error' as const,
      nodeEnv: 'production' as const,
    });
    // Statistics recomputed at every request here (the gateway still keeps each node's digest by version).
    gateway = await startGateway(gatewayConfig(0), { logger: createLogger('gateway', 'error') });
    const shapes: ShapeResult[] = [];
    const searchShapes = [
      ['two Russian words, 20 hits, facets', 'RECORD', true],
      ['two Russian words, 20 hits, no facets', 'RECORD', false],
      ['two Russian words, grouped by edition, with heldBy', 'EDITION', true],
    ] as const;
    for (const [name, groupBy, facets] of opts.only === 'statistics' ? [] : searchShapes) {
      const result = await measureSearch(gateway.url, codes, {
        name,
        groupBy,
        facets,
        runs: opts.runs,
        endpoint,
        hostedBase,
      });
      logShape(result, codes.length);
      shapes.push(result);
    }
    // The same search over the first n catalogues, each n through a gateway of its own: how the network
    // search grows with the catalogues that share these two cores.
    const scaling: Array<ShapeResult & { nodes: number }> = [];
    for (const n of opts.only === 'statistics' ? [] : SCALING.filter((n) => n < codes.length)) {
      const subset = codes.slice(0, n);
      const file = join(config.dataDir, `federation-nodes-${n}.json`);
      writeFileSync(file, JSON.stringify(Object.fromEntries(subset.map((c) => [c, endpoint(c)]))));
      const small = await startGateway(
        { ...gatewayConfig(0), catalogueNodesFile: file },
        { logger: createLogger('gateway', 'error') },
      );
      try {
        const result = await measureSearch(small.url, subset, {
          name: `${n} catalogues`,
          groupBy: 'RECORD',
          facets: true,
          runs: Math.max(10, Math.round(opts.runs / 2)),
          endpoint,
          hostedBase,
        });
        logShape(result, n);
        scaling.push({ ...result, nodes: n });
      } finally {
        await small.stop();
      }
    }
    // Network statistics: the first request (every node computes and sends its digest), then repeated.
    const statistics: StatisticsResult[] = [];
    if (opts.only !== 'search') {
      const first = await statisticsRuns(gateway.url, 1);
      statistics.push({
        name: 'first request: every node sends its edition digest (precomputed by the nodes after they started)',
        runs: 1,
        p50: first.times[0]!,
        p95: first.times[0]!,
        uniqueTitles: first.unique,
        records: first.records,
      });
      const recomputed = await statisticsRuns(gateway.url, opts.runs);
      statistics.push({
        name: 'recomputed every request (gateway cache off; digests kept by catalogue version)',
        runs: opts.runs,
        p50: percentile(recomputed.times, 0.5),
        p95: percentile(recomputed.times, 0.95),
        uniqueTitles: recomputed.unique,
        records: recomputed.records,
      });
      cachingGateway = await startGateway(gatewayConfig(60_000), { logger: createLogger('gateway', 'error') });
      await statisticsRuns(cachingGateway.url, 1);
      const cached = await statisticsRuns(cachingGateway.url, opts.runs);
      statistics.push({
        name: 'within the gateway cache (60 s, the default)',
        runs: opts.runs,
        p50: percentile(cached.times, 0.5),
        p95: percentile(cached.times, 0.95),
        uniqueTitles: cached.unique,
        records: cached.records,
      });
    }
    for (const r of statistics) log(`  statistics, ${r.name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);

    const command = `npm run bench:federation${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const ms = (v: number) => v.toFixed(1);
    const markdown = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
      '',
      `Command: \`${command}\``,
      '',
      `#### Network search: ${codes.length} catalogues × ${opts.records.toLocaleString('en')} generated records, one hosted node process, through the gateway`,
      '',
      `Each run sends one network search (first 20 hits, facets unless the shape says otherwise, and the per-node status list) to the gateway, then the same query to each of the ${codes.length} catalogues directly, then to the hosted node for all ${codes.length} catalogues at once (the \`/batch/graphql\` request the gateway itself sends it); ${opts.runs} runs per shape over ${QUERIES.length} two-word Russian queries, after one warm-up pass. "Beyond its node call" is the gateway's time minus the longest \`tookMs\` it measured for a node call in that request (with a hosted node: the one batch of phase one); "gateway CPU" is this process's CPU time during the request — the gateway's own work (planning, fan-out, merging, phase two), plus the client's small share.`,
      '',
      table(
        [
          'shape',
          'gateway p50 ms',
          'gateway p95 ms',
          'slowest catalogue alone p50 ms',
          'p95 ms',
          'hosted node, all at once, p50 ms',
          'p95 ms',
          'gateway beyond its node call p50 ms',
          'p95 ms',
          'gateway CPU per search p50 ms',
          'node failures',
        ],
        shapes.map((s) => [
          s.name,
          ms(s.gateway.p50),
          ms(s.gateway.p95),
          `${ms(s.slowestNode.p50)} (${s.slowestNode.member})`,
          ms(s.slowestNode.p95),
          ms(s.hostedNode.p50),
          ms(s.hostedNode.p95),
          ms(s.overhead.p50),
          ms(s.overhead.p95),
          ms(s.gatewayCpu.p50),
          s.failedNodes,
        ]),
      ),
      '',
      `#### The same search over the first n catalogues (20 hits, facets; a gateway per n; ${scaling[0]?.runs ?? 0} runs each)`,
      '',
      table(
        [
          'catalogues',
          'gateway p50 ms',
          'gateway p95 ms',
          'slowest catalogue alone p50 ms',
          'p95 ms',
          'hosted node, all at once, p95 ms',
          'gateway p95 − slowest catalogue p95 ms',
          'gateway beyond its node call p95 ms',
        ],
        [...scaling, ...shapes.slice(0, 1).map((s) => ({ ...s, nodes: codes.length }))].map((s) => [
          s.nodes,
          ms(s.gateway.p50),
          ms(s.gateway.p95),
          ms(s.slowestNode.p50),
          ms(s.slowestNode.p95),
          ms(s.hostedNode.p95),
          ms(s.gateway.p95 - s.slowestNode.p95),
          ms(s.overhead.p95),
        ]),
      ),
      '',
      `#### Network statistics over the same ${codes.length} catalogues (issue #5)`,
      '',
      `The coordinators' dashboard query (members, sections, events, every catalogue figure, reported figures) through the gateway, with the demo members, sections and events. ${(statistics[0]?.records ?? 0).toLocaleString('en')} records, ${(statistics[0]?.uniqueTitles ?? 0).toLocaleString('en')} unique titles counted across the catalogues from the nodes' edition digests.`,
      '',
      table(
        ['statistics request', 'runs', 'p50 ms', 'p95 ms'],
        statistics.map((r) => [r.name, r.runs, ms(r.p50), ms(r.p95)]),
      ),
    ].join('\n');
    // A partial run (--only) prints its figures rather than replacing the whole section.
    if (opts.write && !opts.only) {
      writeSection('federation', markdown);
      log('results written to docs/benchmarks.md');
    } else log(markdown);
  } finally {
    await cachingGateway?.stop();
    await gateway?.stop();
    for (const g of subgraphs) await g.stop();
    await node.stop();
  }
}

runBenchmark(main);
