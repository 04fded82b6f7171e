import { z } from 'zod';
import { type Env, parseEnv } from '../../lib/config';
import { loadSubgraphConfig, subgraphEnvSchema, type SubgraphConfig } from '../../lib/subgraph-config';

const answerWithinVar = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 60)
  .default(48)
  .describe(
    'Hours within which an enquiry of the virtual reference desk should be answered; older open ones are flagged overdue',
  );

export const referenceEnv = subgraphEnvSchema('REFERENCE', 'reference', 4004).extend({
  REFERENCE_ANSWER_WITHIN_HOURS: answerWithinVar,
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe(
      'Redis shared by the reference subgraph’s replicas: the desk’s events reach subscribers of every replica (unset: one replica, events in memory)',
    ),
});

export function loadReferenceConfig(env: Env = process.env): SubgraphConfig {
  const { REDIS_URL } = parseEnv('reference', referenceEnv, env);
  return { ...loadSubgraphConfig('reference', 'REFERENCE', referenceEnv, env), redisUrl: REDIS_URL };
}

/** The desk's own settings, read once from the process's environment. */
let settings: { answerWithinMs: number } | undefined;
export function referenceSettings(): { answerWithinMs: number } {
  settings ??= {
    answerWithinMs:
      parseEnv('reference', z.object({ REFERENCE_ANSWER_WITHIN_HOURS: answerWithinVar }), process.env)
        .REFERENCE_ANSWER_WITHIN_HOURS * 3_600_000,
  };
  return settings;
}
