import { z } from 'zod';
import { type Env, nodeEnvVar, parseEnv } from '../../lib/config';
import { internalSecretVars } from '../../lib/secrets';
import { loadSubgraphConfig, subgraphEnvSchema, type SubgraphConfig } from '../../lib/subgraph-config';

export const membersEnv = subgraphEnvSchema('MEMBERS', 'members', 4001);

export function loadMembersConfig(env: Env = process.env): SubgraphConfig {
  return loadSubgraphConfig('members', 'MEMBERS', membersEnv, env);
}

export const authCliEnv = z.object({
  MEMBERS_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:4001/graphql')
    .describe('`npm run auth`: GraphQL URL of the members subgraph, which stores the credentials (hashes only)'),
  ...internalSecretVars,
  NODE_ENV: nodeEnvVar,
});

export function loadAuthCliConfig(env: Env = process.env) {
  const c = parseEnv('auth CLI', authCliEnv, env);
  return {
    membersUrl: c.MEMBERS_URL,
    internalSecret: c.INTERNAL_AUTH_SECRET,
    internalSecretFile: c.INTERNAL_AUTH_SECRET_FILE,
    nodeEnv: c.NODE_ENV,
  };
}
