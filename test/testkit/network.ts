import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../../gateway';
import { createLogger } from '../../lib/logger';
import type { RunningSubgraph } from '../../lib/subgraph';
import { seedDemo } from '../../scripts/demo';
import { SUBGRAPHS } from '../../scripts/network';
import { loadTestConfig } from './config';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestSubgraph } from './subgraph';

export interface TestNetwork {
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The whole graph as a client meets it: every subgraph on port 0 with its own schema in the test
 * database, the demo network seeded, and the gateway serving the committed supergraph.
 */
export async function startTestNetwork(label: string, options: { seed?: boolean } = {}): Promise<TestNetwork> {
  const db = await createTestDatabase(label);
  const subgraphs: Record<string, RunningSubgraph> = {};
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    await gateway?.stop();
    await Promise.allSettled(Object.values(subgraphs).map((s) => s.stop()));
    await db.drop();
  };
  try {
    for (const running of await Promise.all(SUBGRAPHS.map((s) => startTestSubgraph(s.definition, db)))) {
      subgraphs[running.name] = running;
    }
    if (options.seed ?? true) {
      await seedDemo({
        members: subgraphs.members!.orm.em,
        sections: subgraphs.sections!.orm.em,
        events: subgraphs.events!.orm.em,
      });
    }
    gateway = await startGateway(
      {
        host: '127.0.0.1',
        port: 0,
        supergraphPath: join(__dirname, '../../schema/supergraph.graphql'),
        subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])),
        subgraphTimeoutMs: 5_000,
        introspect: false,
        logLevel: 'silent',
        nodeEnv: 'test',
      },
      { logger: createLogger('gateway', loadTestConfig().TEST_LOG_LEVEL) },
    );
    return { gateway, subgraphs, db, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
