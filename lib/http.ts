import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/**
 * Listens on `port` (0 picks a free one) and resolves with the server and its real port. `requestTimeoutMs`
 * limits how long receiving one whole request may take (Node's default: 5 minutes; 0: no limit).
 */
export function listen(
  app: express.Express,
  port: number,
  host: string,
  options: { requestTimeoutMs?: number } = {},
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
    server.keepAliveTimeout = 65_000;
    if (options.requestTimeoutMs !== undefined) server.requestTimeout = options.requestTimeoutMs;
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Formats a host for a URL that a client on this machine can use (0.0.0.0 is not connectable). */
export function publicHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
