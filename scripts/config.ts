import { z } from 'zod';
import { type Env, booleanVar, parseEnv } from '../lib/config';

export const startEnv = z.object({
  DEMO_SEED: booleanVar(true, '`npm start`: write the demo network into the databases at start (idempotent)'),
});

export function loadStartConfig(env: Env = process.env) {
  return { demoSeed: parseEnv('start', startEnv, env).DEMO_SEED };
}
