/**
 * `npm run bench:catalogue`: import throughput and search latency of one catalogue node on PostgreSQL.
 *
 * Import: a generated RUSMARC file (CP1251, 200 000 records by default) streamed to a node's HTTP import
 * endpoint, as `npm run catalogue -- import` does, into an empty catalogue; then the same file again (all
 * unchanged); parsing alone for comparison; the process's memory sampled throughout.
 * Search: a node holding 1 000 000 generated records (built once and kept between runs unless `--fresh`),
 * queried over GraphQL one request at a time in several shapes; p50 / p95 / p99 per shape.
 * Results go to docs/benchmarks.md with the machine and date.
 */
import { createReadStream, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { loadOrExit } from '../lib/config';
import { createLogger } from '../lib/logger';
import { memberSchema, type CatalogueConfig } from '../subgraphs/catalogue/config';
import type { ImportReport } from '../subgraphs/catalogue/import';
import { isbn13To10 } from '../subgraphs/catalogue/isbn';
import { readRecords } from '../subgraphs/catalogue/marc/read';
import { startCatalogueNode, type RunningCatalogueNode } from '../subgraphs/catalogue/node';
import { catalogueEntities, migrations } from '../subgraphs/catalogue/schema';
import { searchCatalogue } from '../subgraphs/catalogue/search';
import { connectOrm } from '../lib/orm';
import { uploadImport } from '../subgraphs/catalogue/upload-client';
import { loadBenchConfig } from './bench/config';
import { BENCH_INTERNAL_SECRET, signedHeaders } from './bench/identity';
import { startPrivatePostgres } from './bench/private-postgres';
import { databaseMark, databaseUrl, markDatabase, recreateDatabase, serverDescription, withClient } from './bench/db';
import {
  machineLine,
  median,
  percentile,
  table,
  writeSection,
  log,
  positiveInteger,
  runBenchmark,
} from './bench/report';
import { writeCatalogue } from './catalogue-generator';
import { SURNAMES } from './catalogue-generator/words';
import { ErrorCode } from '../lib/errors';

const MEMBER = 'bench';
/** Port of the benchmark's own PostgreSQL server (`--tuned`). */
const TUNED_PORT = 55432;
const TOKEN = 'bench-upload-token-0123456789';
const IMPORT_DB = 'kuzbass_bench_import';
const SEARCH_DB = 'kuzbass_bench_search';

function nodeConfig(url: string): CatalogueConfig {
  return {
    members: [MEMBER],
    host: '127.0.0.1',
    port: 0,
    databaseUrl: url,
    schemaPrefix: 'catalogue',
    uploadToken: TOKEN,
    batchSize: 1000,
    batchConcurrency: 4,
    pgliteDataDir: '',
    logLevel: 'warn',
    nodeEnv: 'production',
    internalSecret: BENCH_INTERNAL_SECRET,
    internalSecretFile: '',
  };
}

/** CPU seconds used so far by every PostgreSQL server process on this machine (Linux /proc; null elsewhere). */
function postgresCpuSeconds(): number | null {
  try {
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (!/\((postgres|postmaster)\)/.test(stat.slice(stat.indexOf('('), close + 1))) continue;
      const fields = stat.slice(close + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
    }
    return total;
  } catch {
    return null;
  }
}

/** CPU seconds of this process and of PostgreSQL, and wall seconds, spent by `work`. */
async function withCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; nodeCpu: number; postgresCpu: number | null; wall: number }> {
  const pgStart = postgresCpuSeconds();
  const start = process.cpuUsage();
  const wallStart = performance.now();
  const result = await work();
  const used = process.cpuUsage(start);
  const pgEnd = postgresCpuSeconds();
  return {
    result,
    nodeCpu: (used.user + used.system) / 1e6,
    // Ended backends drop out of /proc: only the node's pooled connections count, which live throughout.
    postgresCpu: pgStart === null || pgEnd === null ? null : pgEnd - pgStart,
    wall: (performance.now() - wallStart) / 1000,
  };
}

interface MemoryProfile {
  /** RSS in MB at the start and after each quarter of the run's time. */
  rssMb: number[];
  peakMb: number;
}

/** Samples this process's resident memory while `work` runs. */
async function withMemory<T>(work: () => Promise<T>): Promise<{ result: T; memory: MemoryProfile }> {
  const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  const samples: Array<[number, number]> = [[performance.now(), mb()]];
  const timer = setInterval(() => samples.push([performance.now(), mb()]), 100);
  try {
    const result = await work();
    samples.push([performance.now(), mb()]);
    const [t0] = samples[0]!;
    const t1 = samples[samples.length - 1]![0];
    const at = (q: number) => samples.find(([t]) => t >= t0 + q * (t1 - t0))![1];
    return {
      result,
      memory: { rssMb: [0, 0.25, 0.5, 0.75, 1].map(at), peakMb: Math.max(...samples.map(([, m]) => m)) },
    };
  } finally {
    clearInterval(timer);
  }
}

async function upload(node: RunningCatalogueNode, file: string): Promise<{ report: ImportReport; seconds: number }> {
  const started = performance.now();
  const report = await uploadImport({
    base: `${node.baseUrl}/members/${MEMBER}`,
    token: TOKEN,
    file,
    query: new URLSearchParams({ source: file }),
  });
  if (report.status !== 'SUCCEEDED') throw new Error(`import failed: ${report.error ?? 'unknown error'}`);
  return { report, seconds: (performance.now() - started) / 1000 };
}

async function generate(dataDir: string, records: number): Promise<string> {
  const file = join(dataDir, `rusmarc-cp1251-${records}.iso`);
  // Always regenerated (a few seconds): a cached file could predate a generator change.
  await writeCatalogue({ member: MEMBER, seed: 1, records, flavour: 'RUSMARC', encoding: 'CP1251', out: file });
  return file;
}

interface ImportResult {
  records: number;
  fileMb: number;
  first: {
    seconds: number;
    rate: number;
    report: ImportReport;
    memory: MemoryProfile;
    nodeCpu: number;
    postgresCpu: number | null;
  };
  again: { seconds: number; rate: number; report: ImportReport };
  parseRate: number;
}

async function benchImport(adminUrl: string, dataDir: string, records: number): Promise<ImportResult> {
  const file = await generate(dataDir, records);
  log(`import: ${records} records, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB`);
  // Parsing alone (no database), for where the time goes.
  const parseStarted = performance.now();
  let parsed = 0;
  for await (const item of readRecords(createReadStream(file, { highWaterMark: 1 << 20 }))) if (item.ok) parsed++;
  const parseRate = parsed / ((performance.now() - parseStarted) / 1000);
  log(`  parsing alone: ${Math.round(parseRate)} records/s`);

  await recreateDatabase(adminUrl, IMPORT_DB);
  const node = await startCatalogueNode(nodeConfig(databaseUrl(adminUrl, IMPORT_DB)), {
    logger: createLogger('bench', 'warn'),
  });
  try {
    const cpu = await withCpu(() => withMemory(() => upload(node, file)));
    const first = cpu.result;
    const firstRate = first.result.report.read / first.result.seconds;
    log(
      `  CPU: node ${cpu.nodeCpu.toFixed(1)} s, PostgreSQL ${cpu.postgresCpu?.toFixed(1) ?? 'n/a'} s, wall ${cpu.wall.toFixed(1)} s`,
    );
    log(`  RSS MB at 0/25/50/75/100%: ${first.memory.rssMb.join(' / ')}, peak ${first.memory.peakMb}`);
    log(`  into an empty catalogue: ${first.result.seconds.toFixed(1)} s, ${Math.round(firstRate)} records/s`);
    const again = await upload(node, file);
    log(
      `  again (unchanged): ${again.seconds.toFixed(1)} s, ${Math.round(again.report.read / again.seconds)} records/s`,
    );
    return {
      records,
      fileMb: statSync(file).size / 2 ** 20,
      first: {
        ...first.result,
        rate: firstRate,
        memory: first.memory,
        nodeCpu: cpu.nodeCpu,
        postgresCpu: cpu.postgresCpu,
      },
      again: { ...again, rate: again.report.read / again.seconds },
      parseRate,
    };
  } finally {
    await node.stop();
  }
}

interface SearchCase {
  query: string;
  filter?: Record<string, unknown>;
  sort?: string;
  offset?: number;
}

interface Shape {
  name: string;
  cases: (isbns: string[]) => SearchCase[];
}

// Two-word queries as readers type them, in several grammatical forms (the index stems them).
const TWO_WORDS = [
  'история России',
  'истории России',
  'библиотечное обслуживание',
  'библиотечного обслуживания',
  'горное дело',
  'информационные технологии',
  'информационных технологий',
  'социальная психология',
  'гражданское право',
  'трудового права',
  'экономика предприятия',
  'высшее образование',
  'народное творчество',
  'базы данных',
  'природа Кузбасса',
  'Кемеровская область',
  'Великая Отечественная',
  'методика преподавания',
  'охрана среды',
  'угольных пластов',
];
const ONE_WORD = [
  'библиотеки',
  'история',
  'программирование',
  'Кузбасс',
  'педагогика',
  'менеджмент',
  'право',
  'война',
  'психология',
  'культура',
];

const SHAPES: Shape[] = [
  { name: 'two Russian words, relevance, facets', cases: () => TWO_WORDS.map((query) => ({ query })) },
  { name: 'one Russian word, relevance, facets', cases: () => ONE_WORD.map((query) => ({ query })) },
  { name: 'author surname', cases: () => SURNAMES.slice(0, 20).map((query) => ({ query })) },
  { name: 'ISBN-10 of a record catalogued with ISBN-13', cases: (isbns) => isbns.map((query) => ({ query })) },
  {
    name: 'two words + language and years, newest first',
    cases: () =>
      TWO_WORDS.map((query) => ({
        query,
        filter: { languages: ['rus'], yearFrom: 2000, yearTo: 2020 },
        sort: 'YEAR_DESC',
      })),
  },
  {
    name: 'BBK prefix only (no words), by title',
    cases: () =>
      ['63.3', '78.3', '74', '84(2Рос=Рус)6', '32.97', '67.404'].map((bbk) => ({
        query: '',
        filter: { bbk },
        sort: 'TITLE',
      })),
  },
  {
    name: 'whole catalogue by title, page at offset 5000',
    cases: () => [{ query: '', sort: 'TITLE', offset: 5000 }],
  },
];

const SEARCH = `query Bench($query: String!, $filter: CatalogueFilter, $sort: CatalogueSort, $offset: Int) {
  catalogueSearch(query: $query, filter: $filter, sort: $sort, first: 20, offset: $offset) {
    total
    approximate
    hits { score record { id title authors { name } year holdings { location availability } } }
    facets { field values { value count } }
  }
}`;

interface ShapeResult {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  medianTotal: number;
  /** Requests the node refused after its statement timeout (counted in the percentiles with their wait). */
  refused: number;
  /** Answers whose total and facets were estimated from the sample. */
  estimated: number;
}

/**
 * One search as a client sends it: the time to the parsed answer, the total, and whether the node refused
 * it (its statement timeout: "matches too much to answer in time"). Anything else is a benchmark failure.
 */
async function search(
  endpoint: string,
  c: SearchCase,
): Promise<{ ms: number; total: number; refused: boolean; approximate: boolean }> {
  const started = performance.now();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: signedHeaders(),
    body: JSON.stringify({ query: SEARCH, variables: { ...c } }),
  });
  const body = (await response.json()) as {
    data?: { catalogueSearch?: { total: number; approximate: boolean } | null };
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  const ms = performance.now() - started;
  const result = body.data?.catalogueSearch;
  if (result) return { ms, total: result.total, refused: false, approximate: result.approximate };
  if (body.errors?.every((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT)) {
    return { ms, total: 0, refused: true, approximate: false };
  }
  throw new Error(`search failed: ${JSON.stringify(body.errors)}`);
}

interface SearchBench {
  records: number;
  built: { seconds: number; rate: number; memory: MemoryProfile; fileMb: number } | null;
  tableMb: number;
  /** The search table and its sample (what a search reads), MB. */
  searchMb: number;
  sampleMb: number;
  shapes: ShapeResult[];
  accuracy: Accuracy[];
}

/** An estimated search against the same search counted exactly (in process, `exactLimit` unbounded). */
interface Accuracy {
  query: string;
  exactTotal: number;
  estimatedTotal: number;
  /** Largest relative error of a facet value's count, among values holding at least 5 % of the matches. */
  facetError: number;
  /** Largest error of any facet value's count, as a share of the exact total. */
  facetShareError: number;
  /** Of the estimated page's 20 hits, how many score at least the exact page's 20th score. */
  asGood: number;
  /** Mean score of the 20 hits, estimated and exact. */
  meanEstimated: number;
  meanExact: number;
}

/** Estimated searches of the relevance shapes compared with the same searches counted exactly. */
async function measureAccuracy(url: string): Promise<Accuracy[]> {
  const orm = await connectOrm({
    url,
    schema: memberSchema('catalogue', MEMBER),
    entities: catalogueEntities,
    migrations,
    logger: createLogger('bench', 'warn'),
  });
  try {
    const accuracy: Accuracy[] = [];
    for (const query of [...TWO_WORDS, ...ONE_WORD]) {
      const estimated = await searchCatalogue(orm.em.fork(), { query, first: 20 });
      if (!estimated.approximate) continue;
      const exact = await searchCatalogue(orm.em.fork(), {
        query,
        first: 20,
        exactLimit: Number.MAX_SAFE_INTEGER,
        timeoutMs: 60_000,
      });
      let facetError = 0;
      let facetShareError = 0;
      for (const facet of exact.facets) {
        const counts = new Map(
          (estimated.facets.find((f) => f.field === facet.field)?.values ?? []).map((v) => [v.value, v.count]),
        );
        for (const v of facet.values) {
          const error = Math.abs((counts.get(v.value) ?? 0) - v.count);
          facetShareError = Math.max(facetShareError, error / exact.total);
          if (v.count >= 0.05 * exact.total) facetError = Math.max(facetError, error / v.count);
        }
      }
      const last = exact.hits[exact.hits.length - 1]?.score ?? 0;
      const mean = (hits: typeof exact.hits) => hits.reduce((sum, h) => sum + h.score, 0) / Math.max(1, hits.length);
      accuracy.push({
        query,
        exactTotal: exact.total,
        estimatedTotal: estimated.total,
        facetError,
        facetShareError,
        asGood: estimated.hits.filter((h) => h.score >= last - 1e-9).length,
        meanEstimated: mean(estimated.hits),
        meanExact: mean(exact.hits),
      });
    }
    return accuracy;
  } finally {
    await orm.close(true);
  }
}

async function benchSearch(
  adminUrl: string,
  dataDir: string,
  records: number,
  runs: number,
  fresh: boolean,
): Promise<SearchBench> {
  const mark = `kuzbass bench: ${records} generated records`;
  const existing = await databaseMark(adminUrl, SEARCH_DB);
  const url = databaseUrl(adminUrl, SEARCH_DB);
  let built: SearchBench['built'] = null;
  if (fresh || existing !== mark) {
    await recreateDatabase(adminUrl, SEARCH_DB);
    const file = await generate(dataDir, records);
    log(`search: loading ${records} records`);
    const node = await startCatalogueNode(nodeConfig(url), { logger: createLogger('bench', 'warn') });
    try {
      const {
        result: { report, seconds },
        memory,
      } = await withMemory(() => upload(node, file));
      built = { seconds, rate: report.read / seconds, memory, fileMb: statSync(file).size / 2 ** 20 };
      log(`  loaded in ${seconds.toFixed(0)} s (${Math.round(built.rate)} records/s)`);
    } finally {
      await node.stop();
    }
    await withClient(url, async (c) => {
      for (const table of ['catalogue_record', 'catalogue_search', 'catalogue_search_sample']) {
        await c.query(`vacuum analyze ${memberSchema('catalogue', MEMBER)}.${table}`);
      }
    });
    await markDatabase(adminUrl, SEARCH_DB, mark);
  } else {
    log(`search: reusing the ${records}-record catalogue in ${SEARCH_DB} (--fresh rebuilds it)`);
  }
  const schema = memberSchema('catalogue', MEMBER);
  const { isbns, tableMb, searchMb, sampleMb } = await withClient(url, async (c) => {
    const rows = await c.query<{ isbn: string }>(
      `select isbn13[1] as isbn from ${schema}.catalogue_record tablesample system (1) repeatable (7)
       where cardinality(isbn13) > 0 and isbn13[1] like '978%' limit 20`,
    );
    const size = await c.query<{ record: string; search: string; sample: string }>(
      `select pg_total_relation_size('${schema}.catalogue_record') as record,
        pg_total_relation_size('${schema}.catalogue_search') as search,
        pg_total_relation_size('${schema}.catalogue_search_sample') as sample`,
    );
    const mb = (bytes: string | undefined) => Number(bytes ?? 0) / 2 ** 20;
    return {
      isbns: rows.rows.map((r) => isbn13To10(r.isbn)).filter((i): i is string => i !== null),
      tableMb: mb(size.rows[0]?.record),
      searchMb: mb(size.rows[0]?.search),
      sampleMb: mb(size.rows[0]?.sample),
    };
  });
  const node = await startCatalogueNode(nodeConfig(url), { logger: createLogger('bench', 'warn') });
  try {
    const endpoint = node.endpoint(MEMBER);
    const shapes: ShapeResult[] = [];
    for (const shape of SHAPES) {
      const cases = shape.cases(isbns);
      for (const c of cases) await search(endpoint, c); // warm-up: one pass over every case
      const times: number[] = [];
      const totals: number[] = [];
      let refused = 0;
      let estimated = 0;
      for (let i = 0; i < runs; i++) {
        // A refused search counts with the time the client waited for the refusal.
        const result = await search(endpoint, cases[i % cases.length]!);
        times.push(result.ms);
        if (result.refused) refused++;
        else totals.push(result.total);
        if (result.approximate) estimated++;
      }
      const result = {
        name: shape.name,
        runs,
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        p99: percentile(times, 0.99),
        medianTotal: median(totals),
        refused,
        estimated,
      };
      log(
        `  ${shape.name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
      );
      shapes.push(result);
    }
    log('  estimated searches against exact counts');
    const accuracy = await measureAccuracy(url);
    return { records, built, tableMb, searchMb, sampleMb, shapes, accuracy };
  } finally {
    await node.stop();
  }
}

const ms = (value: number) => value.toFixed(1);

function header(command: string, machine: string): string[] {
  return [`Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`, '', `Command: \`${command}\``];
}

function renderImport(imp: ImportResult): string {
  return [
    `#### Import: ${imp.records.toLocaleString('en')} generated RUSMARC records, CP1251 ISO 2709 (${imp.fileMb.toFixed(0)} MB), over the node's HTTP import endpoint`,
    '',
    table(
      ['run', 'seconds', 'records/s', 'created', 'updated', 'unchanged'],
      [
        [
          'into an empty catalogue',
          imp.first.seconds.toFixed(1),
          Math.round(imp.first.rate),
          imp.first.report.created,
          imp.first.report.updated,
          imp.first.report.unchanged,
        ],
        [
          'the same file again',
          imp.again.seconds.toFixed(1),
          Math.round(imp.again.rate),
          imp.again.report.created,
          imp.again.report.updated,
          imp.again.report.unchanged,
        ],
        ['parsing alone (no database)', '', Math.round(imp.parseRate), '', '', ''],
      ],
    ),
    '',
    `CPU during the first import: the node process (parsing, HTTP, building batches) ${imp.first.nodeCpu.toFixed(1)} s, PostgreSQL ${imp.first.postgresCpu === null ? 'n/a' : `${imp.first.postgresCpu.toFixed(1)} s`}, in ${imp.first.seconds.toFixed(1)} s of wall time on ${cpus().length} cores.`,
    '',
    `Memory of the process (node and uploader) during the first import, RSS at the start and after each quarter of it: ${imp.first.memory.rssMb.map((m) => `${m} MB`).join(' → ')} (peak ${imp.first.memory.peakMb} MB); the file is ${imp.fileMb.toFixed(0)} MB.`,
  ].join('\n');
}

function renderSearch(srch: SearchBench): string {
  return [
    `#### Search: one node holding ${srch.records.toLocaleString('en')} generated records (records with their indexes ${(srch.tableMb / 1024).toFixed(1)} GB; what a search reads: the search table ${srch.searchMb.toFixed(0)} MB, its sample ${srch.sampleMb.toFixed(0)} MB)`,
    '',
    ...(srch.built
      ? [
          `Loaded over the import endpoint in ${srch.built.seconds.toFixed(0)} s (${Math.round(srch.built.rate)} records/s), then \`vacuum analyze\`. RSS of the process while importing the ${srch.built.fileMb.toFixed(0)} MB file, at the start and after each quarter: ${srch.built.memory.rssMb.map((m) => `${m} MB`).join(' → ')} (peak ${srch.built.memory.peakMb} MB).`,
          '',
        ]
      : []),
    "Each request is a GraphQL `catalogueSearch` (first 20 hits with title, authors, year and holdings, plus all four facets) sent over HTTP to the node, one at a time, after one warm-up pass; the time is the client's, request to parsed answer.",
    '',
    table(
      ['query shape', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'median matches', 'estimated', 'refused (timeout)'],
      srch.shapes.map((s) => [s.name, s.runs, ms(s.p50), ms(s.p95), ms(s.p99), s.medianTotal, s.estimated, s.refused]),
    ),
    '',
    `#### Estimated searches against the same searches counted exactly (${srch.accuracy.length} of the ${TWO_WORDS.length + ONE_WORD.length} relevance queries were estimated)`,
    '',
    "Total: the estimate and the exact count; facets: the largest relative error of a value holding at least 5 % of the matches, and the largest error of any value as a share of all matches; page: of the estimated first 20 hits, how many score at least as high as the exact first page's 20th, and the mean score of each page.",
    '',
    table(
      [
        'query',
        'exact total',
        'estimated',
        'error',
        'facet error (values ≥ 5 %)',
        'facet error / total',
        'page hits as good',
        'mean score estimated',
        'exact',
      ],
      srch.accuracy.map((a) => [
        a.query,
        a.exactTotal,
        a.estimatedTotal,
        `${((100 * (a.estimatedTotal - a.exactTotal)) / a.exactTotal).toFixed(1)} %`,
        `${(100 * a.facetError).toFixed(1)} %`,
        `${(100 * a.facetShareError).toFixed(1)} %`,
        `${a.asGood} of 20`,
        a.meanEstimated.toFixed(3),
        a.meanExact.toFixed(3),
      ]),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const program = new Command('bench:catalogue')
    .option('--import-records <n>', 'records in the import benchmark', positiveInteger, 200_000)
    .option('--search-records <n>', 'records in the search benchmark catalogue', positiveInteger, 1_000_000)
    .option('--runs <n>', 'requests per search shape', positiveInteger, 200)
    .option('--only <part>', 'run only "import" or "search"')
    .option('--fresh', 'rebuild the search catalogue even when one of the right size exists')
    .option(
      '--tuned',
      `run on a PostgreSQL server of the benchmark's own, set up as docs/CATALOGUE.md recommends for a node (shared_buffers a quarter of the memory; port ${TUNED_PORT}, data in BENCH_DATA_DIR), instead of BENCH_DATABASE_URL`,
    )
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{
    importRecords: number;
    searchRecords: number;
    runs: number;
    only?: string;
    fresh?: boolean;
    tuned?: boolean;
    write: boolean;
  }>();
  const config = loadOrExit(() => loadBenchConfig());
  mkdirSync(config.dataDir, { recursive: true });
  const server = opts.tuned ? startPrivatePostgres(join(config.dataDir, 'postgres-tuned'), TUNED_PORT) : null;
  const adminUrl = server?.url ?? config.databaseUrl;
  let imp: ImportResult | null;
  let srch: SearchBench | null;
  let machine: string;
  try {
    machine = machineLine(await serverDescription(adminUrl));
    log(machine);
    imp = opts.only === 'search' ? null : await benchImport(adminUrl, config.dataDir, opts.importRecords);
    srch =
      opts.only === 'import'
        ? null
        : await benchSearch(adminUrl, config.dataDir, opts.searchRecords, opts.runs, opts.fresh ?? false);
  } finally {
    server?.stop();
  }
  const suffix = opts.tuned ? '-tuned' : '';
  const command = `npm run bench:catalogue${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const sections: Array<[string, string]> = [
    ...(imp ? [[`catalogue-import${suffix}`, renderImport(imp)] as [string, string]] : []),
    ...(srch ? [[`catalogue-search${suffix}`, renderSearch(srch)] as [string, string]] : []),
  ];
  for (const [name, body] of sections) {
    const markdown = [...header(command, machine), '', body].join('\n');
    if (opts.write) writeSection(name, markdown);
    else log(markdown);
  }
  if (opts.write) log('results written to docs/benchmarks.md');
}

runBenchmark(main);
