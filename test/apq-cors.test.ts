import { createHash, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchBrowser } from './testkit/browser';
import { type GatewayConfig, loadGatewayConfig, startGateway, type RunningGateway } from '../gateway';
import { ConfigError } from '../lib/config';
import { createLogger } from '../lib/logger';
import { memberId } from '../scripts/demo/members';
import { loadTestConfig } from './testkit/config';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';

/**
 * Automatic persisted queries through the gateway (a hash instead of the query once registered, the same
 * limits either way, shared through Redis) and CORS per origin (GATEWAY_CORS_ORIGINS).
 */

let network: TestNetwork;
const started: RunningGateway[] = [];

beforeAll(async () => {
  network = await startTestNetwork('apq-cors');
}, 120_000);

afterAll(async () => {
  for (const gateway of started) await gateway.stop();
  await network?.stop();
});

const gatewayWith = async (overrides: Partial<GatewayConfig>) => {
  const gateway = await startGateway(testGatewayConfig(network.subgraphs, overrides), {
    logger: createLogger('gateway', 'silent'),
  });
  started.push(gateway);
  return gateway;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A query of its own for each test: the comment makes its text, and so its hash, new. */
const unique = (query: string) => `${query}\n# ${randomUUID()}`;
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** A hash-only GET, as a client that lets a CDN cache its reads sends it. */
async function get(
  url: string,
  params: { extensions: unknown; variables?: unknown },
  headers: Record<string, string> = { 'apollo-require-preflight': 'true' },
): Promise<Answer> {
  const target = new URL(url);
  target.searchParams.set('extensions', JSON.stringify(params.extensions));
  if (params.variables) target.searchParams.set('variables', JSON.stringify(params.variables));
  const response = await fetch(target, { headers });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const code = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

const MEMBERS = 'query MembersPage($first: Int) { members(first: $first) { totalCount edges { node { code } } } }';

describe('automatic persisted queries', () => {
  it('answer a registered hash alone, by POST and by GET; an unknown one is PersistedQueryNotFound', async () => {
    const url = network.gateway.url;
    const query = unique(MEMBERS);
    const hash = sha256(query);
    const variables = { first: 3 };

    const unknownPost = await post(url, { extensions: persisted(hash), variables });
    expect([code(unknownPost), unknownPost.body.errors?.[0]?.message]).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
      'PersistedQueryNotFound',
    ]);
    const unknownGet = await get(url, { extensions: persisted(hash), variables });
    expect(code(unknownGet)).toBe('PERSISTED_QUERY_NOT_FOUND');

    // The client sends the hash with the query: registered, and answered.
    const registered = await post(url, { query, extensions: persisted(hash), variables });
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data.members.edges).toHaveLength(3);

    const byPost = await post(url, { extensions: persisted(hash), variables });
    expect([byPost.status, byPost.body]).toEqual([200, registered.body]);
    const byGet = await get(url, { extensions: persisted(hash), variables });
    expect([byGet.status, byGet.body]).toEqual([200, registered.body]);
    // CSRF prevention holds for hash-only GETs too: without a preflight-forcing header, refused.
    const simple = await get(url, { extensions: persisted(hash), variables }, {});
    expect(simple.status).toBe(400);
  });

  it('refuse a hash that does not match its query, and keep nothing under it', async () => {
    const url = network.gateway.url;
    const query = unique(MEMBERS);
    const wrong = sha256(`${query} `);
    const refused = await post(url, { query, extensions: persisted(wrong), variables: { first: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.message).toBe('provided sha does not match query');
    expect(code(await post(url, { extensions: persisted(wrong) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(code(await post(url, { extensions: persisted(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('meet the same limits as queries sent in full: page size and cost checked on every request by hash', async () => {
    const url = network.gateway.url;
    const query = unique(
      'query Nested($n: Int!) { members(first: $n) { edges { node { events(first: $n) { edges { node { talks { speakers { person { fullName } } } } } } } } } }',
    );
    const hash = sha256(query);
    const registered = await post(url, { query, extensions: persisted(hash), variables: { n: 1 } });
    expect(registered.body.errors).toBeUndefined();
    // The same hash with bigger pages: the estimate is made anew with these variables.
    const costly = await post(url, { extensions: persisted(hash), variables: { n: 100 } });
    expect([costly.status, code(costly)]).toEqual([400, 'QUERY_COST_LIMIT']);
    const tooBig = await post(url, { extensions: persisted(hash), variables: { n: 1000 } });
    expect([tooBig.status, code(tooBig)]).toEqual([400, 'PAGE_SIZE_LIMIT']);
  });

  it('register nothing a limit refuses: a too deep query sent with its hash stays unknown', async () => {
    const url = network.gateway.url;
    const deep = unique(
      '{ members { edges { node { sections { members { member { sections { members { member { sections { members { member { code } } } } } } } } } } } } }',
    );
    const hash = sha256(deep);
    const refused = await post(url, { query: deep, extensions: persisted(hash) });
    expect(code(refused)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors?.[0]?.message).toMatch(/depth/i);
    expect(code(await post(url, { extensions: persisted(hash) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('are authorised and recorded in the audit log like queries sent in full', async () => {
    const url = network.gateway.url;
    const query = unique(
      'mutation Website($id: ID!, $w: String) { updateMember(id: $id, input: { website: $w }) { id } }',
    );
    const hash = sha256(query);
    const websites = [`https://kemgik.ru/${randomUUID()}`, `https://kemgik.ru/${randomUUID()}`];
    const id = memberId('kemgik');
    const full = await post(
      url,
      { query, extensions: persisted(hash), variables: { id, w: websites[0] } },
      network.coordinator,
    );
    expect(full.body.errors).toBeUndefined();
    const byHash = await post(
      url,
      { extensions: persisted(hash), variables: { id, w: websites[1] } },
      network.coordinator,
    );
    expect(byHash.body.errors).toBeUndefined();
    // Anonymous callers may not change a member, by hash either.
    expect(code(await post(url, { extensions: persisted(hash), variables: { id, w: 'https://x.example' } }))).toBe(
      'UNAUTHENTICATED',
    );
    let recorded: string[] = [];
    for (let i = 0; i < 50 && recorded.length < 3; i++) {
      const { data } = (
        await post(
          url,
          { query: '{ auditLog(operation: "updateMember", first: 100) { arguments outcome } }' },
          network.coordinator,
        )
      ).body;
      recorded = data.auditLog
        .filter(
          (e: { arguments: string }) =>
            websites.some((w) => e.arguments.includes(w)) || e.arguments.includes('x.example'),
        )
        .map((e: { outcome: string }) => e.outcome);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recorded.sort()).toEqual(['OK', 'OK', 'UNAUTHENTICATED']);
  });

  it('are shared by gateways using one Redis', async () => {
    const config: Partial<GatewayConfig> = {
      persistedQueries: { cache: 'redis', redisUrl: loadTestConfig().TEST_REDIS_URL, ttlSeconds: 120 },
    };
    const [one, two] = await Promise.all([gatewayWith(config), gatewayWith(config)]);
    const query = unique(MEMBERS);
    const hash = sha256(query);
    expect(code(await post(two.url, { extensions: persisted(hash) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(one.url, { query, extensions: persisted(hash), variables: { first: 2 } });
    expect(registered.body.errors).toBeUndefined();
    // Apollo keeps a registration without waiting for it: give Redis a moment.
    let other: Answer | undefined;
    for (let i = 0; i < 20; i++) {
      other = await post(two.url, { extensions: persisted(hash), variables: { first: 2 } });
      if (!other.body.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(other!.body).toEqual(registered.body);
  });

  it('still answer when Redis is down: a query sent in full is answered, its hash alone is unknown', async () => {
    const down = await gatewayWith({
      persistedQueries: { cache: 'redis', redisUrl: 'redis://127.0.0.1:1', ttlSeconds: 60 },
    });
    const query = unique(MEMBERS);
    const hash = sha256(query);
    const full = await post(down.url, { query, extensions: persisted(hash), variables: { first: 1 } });
    expect(full.body.errors).toBeUndefined();
    expect(code(await post(down.url, { extensions: persisted(hash), variables: { first: 1 } }))).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it('are refused when turned off', async () => {
    const off = await gatewayWith({ persistedQueries: { cache: 'off', redisUrl: undefined, ttlSeconds: 60 } });
    const query = unique(MEMBERS);
    expect(code(await post(off.url, { extensions: persisted(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(code(await post(off.url, { query, extensions: persisted(sha256(query)) }))).toBe(
      'PERSISTED_QUERY_NOT_SUPPORTED',
    );
  });

  it('are kept in Redis when REDIS_URL is set unless configured otherwise', () => {
    const redis = 'redis://127.0.0.1:6379';
    expect(loadGatewayConfig({}).persistedQueries.cache).toBe('memory');
    expect(loadGatewayConfig({ REDIS_URL: redis }).persistedQueries).toEqual({
      cache: 'redis',
      redisUrl: redis,
      ttlSeconds: 86_400,
    });
    expect(loadGatewayConfig({ REDIS_URL: redis, GATEWAY_PERSISTED_QUERIES: 'memory' }).persistedQueries.cache).toBe(
      'memory',
    );
    expect(() => loadGatewayConfig({ GATEWAY_PERSISTED_QUERIES: 'redis' })).toThrow(ConfigError);
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://library.example';
  let cors: RunningGateway;
  beforeAll(async () => {
    cors = await gatewayWith({ corsOrigins: [ALLOWED, 'http://localhost:5173'] });
  });

  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
  const corsHeaders = (response: Response) =>
    [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('answers a preflight from an allowed origin with what its browser needs, on /graphql and /statistics', async () => {
    for (const target of [cors.url, `${new URL(cors.url).origin}/statistics/members-by-region.csv`]) {
      const response = await preflight(target, ALLOWED);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(response.headers.get('access-control-allow-headers')).toEqual(expect.stringContaining('authorization'));
      expect(response.headers.get('access-control-allow-headers')).toEqual(
        expect.stringContaining('apollo-require-preflight'),
      );
      expect(response.headers.get('vary')).toMatch(/origin/i);
    }
    const answer = await fetch(cors.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ members { totalCount } }' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('gives any other origin no CORS header at all', async () => {
    for (const origin of ['https://evil.example', 'https://library.example.evil.example', 'http://library.example']) {
      expect(corsHeaders(await preflight(cors.url, origin))).toEqual([]);
    }
    const answer = await fetch(cors.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(corsHeaders(answer)).toEqual([]);
  });

  it('allows any origin only when told `*`, and none by default', async () => {
    const any = await gatewayWith({ corsOrigins: '*' });
    const response = await preflight(any.url, 'https://anywhere.example');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(corsHeaders(await preflight(network.gateway.url, ALLOWED))).toEqual([]);
  });

  it('lets a page of an allowed origin call the API with a key in a real browser, and no other', async () => {
    // One page server, two origins: 127.0.0.1 is allowed, localhost (same port) is not.
    const pages: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>'));
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const port = (pages.address() as AddressInfo).port;
    const browser = await launchBrowser();
    try {
      const gateway = await gatewayWith({ corsOrigins: [`http://127.0.0.1:${port}`] });
      const call = async (origin: string) => {
        const page = await browser.newPage();
        await page.goto(`${origin}/`);
        const result = await page.evaluate(
          async ({ url, authorization }) => {
            try {
              const response = await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization },
                body: JSON.stringify({ query: '{ auditLog(first: 1) { operation } }' }),
              });
              return { status: response.status, body: (await response.json()) as unknown };
            } catch (error) {
              return { failed: (error as Error).message };
            }
          },
          { url: gateway.url, authorization: network.coordinator.authorization! },
        );
        await page.close();
        return result;
      };
      const allowed = await call(`http://127.0.0.1:${port}`);
      expect(allowed).toEqual({ status: 200, body: { data: { auditLog: expect.any(Array) } } });
      expect(await call(`http://localhost:${port}`)).toEqual({ failed: 'Failed to fetch' });
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
    }
  });

  it('is configured as a list of origins, or `*` alone', () => {
    expect(loadGatewayConfig({}).corsOrigins).toEqual([]);
    expect(
      loadGatewayConfig({ GATEWAY_CORS_ORIGINS: ' https://library.example , http://localhost:5173 ' }).corsOrigins,
    ).toEqual(['https://library.example', 'http://localhost:5173']);
    expect(loadGatewayConfig({ GATEWAY_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    for (const bad of ['*,https://library.example', 'https://library.example/', 'library.example', 'ftp://x.example']) {
      expect(() => loadGatewayConfig({ GATEWAY_CORS_ORIGINS: bad })).toThrow(ConfigError);
    }
  });
});
