import { type Env } from '../../lib/config';
import { loadSubgraphConfig, subgraphEnvSchema, type SubgraphConfig } from '../../lib/subgraph-config';

export const membersEnv = subgraphEnvSchema('MEMBERS', 'members', 4001);

export function loadMembersConfig(env: Env = process.env): SubgraphConfig {
  return loadSubgraphConfig('members', 'MEMBERS', membersEnv, env);
}
