import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { closeServer, listen } from '../lib/http';
import { ANONYMOUS, IDENTITY_HEADER, type Identity, SERVICE, verifyIdentity } from '../lib/identity';
import { createLogger } from '../lib/logger';
import { catalogueImport } from './catalogue/import';
import type { AuditEntry } from './audit';
import { Upstream, UpstreamFailure, callerOf } from './upstream';

/*
 * The gateway's one upstream client against real HTTP servers on port 0: signing, time limits, what a
 * failure says, and the catalogue import proxy's idle limit.
 */

const SECRET = 'upstream-test-secret-0123456789abcdefghij';
const COORDINATOR: Identity = { role: 'COORDINATOR', credentialId: 'c-1' };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('upstream', () => {
  const servers: Server[] = [];
  const upstream = new Upstream(SECRET);
  const start = async (handler: Handler) => {
    const s = await serve(handler);
    servers.push(s.server);
    return s.url;
  };
  afterAll(async () => {
    upstream.destroy();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('signs every call for the identity given and reads GraphQL answers of any status', async () => {
    const url = await start((req, res) => {
      const verified = verifyIdentity(req.headers[IDENTITY_HEADER] as string, SECRET);
      res.writeHead(verified.ok ? 400 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: verified.ok ? verified.identity.role : verified.reason }] }));
    });
    const { status, body } = await upstream.graphql(url, { query: '{ x }' }, COORDINATOR, 1000);
    expect({ status, body }).toEqual({ status: 400, body: { errors: [{ message: 'COORDINATOR' }] } });
    await expect(upstream.serviceQuery(url, '{ x }', {}, 1000)).rejects.toThrow(/^SERVICE$/);
  });

  it('says why there is no answer: time limit, no connection, not GraphQL, service down', async () => {
    const silent = await start(() => undefined);
    const failure = await upstream.post(silent, '{}', SERVICE, 150).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({ kind: 'TIMEOUT', message: 'no answer within 150 ms', unavailable: true });

    const closed = await start(() => undefined);
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(upstream.post(closed, '{}', SERVICE, 1000)).rejects.toMatchObject({
      kind: 'UNREACHABLE',
      message: 'cannot connect: ECONNREFUSED',
    });

    const proxy = await start((_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503</h1>'));
    await expect(upstream.graphql(proxy, { query: '{ x }' }, SERVICE, 1000)).rejects.toMatchObject({
      kind: 'NOT_GRAPHQL',
      status: 503,
      unavailable: true,
      message: 'HTTP 503, not a GraphQL answer',
    });
    expect(await upstream.get(`${proxy}/health`, 1000)).toEqual({ status: 503, text: '<h1>503</h1>' });
  });

  it("decides once who a call without a client is: the gateway's own loading and health checks go as SERVICE", () => {
    expect(callerOf({ kind: 'incoming operation', context: { identity: COORDINATOR } })).toEqual(COORDINATOR);
    expect(callerOf({ kind: 'loading schema', context: {} })).toBe(SERVICE);
    expect(callerOf({ kind: 'health check', context: {} })).toBe(SERVICE);
    // A client's operation whose identity got lost gets no more than the public API.
    expect(callerOf({ kind: 'incoming operation', context: {} })).toBe(ANONYMOUS);
    expect(callerOf({})).toBe(ANONYMOUS);
  });

  it('streams an import to the node and cuts off a node that goes silent, answering the client JSON', async () => {
    // A node that reads the upload, says it started, then sends nothing more.
    const node = await start((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"progress":{"read":1}}\n');
      });
    });
    // A node that never answers at all.
    const mute = await start((req) => req.resume());
    const audit: AuditEntry[] = [];
    const app = express();
    const nodes: Record<string, string> = {
      kemrsl: `${node}/members/kemrsl/graphql`,
      kemgik: `${mute}/members/kemgik/graphql`,
    };
    app.post(
      '/catalogue/:member/import',
      catalogueImport({
        registry: { node: (m: string) => (nodes[m] ? { url: nodes[m] } : undefined) } as never,
        admit: () => Promise.resolve(COORDINATOR),
        upstream,
        idleMs: 300,
        record: (entries) => Promise.resolve(void audit.push(...entries)),
      }),
    );
    const { server, port } = await listen(app, 0, '127.0.0.1', { logger: createLogger('test', 'silent') });
    try {
      const gateway = `http://127.0.0.1:${port}`;
      const upload = '00024nam  22000011a 4500\u001e\u001d';
      const refused = await fetch(`${gateway}/catalogue/kemgik/import`, { method: 'POST', body: upload });
      expect(refused.status).toBe(502);
      expect(await refused.json()).toEqual({
        error: 'The catalogue node of kemgik is unavailable: nothing sent or received for 300 ms',
      });

      const cut = await fetch(`${gateway}/catalogue/kemrsl/import`, { method: 'POST', body: upload });
      expect(cut.status).toBe(200);
      await expect(cut.text()).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(audit.map((e) => [e.target, e.outcome])).toEqual([
        ['kemgik', 'CATALOGUE_NODE_UNAVAILABLE'],
        ['kemrsl', 'CATALOGUE_NODE_UNAVAILABLE'],
      ]);
    } finally {
      await closeServer(server);
    }
  });
});
