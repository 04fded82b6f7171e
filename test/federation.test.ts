/**
 * The gateway federating many catalogue nodes (issue #4): six nodes on port 0, each with a database of its
 * own — three healthy, one down, one slower than the node time limit, one answering every request with a
 * server error — plus a single-database "ground truth" node holding the three healthy catalogues together.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import { generateRecords } from '../scripts/catalogue-generator';
import { isbn13CheckDigit } from '../scripts/catalogue-generator/isbn';
import type { RunningCatalogueNode } from '../subgraphs/catalogue/node';
import { recordToIso2709, toUnicodeRecord } from '../subgraphs/catalogue/marc/write';
import { startTestCatalogueNode, uploadBytes } from './testkit/catalogue';
import { createTestDatabase, type TestDatabase } from './testkit/database';
import { type FaultProxy, deadUrl, startFaultProxy } from './testkit/fault-proxy';
import { graphql, graphqlOk } from './testkit/graphql';
import { registerCatalogueNode, startTestNetwork, type TestNetwork } from './testkit/network';

const HEALTHY = ['kemrsl', 'kemgik', 'kemsu'] as const;
// Generous for the healthy nodes of a test machine under load; the slow node takes far longer.
const NODE_TIMEOUT_MS = 1500;

// One edition every healthy library holds: the same ISBN, catalogued a little differently by each.
const SHARED_ISBN = `978577790999${isbn13CheckDigit('978577790999')}`;
const SHARED_COPIES: Record<string, number> = { kemrsl: 2, kemgik: 1, kemsu: 3 };

/** A hand-made RUSMARC record of the shared edition, as one library catalogued it. */
function sharedEdition(member: string, title: string): Buffer {
  const r = new MarcRecord();
  r.leader = '00000nam0 2200000   450 ';
  r.addVariableField(new MarcControlField('001', `${member}-shared-1`));
  r.addVariableField(new MarcDataField('010', ' ', ' ', [new MarcSubfield('a', SHARED_ISBN)]));
  r.addVariableField(new MarcDataField('101', '0', ' ', [new MarcSubfield('a', 'rus')]));
  r.addVariableField(
    new MarcDataField('200', '1', ' ', [new MarcSubfield('a', title), new MarcSubfield('f', 'Т. А. Смолякова')]),
  );
  r.addVariableField(
    new MarcDataField('210', ' ', ' ', [new MarcSubfield('a', 'Кемерово'), new MarcSubfield('d', '2016')]),
  );
  r.addVariableField(
    new MarcDataField('700', ' ', '1', [new MarcSubfield('a', 'Смолякова'), new MarcSubfield('b', 'Т. А.')]),
  );
  for (let copy = 1; copy <= SHARED_COPIES[member]!; copy++) {
    r.addVariableField(
      new MarcDataField('899', ' ', ' ', [
        new MarcSubfield('a', `ОФ${copy}`),
        new MarcSubfield('p', `${member}-${copy}`),
      ]),
    );
  }
  return recordToIso2709(toUnicodeRecord(r, 'UNIMARC'));
}

/** A library's generated catalogue (RUSMARC, UTF-8; editions shared with the others) plus the shared edition. */
function catalogueOf(member: string, seed: number, records: number, title: string): Buffer {
  return Buffer.concat([
    ...generateRecords({ member, records, flavour: 'RUSMARC', encoding: 'UTF-8', seed, shared: 0.4 }),
    sharedEdition(member, title),
  ]);
}

const FILES: Record<string, Buffer> = {
  kemrsl: catalogueOf('kemrsl', 1, 150, 'Тренд на мобильность : перезагрузка библиографии'),
  kemgik: catalogueOf('kemgik', 2, 120, 'Тренд на мобильность: перезагрузка библиографии'),
  kemsu: catalogueOf('kemsu', 3, 90, 'ТРЕНД НА МОБИЛЬНОСТЬ. Перезагрузка библиографии'),
};

let network: TestNetwork;
let url: string;
const databases: TestDatabase[] = [];
const nodes: RunningCatalogueNode[] = [];
let ground: RunningCatalogueNode;
let slow: FaultProxy;
let failing: FaultProxy;

async function nodeWithDatabase(label: string, members: string[]): Promise<RunningCatalogueNode> {
  const db = await createTestDatabase(`federation_${label}`);
  databases.push(db);
  const node = await startTestCatalogueNode(db, members);
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  network = await startTestNetwork('federation', {
    gateway: { nodeTimeoutMs: NODE_TIMEOUT_MS, breakerResetMs: 3000, registryRefreshMs: 1000 },
    beforeGateway: async ({ subgraphs }) => {
      const members = subgraphs.members!.url;
      for (const code of HEALTHY) {
        const node = await nodeWithDatabase(code, [code]);
        await uploadBytes(node, code, FILES[code]!);
        await registerCatalogueNode(members, code, node.endpoint(code));
      }
      // The same records in one database: what the network's merged answers must equal.
      ground = await nodeWithDatabase('ground', ['ground']);
      for (const code of HEALTHY) await uploadBytes(ground, 'ground', FILES[code]!);
      // Down, slow and failing nodes of three more members.
      await registerCatalogueNode(members, 'nvkz-cbs', await deadUrl());
      const slowNode = await nodeWithDatabase('slow', ['ktags']);
      slow = await startFaultProxy(slowNode.endpoint('ktags'), { kind: 'slow', delayMs: 6000 });
      await registerCatalogueNode(members, 'ktags', slow.url);
      const failingNode = await nodeWithDatabase('failing', ['prk-mining']);
      failing = await startFaultProxy(failingNode.endpoint('prk-mining'), { kind: 'error' });
      await registerCatalogueNode(members, 'prk-mining', failing.url);
    },
  });
  url = network.gateway.url;
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await Promise.allSettled([...nodes.map((n) => n.stop()), slow?.stop(), failing?.stop()]);
  await Promise.allSettled(databases.map((db) => db.drop()));
});

const SEARCH = `query Search($query: String!, $filter: CatalogueFilter, $first: Int, $offset: Int, $groupBy: SearchGrouping, $sort: CatalogueSort) {
  catalogueSearch(query: $query, filter: $filter, first: $first, offset: $offset, groupBy: $groupBy, sort: $sort) {
    total
    hits {
      score
      record { id controlNumber title editionKey owner { code name } }
      heldBy { member { code name } records { id controlNumber } holdingsCount }
    }
    facets { field values { value count } }
    nodes { member { code } status tookMs total error }
  }
}`;

type SearchData = {
  catalogueSearch: {
    total: number;
    hits: Array<{
      score: number;
      record: {
        id: string;
        controlNumber: string;
        title: string;
        editionKey: string | null;
        owner: { code: string; name: string };
      };
      heldBy: Array<{
        member: { code: string; name: string };
        records: Array<{ id: string; controlNumber: string }>;
        holdingsCount: number;
      }>;
    }>;
    facets: Array<{ field: string; values: Array<{ value: string; count: number }> }>;
    nodes: Array<{
      member: { code: string };
      status: string;
      tookMs: number | null;
      total: number | null;
      error: string | null;
    }>;
  } | null;
};

/** A network search; over the healthy libraries unless `filter` says otherwise (no wait for the slow one). */
const search = (variables: Record<string, unknown>) =>
  graphql<SearchData>(url, SEARCH, { filter: { libraries: [...HEALTHY] }, ...variables });

describe('network search', () => {
  it('merges every live node, reports the dead, slow and failing ones, and answers within the node time limit', async () => {
    const started = performance.now();
    const { data, errors } = await search({ query: 'библиотека', first: 10, filter: null });
    const took = performance.now() - started;
    const result = data!.catalogueSearch!;
    const status = Object.fromEntries(result.nodes.map((n) => [n.member.code, n.status]));
    expect(status).toMatchObject({ kemrsl: 'OK', kemgik: 'OK', kemsu: 'OK' });
    expect(['UNAVAILABLE', 'SKIPPED']).toContain(status['nvkz-cbs']);
    expect(['TIMEOUT', 'SKIPPED']).toContain(status.ktags);
    expect(['ERROR', 'SKIPPED']).toContain(status['prk-mining']);
    const missing = (errors ?? []).filter((e) => e.extensions?.code === 'CATALOGUE_NODE_UNAVAILABLE');

    expect(missing.map((e) => e.extensions?.member).sort()).toEqual(['ktags', 'nvkz-cbs', 'prk-mining']);
    expect(missing.every((e) => e.path?.[0] === 'catalogueSearch')).toBe(true);
    // The slow node is cut off at the time limit; phase two (records, holdings) asks healthy nodes only.
    expect(took).toBeLessThan(NODE_TIMEOUT_MS + 1500);
    expect(result.hits).toHaveLength(10);
    expect(result.total).toBe(result.nodes.reduce((sum, n) => sum + (n.total ?? 0), 0));
  });

  it('gives the order, totals and facets one database holding every record gives', async () => {
    for (const query of ['библиотека', 'история России', 'Кузбасс']) {
      const network = (await search({ query, first: 30 })).data!.catalogueSearch!;
      // The node alone knows members by code only.
      const single = (
        await graphqlOk<SearchData>(ground.endpoint('ground'), SEARCH.replace(/ name\b/g, ''), { query, first: 30 })
      ).catalogueSearch!;
      expect(network.total).toBe(single.total);
      expect(network.total).toBeGreaterThan(0);
      // Same scores in the same order; among equal scores the records may come in another order.
      expect(network.hits.map((h) => h.score)).toEqual(single.hits.map((h) => h.score));
      const byScore = (hits: SearchData['catalogueSearch'] & object) => {
        const last = hits.hits.at(-1)?.score;
        return hits.hits
          .filter((h) => h.score !== last)
          .map((h) => h.record.controlNumber)
          .sort();
      };
      expect(byScore(network)).toEqual(byScore(single));
      const facets = (r: NonNullable<SearchData['catalogueSearch']>) =>
        r.facets
          .filter((f) => f.field !== 'LIBRARY')
          .map((f) => ({ ...f, values: [...f.values].sort((a, b) => a.value.localeCompare(b.value)) }));
      expect(facets(network)).toEqual(facets(single));
      const library = network.facets.find((f) => f.field === 'LIBRARY')!;
      expect(library.values.reduce((sum, v) => sum + v.count, 0)).toBe(network.total);
    }
  });

  it('shares exactUpTo among the catalogues and says when the counts are estimated', async () => {
    const COUNTS = `query Counts($query: String!, $filter: CatalogueFilter, $exactUpTo: Int) {
      catalogueSearch(query: $query, filter: $filter, exactUpTo: $exactUpTo) {
        total approximate nodes { member { code } total }
      }
    }`;
    type Counts = {
      catalogueSearch: {
        total: number;
        approximate: boolean;
        nodes: Array<{ member: { code: string }; total: number }>;
      };
    };
    const filter = { libraries: [...HEALTHY] };
    const exact = (await graphqlOk<Counts>(url, COUNTS, { query: 'история', filter })).catalogueSearch;
    expect(exact.approximate).toBe(false);
    // 3 over three catalogues is 1 each: every catalogue whose sample finds the word estimates.
    const estimated = (await graphqlOk<Counts>(url, COUNTS, { query: 'история', filter, exactUpTo: 3 }))
      .catalogueSearch;
    expect(estimated.approximate).toBe(true);
    expect(estimated.total).toBe(estimated.nodes.reduce((sum, n) => sum + n.total, 0));
    const exactly = new Map(exact.nodes.map((n) => [n.member.code, n.total]));
    for (const node of estimated.nodes) {
      // Either estimated from the one-in-16 sample, or counted exactly where the sample found nothing.
      expect(node.total % 16 === 0 || node.total === exactly.get(node.member.code)).toBe(true);
    }
    for (const exactUpTo of [0, 5001]) {
      const { errors } = await graphql(url, COUNTS, { query: 'история', filter, exactUpTo });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'exactUpTo' });
    }
  });

  it('groups one edition held by three libraries into one hit with three holders', async () => {
    const grouped = (await search({ query: SHARED_ISBN, groupBy: 'EDITION' })).data!.catalogueSearch!;
    expect(grouped.hits).toHaveLength(1);
    const [hit] = grouped.hits;
    expect(hit!.record.editionKey).toBe(`isbn:${SHARED_ISBN}`);
    // The owner of the shown record first, then by member code; copies as each library holds them.
    expect(hit!.heldBy[0]!.member.code).toBe(hit!.record.owner.code);
    expect(hit!.heldBy.map((h) => h.member.code).sort()).toEqual(['kemgik', 'kemrsl', 'kemsu']);
    for (const holder of hit!.heldBy) {
      expect(holder.holdingsCount).toBe(SHARED_COPIES[holder.member.code]);
      expect(holder.records).toEqual([
        { id: `${holder.member.code}:${holder.member.code}-shared-1`, controlNumber: `${holder.member.code}-shared-1` },
      ]);
      expect(holder.member.name).toBeTruthy(); // joined from the members subgraph
    }
    // Without grouping: three hits, each knowing the other holders.
    const plain = (await search({ query: 'ISBN ' + SHARED_ISBN })).data!.catalogueSearch!;
    expect(plain.hits.map((h) => h.record.owner.code).sort()).toEqual(['kemgik', 'kemrsl', 'kemsu']);
    expect(plain.hits.every((h) => h.heldBy.length === 3)).toBe(true);
    // The title-based key of a record without ISBN: case and punctuation do not split an edition.
    expect(new Set(plain.hits.map((h) => h.record.editionKey))).toEqual(new Set([`isbn:${SHARED_ISBN}`]));
  });

  it('pages grouped results consistently', async () => {
    const query = 'библиотека';
    const whole = (await search({ query, groupBy: 'EDITION', first: 12 })).data!.catalogueSearch!;
    const one = (await search({ query, groupBy: 'EDITION', first: 6 })).data!.catalogueSearch!;
    const two = (await search({ query, groupBy: 'EDITION', first: 6, offset: 6 })).data!.catalogueSearch!;
    const ids = (r: NonNullable<SearchData['catalogueSearch']>) => r.hits.map((h) => h.record.id);
    expect([...ids(one), ...ids(two)]).toEqual(ids(whole));
    // Editions on one page do not come back on another.
    const keys = whole.hits.map((h) => h.record.editionKey ?? h.record.id);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers the client’s own aliases and fragments, on first and later pages', async () => {
    const query = `query($q: String!, $offset: Int, $libraries: [String!]) {
      catalogueSearch(query: $q, first: 3, offset: $offset, filter: { libraries: $libraries }) {
        found: hits { record { id title: controlNumber ...Year } }
      }
    }
    fragment Year on CatalogueRecord { published: year }`;
    for (const offset of [0, 3]) {
      const data = await graphqlOk<{
        catalogueSearch: { found: Array<{ record: { id: string; title: string; published: number | null } }> };
      }>(url, query, { q: 'библиотека', offset, libraries: [...HEALTHY] });
      expect(data.catalogueSearch.found).toHaveLength(3);
      for (const { record } of data.catalogueSearch.found) {
        expect(record.id.endsWith(`:${record.title}`)).toBe(true); // the control number, under the alias
        expect('published' in record).toBe(true);
      }
    }
  });

  it('searches only the libraries asked for', async () => {
    const result = (await search({ query: 'библиотека', filter: { libraries: ['kemgik', 'kemsu'] }, first: 50 })).data!
      .catalogueSearch!;
    expect(result.nodes.map((n) => n.member.code).sort()).toEqual(['kemgik', 'kemsu']);
    expect(new Set(result.hits.map((h) => h.record.owner.code))).toEqual(new Set(['kemgik', 'kemsu']));
  });

  it('refuses pages beyond the cap with BAD_USER_INPUT, and bad queries once', async () => {
    const deep = await search({ query: 'библиотека', first: 10, offset: 995 });
    expect(deep.data?.catalogueSearch).toBeNull();
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'offset' });
    const wide = await search({ query: 'библиотека', first: 101 });
    // The gateway refuses it before planning: no page anywhere is larger than GATEWAY_MAX_PAGE_SIZE.
    expect(wide.errors?.[0]?.extensions).toMatchObject({ code: 'PAGE_SIZE_LIMIT', field: 'first', limit: 100 });
    const long = await search({ query: 'а'.repeat(1001) });
    expect(long.errors).toHaveLength(1);
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
  });
});

describe('routing by owner', () => {
  it('splits a mixed _entities batch by owner and puts it back in order', async () => {
    const { data, errors } = await graphql<{
      members: { edges: Array<{ node: { code: string; catalogue: { recordCount: number } | null } }> };
    }>(url, '{ members(first: 50) { edges { node { code catalogue { recordCount } } } } }');
    const byCode = Object.fromEntries(
      data!.members.edges.map((e) => [e.node.code, e.node.catalogue?.recordCount ?? null]),
    );
    // Each member's own count in its own row (the catalogues differ in size, so a swap would show).
    expect([byCode.kemrsl, byCode.kemgik, byCode.kemsu]).toEqual([151, 121, 91]);
    // Members without a node have no catalogue; the dead node's member is null with a coded error.
    expect(byCode['sib-bibl-assoc']).toBeNull();
    expect(byCode['nvkz-cbs']).toBeNull();
    expect(
      errors?.some((e) => e.extensions?.code === 'CATALOGUE_NODE_UNAVAILABLE' && e.extensions?.member === 'nvkz-cbs'),
    ).toBe(true);
  });

  it('fetches a record from its owner and nulls an unknown owner with a code', async () => {
    const data = await graphqlOk<{ catalogueRecord: { id: string; holdingsCount: number } }>(
      url,
      'query($id: ID!) { catalogueRecord(id: $id) { id holdingsCount } }',
      { id: 'kemsu:kemsu-shared-1' },
    );
    expect(data.catalogueRecord).toEqual({ id: 'kemsu:kemsu-shared-1', holdingsCount: 3 });
    const unknown = await graphql(url, '{ catalogueRecord(id: "nobody:1") { id } }');
    expect(unknown.data?.catalogueRecord).toBeNull();
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'CATALOGUE_NODE_UNKNOWN', member: 'nobody' });
  });
});

describe('the node registry', () => {
  it('picks up a node registered at runtime without a restart', async () => {
    const node = await nodeWithDatabase('late', ['kem-mibs']);
    await uploadBytes(node, 'kem-mibs', sharedEdition('kem-mibs', 'Тренд на мобильность'));
    await registerCatalogueNode(network.subgraphs.members!.url, 'kem-mibs', node.endpoint('kem-mibs'));
    // No explicit refresh: the gateway's periodic one (every second here) finds it.
    let holders: string[] = [];
    for (let i = 0; i < 50 && !holders.includes('kem-mibs'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const result = (
        await search({ query: SHARED_ISBN, groupBy: 'EDITION', filter: { libraries: [...HEALTHY, 'kem-mibs'] } })
      ).data?.catalogueSearch;
      holders = result?.hits[0]?.heldBy.map((h) => h.member.code) ?? [];
    }
    expect(holders).toContain('kem-mibs');
  });

  it('refuses a node whose schema does not fit the supergraph, with a clear status', async () => {
    const real = await graphqlOk<{ _service: { sdl: string } }>(nodes[0]!.endpoint('kemrsl'), '{ _service { sdl } }');
    // An old node: its hits have no heldBy yet.
    const old = real._service.sdl.replace(/heldBy: \[CatalogueHolder!\]!/, 'holders: [CatalogueHolder!]!');
    expect(old).not.toBe(real._service.sdl);
    const server = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: { _service: { sdl: old } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await registerCatalogueNode(network.subgraphs.members!.url, 'kem-lyceum23', `http://127.0.0.1:${port}/graphql`);
      await network.gateway.refreshCatalogueNodes();
      const health = (await (await fetch(new URL('/health', url))).json()) as {
        catalogueNodes: Array<{ member: string; schema: string; state: string; problems?: string[] }>;
      };
      const refused = health.catalogueNodes.find((n) => n.member === 'kem-lyceum23');
      expect(refused).toMatchObject({ schema: 'INCOMPATIBLE', state: 'refused' });
      expect(refused!.problems!.join('\n')).toMatch(/CatalogueHit\.heldBy was removed/);
      const result = (await search({ query: 'библиотека', first: 1, filter: null })).data!.catalogueSearch!;
      expect(result.nodes.map((n) => n.member.code)).not.toContain('kem-lyceum23');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('failure handling', () => {
  it('skips a node that keeps failing and lets it back when it recovers', async () => {
    // Only the failing node and a healthy one: no wait for the slow node.
    const probe = () => search({ query: 'библиотека', first: 1, filter: { libraries: ['prk-mining', 'kemrsl'] } });
    const statusOf = async () =>
      (await probe()).data!.catalogueSearch!.nodes.find((n) => n.member.code === 'prk-mining')!.status;
    const untilStatus = async (wanted: string) => {
      let status = '';
      for (let i = 0; i < 80 && status !== wanted; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await statusOf();
      }
      return status;
    };
    // Start from a closed circuit (earlier tests may have opened it), so the reset time starts below.
    failing.mode = { kind: 'pass' };
    expect(await untilStatus('OK')).toBe('OK');
    // Failing from now on: once at least half of the recent calls failed, the circuit opens.
    failing.mode = { kind: 'error' };
    expect(await untilStatus('SKIPPED')).toBe('SKIPPED');
    const before = failing.requests;
    await probe();
    expect(failing.requests).toBe(before); // not even asked
    const health = (await (await fetch(new URL('/health', url))).json()) as {
      catalogueNodes: Array<{ member: string; circuit: string; state: string }>;
    };
    expect(health.catalogueNodes.find((n) => n.member === 'prk-mining')).toMatchObject({
      circuit: 'open',
      state: 'skipped',
    });
    // The node recovers; after the reset time one probe goes through and closes the circuit.
    failing.mode = { kind: 'pass' };
    expect(await untilStatus('OK')).toBe('OK');
    failing.mode = { kind: 'error' };
  });

  it('counts every node call on /metrics', async () => {
    const text = await (await fetch(new URL('/metrics', url))).text();
    expect(text).toMatch(/catalogue_node_requests_total\{member="kemrsl",operation="search",status="OK"\} [1-9]/);
    expect(text).toMatch(/catalogue_node_requests_total\{member="ktags",operation="search",status="TIMEOUT"\} [1-9]/);
    expect(text).toMatch(
      /catalogue_node_requests_total\{member="nvkz-cbs",operation="search",status="UNAVAILABLE"\} [1-9]/,
    );
    expect(text).toMatch(
      /catalogue_node_request_duration_seconds_bucket\{le="0.1",member="kemrsl",operation="search"\}/,
    );
    expect(text).toMatch(/catalogue_node_retries_total\{member="nvkz-cbs"\} [1-9]/);
    expect(text).toMatch(/catalogue_nodes\{schema="COMPATIBLE"\} [1-9]/);
    expect(text).toMatch(/gateway_process_resident_memory_bytes/);
  });
});
