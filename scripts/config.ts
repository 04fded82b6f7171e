import { z } from 'zod';
import { type Env, parseEnv } from '../lib/config';

export const startEnv = z.object({
  DEMO_SEED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1')
    .describe('`npm start`: write the demo network into the databases at start (idempotent)'),
});

export function loadStartConfig(env: Env = process.env) {
  const c = parseEnv('start', startEnv, env);
  return { demoSeed: c.DEMO_SEED };
}
