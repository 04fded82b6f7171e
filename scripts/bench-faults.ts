/**
 * `npm run bench:faults`: the fault checks of the whole network, every service a process of its own over a
 * PostgreSQL server of its own (scripts/bench/fault-network.ts): under a steady read load and a trickle of
 * writes, a catalogue node is killed, PostgreSQL stopped, the events subgraph stopped — each then started
 * again. Reports what clients saw before, during and after each fault, how long recovery took, that no
 * other process was restarted, and that every acknowledged write is in the database afterwards. A shorter
 * run of the same checks is a test (test/faults.test.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadOrExit } from '../lib/config';
import { loadBenchConfig } from './bench/config';
import { startFaultNetwork } from './bench/fault-network';
import { type PhaseResult, runFaultChecks } from './bench/faults';
import { log, machineLine, positiveInteger, table, writeSection, runBenchmark } from './bench/report';

async function main(): Promise<void> {
  const program = new Command('bench:faults')
    .option('--seconds <n>', 'seconds of load before, during and after each fault', positiveInteger, 20)
    .option('--connections <n>', 'concurrent readers', positiveInteger, 20)
    .option('--records <n>', 'records in each library’s catalogue', positiveInteger, 2000)
    .option('--no-write', 'print the results without writing docs/benchmarks.md');
  program.parse();
  const opts = program.opts<{ seconds: number; connections: number; records: number; write: boolean }>();
  const config = loadOrExit(() => loadBenchConfig());
  const dir = join(config.dataDir, 'faults');
  rmSync(dir, { recursive: true, force: true });
  const machine = machineLine();
  log(machine);
  const net = await startFaultNetwork({ dir, members: ['kemrsl', 'kemgik', 'kemsu'], records: opts.records });
  try {
    log(`network up: ${net.gatewayUrl}`);
    const report = await runFaultChecks(net, {
      phaseSeconds: opts.seconds,
      connections: opts.connections,
      log,
    });
    const cell = (p: PhaseResult) => `${p.answers} answers, ${p.httpErrors} failed, ${p.graphqlErrors} partial`;
    const markdown = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
      '',
      `Command: \`npm run bench:faults${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
      '',
      `Every service a process of its own over a PostgreSQL server of its own: gateway, members, sections, events, three libraries' catalogue nodes (${opts.records} records each). ${opts.connections} readers (nested query, network search, member with catalogue, upcoming events) for ${opts.seconds} s before, during and after each fault, and one writer adding people and events through the gateway as a coordinator all along. "Failed" means no answer or not 200; "partial" a 200 answer with \`errors\` naming what was missing. Recovery: from the repair to the first whole answers (a network search answered by every node, among others).`,
      '',
      table(
        [
          'fault',
          'before',
          'during',
          'recovery',
          'after',
          'writes acknowledged / refused',
          'other processes restarted',
        ],
        report.results.map((r) => [
          r.fault,
          cell(r.before),
          cell(r.during),
          `${(r.recoveryMs / 1000).toFixed(1)} s`,
          cell(r.after),
          `${r.writes.acknowledged} / ${r.writes.failed}`,
          r.restartedUnasked.length ? r.restartedUnasked.join(', ') : 'none',
        ]),
      ),
      '',
      `Acknowledged writes found in the database afterwards: **${report.writes.found} of ${report.writes.acknowledged}** (${report.writes.failed} writes were refused during the faults, with an error to their client).`,
    ].join('\n');
    if (opts.write) {
      writeSection('faults', markdown);
      log('results written to docs/benchmarks.md');
    } else log(markdown);
    const clean = report.results.every(
      (r) => r.before.httpErrors + r.before.graphqlErrors + r.after.httpErrors + r.after.graphqlErrors === 0,
    );
    if (!clean || report.writes.found !== report.writes.acknowledged) process.exitCode = 1;
  } finally {
    await net.stop();
  }
}

runBenchmark(main);
