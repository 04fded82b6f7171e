import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApolloGateway, type GraphQLDataSource, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { closeServer, listen, publicHost } from '../lib/http';
import { createLogger, type Logger } from '../lib/logger';
import { projectRoot } from '../lib/paths';
import { errorFormatter } from '../lib/errors';
import type { GatewayConfig } from './config';
import { CatalogueRegistry } from './catalogue/registry';
import { CatalogueRouter } from './catalogue/router';
import { checkNodeSchema, expectedCatalogueSchema } from './catalogue/schema-check';
import { GatewayMetrics } from './metrics';
import { CatalogueNodeClient } from './catalogue/node-client';
import { statisticsExport } from './statistics-export';
import { Authenticator } from './auth';
import { type AuditRecorder, auditPlugin, auditRecorder } from './audit';
import { catalogueImport } from './catalogue/import';
import { armor, limitsPlugin } from './limits';
import { corsMiddleware } from './cors';
import { explorerLandingPage, explorerRouter } from './explorer-router';
import { persistedQueries } from './persisted-queries';
import { RateLimits, askLimitPlugin } from './rate-limit';
import { internalSecretOf } from '../lib/secrets';
import type { Identity } from '../lib/identity';
import { SubgraphDataSource } from './subgraph-data-source';
import { Admission } from './admission';
import { Upstream } from './upstream';
import { GatewaySubscriptions } from './subscriptions';

import { subgraphsOf, withSubgraphUrls, type SubgraphEndpoint } from './supergraph';

/** The subgraph whose requests go to each member's own node rather than to one URL. */
const CATALOGUE_SUBGRAPH = 'catalogue';

export { loadGatewayConfig, gatewayEnv, type GatewayConfig } from './config';

/** What every gateway request carries: who it is for. */
export interface GatewayContext {
  identity: Identity;
  /** The client's address (express's `req.ip`), for limits counted per anonymous caller. */
  ip?: string | undefined;
}

export interface RunningGateway {
  url: string;
  port: number;
  subgraphs: SubgraphEndpoint[];
  /** Re-reads the catalogue node registrations now rather than at the next periodic refresh. */
  refreshCatalogueNodes(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
}

/** Pings each subgraph's `/health` (next to its `/graphql`) with a short time limit. */
async function subgraphHealth(subgraphs: SubgraphEndpoint[], upstream: Upstream) {
  return Promise.all(
    subgraphs.map(async ({ name, url }) => {
      const started = performance.now();
      try {
        const { status } = await upstream.get(new URL('/health', url).href, 1500);
        const ok = status >= 200 && status < 300;
        return { name, url, status: ok ? 'ok' : 'unavailable', ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { name, url, status: 'unavailable', reason: (error as Error).message };
      }
    }),
  );
}

/** The Apollo Gateway over the static supergraph, behind Apollo Server on express. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const composed = withSubgraphUrls(readFileSync(config.supergraphPath, 'utf8'), config.subgraphUrls);
  const subgraphs = subgraphsOf(composed);
  const secret = internalSecretOf(config);
  const membersUrl = subgraphs.find((s) => s.name === 'members')?.url;
  // Every call upstream (subgraphs, nodes, the members service) shares these connections and signs with `secret`.
  const upstream = new Upstream(secret);
  const catalogues = await catalogueNetwork(config, composed, membersUrl, upstream, logger);
  const buildService = dataSources(config, catalogues, upstream, logger);
  const gateway = apolloGateway(config, composed, subgraphs, catalogues, buildService);
  // The public schema as clients see it (what the explorer reads when introspection is off).
  let apiSchema: GraphQLSchema | undefined;
  const unsubscribe = gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => (apiSchema = loaded));
  const callers = await admissionOfCallers(config, membersUrl, secret, upstream, logger);
  const record = auditRecorder({ membersUrl, upstream, timeoutMs: config.subgraphTimeoutMs, logger });
  const apollo = apolloServer(config, gateway, callers, record, logger);
  await apollo.start();

  const admission = new Admission(config.admission, logger);
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', healthRoute(subgraphs, catalogues, admission, upstream));
  app.get('/metrics', metricsRoute(catalogues, admission));
  // Pages of the configured origins may call the API from the browser (none unless configured).
  const cors = corsMiddleware(config.corsOrigins);
  // CORS answers a browser's preflight at once; only real requests wait their turn.
  const api = [...(cors ? [cors] : []), admission.middleware];
  app.use(
    '/graphql',
    ...api,
    express.json({ limit: `${config.maxBodyKb}kb` }),
    // Who the request is for, from its credential; every subgraph and node gets it signed.
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ identity: await callers.admit(req), ip: req.ip }),
    }),
  );
  app.use('/statistics', ...api, statisticsExport(apollo, callers.admit));
  // Catalogue files stream through untouched (no body parser here): editors import with their API key.
  app.post(
    '/catalogue/:member/import',
    catalogueImport({
      registry: catalogues.registry,
      admit: callers.admit,
      upstream,
      idleMs: config.importIdleMs,
      record,
    }),
  );
  mountPages(app, config, () => apiSchema);
  const { server, port } = await listen(app, config.port, config.host, { logger });
  // Subscriptions over WebSocket at the same /graphql, with the same credentials, limits and audit log.
  const subscriptions = new GatewaySubscriptions({
    composedSupergraph: composed,
    subgraphs,
    services: Object.fromEntries(subgraphs.map((s) => [s.name, buildService(s)])),
    secret,
    authenticator: callers.authenticator,
    rateLimits: callers.rateLimits,
    limits: config.limits,
    record,
    logger,
    maxPerConnection: config.maxSubscriptionsPerConnection,
  });
  subscriptions.attach(server);
  const url = `http://${publicHost(config.host)}:${port}/graphql`;
  logger.info({ url, subgraphs }, 'gateway ready');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    subgraphs,
    refreshCatalogueNodes: () => catalogues.registry.refresh(),
    stop: () =>
      (stopping ??= (async () => {
        await subscriptions.close();
        catalogues.registry.stop();
        catalogues.client.shutdown();
        unsubscribe();
        await callers.rateLimits.close();
        await apollo.stop();
        await callers.apq.close();
        await closeServer(server);
        upstream.destroy();
      })()),
  };
}

interface CatalogueNetwork {
  registry: CatalogueRegistry;
  client: CatalogueNodeClient;
  metrics: GatewayMetrics;
}

/** The registry of catalogue nodes (read now, then refreshed) and the client that calls them. */
async function catalogueNetwork(
  config: GatewayConfig,
  composed: string,
  membersUrl: string | undefined,
  upstream: Upstream,
  logger: Logger,
): Promise<CatalogueNetwork> {
  const expected = config.introspect ? undefined : expectedCatalogueSchema(composed, CATALOGUE_SUBGRAPH);
  const registry = new CatalogueRegistry({
    membersUrl,
    upstream,
    timeoutMs: config.subgraphTimeoutMs,
    staticFile: config.catalogueNodesFile,
    refreshMs: config.registryRefreshMs,
    logger,
    // A node must serve the catalogue schema the supergraph was composed with (or a compatible superset).
    checkSchema: expected ? (url) => checkNodeSchema(expected, url, upstream, config.nodeTimeoutMs) : undefined,
  });
  await registry.start();
  const metrics = new GatewayMetrics();
  metrics.nodes.reset();
  const client = new CatalogueNodeClient(
    registry,
    upstream,
    { timeoutMs: config.nodeTimeoutMs, retries: config.nodeRetries, breakerResetMs: config.breakerResetMs },
    metrics,
    logger,
  );
  return { registry, client, metrics };
}

type ServiceBuilder = (subgraph: { name: string; url?: string }) => GraphQLDataSource;

/** Our data sources: the catalogue router for the catalogue, one per other subgraph (queries and subscriptions share them). */
function dataSources(
  config: GatewayConfig,
  { registry, client }: CatalogueNetwork,
  upstream: Upstream,
  logger: Logger,
): ServiceBuilder {
  return ({ name, url }) =>
    name === CATALOGUE_SUBGRAPH
      ? new CatalogueRouter(registry, client, {
          fanOut: config.fanOut,
          statisticsCacheMs: config.statisticsCacheMs,
          statisticsTimeoutMs: config.statisticsTimeoutMs,
        })
      : new SubgraphDataSource(name, url ?? '', config.subgraphTimeoutMs, logger, upstream);
}

/** Apollo's gateway with our data sources. */
function apolloGateway(
  config: GatewayConfig,
  composed: string,
  subgraphs: SubgraphEndpoint[],
  { registry }: CatalogueNetwork,
  buildService: ServiceBuilder,
): ApolloGateway {
  if (!config.introspect) return new ApolloGateway({ supergraphSdl: composed, buildService });
  // Introspection reads the catalogue schema from any registered node (they share one schema).
  const introspected = subgraphs.flatMap((s) => {
    if (s.name !== CATALOGUE_SUBGRAPH) return [s];
    const node = registry.all()[0];
    return node ? [{ name: s.name, url: node.url }] : [];
  });
  return new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs: introspected }), buildService });
}

/** Who a request is for (its credential) and whether it is within that caller's rate limit; persisted queries. */
async function admissionOfCallers(
  config: GatewayConfig,
  membersUrl: string | undefined,
  secret: string,
  upstream: Upstream,
  logger: Logger,
) {
  const authenticator = new Authenticator({
    membersUrl,
    secret,
    upstream,
    timeoutMs: config.subgraphTimeoutMs,
    logger,
  });
  const rateLimits = new RateLimits(config.rateLimits, logger);
  const apq = persistedQueries(config.persistedQueries, logger);
  await Promise.all([rateLimits.ready(), apq.ready()]);
  const admit = async (req: express.Request): Promise<Identity> => {
    const identity = await authenticator.identify(req);
    await rateLimits.admit(identity, req.ip);
    return identity;
  };
  return { admit, authenticator, rateLimits, apq };
}

function apolloServer(
  config: GatewayConfig,
  gateway: ApolloGateway,
  { apq, rateLimits }: { apq: ReturnType<typeof persistedQueries>; rateLimits: RateLimits },
  record: AuditRecorder,
  logger: Logger,
): ApolloServer<GatewayContext> {
  const protection = armor(config.limits);
  return new ApolloServer<GatewayContext>({
    gateway,
    formatError: errorFormatter(logger),
    introspection: config.introspection,
    csrfPrevention: true,
    persistedQueries: apq.options,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      limitsPlugin(config.limits),
      askLimitPlugin(rateLimits),
      auditPlugin(record),
      // A browser opening /graphql is sent to our explorer, not to Apollo Sandbox (loaded from a CDN).
      config.explorer ? explorerLandingPage() : ApolloServerPluginLandingPageDisabled(),
    ],
    // The entry points handle SIGINT/SIGTERM (Apollo's handler would re-raise the signal mid-shutdown).
    stopOnTerminationSignals: false,
  });
}

/** `GET /health`: every subgraph pinged, every catalogue node with its schema, circuit and how it is called. */
function healthRoute(
  subgraphs: SubgraphEndpoint[],
  { registry, client }: CatalogueNetwork,
  admission: Admission,
  upstream: Upstream,
): express.RequestHandler {
  // The catalogue subgraph is the set of registered nodes, not the one URL in the supergraph.
  const pinged = subgraphs.filter((s) => s.name !== CATALOGUE_SUBGRAPH);
  return async (_req, res) => {
    const checks = await subgraphHealth(pinged, upstream);
    const ok = checks.every((c) => c.status === 'ok');
    const circuits = client.circuits();
    const catalogueNodes = registry.everyNode().map((node) => ({
      member: node.member,
      url: node.url,
      source: node.source,
      schema: node.schema,
      ...(node.problems.length ? { problems: node.problems.slice(0, 10) } : {}),
      circuit: circuits[node.member] ?? 'closed',
      calls: client.calls(node.member, node.url),
      // What requests to it do now: go (up), get skipped (open circuit), or never go (refused schema).
      state: node.schema === 'INCOMPATIBLE' ? 'refused' : circuits[node.member] === 'open' ? 'skipped' : 'routed',
    }));
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', load: admission.stats(), subgraphs: checks, catalogueNodes });
  };
}

/** `GET /metrics` in Prometheus text. */
function metricsRoute({ registry, metrics }: CatalogueNetwork, admission: Admission): express.RequestHandler {
  return async (_req, res) => {
    const load = admission.stats();
    metrics.requests.set({ state: 'active' }, load.active);
    metrics.requests.set({ state: 'queued' }, load.queued);
    metrics.refused.set(load.refused);
    metrics.nodes.reset();
    for (const node of registry.everyNode()) metrics.nodes.inc({ schema: node.schema });
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  };
}

/** The coordinators' dashboard and the explorer: static pages, their libraries from node_modules (no CDN). */
function mountPages(app: express.Express, config: GatewayConfig, apiSchema: () => GraphQLSchema | undefined): void {
  app.get('/dashboard/chart.umd.min.js', (_req, res) => {
    res.sendFile(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
  });
  app.use('/dashboard', express.static(join(projectRoot(__dirname), 'gateway', 'dashboard')));
  if (config.explorer) {
    // GraphiQL and React from node_modules too; the schema from the gateway itself when introspection is off.
    app.use('/explorer', explorerRouter({ introspection: config.introspection, schema: apiSchema }));
    app.get('/', (_req, res) => res.redirect('explorer/'));
  }
}
