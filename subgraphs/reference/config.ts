import { z } from 'zod';
import { type Env, parseEnv, urlVar } from '../../lib/config';
import { internalSecretOf } from '../../lib/secrets';
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
  REFERENCE_SECTION_ID: z
    .uuid()
    .optional()
    .describe(
      'Id of the partnership’s reference and bibliographic service section (sections subgraph): an enquiry on a topic no library declared goes to its coordinator and members (not its observers); unset: to the network queue',
    ),
  REFERENCE_SECTIONS_URL: urlVar(
    'GraphQL URL of the sections subgraph, where the reference desk looks up the members of REFERENCE_SECTION_ID (for a minute at a time); unset: the network queue',
  ),
  REFERENCE_SECTIONS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(10_000)
    .default(1000)
    .describe(
      'Milliseconds the reference desk waits for the sections subgraph; without an answer the enquiry goes to the network queue',
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

/** Where the desk finds the reference section's members (section-members.ts), and how it signs the request. */
export interface ReferenceSectionSettings {
  sectionId: string;
  sectionsUrl: string;
  /** The internal secret: the request carries the SERVICE identity signed with it (lib/identity.ts). */
  secret: string;
  timeoutMs: number;
}

/**
 * The reference section's settings from `env`, else from `fallback` (`npm start`: the demo's section and the
 * sections subgraph it started); none when the section or the sections subgraph's URL is unknown. The request is
 * signed with `fallback.secret` when given (the network's), else with the configured internal secret.
 */
export function referenceSectionSettings(
  env: Env = process.env,
  fallback: { sectionId?: string; sectionsUrl?: string; secret?: string } = {},
): ReferenceSectionSettings | undefined {
  const parsed = parseEnv('reference', referenceEnv, env) as Record<string, unknown>;
  const sectionId = (parsed.REFERENCE_SECTION_ID as string | undefined) ?? fallback.sectionId;
  const sectionsUrl = (parsed.REFERENCE_SECTIONS_URL as string | undefined) ?? fallback.sectionsUrl;
  if (!sectionId || !sectionsUrl) return undefined;
  return {
    sectionId,
    sectionsUrl,
    secret: fallback.secret ?? internalSecretOf(loadReferenceConfig(env)),
    timeoutMs: parsed.REFERENCE_SECTIONS_TIMEOUT_MS as number,
  };
}
