import { IDENTITY_HEADER } from '../../lib/identity';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fault proxy does with a request (schema requests, `_service`, always pass). */
export type FaultMode = { kind: 'pass' } | { kind: 'slow'; delayMs: number } | { kind: 'error' };

export interface FaultProxy {
  url: string;
  mode: FaultMode;
  /** Requests that reached the proxy (schema checks excluded). */
  requests: number;
  stop(): Promise<void>;
}

/**
 * A catalogue node with a fault: an HTTP server in front of a real node's GraphQL endpoint that passes
 * requests through, answers them too late, or answers every one with a server error — as a node whose
 * database is down does. Its `_service` (the schema check) always passes, so the gateway routes to it.
 */
export async function startFaultProxy(target: string, mode: FaultMode): Promise<FaultProxy> {
  const proxy = { mode, requests: 0 } as FaultProxy;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const forward = async () => {
        // The gateway's signed identity goes through, as through any proxy in front of a node.
        const identity = req.headers[IDENTITY_HEADER];
        const response = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(typeof identity === 'string' ? { [IDENTITY_HEADER]: identity } : {}),
          },
          body,
        });
        const text = await response.text();
        if (!res.destroyed) res.writeHead(response.status, { 'content-type': 'application/json' }).end(text);
      };
      const schemaCheck = body.includes('_service');
      if (!schemaCheck) proxy.requests += 1;
      const current = proxy.mode;
      if (schemaCheck || current.kind === 'pass') return void forward().catch(() => res.destroy());
      if (current.kind === 'slow') {
        setTimeout(() => void forward().catch(() => res.destroy()), current.delayMs).unref();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          data: null,
          errors: [{ message: 'connection to the database failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** A URL where nothing listens: a node that is down. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
