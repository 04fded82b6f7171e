import { type Env } from '../../lib/config';
import { loadSubgraphConfig, subgraphEnvSchema, type SubgraphConfig } from '../../lib/subgraph-config';

export const sectionsEnv = subgraphEnvSchema('SECTIONS', 'sections', 4002);

export function loadSectionsConfig(env: Env = process.env): SubgraphConfig {
  return loadSubgraphConfig('sections', 'SECTIONS', sectionsEnv, env);
}
