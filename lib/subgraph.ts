import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Constructor, MigrationObject } from '@mikro-orm/core';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { startEmbeddedPostgres } from './embedded-postgres';
import { errorFormatter } from './errors';
import { closeServer, listen, publicHost } from './http';
import { createLogger, type Logger } from './logger';
import { Loaders } from './loaders';
import { type Identity, identityOf, requireSignedIdentity } from './identity';
import { connectOrm, migrate, type EntityManager, type Orm } from './orm';
import { internalSecretOf } from './secrets';
import { serveSubscriptions } from './subscriptions';
import type { SubgraphConfig } from './subgraph-config';

/**
 * What a resolver gets: a request-scoped entity manager (identity map per request), a logger, and who the
 * request is for (signed by the gateway).
 */
export interface SubgraphContext {
  em: EntityManager;
  loaders: Loaders;
  logger: Logger;
  identity: Identity;
}

/** Everything that makes one subgraph: its storage and its schema. */
export interface SubgraphDefinition {
  name: string;
  entities: Array<Constructor<object>>;
  migrations: MigrationObject[];
  buildSchema(): Promise<GraphQLSchema>;
  /**
   * What the subgraph runs beside its schema (the reference desk's event bus): started once, given to every
   * resolver in its context, stopped with the subgraph.
   */
  services?(config: SubgraphConfig, logger: Logger): Promise<SubgraphServices>;
}

export interface SubgraphServices {
  /** Merged into every request's (and every subscription event's) context. */
  context: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  orm: Orm;
  logger: Logger;
  stop(): Promise<void>;
}

const requestLogging = (logger: Logger): ApolloServerPlugin => ({
  async requestDidStart({ request }) {
    const started = performance.now();
    return {
      async willSendResponse({ errors }) {
        logger.debug(
          {
            operation: request.operationName,
            ms: Math.round(performance.now() - started),
            errors: errors?.length ?? 0,
          },
          'graphql request',
        );
      },
    };
  },
});

/** Connects to the database (embedded when no URL is set), applies migrations and serves GraphQL. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  config: SubgraphConfig,
  options: { logger?: Logger } = {},
): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger(definition.name, config.logLevel);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.pgliteDataDir });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const orm = await connectOrm({
    url: databaseUrl,
    schema: config.dbSchema,
    entities: definition.entities,
    migrations: definition.migrations,
    logger,
  });
  try {
    const applied = await migrate(orm);
    if (applied.length > 0) logger.info({ applied, schema: config.dbSchema }, 'migrations applied');
    const schema = await definition.buildSchema();
    const services = (await definition.services?.(config, logger)) ?? { context: {}, stop: async () => {} };
    const contextFor = (identity: Identity): SubgraphContext => {
      const em = orm.em.fork();
      return { ...services.context, em, loaders: new Loaders(em), logger, identity };
    };
    const apollo = new ApolloServer<SubgraphContext>({
      schema,
      formatError: errorFormatter(logger),
      plugins: [requestLogging(logger), ApolloServerPluginInlineTraceDisabled()],
      // Our entry points stop everything in order on SIGINT/SIGTERM; Apollo's own handler would re-raise the signal and kill the process first.
      stopOnTerminationSignals: false,
    });
    await apollo.start();

    const app = express();
    app.disable('x-powered-by');
    app.get('/health', async (_req, res) => {
      try {
        await orm.em.getConnection().execute('select 1');
        res.json({ status: 'ok', service: definition.name });
      } catch (error) {
        res.status(503).json({ status: 'unavailable', service: definition.name, reason: (error as Error).message });
      }
    });
    app.use(
      '/graphql',
      // Only the gateway (or the local admin CLI) holds the secret: nobody reaches the data around it.
      requireSignedIdentity(internalSecretOf(config)),
      express.json({ limit: '1mb' }),
      expressMiddleware(apollo, {
        context: async ({ res }) => contextFor(identityOf(res)),
      }),
    );
    const { server, port } = await listen(app, config.port, config.host, { logger });
    // Subscriptions, where the schema has any: over WebSocket on the same port and path.
    const subscriptions = schema.getSubscriptionType()
      ? serveSubscriptions(server, { schema, secret: internalSecretOf(config), logger, contextFor })
      : undefined;
    const url = `http://${publicHost(config.host)}:${port}/graphql`;
    logger.info(
      { url, database: embedded ? 'embedded' : 'postgresql', schema: config.dbSchema },
      `${definition.name} subgraph ready`,
    );
    let stopping: Promise<void> | undefined;
    return {
      name: definition.name,
      url,
      port,
      orm,
      logger,
      stop: () =>
        (stopping ??= (async () => {
          await subscriptions?.close();
          await apollo.stop();
          await closeServer(server);
          await services.stop();
          await orm.close(true);
        })()),
    };
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
