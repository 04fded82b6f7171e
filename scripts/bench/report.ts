/**
 * Helpers shared by the benchmarks: percentiles, the machine they ran on, and writing a result section
 * into docs/benchmarks.md between its markers (each benchmark owns one section).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { InvalidArgumentError } from 'commander';

export const BENCHMARKS_DOC = 'docs/benchmarks.md';

/** The q-quantile (0..1) of the values by the nearest-rank method. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

/** One line describing the machine: CPU, cores, memory, Node and (when given) the database server. */
export function machineLine(database?: string): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = Math.round(totalmem() / 2 ** 30);
  return [
    `${cpu}, ${cpus().length} cores, ${memory} GiB`,
    `Node ${process.version}`,
    ...(database ? [database] : []),
  ].join('; ');
}

/** Replaces (or appends) the section `name` of docs/benchmarks.md with `markdown`. */
export function writeSection(name: string, markdown: string, file = BENCHMARKS_DOC): void {
  const begin = `<!-- bench:${name}:begin (written by the benchmark; do not edit by hand) -->`;
  const end = `<!-- bench:${name}:end -->`;
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  const next =
    start >= 0 && stop > start
      ? doc.slice(0, start) + block + doc.slice(stop + end.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** A markdown table. */
export function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Commander parser of a positive whole-number option. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('Must be a positive integer.');
  return n;
}

/** Progress and results on standard output. */
export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs a benchmark's main: on success leaves time for the output to reach a pipe and then exits (with
 * `process.exitCode`) even if a straggling handle would keep the process; on failure prints the stack and
 * exits with 1.
 */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => void setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref(),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
