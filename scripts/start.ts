import { loadOrExit } from '../lib/config';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { createLogger } from '../lib/logger';
import { startSubgraph, type RunningSubgraph } from '../lib/subgraph';
import { loadGatewayConfig, startGateway } from '../gateway';
import { loadStartConfig } from './config';
import { seedDemo } from './demo';
import { SUBGRAPHS } from './network';

/**
 * `npm start`: every subgraph and the gateway in one process, on the embedded PostgreSQL unless a
 * database URL is configured, with the demo network seeded. Deployments run each service on its own
 * (see docker-compose.yml).
 */
async function main(): Promise<void> {
  const started = performance.now();
  const configs = SUBGRAPHS.map((s) => loadOrExit(() => s.loadConfig()));
  const gatewayConfig = loadOrExit(() => loadGatewayConfig());
  const startConfig = loadOrExit(() => loadStartConfig());
  const logger = createLogger('start', gatewayConfig.logLevel);

  const running: RunningSubgraph[] = [];
  const stopAll = async () => {
    await Promise.allSettled(running.map((s) => s.stop()));
    for (const config of configs) {
      if (!config.databaseUrl) await (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).stop();
    }
  };
  try {
    // Subgraphs share the embedded database when none is configured; start them together.
    running.push(...(await Promise.all(SUBGRAPHS.map((s, i) => startSubgraph(s.definition, configs[i]!)))));
    const byName = Object.fromEntries(running.map((s) => [s.name, s]));
    if (startConfig.demoSeed) {
      const counts = await seedDemo({
        members: byName.members!.orm.em,
        sections: byName.sections!.orm.em,
        events: byName.events!.orm.em,
      });
      logger.info(counts, 'demo network seeded');
    }
    const gateway = await startGateway({
      ...gatewayConfig,
      subgraphUrls: { ...Object.fromEntries(running.map((s) => [s.name, s.url])), ...gatewayConfig.subgraphUrls },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`gateway ready at ${gateway.url} (started in ${seconds} s)\n`);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await gateway.stop();
      await stopAll();
      process.exit(0);
    };
    process.once('SIGINT', (s) => void shutdown(s));
    process.once('SIGTERM', (s) => void shutdown(s));
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    await stopAll();
    process.exit(1);
  }
}

void main();
