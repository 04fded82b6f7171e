/**
 * The peers `npm run bench:gateway` compares ours with, each started in a process of its own by the
 * benchmark: `node dist/scripts/bench/peer-gateways.js vanilla|hive`, with `SUPERGRAPH_FILE` (the supergraph
 * with the running subgraphs' URLs) and `INTERNAL_AUTH_SECRET`. Each has no code of ours but the one thing
 * our subgraphs require of any caller: the signed identity header (an anonymous caller's, fresh each call).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { ANONYMOUS, IDENTITY_HEADER, signIdentity } from '../../lib/identity';

/* eslint-disable no-restricted-properties -- a benchmark's child process, configured by the benchmark alone */
const supergraph = readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8');
const secret = process.env.INTERNAL_AUTH_SECRET!;
/* eslint-enable no-restricted-properties */
const identity = () => signIdentity(ANONYMOUS, secret);

async function vanilla(): Promise<string> {
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          request.http?.headers.set(IDENTITY_HEADER, identity());
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return `${url.replace(/\/$/, '')}/graphql`;
}

async function hive(): Promise<string> {
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    propagateHeaders: { fromClientToSubgraphs: () => ({ [IDENTITY_HEADER]: identity() }) },
  });
  // The runtime is a Node request listener that returns a promise; node:http ignores it.
  const server = createServer((req, res) => void runtime(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const which = process.argv[2];
(which === 'hive'
  ? hive()
  : which === 'vanilla'
    ? vanilla()
    : Promise.reject(new Error(`unknown gateway ${which}`))
).then(
  (url) => {
    process.stdout.write(`gateway ready at ${url}\n`);
    process.once('SIGTERM', () => process.exit(0));
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
