/**
 * `npm run bench:load`: the demo network exactly as `npm start` runs it (gateway, subgraphs, three demo
 * libraries' catalogue nodes, seeded data; on the embedded PostgreSQL unless `--database-url` is given),
 * under `--connections` clients (200) for `--seconds` (60), or a soak of `--minutes`. A mix of what the
 * graph's users send: the nested members → events → talks query, network catalogue searches grouped by
 * edition, a member with its catalogue, sections and events, the upcoming events. Reports requests a
 * second, latency percentiles, errors (any answer that is not 200 or carries `errors`) and the resident
 * memory of every process of the network, sampled through the run: after warm-up, at the end, at most.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runLoad } from './bench/load';
import { loadBodies } from './bench/workload';
import { log, machineLine, positiveInteger, table, writeSection, runBenchmark } from './bench/report';
import { childEnv } from './config';
import { distScript, processTree, rssMb, startNodeProcess, stopProcess } from './processes';

/**
 * How long a client waits: longer than the gateway lets a request queue (GATEWAY_QUEUE_TIMEOUT_MS, 30 s),
 * so that an overloaded gateway shows as its own 503 OVERLOADED answers rather than as clients giving up.
 */
const CLIENT_TIMEOUT_S = 60;

async function main(): Promise<void> {
  const program = new Command('bench:load')
    .option('--connections <n>', 'concurrent clients', positiveInteger, 200)
    .option('--seconds <n>', 'seconds of load', positiveInteger, 60)
    .option('--minutes <n>', 'a soak run of this many minutes instead of --seconds', positiveInteger)
    .option('--database-url <url>', 'run the network on this PostgreSQL instead of the embedded one')
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{
    connections: number;
    seconds: number;
    minutes?: number;
    databaseUrl?: string;
    write: boolean;
  }>();
  const seconds = opts.minutes ? opts.minutes * 60 : opts.seconds;
  const dataDir = mkdtempSync(join(tmpdir(), 'kbg-load-'));
  const machine = machineLine();
  log(machine);
  const began = performance.now();
  const network = await startNodeProcess(
    [distScript('scripts/start.js')],
    {
      ...childEnv(),
      LOG_LEVEL: 'warn',
      PGLITE_DATA_DIR: join(dataDir, 'pglite'),
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
      GATEWAY_PORT: '0',
      MEMBERS_PORT: '0',
      SECTIONS_PORT: '0',
      EVENTS_PORT: '0',
      DEMO_CATALOGUE_PORT: '0',
      // The load generator is one client on one address: the per-client rate limit would measure itself.
      GATEWAY_RATE_LIMIT_ANONYMOUS: '1000000',
    },
    // Measured once the demo catalogues are loaded: before that, imports compete with the load.
    /gateway ready at (\S+)[\s\S]*demo catalogues ready/,
    { timeoutMs: 900_000 },
  );
  const url = network.ready[1]!;
  log(`network ready in ${((performance.now() - began) / 1000).toFixed(0)} s at ${url}`);
  const memory = new Map<number, { command: string; samples: number[] }>();
  const sample = () => {
    for (const [pid, command] of processTree(network.child.pid!)) {
      const rss = rssMb(pid);
      if (rss === null) continue;
      const entry = memory.get(pid) ?? { command, samples: [] };
      entry.samples.push(rss);
      memory.set(pid, entry);
    }
  };
  try {
    const bodies = loadBodies();
    // Warm-up: plans, JIT, connection pools; memory is measured from here.
    await runLoad({ url, seconds: 15, connections: opts.connections, bodies, timeoutSeconds: CLIENT_TIMEOUT_S });
    sample();
    const timer = setInterval(sample, 10_000);
    const result = await runLoad({
      url,
      seconds,
      connections: opts.connections,
      bodies,
      checkBodies: true,
      timeoutSeconds: CLIENT_TIMEOUT_S,
    });
    clearInterval(timer);
    sample();
    const rows = [...memory.values()].map(({ command, samples }) => [
      command.replace(/.*dist\//, '').replace(/\s+/g, ' ') || '(main)',
      samples[0]!.toFixed(0),
      samples.at(-1)!.toFixed(0),
      Math.max(...samples).toFixed(0),
      `${(((samples.at(-1)! - samples[0]!) / samples[0]!) * 100).toFixed(1)} %`,
    ]);
    const title = opts.minutes ? `Soak: ${opts.minutes} minutes` : `Load: ${seconds} s`;
    const markdown = [
      `#### ${title}, ${opts.connections} clients`,
      '',
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}; the demo network of \`npm start\` on ${opts.databaseUrl ? 'PostgreSQL' : 'the embedded PostgreSQL (PGlite)'}, with the load generator, on this machine.`,
      '',
      `Command: \`npm run bench:load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
      '',
      `${result.requests} answers in ${seconds} s (${result.rps.toFixed(0)} a second), **${result.errors} errors** (not 200, or with \`errors\`${result.samples.length ? `; e.g. ${result.samples[0]!.replace(/\|/g, '\\|')}` : ''}); latency p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms. Clients wait up to ${CLIENT_TIMEOUT_S} s for an answer. Four kinds of request in turn: the nested members → events → talks query, a network catalogue search grouped by edition (all catalogue nodes), a member with its catalogue, sections and events, the upcoming events.`,
      '',
      'Resident memory (MB) of every process of the network, after a 15 s warm-up, at the end, and the most seen (sampled every 10 s):',
      '',
      table(['process', 'start', 'end', 'max', 'end vs start'], rows),
    ].join('\n');
    if (opts.write) {
      writeSection(opts.minutes ? 'soak' : 'load', markdown);
      log('results written to docs/benchmarks.md');
    } else log(markdown);
    if (result.errors > 0) process.exitCode = 1;
  } finally {
    await stopProcess(network.child, 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBenchmark(main);
