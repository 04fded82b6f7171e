/**
 * A hosted catalogue node (one process serving several members) behind the gateway: the gateway sends each
 * fan-out to it as one batch request instead of one per member, each member keeps its own status, a member
 * whose catalogue is stuck times out alone, and a node without batches is called member by member with the
 * same answers. Real node, real database, a counting proxy between gateway and node.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { RunningCatalogueNode } from '../subgraphs/catalogue/node';
import { memberSchema } from '../subgraphs/catalogue/config';
import { generatedCatalogue, startTestCatalogueNode, uploadBytes } from './testkit/catalogue';
import { graphql, graphqlOk } from './testkit/graphql';
import { signedAs } from './testkit/identity';
import { registerCatalogueNode, startTestNetwork, type TestNetwork } from './testkit/network';

const HOSTED = ['kemrsl', 'kemgik', 'kemsu'] as const;
// Generous, so that the healthy members answer in time on a busy machine too; below the stuck search's own
// statement timeout (SEARCH_TIMEOUT_MS, 5 s) with room to spare, so that the stuck member is cut off by the
// batch's deadline (3.6 s: the limit less a tenth, node-client.ts batchDeadlineMs), whatever the load.
const NODE_TIMEOUT_MS = 4000;

/** Forwards every request to the node by path, counting them; can refuse batches as an older node would. */
interface CountingProxy {
  base: string;
  paths: string[];
  mode: 'pass' | 'no-batch' | 'down';
  stop(): Promise<void>;
}

async function startCountingProxy(target: string): Promise<CountingProxy> {
  const proxy = { paths: [], mode: 'pass' } as unknown as CountingProxy;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // The gateway's schema checks are not part of what the tests count.
      if (!body.toString('utf8').includes('_service')) proxy.paths.push(req.url ?? '');
      if (proxy.mode === 'down') return void res.destroy();
      if (proxy.mode === 'no-batch' && req.url === '/batch/graphql') {
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('Cannot POST /batch/graphql');
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length' && k !== 'connection'),
      ) as Record<string, string>;
      fetch(`${target}${req.url}`, { method: req.method, headers, body: new Uint8Array(body) })
        .then(async (response) => {
          res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

let network: TestNetwork;
let url: string;
let node: RunningCatalogueNode;
let proxy: CountingProxy;

beforeAll(async () => {
  network = await startTestNetwork('hosted', {
    gateway: { nodeTimeoutMs: NODE_TIMEOUT_MS, registryRefreshMs: 60_000, breakerResetMs: 1000 },
    beforeGateway: async ({ subgraphs, db }) => {
      node = await startTestCatalogueNode(db, [...HOSTED]);
      for (const [i, code] of HOSTED.entries()) {
        await uploadBytes(node, code, generatedCatalogue(code, 120, i + 7, 0.4));
      }
      proxy = await startCountingProxy(node.baseUrl);
      for (const code of HOSTED) {
        await registerCatalogueNode(subgraphs.members!.url, code, `${proxy.base}/members/${code}/graphql`);
      }
    },
  });
  url = network.gateway.url;
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await proxy?.stop();
  await node?.stop();
});

const SEARCH = `query Search($query: String!, $groupBy: SearchGrouping) {
  catalogueSearch(query: $query, first: 10, groupBy: $groupBy, filter: { libraries: ["kemrsl", "kemgik", "kemsu"] }) {
    total
    hits { score record { id title owner { code } } heldBy { member { code } holdingsCount records { id } } }
    facets { field values { value count } }
    nodes { member { code } status total error }
  }
}`;

type Search = {
  catalogueSearch: {
    total: number;
    hits: Array<{ score: number; record: { id: string }; heldBy: Array<{ member: { code: string } }> }>;
    facets: unknown[];
    nodes: Array<{ member: { code: string }; status: string; total: number | null; error: string | null }>;
  };
};

/** A member's own search on the node, directly, for comparing totals. */
async function directTotal(code: string, query: string): Promise<number> {
  const { catalogueSearch } = await graphqlOk<{ catalogueSearch: { total: number } }>(
    node.endpoint(code),
    'query($q: String!) { catalogueSearch(query: $q, first: 0) { total } }',
    { q: query },
  );
  return catalogueSearch.total;
}

describe('a hosted node behind the gateway', () => {
  let batched: Search['catalogueSearch'];

  it('gets one request per fan-out for all its members, each with its own status and total', async () => {
    const searched = async () =>
      ((await (await fetch(`${node.baseUrl}/health`)).json()) as { searches: { together: number; alone: number } })
        .searches;
    const before = await searched();
    proxy.paths.length = 0;
    const result = await graphql<Search>(url, SEARCH, { query: 'история', groupBy: 'EDITION' });
    expect(result.errors).toBeUndefined();
    // The node searched all its members' catalogues together, not one by one.
    expect(await searched()).toEqual({ together: before.together + HOSTED.length, alone: before.alone });
    batched = result.data!.catalogueSearch;
    // Phase one (search) and phase two (holdings of the page's editions): one batch each.
    expect(proxy.paths).toEqual(['/batch/graphql', '/batch/graphql']);
    expect(batched.nodes.map((n) => [n.member.code, n.status])).toEqual(HOSTED.map((c) => [c, 'OK']));
    for (const code of HOSTED) {
      expect(batched.nodes.find((n) => n.member.code === code)!.total).toBe(await directTotal(code, 'история'));
    }
    expect(batched.total).toBe(batched.nodes.reduce((sum, n) => sum + n.total!, 0));
    expect(batched.total).toBeGreaterThan(0);
    expect(batched.hits.length).toBe(10);
    // Editions held by several of the hosted libraries are grouped with every holder.
    expect(batched.hits.some((h) => h.heldBy.length > 1)).toBe(true);
  });

  it('batches entity lookups too: every hosted member’s catalogue in one request', async () => {
    proxy.paths.length = 0;
    const { members } = await graphqlOk<{
      members: { edges: Array<{ node: { code: string; catalogue: { recordCount: number; status: string } | null } }> };
    }>(url, '{ members(first: 100) { edges { node { code catalogue { recordCount status } } } } }');
    for (const code of HOSTED) {
      expect(members.edges.find((e) => e.node.code === code)!.node.catalogue).toEqual({
        recordCount: 120,
        status: 'ONLINE',
      });
    }
    expect(proxy.paths).toEqual(['/batch/graphql']);
  });

  it('times out one member whose catalogue is stuck while the others answer', async () => {
    // A long maintenance transaction holds kemgik's records: its searches wait, its neighbours' do not.
    const lock = new Client({ connectionString: network.db.url });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query(
        `lock table ${memberSchema(network.db.schema('catalogue_kemrsl'), 'kemgik')}.catalogue_record in access exclusive mode`,
      );
      const result = await graphql<Search>(url, SEARCH, { query: 'история' });
      const nodes = result.data!.catalogueSearch.nodes;
      // TIMEOUT, not ERROR: the batch's deadline cut kemgik off, not its stuck statement's own timeout.
      expect(nodes.map((n) => [n.member.code, n.status, n.error])).toEqual([
        ['kemrsl', 'OK', null],
        ['kemgik', 'TIMEOUT', `no answer within ${NODE_TIMEOUT_MS} ms`],
        ['kemsu', 'OK', null],
      ]);
      expect(result.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'CATALOGUE_NODE_UNAVAILABLE', member: 'kemgik' }),
        }),
      ]);
      expect(result.data!.catalogueSearch.total).toBe(
        (await directTotal('kemrsl', 'история')) + (await directTotal('kemsu', 'история')),
      );
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
    }
  });

  it('reports every member of a node that is down, skips them while it stays down, and takes them back', async () => {
    const statuses = (result: { data?: Search | null }) =>
      result.data!.catalogueSearch.nodes.map((n) => [n.member.code, n.status]);
    proxy.mode = 'down';
    try {
      const result = await graphql<Search>(url, SEARCH, { query: 'история' });
      expect(statuses(result)).toEqual(HOSTED.map((c) => [c, 'UNAVAILABLE']));
      expect(result.data!.catalogueSearch.total).toBe(0);
      expect(result.errors!.map((e) => e.extensions?.member).sort()).toEqual([...HOSTED].sort());
      // Each member's own circuit opens as its calls keep failing; then the node is not even asked.
      let skipped: Array<Array<string>> = [];
      for (let i = 0; i < 6 && !skipped.length; i++) {
        const again = statuses(await graphql<Search>(url, SEARCH, { query: 'история' }));
        if (again.every(([, status]) => status === 'SKIPPED')) skipped = again;
      }
      expect(skipped).toEqual(HOSTED.map((c) => [c, 'SKIPPED']));
      proxy.paths.length = 0;
      await graphql<Search>(url, SEARCH, { query: 'история' });
      expect(proxy.paths).toEqual([]);
    } finally {
      proxy.mode = 'pass';
    }
    // After the reset time one batch probes the node, and its success closes every member's circuit.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const back = await graphql<Search>(url, SEARCH, { query: 'история' });
    expect(back.errors).toBeUndefined();
    expect(statuses(back)).toEqual(HOSTED.map((c) => [c, 'OK']));
  });

  it('refuses batches it cannot read, and any not signed by the gateway', async () => {
    const post = (body: unknown, headers: Record<string, string> = signedAs({ role: 'COORDINATOR' })) =>
      fetch(`${node.baseUrl}/batch/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const unsigned = await post({ query: '{ __typename }', requests: [{ member: 'kemrsl' }] }, {});
    expect(unsigned.status).toBe(401);
    const empty = await post({ query: '{ __typename }', requests: [] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toMatch(/requests/);
    const mixed = await post({ query: '{ __typename }', requests: [{ member: 'kemsu' }, { member: 'nobody' }] });
    expect(await mixed.json()).toEqual({
      results: [
        { member: 'kemsu', status: 200, body: { data: { __typename: 'Query' } } },
        { member: 'nobody', unknown: true },
      ],
    });
  });

  // Last: the gateway then remembers for a while that this node answers member by member.
  it('calls a node without batches member by member, with the same answer', async () => {
    proxy.mode = 'no-batch';
    proxy.paths.length = 0;
    const calls = async () =>
      (
        (await (await fetch(`http://127.0.0.1:${network.gateway.port}/health`)).json()) as {
          catalogueNodes: Array<{ member: string; calls: string }>;
        }
      ).catalogueNodes
        .filter((n) => (HOSTED as readonly string[]).includes(n.member))
        .map((n) => n.calls);
    expect(await calls()).toEqual(['batched', 'batched', 'batched']);
    const result = await graphql<Search>(url, SEARCH, { query: 'история', groupBy: 'EDITION' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.catalogueSearch).toEqual(batched);
    expect(await calls()).toEqual(['member by member', 'member by member', 'member by member']);
    // The refused batch, then the three members' searches and their holdings.
    expect(proxy.paths.filter((p) => p === '/batch/graphql')).toHaveLength(1);
    expect(proxy.paths.filter((p) => p !== '/batch/graphql').sort()).toEqual(
      HOSTED.flatMap((c) => [`/members/${c}/graphql`, `/members/${c}/graphql`]).sort(),
    );
  });
});
