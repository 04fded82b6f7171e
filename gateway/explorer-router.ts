import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import { type GraphQLSchema, printSchema } from 'graphql';
import { projectRoot } from '../lib/paths';
import { loadExamples } from './examples';

/**
 * Prebuilt browser files the explorer loads, served from node_modules rather than a CDN (the network may
 * be closed): GraphiQL 3's UMD bundle and the React 18 UMD builds it runs on (React 19 ships none).
 */
const VENDOR: Record<string, [pkg: string, file: string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.min.js.map': ['graphiql', 'graphiql.min.js.map'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css'],
};

/**
 * Everything the page may load comes from the gateway; GraphiQL's fonts and icons are inlined in its CSS
 * (data: URLs) and React sets inline styles. A key is typed into this page: no framing, no other scripts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface ExplorerOptions {
  /** Whether the gateway answers introspection: else the page reads the schema from `schema.graphql`. */
  introspection: boolean;
  /** The gateway's public (API) schema once loaded. */
  schema(): GraphQLSchema | undefined;
}

/**
 * The GraphiQL explorer at `/explorer/`: the page, the vendored GraphiQL and React, the example operations
 * (docs/examples) as preset tabs, and the public schema as SDL for when introspection is off.
 */
export function explorerRouter(options: ExplorerOptions): express.Router {
  const examples = loadExamples();
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    next();
  });
  router.get('/vendor/:file', (req, res, next) => {
    const vendored = VENDOR[req.params.file];
    if (!vendored) return next();
    const [pkg, file] = vendored;
    res.sendFile(join(dirname(require.resolve(`${pkg}/package.json`)), file), { maxAge: '1d' });
  });
  router.get('/setup.json', (_req, res) => {
    res.json({
      // Relative to the page, so that the gateway may sit under a path prefix behind a proxy.
      endpoint: '../graphql',
      introspection: options.introspection,
      examples: examples.map(({ name, operationName, description, query, variables }) => ({
        name,
        operationName,
        description,
        query,
        variables,
      })),
    });
  });
  router.get('/schema.graphql', (_req, res) => {
    const schema = options.schema();
    if (!schema) {
      res.status(503).type('text/plain').send('The schema is not loaded yet\n');
      return;
    }
    res.type('text/plain; charset=utf-8').send(printSchema(schema));
  });
  router.use(express.static(join(projectRoot(__dirname), 'gateway', 'explorer')));
  return router;
}

/**
 * What a browser opening the GraphQL endpoint sees, in place of Apollo's default landing page (which
 * loads Apollo Sandbox from a CDN): a link to the explorer.
 */
export function explorerLandingPage(): ApolloServerPlugin {
  const html = `<!doctype html>
<html lang="ru">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="refresh" content="0; url=explorer/" />
    <title>Кузбасские библиотеки — GraphQL API</title>
  </head>
  <body>
    <p>GraphQL API «Кузбасские библиотеки»: <a href="explorer/">GraphiQL explorer</a>.</p>
  </body>
</html>
`;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
