import { loadOrExit } from '../lib/config';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { createLogger } from '../lib/logger';
import { connectOrm, migrate, type Orm } from '../lib/orm';
import { seedDemo } from './demo';
import { SUBGRAPHS } from './network';

/** `npm run seed`: applies migrations and writes the demo network into each subgraph's database. */
async function main(): Promise<void> {
  const configs = SUBGRAPHS.map((s) => loadOrExit(() => s.loadConfig()));
  const logger = createLogger('seed', configs[0]!.logLevel);
  const orms: Record<string, Orm> = {};
  try {
    for (const [i, subgraph] of SUBGRAPHS.entries()) {
      const config = configs[i]!;
      const url = config.databaseUrl ?? (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).url;
      const orm = await connectOrm({
        url,
        schema: config.dbSchema,
        entities: subgraph.definition.entities,
        migrations: subgraph.definition.migrations,
        logger,
      });
      orms[subgraph.definition.name] = orm;
      await migrate(orm);
    }
    const counts = await seedDemo({
      members: orms.members!.em,
      sections: orms.sections!.em,
      events: orms.events!.em,
      reference: orms.reference!.em,
    });
    process.stdout.write(`demo network seeded: ${JSON.stringify(counts)}\n`);
  } finally {
    await Promise.all(Object.values(orms).map((orm) => orm.close(true)));
    for (const config of configs) {
      if (!config.databaseUrl) await (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
