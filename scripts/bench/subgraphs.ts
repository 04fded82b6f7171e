import type { Logger } from '../../lib/logger';
import { startSubgraph, type RunningSubgraph } from '../../lib/subgraph';
import { seedDemo } from '../demo';
import { SUBGRAPHS } from '../network';

/**
 * The members, sections and events subgraphs of a benchmark, in its own process, each in its schema of
 * the benchmark's database, with the demo network seeded; `orm(name)` is a subgraph's entity manager.
 */
export async function startBenchSubgraphs(databaseUrl: string, internalSecret: string, logger: Logger) {
  const subgraphs: RunningSubgraph[] = [];
  for (const { definition } of SUBGRAPHS) {
    subgraphs.push(
      await startSubgraph(
        definition,
        {
          service: definition.name,
          host: '127.0.0.1',
          port: 0,
          databaseUrl,
          dbSchema: definition.name,
          pgliteDataDir: '',
          logLevel: 'warn',
          nodeEnv: 'production',
          internalSecret,
          internalSecretFile: '',
        },
        { logger },
      ),
    );
  }
  const orm = (name: string) => subgraphs.find((g) => g.name === name)!.orm.em;
  await seedDemo({ members: orm('members'), sections: orm('sections'), events: orm('events') });
  return { subgraphs, orm };
}

/**
 * Migrates and seeds the benchmark's database as `startBenchSubgraphs` does, then stops those in-process
 * subgraphs: for benchmarks that serve the subgraphs from processes of their own (`spawnSubgraphs`).
 */
export async function seedBenchDatabase(databaseUrl: string, internalSecret: string, logger: Logger): Promise<void> {
  const { subgraphs } = await startBenchSubgraphs(databaseUrl, internalSecret, logger);
  await Promise.all(subgraphs.map((s) => s.stop()));
}
