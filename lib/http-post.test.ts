import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPoster, HttpPostFailure } from './http-post';

/** A real server on a free port whose handler decides how (and whether) to answer. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe('HttpPoster', () => {
  const poster = new HttpPoster();
  const servers: Server[] = [];
  afterAll(async () => {
    poster.destroy();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof HttpPostFailure ? { kind: error.kind, reason: error.reason } : error),
    );

  it('posts JSON and returns status, headers and body; the connection is kept for the next call', async () => {
    const sockets = new Set<unknown>();
    const { url, server } = await serve((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json', 'x-seen': req.headers['x-id'] }).end(body),
      );
    });
    servers.push(server);
    const first = await poster.post(url, '{"query":"{ a }"}', { 'x-id': 'one' }, 1000);
    const second = await poster.post(url, '{"query":"{ b }"}', { 'x-id': 'two' }, 1000);
    expect([first.status, first.text, first.headers['x-seen']]).toEqual([200, '{"query":"{ a }"}', 'one']);
    expect(second.text).toBe('{"query":"{ b }"}');
    expect(sockets.size).toBe(1);
  });

  it('says UNREACHABLE with the socket error when nothing listens', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    expect(await failure(poster.post(url, '{}', {}, 1000))).toEqual({ kind: 'UNREACHABLE', reason: 'ECONNREFUSED' });
  });

  it('says TIMEOUT when no answer comes, and when the answer stops half-way', async () => {
    const silent = await serve(() => undefined);
    const halfway = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    servers.push(silent.server, halfway.server);
    expect(await failure(poster.post(silent.url, '{}', {}, 200))).toEqual({ kind: 'TIMEOUT', reason: '200' });
    expect(await failure(poster.post(halfway.url, '{}', {}, 200))).toEqual({ kind: 'TIMEOUT', reason: '200' });
  });
});
