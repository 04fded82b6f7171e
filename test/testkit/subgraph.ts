import { TEST_INTERNAL_SECRET } from './identity';
import { createLogger } from '../../lib/logger';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '../../lib/subgraph';
import { loadTestConfig } from './config';
import type { TestDatabase } from './database';
import type { SubgraphConfig } from '../../lib/subgraph-config';

/** Starts one subgraph on port 0 against the test database, in its own schema. */
export function startTestSubgraph(
  definition: SubgraphDefinition,
  db: TestDatabase,
  overrides: Partial<SubgraphConfig> = {},
): Promise<RunningSubgraph> {
  const { TEST_LOG_LEVEL } = loadTestConfig();
  return startSubgraph(
    definition,
    {
      service: definition.name,
      host: '127.0.0.1',
      port: 0,
      databaseUrl: db.url,
      dbSchema: db.schema(definition.name),
      pgliteDataDir: '',
      logLevel: 'silent',
      nodeEnv: 'test',
      internalSecret: TEST_INTERNAL_SECRET,
      internalSecretFile: '',
      ...overrides,
    },
    { logger: createLogger(definition.name, TEST_LOG_LEVEL) },
  );
}
