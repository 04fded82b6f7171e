import type { GraphQLSchema } from 'graphql';
import type { Env } from '../lib/config';
import type { SubgraphDefinition } from '../lib/subgraph';
import type { SubgraphConfig } from '../lib/subgraph-config';
import { buildCatalogueSchema, loadCatalogueConfig } from '../subgraphs/catalogue';
import { eventsEnv, eventsSubgraph, loadEventsConfig } from '../subgraphs/events';
import { loadMembersConfig, membersEnv, membersSubgraph } from '../subgraphs/members';
import { loadReferenceConfig, referenceEnv, referenceSubgraph } from '../subgraphs/reference';
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
  { definition: referenceSubgraph, loadConfig: loadReferenceConfig, env: referenceEnv },
];

/** What composes the supergraph: every subgraph's schema and the URL it has on a developer machine by default. */
export const SCHEMA_SOURCES: Array<{ name: string; buildSchema: () => Promise<GraphQLSchema>; defaultUrl: string }> = [
  ...SUBGRAPHS.map((s) => ({
    name: s.definition.name,
    buildSchema: () => s.definition.buildSchema(),
    defaultUrl: `http://127.0.0.1:${s.loadConfig({}).port}/graphql`,
  })),
  // One subgraph, many nodes: the gateway routes each request to the owning member's node.
  {
    name: 'catalogue',
    buildSchema: buildCatalogueSchema,
    defaultUrl: `http://127.0.0.1:${loadCatalogueConfig({}).port}/graphql`,
  },
];
