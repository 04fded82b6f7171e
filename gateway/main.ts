import { loadOrExit } from '../lib/config';
import { createLogger } from '../lib/logger';
import { loadGatewayConfig, startGateway } from './index';

const config = loadOrExit(() => loadGatewayConfig());
const logger = createLogger('gateway', config.logLevel);

startGateway(config, { logger }).then(
  (gateway) => {
    process.stdout.write(`gateway ready at ${gateway.url}\n`);
    const shutdown = () => void gateway.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  },
  (error: unknown) => {
    logger.fatal({ err: error }, 'gateway failed to start');
    process.exit(1);
  },
);
