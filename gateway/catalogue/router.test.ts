import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, prettyFormatQueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';
import type { CallOptions } from './node-client';
import type { GraphQLResponse, Json, NodeCall, NodeCaller, Registry } from './nodes';
import { CatalogueRouter } from './router';

/*
 * The router against a fake network: a registry of three members and a node caller that records every
 * query it is given and answers from a table. The node queries are inline snapshots, so any change to what
 * goes over the wire shows as a diff here.
 */

interface Sent {
  members: string[];
  operation: string;
  query: string;
  variables: Json | ((member: string) => Json);
}

type Answer = (member: string, variables: Json) => GraphQLResponse | 'TIMEOUT';

function fakeNetwork(answers: Record<string, Answer>, members = ['kemrsl', 'nvkz-cbs', 'kemsu']) {
  const sent: Sent[] = [];
  const registry: Registry = {
    node: (m) =>
      members.includes(m)
        ? { member: m, url: `http://${m}`, source: 'file', schema: 'COMPATIBLE', problems: [] }
        : undefined,
    all: () => members.map((m) => registry.node(m)!),
  };
  const answer = (member: string, variables: Json, operation: string): NodeCall => {
    const reply = answers[operation]?.(member, variables) ?? {
      data: null,
      errors: [{ message: `no fake for ${operation}` }],
    };
    if (reply === 'TIMEOUT')
      return { member, status: 'TIMEOUT', tookMs: 5000, body: null, error: 'no answer within 5000 ms' };
    return { member, status: 'OK', tookMs: 3, body: reply, error: null };
  };
  const client: NodeCaller = {
    call: async (member: string, query: string, variables: Json, options: CallOptions) => {
      sent.push({ members: [member], operation: options.operation, query, variables });
      return answer(member, variables, options.operation);
    },
    callMany: async (list, query, variables, options) => {
      sent.push({ members: [...list], operation: options.operation, query, variables });
      return list.map((m) => answer(m, typeof variables === 'function' ? variables(m) : variables, options.operation));
    },
  };
  const router = new CatalogueRouter(registry, client, { fanOut: 8, statisticsCacheMs: 0, statisticsTimeoutMs: 1000 });
  const run = (query: string, variables: Json = {}) =>
    router.process({ request: { query, variables }, context: {} } as unknown as GraphQLDataSourceProcessOptions);
  return { sent, run };
}

const hit = (member: string, n: number, score: number, title = `Книга ${n}`) => ({
  score,
  record: {
    _kbgId: `${member}:${n}`,
    _kbgKey: `isbn:${n}`,
    _kbgYear: 2000 + n,
    _kbgTitle: title,
    id: `${member}:${n}`,
    title,
  },
});

const searchAnswer =
  (hits: Record<string, ReturnType<typeof hit>[]>): Answer =>
  (member) => ({
    data: {
      catalogueSearch: {
        total: hits[member]?.length ?? 0,
        facets: [{ field: 'LANGUAGE', values: [{ value: 'rus', count: hits[member]?.length ?? 0 }] }],
        hits: hits[member] ?? [],
      },
    },
  });

describe('catalogue router', () => {
  it('sends one phase-one query to every node, merges by score and pages, with record fields on a first page', async () => {
    const { sent, run } = fakeNetwork({
      search: searchAnswer({
        kemrsl: [hit('kemrsl', 1, 0.9), hit('kemrsl', 2, 0.4)],
        'nvkz-cbs': [hit('nvkz-cbs', 3, 0.7)],
        kemsu: [],
      }),
    });
    const result = await run(
      `query ($q: String!) { s: catalogueSearch(query: $q, first: 2) { total facets { field values { value count } }
        hits { score record { id title } } nodes { member { code } status } } }`,
      { q: 'история Кузбасса' },
    );
    expect(sent.map((s) => [s.operation, s.members])).toEqual([['search', ['kemrsl', 'nvkz-cbs', 'kemsu']]]);
    expect(sent[0]!.query).toMatchInlineSnapshot(`
     "query ($kbgQuery: String!, $kbgFilter: CatalogueFilter, $kbgFirst: Int, $kbgSort: CatalogueSort, $kbgExactUpTo: Int) {
       catalogueSearch(
         query: $kbgQuery
         filter: $kbgFilter
         first: $kbgFirst
         offset: 0
         sort: $kbgSort
         exactUpTo: $kbgExactUpTo
       ) {
         total
         facets {
           field
           values {
             value
             count
           }
         }
         hits {
           score
           record {
             _kbgId: id
             _kbgKey: editionKey
             _kbgYear: year
             _kbgTitle: title
             ... on CatalogueRecord {
               id
               title
             }
           }
         }
       }
     }"
    `);
    expect(sent[0]!.variables).toEqual({
      kbgQuery: 'история Кузбасса',
      kbgFilter: null,
      kbgFirst: 2,
      kbgSort: 'RELEVANCE',
      kbgExactUpTo: 1666,
    });
    expect(result).toEqual({
      data: {
        s: {
          total: 3,
          facets: [{ field: 'LANGUAGE', values: [{ value: 'rus', count: 3 }] }],
          hits: [
            { score: 0.9, record: expect.objectContaining({ id: 'kemrsl:1', title: 'Книга 1' }) },
            { score: 0.7, record: expect.objectContaining({ id: 'nvkz-cbs:3', title: 'Книга 3' }) },
          ],
          nodes: [
            { member: { code: 'kemrsl' }, status: 'OK' },
            { member: { code: 'nvkz-cbs' }, status: 'OK' },
            { member: { code: 'kemsu' }, status: 'OK' },
          ],
        },
      },
    });
  });

  it('fetches a deeper page from the owners and heldBy from every answering node', async () => {
    const { sent, run } = fakeNetwork({
      search: searchAnswer({
        kemrsl: [hit('kemrsl', 1, 0.9), hit('kemrsl', 2, 0.4)],
        'nvkz-cbs': [hit('nvkz-cbs', 3, 0.7)],
      }),
      records: (_member, variables) => ({
        data: {
          // A node answers the fetch's selection only (no id): the router puts records back by position.
          _entities: (variables.representations as Array<{ id: string }>).map((r) => ({ title: `T ${r.id}` })),
        },
      }),
      holdings: (member, variables) => ({
        data: {
          catalogueHoldings: (variables.keys as string[]).map((key) => ({
            key,
            holdingsCount: 1,
            records: [{ id: `${member}:${key}` }],
          })),
        },
      }),
    });
    const result = await run(
      `{ catalogueSearch(query: "x", first: 1, offset: 1) { hits { record { title } heldBy { member { code } records { id } } } } }`,
    );
    expect(sent.map((s) => [s.operation, s.members])).toEqual([
      ['search', ['kemrsl', 'nvkz-cbs', 'kemsu']],
      ['records', ['nvkz-cbs']],
      ['holdings', ['kemrsl', 'nvkz-cbs', 'kemsu']],
    ]);
    expect(sent[0]!.query).toMatchInlineSnapshot(`
     "query ($kbgQuery: String!, $kbgFilter: CatalogueFilter, $kbgFirst: Int, $kbgSort: CatalogueSort, $kbgExactUpTo: Int) {
       catalogueSearch(
         query: $kbgQuery
         filter: $kbgFilter
         first: $kbgFirst
         offset: 0
         sort: $kbgSort
         exactUpTo: $kbgExactUpTo
       ) {
         total
         hits {
           score
           record {
             _kbgId: id
             _kbgKey: editionKey
             _kbgYear: year
             _kbgTitle: title
           }
         }
       }
     }"
    `);
    expect(sent[1]!.query).toMatchInlineSnapshot(`
     "query ($representations: [_Any!]!) {
       _entities(representations: $representations) {
         ... on CatalogueRecord {
           title
         }
       }
     }"
    `);
    expect(sent[2]!.query).toMatchInlineSnapshot(`
     "query ($keys: [String!]!) {
       catalogueHoldings(keys: $keys) {
         key
         holdingsCount
         records {
           id
         }
       }
     }"
    `);
    expect(result.data).toEqual({
      catalogueSearch: {
        hits: [
          {
            record: { title: 'T nvkz-cbs:3' },
            // The owner of the hit's record first, then by member code.
            heldBy: [
              { member: { code: 'nvkz-cbs' }, records: [{ id: 'nvkz-cbs:isbn:3' }] },
              { member: { code: 'kemrsl' }, records: [{ id: 'kemrsl:isbn:3' }] },
              { member: { code: 'kemsu' }, records: [{ id: 'kemsu:isbn:3' }] },
            ],
          },
        ],
      },
    });
  });

  it("carries only the client's variables and fragments a node query uses", async () => {
    const { sent, run } = fakeNetwork({ search: searchAnswer({}) });
    await run(
      `query ($q: String!, $unused: Int, $withYear: Boolean!) { catalogueSearch(query: $q) { hits { record { ...R } } } }
       fragment R on CatalogueRecord { title year @include(if: $withYear) }
       fragment Unused on CatalogueRecord { id }`,
      { q: 'x', unused: 3, withYear: true },
    );
    expect(sent[0]!.query).toMatchInlineSnapshot(`
     "query ($kbgQuery: String!, $kbgFilter: CatalogueFilter, $kbgFirst: Int, $kbgSort: CatalogueSort, $kbgExactUpTo: Int, $withYear: Boolean!) {
       catalogueSearch(
         query: $kbgQuery
         filter: $kbgFilter
         first: $kbgFirst
         offset: 0
         sort: $kbgSort
         exactUpTo: $kbgExactUpTo
       ) {
         total
         hits {
           score
           record {
             _kbgId: id
             _kbgKey: editionKey
             _kbgYear: year
             _kbgTitle: title
             ... on CatalogueRecord {
               ...R
             }
           }
         }
       }
     }

     fragment R on CatalogueRecord {
       title
       year @include(if: $withYear)
     }"
    `);
    expect(sent[0]!.variables).toMatchObject({ withYear: true });
    expect(sent[0]!.variables).not.toHaveProperty('unused');
  });

  it('leaves out a node that failed, says so, and refuses bad arguments without asking any node', async () => {
    const { sent, run } = fakeNetwork({
      search: (member) =>
        member === 'kemsu' ? 'TIMEOUT' : searchAnswer({ kemrsl: [hit('kemrsl', 1, 0.5)] })(member, {}),
    });
    const result = await run(`{ catalogueSearch(query: "x") { total nodes { member { code } status } } }`);
    expect(result.data).toEqual({
      catalogueSearch: {
        total: 1,
        nodes: [
          { member: { code: 'kemrsl' }, status: 'OK' },
          { member: { code: 'nvkz-cbs' }, status: 'OK' },
          { member: { code: 'kemsu' }, status: 'TIMEOUT' },
        ],
      },
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'CATALOGUE_NODE_UNAVAILABLE', member: 'kemsu', status: 'TIMEOUT' },
      }),
    ]);
    sent.length = 0;
    const refused = await run(`{ catalogueSearch(query: "x", first: 101) { total } }`);
    expect(refused).toEqual({
      data: { catalogueSearch: null },
      errors: [
        expect.objectContaining({ path: ['catalogueSearch'], extensions: { code: 'BAD_USER_INPUT', field: 'first' } }),
      ],
    });
    expect(sent).toEqual([]);
  });

  it('routes a record to its owner, entities by owner with their paths put back, and names unknown owners', async () => {
    const { sent, run } = fakeNetwork({
      record: (member) => ({ data: { catalogueRecord: { id: `${member}:7` } } }),
      entities: (member, variables) => ({
        data: {
          _entities: (variables.representations as Array<{ id: string }>).map((r, i) =>
            i === 0 ? { id: r.id } : null,
          ),
        },
        errors: member === 'kemsu' ? [{ message: 'gone', path: ['_entities', 1] }] : undefined,
      }),
    });
    const one = await run(`query ($id: ID!) { r: catalogueRecord(id: $id) { id } }`, { id: 'kemrsl:7' });
    expect(one).toEqual({ data: { catalogueRecord: { id: 'kemrsl:7' } } });
    expect(sent[0]).toMatchObject({ members: ['kemrsl'], operation: 'record', variables: { id: 'kemrsl:7' } });
    expect(sent[0]!.query).toMatchInlineSnapshot(`
     "query ($id: ID!) {
       r: catalogueRecord(id: $id) {
         id
       }
     }"
    `);

    const unknown = await run(`{ catalogueRecord(id: "nobody:1") { id } }`);
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'CATALOGUE_NODE_UNKNOWN', member: 'nobody' });

    sent.length = 0;
    const entities = await run(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on CatalogueRecord { id } } }`,
      {
        representations: [
          { __typename: 'CatalogueRecord', id: 'kemsu:1' },
          { __typename: 'CatalogueRecord', id: 'kemrsl:2' },
          { __typename: 'CatalogueRecord', id: 'kemsu:3' },
          { __typename: 'CatalogueRecord', id: 'ghost:4' },
        ],
      },
    );
    expect(sent.map((s) => [s.operation, s.members])).toEqual([['entities', ['kemsu', 'kemrsl']]]);
    expect(entities.data).toEqual({ _entities: [{ id: 'kemsu:1' }, { id: 'kemrsl:2' }, null, null] });
    expect(entities.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 3],
        extensions: { code: 'CATALOGUE_NODE_UNKNOWN', member: 'ghost' },
      }),
      // kemsu's error about its second representation is the request's third.
      { message: 'gone', path: ['_entities', 2] },
    ]);
  });
});

describe("the gateway's query plans for the catalogue", () => {
  const supergraph = Supergraph.build(readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'));
  const planner = new QueryPlanner(supergraph);
  const plan = (query: string) =>
    prettyFormatQueryPlan(planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query))));

  it('a network search with its holders’ member names: the catalogue first, then members by reference', () => {
    expect(
      plan(
        `{ catalogueSearch(query: "Кузбасс", first: 5) { total hits { record { title } heldBy { member { code name } } } } }`,
      ),
    ).toMatchInlineSnapshot(`
     "QueryPlan {
       Sequence {
         Fetch(service: "catalogue") {
           {
             catalogueSearch(query: "Кузбасс", first: 5) {
               total
               hits {
                 record {
                   title
                 }
                 heldBy {
                   member {
                     __typename
                     code
                   }
                 }
               }
             }
           }
         },
         Flatten(path: "catalogueSearch.hits.@.heldBy.@.member") {
           Fetch(service: "members") {
             {
               ... on Member {
                 __typename
                 code
               }
             } =>
             {
               ... on Member {
                 name
               }
             }
           },
         },
       },
     }"
    `);
  });

  it('a member with its catalogue figures: members first, then the catalogue by reference', () => {
    expect(plan(`{ memberByCode(code: "kemrsl") { name catalogue { recordCount } } }`)).toMatchInlineSnapshot(`
     "QueryPlan {
       Sequence {
         Fetch(service: "members") {
           {
             memberByCode(code: "kemrsl") {
               __typename
               code
               name
             }
           }
         },
         Flatten(path: "memberByCode") {
           Fetch(service: "catalogue") {
             {
               ... on Member {
                 __typename
                 code
               }
             } =>
             {
               ... on Member {
                 catalogue {
                   recordCount
                 }
               }
             }
           },
         },
       },
     }"
    `);
  });
});
