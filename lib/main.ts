import { loadOrExit } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { createLogger } from './logger';
import { startSubgraph, type SubgraphDefinition } from './subgraph';
import type { SubgraphConfig } from './subgraph-config';

/** Entry point of a subgraph deployed on its own: start, then stop cleanly on SIGINT / SIGTERM. */
export async function runSubgraph(definition: SubgraphDefinition, loadConfig: () => SubgraphConfig): Promise<void> {
  const config = loadOrExit(loadConfig);
  const logger = createLogger(definition.name, config.logLevel);
  try {
    const running = await startSubgraph(definition, config, { logger });
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await running.stop();
      if (!config.databaseUrl) await (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).stop();
      process.exit(0);
    };
    process.once('SIGINT', (s) => void shutdown(s));
    process.once('SIGTERM', (s) => void shutdown(s));
  } catch (error) {
    logger.fatal({ err: error }, `${definition.name} failed to start`);
    process.exit(1);
  }
}
