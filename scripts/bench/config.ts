import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type Env, parseEnv } from '../../lib/config';

export const benchEnv = z.object({
  BENCH_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/postgres')
    .describe(
      'Benchmarks: a PostgreSQL server and a database to connect to first; each benchmark creates (and replaces) its own databases there',
    ),
  BENCH_DATA_DIR: z
    .string()
    .min(1)
    .default(join(tmpdir(), 'kuzbass-bench'))
    .describe('Benchmarks: where generated input files are written'),
});

export function loadBenchConfig(env: Env = process.env) {
  const c = parseEnv('benchmarks', benchEnv, env);
  return { databaseUrl: c.BENCH_DATABASE_URL, dataDir: c.BENCH_DATA_DIR };
}
