import { loadOrExit } from '../../lib/config';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { loadCatalogueConfig } from './config';
import { startCatalogueNode } from './node';

const config = loadOrExit(() => loadCatalogueConfig());
const logger = createLogger('catalogue', config.logLevel);

startCatalogueNode(config, { logger }).then(
  (node) => {
    for (const code of config.members)
      process.stdout.write(`catalogue node of ${code} ready at ${node.endpoint(code)}\n`);
    const shutdown = async () => {
      await node.stop();
      if (!config.databaseUrl) await (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
    // Started by `npm start`: go when it goes, even if it was killed without a chance to stop us.
    if (process.connected) process.once('disconnect', () => void shutdown());
  },
  (error: unknown) => {
    logger.fatal({ err: error }, 'catalogue node failed to start');
    process.exit(1);
  },
);
