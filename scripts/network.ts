import type { Env } from '../lib/config';
import type { SubgraphDefinition } from '../lib/subgraph';
import type { SubgraphConfig } from '../lib/subgraph-config';
import { eventsEnv, eventsSubgraph, loadEventsConfig } from '../subgraphs/events';
import { loadMembersConfig, membersEnv, membersSubgraph } from '../subgraphs/members';
import { loadSectionsConfig, sectionsEnv, sectionsSubgraph } from '../subgraphs/sections';

export interface NetworkSubgraph {
  definition: SubgraphDefinition;
  loadConfig: (env?: Env) => SubgraphConfig;
  env: typeof membersEnv;
}

/** Every subgraph of the partnership graph, in the order they start and appear in the supergraph. */
export const SUBGRAPHS: NetworkSubgraph[] = [
  { definition: membersSubgraph, loadConfig: loadMembersConfig, env: membersEnv },
  { definition: sectionsSubgraph, loadConfig: loadSectionsConfig, env: sectionsEnv },
  { definition: eventsSubgraph, loadConfig: loadEventsConfig, env: eventsEnv },
];

/** The URL a subgraph has on a developer machine with default settings; written into the supergraph. */
export function defaultUrl(subgraph: NetworkSubgraph): string {
  return `http://127.0.0.1:${subgraph.loadConfig({}).port}/graphql`;
}
