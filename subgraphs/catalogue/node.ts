import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { closeServer, listen, publicHost } from '../../lib/http';
import { Loaders } from '../../lib/loaders';
import { createLogger, type Logger } from '../../lib/logger';
import { connectOrm, migrate, type Orm } from '../../lib/orm';
import { errorFormatter } from '../../lib/errors';
import { type CatalogueConfig, memberSchema } from './config';
import type { CatalogueContext } from './context';
import { batchHandler } from './batch';
import type { SearchesAnswered } from './batch-search';
import { exportRecords } from './export';
import { importRecords } from './import';
import type { MarcFlavour, SourceEncoding, SourceFormat } from './record-data';
import { buildCatalogueSchema, catalogueEntities, migrations } from './schema';
import { warmStatistics } from './statistics';
import { BATCH_PATH, memberEndpoint } from '../../lib/catalogue-protocol';
import { IDENTITY_HEADER, identityOf, requireSignedIdentity, verifyIdentity, actsForCode } from '../../lib/identity';
import { internalSecretOf } from '../../lib/secrets';
import { localToken, tokenFile, tokenMatches } from './token';

export interface RunningCatalogueNode {
  port: number;
  /** Base URL of the node, e.g. http://127.0.0.1:4010. */
  baseUrl: string;
  /** GraphQL endpoint of one member's catalogue on this node. */
  endpoint(code: string): string;
  members: Map<string, Orm>;
  uploadToken: string | undefined;
  stop(): Promise<void>;
}

const FORMATS = new Set<SourceFormat>(['ISO2709', 'MARCXML', 'IRBIS']);
const FLAVOURS = new Set<MarcFlavour>(['MARC21', 'RUSMARC', 'UNIMARC']);
const ENCODINGS = new Set<SourceEncoding>(['UTF-8', 'CP1251', 'MARC-8']);

/** Reads an optional enum-like query parameter, or throws a message naming it. */
function param<T extends string>(value: unknown, allowed: Set<T>, name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${name} must be given once`);
  const upper = value.toUpperCase() as T;
  if (!allowed.has(upper)) throw new Error(`${name} must be one of ${[...allowed].join(', ')}`);
  return upper;
}

/** The member a request is for: its `:code`, or a single-member node's one member; undefined if not served here. */
type MemberOf = (req: express.Request) => string | undefined;

/**
 * A catalogue node: one member's catalogue, or several in hosted mode, each in its own schema and
 * behind its own endpoint `/members/<code>/graphql` (a single-member node also answers `/graphql`).
 * Imports and exports stream over HTTP with a bearer token.
 */
export async function startCatalogueNode(
  config: CatalogueConfig,
  options: { logger?: Logger } = {},
): Promise<RunningCatalogueNode> {
  const logger = options.logger ?? createLogger('catalogue', config.logLevel);
  const url = config.databaseUrl ?? (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).url;
  const members = await openCatalogues(config, url, logger);
  const uploadToken =
    config.uploadToken ??
    (config.nodeEnv === 'production' ? undefined : localToken(tokenFile(config.pgliteDataDir), true));
  const apollo = new ApolloServer<CatalogueContext>({
    schema: await buildCatalogueSchema(),
    formatError: errorFormatter(logger),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // main.ts handles SIGINT/SIGTERM (Apollo's handler would re-raise the signal mid-shutdown).
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const single = config.members.length === 1 ? config.members[0] : undefined;
  const memberOf: MemberOf = (req) => {
    const code = typeof req.params.code === 'string' ? req.params.code : single;
    return code && members.has(code) ? code : undefined;
  };
  const warmer = statisticsWarmer(members, logger);
  const app = express();
  app.disable('x-powered-by');
  // Searches of gateway batches (a hosted node's network searches), by how they were answered.
  const searches: SearchesAnswered = { together: 0, alone: 0 };
  app.get('/health', healthRoute(config, members, searches));
  const withMember = servedMember(config, memberOf);
  mountGraphql(app, { config, members, memberOf, withMember, apollo, logger, searches });
  mountTransfers(app, { config, members, memberOf, withMember, uploadToken, logger, imported: warmer.warm });
  for (const code of config.members) warmer.warm(code);

  // An import streams its whole file in one request: a million records take minutes, past Node's default
  // five-minute limit on receiving a request. The upload endpoints need the token, so no limit is safe here.
  const { server, port } = await listen(app, config.port, config.host, { requestTimeoutMs: 0, logger });
  const baseUrl = `http://${publicHost(config.host)}:${port}`;
  logger.info({ baseUrl, members: config.members }, 'catalogue node ready');
  let stopping: Promise<void> | undefined;
  return {
    port,
    baseUrl,
    endpoint: (code) => memberEndpoint(baseUrl, code),
    members,
    uploadToken,
    stop: () =>
      (stopping ??= (async () => {
        const warmed = warmer.stop();
        await apollo.stop();
        await closeServer(server);
        await warmed;
        await Promise.all([...members.values()].map((orm) => orm.close(true)));
      })()),
  };
}

/** Connects to each member's schema and applies the migrations; closes what it opened when one fails. */
async function openCatalogues(config: CatalogueConfig, url: string, logger: Logger): Promise<Map<string, Orm>> {
  const members = new Map<string, Orm>();
  try {
    for (const code of config.members) {
      const orm = await connectOrm({
        url,
        schema: memberSchema(config.schemaPrefix, code),
        entities: catalogueEntities,
        migrations,
        logger,
      });
      members.set(code, orm);
      const applied = await migrate(orm);
      if (applied.length) logger.info({ member: code, applied }, 'migrations applied');
    }
  } catch (error) {
    await Promise.all([...members.values()].map((orm) => orm.close(true)));
    throw error;
  }
  return members;
}

function healthRoute(
  config: CatalogueConfig,
  members: Map<string, Orm>,
  searches: SearchesAnswered,
): express.RequestHandler {
  return async (_req, res) => {
    try {
      await Promise.all([...members.values()].map((orm) => orm.em.getConnection().execute('select 1')));
      res.json({ status: 'ok', service: 'catalogue', members: config.members, searches });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', service: 'catalogue', reason: (error as Error).message });
    }
  };
}

/** 404 for a member this node does not serve, naming those it does. */
function servedMember(config: CatalogueConfig, memberOf: MemberOf): express.RequestHandler {
  return (req, res, next) => {
    if (memberOf(req)) return next();
    res.status(404).json({
      error: `This node serves ${config.members.join(', ')}; use /members/<code>/graphql`,
    });
  };
}

/**
 * GraphQL for each member (`/members/<code>/graphql`, and `/graphql` on a single-member node) and the batch
 * endpoint of a hosted node, all behind the gateway's signature: nobody reads a catalogue around it (the
 * admin CLI uses the upload token).
 */
function mountGraphql(
  app: express.Express,
  node: {
    config: CatalogueConfig;
    members: Map<string, Orm>;
    memberOf: MemberOf;
    withMember: express.RequestHandler;
    apollo: ApolloServer<CatalogueContext>;
    logger: Logger;
    searches: SearchesAnswered;
  },
): void {
  const { config, members, memberOf, withMember, apollo, logger } = node;
  const contextFor = (code: string, res: express.Response): CatalogueContext => {
    const em = members.get(code)!.em.fork();
    return { em, loaders: new Loaders(em), logger, member: { code }, identity: identityOf(res) };
  };
  const graphql = expressMiddleware(apollo, {
    context: async ({ req, res }) => contextFor(memberOf(req)!, res),
  });
  const signed = requireSignedIdentity(internalSecretOf(config));
  // Several of this node's catalogues in one request (a hosted node): the gateway's network search and its
  // per-member batches send one request per node process instead of one per member (see batch.ts).
  app.post(
    BATCH_PATH,
    signed,
    express.json({ limit: '4mb' }),
    batchHandler({
      members: config.members,
      concurrency: config.batchConcurrency,
      logger,
      searches: node.searches,
      execute: (code, request, res, search) =>
        apollo.executeOperation(request, { contextValue: { ...contextFor(code, res), search } }),
    }),
  );
  app.use('/members/:code/graphql', withMember, signed, express.json({ limit: '1mb' }), graphql);
  app.use('/graphql', withMember, signed, express.json({ limit: '1mb' }), graphql);
}

/**
 * Who may import into and export a catalogue: the node's own admin (its upload token), or a coordinator or
 * the member's editor through the gateway (its signed identity).
 */
function transferAuthorisation(
  config: CatalogueConfig,
  memberOf: MemberOf,
  uploadToken: string | undefined,
): express.RequestHandler {
  const secret = internalSecretOf(config);
  return (req, res, next) => {
    const presented = verifyIdentity(req.header(IDENTITY_HEADER), secret);
    if (presented.ok) {
      const code = memberOf(req);
      if (actsForCode(presented.identity, code)) return next();
      res.status(403).json({ error: `Only a coordinator or an editor of ${code} may change this catalogue` });
    } else if (!uploadToken) {
      res.status(503).json({ error: 'HTTP import and export are off: set CATALOGUE_UPLOAD_TOKEN' });
    } else if (!tokenMatches(req.headers.authorization, uploadToken)) {
      res.status(401).json({ error: 'A valid bearer token is required' });
    } else next();
  };
}

/** `POST /members/<code>/import` and `GET /members/<code>/export`. */
function mountTransfers(
  app: express.Express,
  node: {
    config: CatalogueConfig;
    members: Map<string, Orm>;
    memberOf: MemberOf;
    withMember: express.RequestHandler;
    uploadToken: string | undefined;
    logger: Logger;
    /** Called after each import (the statistics figures are computed again). */
    imported: (code: string) => void;
  },
): void {
  const { config, members, memberOf, withMember, logger } = node;
  const authorised = transferAuthorisation(config, memberOf, node.uploadToken);

  // Streams the request body into the catalogue; answers NDJSON: progress lines, then the report.
  app.post('/members/:code/import', withMember, authorised, async (req, res) => {
    let read: { format?: SourceFormat; flavour?: MarcFlavour; encoding?: SourceEncoding };
    try {
      read = {
        format: param(req.query.format, FORMATS, 'format'),
        flavour: param(req.query.flavour, FLAVOURS, 'flavour'),
        encoding: param(req.query.encoding, ENCODINGS, 'encoding'),
      };
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
      return;
    }
    const code = memberOf(req)!;
    const deleteList = typeof req.query.delete === 'string' ? req.query.delete.split(',').filter(Boolean) : [];
    res.status(200).setHeader('content-type', 'application/x-ndjson');
    let lastProgress = 0;
    const report = await importRecords(members.get(code)!.em, req, {
      ...read,
      source: typeof req.query.source === 'string' ? req.query.source.slice(0, 200) : 'upload',
      batchSize: config.batchSize,
      deleteControlNumbers: deleteList,
      onProgress: (progress) => {
        if (Date.now() - lastProgress < 250) return;
        lastProgress = Date.now();
        res.write(`${JSON.stringify({ progress })}\n`);
      },
    });
    logger.info({ member: code, ...report, rejections: report.rejections.length }, 'import finished');
    res.end(`${JSON.stringify({ report })}\n`);
    node.imported(code);
  });

  app.get('/members/:code/export', withMember, authorised, async (req, res) => {
    const format = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : 'marcxml';
    if (format !== 'marcxml' && format !== 'iso2709') {
      res.status(400).json({ error: 'format must be marcxml or iso2709' });
      return;
    }
    res.setHeader('content-type', format === 'marcxml' ? 'application/marcxml+xml' : 'application/marc');
    await exportRecords(members.get(memberOf(req)!)!.em, format, res);
    res.end();
  });
}

/**
 * Computes the statistics figures (edition digests) in the background, one catalogue at a time, so that the
 * network's first statistics request finds them ready; again after each import.
 */
function statisticsWarmer(members: Map<string, Orm>, logger: Logger) {
  let warming = Promise.resolve();
  let closing = false;
  return {
    warm: (code: string): void => {
      warming = warming
        .then(() => (closing ? undefined : warmStatistics(members.get(code)!.em.fork(), code)))
        .catch((error: unknown) => logger.warn({ member: code, err: error }, 'statistics figures not precomputed'));
    },
    stop: async (): Promise<void> => {
      closing = true;
      await warming;
    },
  };
}
