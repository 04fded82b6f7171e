import { z } from 'zod';
import { type Env, booleanVar, parseEnv, portVar } from '../lib/config';

export const startEnv = z.object({
  DEMO_SEED: booleanVar(true, '`npm start`: write the demo network into the databases at start (idempotent)'),
  DEMO_CATALOGUE_PORT: portVar(
    4010,
    '`npm start`: port of the demo catalogue node of kemrsl; the hosted node of the small libraries takes the next one (0: any free ports)',
  ),
  DEMO_CATALOGUE_RECORDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(3000)
    .describe('`npm start`: size of each demo library’s generated catalogue, loaded when its catalogue is empty'),
});

export function loadStartConfig(env: Env = process.env) {
  const c = parseEnv('start', startEnv, env);
  return {
    demoSeed: c.DEMO_SEED,
    catalogueBasePort: c.DEMO_CATALOGUE_PORT,
    catalogueRecords: c.DEMO_CATALOGUE_RECORDS,
  };
}

/** The environment `npm start` hands to the processes it spawns (each validates its own part). */
export function childEnv(env: Env = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
