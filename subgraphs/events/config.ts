import { type Env } from '../../lib/config';
import { loadSubgraphConfig, subgraphEnvSchema, type SubgraphConfig } from '../../lib/subgraph-config';

export const eventsEnv = subgraphEnvSchema('EVENTS', 'events', 4003);

export function loadEventsConfig(env: Env = process.env): SubgraphConfig {
  return loadSubgraphConfig('events', 'EVENTS', eventsEnv, env);
}
