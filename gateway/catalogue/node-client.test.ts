import type { HttpAnswer } from '../../lib/http-post';
import { HttpPostFailure } from '../../lib/http-post';
import { IDENTITY_HEADER, type Identity, verifyIdentity } from '../../lib/identity';
import { createLogger } from '../../lib/logger';
import type { CheckedNodeEntry } from './registry';
import { GatewayMetrics } from '../metrics';
import { CatalogueNodeClient, batchDeadlineMs } from './node-client';
import { type Transport, Upstream } from '../upstream';

/*
 * The node client over a fake transport: what goes over the wire (URLs, bodies, signed identities), and how
 * answers, failures, retries, circuits and hosted-node batches become each member's NodeCall. No sockets,
 * no timers beyond the client's own.
 */

const SECRET = 'node-client-test-secret-0123456789abcdef';
const EDITOR: Identity = { role: 'EDITOR', memberId: 'm-1', memberCode: 'kemrsl' };

interface Sent {
  url: string;
  body: Record<string, unknown>;
  identity: Identity | null;
  timeoutMs: number;
}

type Reply = HttpAnswer | HttpPostFailure | ((sent: Sent) => HttpAnswer | HttpPostFailure);

function fakeNetwork(endpoints: Record<string, string>, reply: (sent: Sent) => Reply) {
  const sent: Sent[] = [];
  const transport: Transport = {
    get: () => Promise.reject(new Error('the node client sends no GETs')),
    post: async (url, payload, headers, timeoutMs) => {
      const verified = verifyIdentity(headers[IDENTITY_HEADER], SECRET);
      const s: Sent = {
        url,
        body: JSON.parse(payload) as Record<string, unknown>,
        identity: verified.ok ? verified.identity : null,
        timeoutMs,
      };
      sent.push(s);
      let answer = reply(s);
      if (typeof answer === 'function') answer = answer(s);
      if (answer instanceof HttpPostFailure) throw answer;
      return answer;
    },
  };
  const entries: CheckedNodeEntry[] = Object.entries(endpoints).map(([member, url]) => ({
    member,
    url,
    source: 'file',
    schema: 'COMPATIBLE',
    problems: [],
  }));
  const registry = { node: (m: string) => entries.find((e) => e.member === m), all: () => entries };
  const metrics = new GatewayMetrics();
  const client = new CatalogueNodeClient(
    registry,
    new Upstream(SECRET, transport),
    { timeoutMs: 2000, retries: 1, breakerResetMs: 60_000 },
    metrics,
    createLogger('test', 'silent'),
  );
  return { sent, client, metrics };
}

const json = (body: unknown, status = 200): HttpAnswer => ({ status, headers: {}, text: JSON.stringify(body) });
const read = { operation: 'search', retry: true, identity: EDITOR };

describe('catalogue node client', () => {
  let clients: CatalogueNodeClient[] = [];
  const network = (...args: Parameters<typeof fakeNetwork>) => {
    const made = fakeNetwork(...args);
    clients.push(made.client);
    return made;
  };
  afterEach(() => {
    for (const c of clients) c.shutdown();
    clients = [];
  });

  it("posts the query to the member's endpoint, signed for the caller, and answers OK", async () => {
    const { sent, client, metrics } = network({ kemrsl: 'http://a/members/kemrsl/graphql' }, () =>
      json({ data: { catalogueSearch: { total: 3 } } }),
    );
    const call = await client.call('kemrsl', '{ catalogueSearch(query: "x") { total } }', { a: 1 }, read);
    expect(call).toEqual({
      member: 'kemrsl',
      status: 'OK',
      tookMs: expect.any(Number),
      body: { data: { catalogueSearch: { total: 3 } } },
      error: null,
    });
    expect(sent).toEqual([
      {
        url: 'http://a/members/kemrsl/graphql',
        body: { query: '{ catalogueSearch(query: "x") { total } }', variables: { a: 1 } },
        identity: EDITOR,
        timeoutMs: expect.any(Number),
      },
    ]);
    expect(sent[0]!.timeoutMs).toBeLessThanOrEqual(2000);
    expect(await metrics.registry.getSingleMetricAsString('catalogue_node_requests_total')).toContain(
      'catalogue_node_requests_total{member="kemrsl",operation="search",status="OK"} 1',
    );
  });

  it('counts bad input as the caller’s, not as a failure of the node', async () => {
    const refusal = { errors: [{ message: 'first: at most 100', extensions: { code: 'BAD_USER_INPUT' } }] };
    const { client } = network({ kemrsl: 'http://a/members/kemrsl/graphql' }, () => json(refusal, 400));
    expect(await client.call('kemrsl', '{ x }', {}, read)).toMatchObject({ status: 'OK', body: refusal });
  });

  it('sends a read again once after a connection failure, never after a timeout or for a write', async () => {
    let failures = 1;
    const { sent, client } = network({ kemrsl: 'http://a/members/kemrsl/graphql' }, () =>
      failures-- > 0 ? new HttpPostFailure('UNREACHABLE', 'ECONNRESET') : json({ data: { ok: true } }),
    );
    expect(await client.call('kemrsl', '{ ok }', {}, read)).toMatchObject({ status: 'OK' });
    expect(sent).toHaveLength(2);

    sent.length = 0;
    failures = 1;
    expect(await client.call('kemrsl', '{ ok }', {}, { ...read, retry: false })).toMatchObject({
      status: 'UNAVAILABLE',
      error: 'cannot connect: ECONNRESET',
    });
    expect(sent).toHaveLength(1);

    const slow = network(
      { kemgik: 'http://b/members/kemgik/graphql' },
      (s) => new HttpPostFailure('TIMEOUT', String(s.timeoutMs)),
    );
    expect(await slow.client.call('kemgik', '{ ok }', {}, read)).toMatchObject({
      status: 'TIMEOUT',
      error: 'no answer within 2000 ms',
    });
    expect(slow.sent).toHaveLength(1);
  });

  it('tells a node that is down (no GraphQL answer, 503) from one that answers with an error', async () => {
    const { client } = network(
      { kemrsl: 'http://a/members/kemrsl/graphql', kemgik: 'http://b/members/kemgik/graphql' },
      (s) =>
        s.url.startsWith('http://a')
          ? { status: 503, headers: {}, text: '<html>Service Unavailable</html>' }
          : json({ data: null, errors: [{ message: 'relation does not exist' }] }, 500),
    );
    expect(await client.call('kemrsl', '{ x }', {}, { ...read, retry: false })).toMatchObject({
      status: 'UNAVAILABLE',
      error: 'HTTP 503, not a GraphQL answer',
    });
    expect(await client.call('kemgik', '{ x }', {}, read)).toMatchObject({
      status: 'ERROR',
      error: 'relation does not exist',
      body: { data: null },
    });
  });

  it('opens the circuit of a node that keeps failing: skipped without being asked', async () => {
    const { sent, client } = network({ kemrsl: 'http://a/members/kemrsl/graphql' }, () =>
      json({ data: null, errors: [{ message: 'down' }] }, 500),
    );
    for (let i = 0; i < 3; i++) await client.call('kemrsl', '{ x }', {}, read);
    expect(client.circuits()).toEqual({ kemrsl: 'open' });
    sent.length = 0;
    expect(await client.call('kemrsl', '{ x }', {}, read)).toMatchObject({ status: 'SKIPPED', tookMs: null });
    expect(sent).toEqual([]);
  });

  it("sends a hosted node's members one batch, with a deadline inside the limit, and answers each alone", async () => {
    const hosted = {
      kemrsl: 'http://hosted/members/kemrsl/graphql',
      kemgik: 'http://hosted/members/kemgik/graphql',
      kemsu: 'http://hosted/members/kemsu/graphql',
      own: 'http://own/members/own/graphql',
    };
    const { sent, client } = network(hosted, (s) =>
      s.url === 'http://hosted/batch/graphql'
        ? json({
            results: [
              { member: 'kemrsl', status: 200, body: { data: { n: 1 } } },
              { member: 'kemgik', timeout: true },
              { member: 'kemsu', status: 200, body: { data: null, errors: [{ message: 'broken' }] } },
            ],
          })
        : json({ data: { n: 4 } }),
    );
    const calls = await client.callMany(['kemrsl', 'own', 'kemgik', 'kemsu'], '{ n }', (m) => ({ m }), {
      ...read,
      fanOut: 8,
    });
    expect(calls.map((c) => [c.member, c.status, c.error])).toEqual([
      ['kemrsl', 'OK', null],
      ['own', 'OK', null],
      ['kemgik', 'TIMEOUT', 'no answer within 2000 ms'],
      ['kemsu', 'ERROR', 'broken'],
    ]);
    const batch = sent.find((s) => s.url === 'http://hosted/batch/graphql')!;
    expect(batch.body).toEqual({
      query: '{ n }',
      requests: [
        { member: 'kemrsl', variables: { m: 'kemrsl' } },
        { member: 'kemgik', variables: { m: 'kemgik' } },
        { member: 'kemsu', variables: { m: 'kemsu' } },
      ],
      deadlineMs: expect.any(Number),
    });
    expect(batch.body.deadlineMs as number).toBeLessThan(batch.timeoutMs);
    expect(batch.identity).toEqual(EDITOR);
    expect(sent.map((s) => s.url).sort()).toEqual(['http://hosted/batch/graphql', 'http://own/members/own/graphql']);
    expect(client.calls('kemrsl', hosted.kemrsl)).toBe('batched');
    expect(client.calls('own', hosted.own)).toBe('alone');
  });

  it("asks a hosted node to answer a tenth of the time before the call's limit (100 ms to a quarter)", () => {
    expect([2000, 4000, 800, 300, 1].map(batchDeadlineMs)).toEqual([1800, 3600, 700, 225, 1]);
  });

  it('calls an older hosted node (no batch endpoint) member by member, with the same answers', async () => {
    const hosted = { kemrsl: 'http://old/members/kemrsl/graphql', kemgik: 'http://old/members/kemgik/graphql' };
    const { sent, client } = network(hosted, (s) =>
      s.url.endsWith('/batch/graphql')
        ? { status: 404, headers: {}, text: 'Cannot POST /batch/graphql' }
        : json({ data: { member: s.url.split('/')[4] } }),
    );
    const calls = await client.callMany(['kemrsl', 'kemgik'], '{ member }', {}, { ...read, fanOut: 8 });
    expect(calls.map((c) => [c.status, c.body])).toEqual([
      ['OK', { data: { member: 'kemrsl' } }],
      ['OK', { data: { member: 'kemgik' } }],
    ]);
    expect(sent.map((s) => s.url)).toEqual([
      'http://old/batch/graphql',
      'http://old/members/kemrsl/graphql',
      'http://old/members/kemgik/graphql',
    ]);
    expect(client.calls('kemrsl', hosted.kemrsl)).toBe('member by member');
    // It is not asked for batches again for a while.
    sent.length = 0;
    await client.callMany(['kemrsl', 'kemgik'], '{ member }', {}, { ...read, fanOut: 8 });
    expect(sent.map((s) => s.url)).not.toContain('http://old/batch/graphql');
  });
});
