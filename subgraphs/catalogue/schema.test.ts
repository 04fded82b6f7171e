import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, isEnumType, isInputObjectType, isObjectType, parse } from 'graphql';
import type { Orm } from '../../lib/orm';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { graphql, graphqlOk } from '../../test/testkit/graphql';
import { eventsSubgraph } from '../events';
import { membersSubgraph } from '../members';
import { sectionsSubgraph } from '../sections';
import { buildCatalogueSchema } from './schema';
import { finishImportRun, startImportRun, upsertRecords } from './storage';
import {
  FIXTURES,
  openCatalogue,
  record,
  startTestCatalogueServer,
  type TestCatalogueServer,
} from '../../test/testkit/catalogue-store';

describe('catalogue schema', () => {
  let schema: GraphQLSchema;
  let sdl: string;

  beforeAll(async () => {
    schema = await buildCatalogueSchema();
    sdl = printSubgraphSchema(schema);
  });

  it('describes every type, field, argument and enum value of its own', () => {
    const missing: string[] = [];
    const own = Object.values(schema.getTypeMap()).filter(
      (t) =>
        !t.name.startsWith('_') &&
        !t.name.startsWith('link__') &&
        !t.name.startsWith('federation__') &&
        !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name),
    );
    for (const type of own) {
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(own.map((t) => t.name)).toEqual(expect.arrayContaining(['CatalogueRecord', 'Member', 'MemberCatalogue']));
  });

  it('declares the entity keys and the Member stub', () => {
    expect(sdl).toMatch(/type CatalogueRecord\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(
      /type Member\s+@key\(fields: "code"\)\s*\{[^}]*code: String![^}]*catalogue: MemberCatalogue\n\}/,
    );
    // Nullable root fields, like every subgraph's (docs/ARCHITECTURE.md).
    expect(sdl).toMatch(/\): CatalogueSearchResult\n/);
    expect(sdl).toMatch(/\): CatalogueRecord\n/);
    expect(sdl).not.toMatch(/CatalogueNodeStatus|CatalogueNodeRegistration/);
  });

  it('composes with the other subgraphs once members also keys Member by code', async () => {
    const services = [];
    for (const subgraph of [membersSubgraph, sectionsSubgraph, eventsSubgraph]) {
      let typeDefs = printSubgraphSchema(await subgraph.buildSchema());
      if (subgraph === membersSubgraph && !/@key\(fields: "code"\)/.test(typeDefs)) {
        typeDefs = typeDefs.replace(
          /type Member\s+@key\(fields: "id"\)/,
          'type Member @key(fields: "id") @key(fields: "code")',
        );
      }
      services.push({ name: subgraph.name, url: `http://${subgraph.name}.invalid/graphql`, typeDefs: parse(typeDefs) });
    }
    services.push({ name: 'catalogue', url: 'http://catalogue.invalid/graphql', typeDefs: parse(sdl) });
    const result = composeServices(services);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.supergraphSdl).toContain('catalogue: MemberCatalogue');
  });
});

describe('catalogue records, references and member summaries over HTTP', () => {
  let db: TestDatabase;
  let kemrsl: Orm;
  let nvkz: Orm;
  let serverA: TestCatalogueServer;
  let serverB: TestCatalogueServer;

  const NVKZ = [
    record('RU/NVK/0001', { title: 'Библиотека Новокузнецка: вчера и сегодня', year: 2010, bbk: ['78.3'] }),
    // The same control number as a kemrsl record: each catalogue has its own.
    record('RU/KEM/0001', { title: 'Новокузнецкая копия', year: 2011 }),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('catalogue_schema');
    kemrsl = await openCatalogue(db, 'kemrsl');
    nvkz = await openCatalogue(db, 'nvkz-cbs');
    await upsertRecords(kemrsl.em.fork(), FIXTURES);
    await upsertRecords(nvkz.em.fork(), NVKZ);
    serverA = await startTestCatalogueServer(kemrsl, 'kemrsl');
    serverB = await startTestCatalogueServer(nvkz, 'nvkz-cbs');
  });

  afterAll(async () => {
    await serverA?.stop();
    await serverB?.stop();
    await kemrsl?.close(true);
    await nvkz?.close(true);
    await db?.drop();
  });

  const RECORD = /* GraphQL */ `
    query Record($id: ID!) {
      catalogueRecord(id: $id) {
        id
        controlNumber
        title
        otherTitleInfo
        statementOfResponsibility
        authors {
          name
          role
        }
        corporateAuthors
        place
        publisher
        year
        isbns {
          raw
          isbn13
          qualifier
        }
        languages
        materialType
        relations {
          kind
          title
          volume
          controlNumber
        }
        subjects
        bbk
        udc
        physicalDescription
        holdings {
          location
          shelfmark
          inventoryNumbers
          copies
          availability
        }
        holdingsCount
        sourceFlavour
        sourceEncoding
        sourceFormat
        marcXml
        owner {
          code
        }
        createdAt
        updatedAt
      }
    }
  `;

  it('returns a record with every field as stored', async () => {
    const source = FIXTURES[0]!;
    const data = await graphqlOk(serverA.url, RECORD, { id: 'kemrsl:RU/KEM/0001' });
    const { createdAt, updatedAt, ...rest } = data.catalogueRecord;
    expect(rest).toEqual({
      id: 'kemrsl:RU/KEM/0001',
      controlNumber: 'RU/KEM/0001',
      title: source.title,
      otherTitleInfo: source.otherTitleInfo,
      statementOfResponsibility: source.statementOfResponsibility,
      authors: source.authors,
      corporateAuthors: [],
      place: 'Кемерово',
      publisher: 'Кузбассвузиздат',
      year: 2015,
      isbns: source.isbns,
      languages: ['rus'],
      materialType: 'BOOK',
      relations: [],
      subjects: source.subjects,
      bbk: ['78.3'],
      udc: ['02:004'],
      physicalDescription: '215 с. : ил.',
      holdings: source.holdings,
      holdingsCount: 5,
      sourceFlavour: 'RUSMARC',
      sourceEncoding: 'CP1251',
      sourceFormat: 'ISO2709',
      marcXml: source.marcXml,
      owner: { code: 'kemrsl' },
    });
    expect(new Date(createdAt).getTime()).toBeLessThanOrEqual(new Date(updatedAt).getTime());

    const english = await graphqlOk(serverA.url, RECORD, { id: 'kemrsl:RU/KEM/0003' });
    expect(english.catalogueRecord).toMatchObject({
      sourceEncoding: 'UTF_8',
      sourceFlavour: 'MARC21',
      languages: ['eng'],
    });
    const series = await graphqlOk(serverA.url, RECORD, { id: 'kemrsl:RU/KEM/0002' });
    expect(series.catalogueRecord.relations).toEqual(FIXTURES[1]!.relations);
    expect(series.catalogueRecord.holdingsCount).toBe(0);
  });

  it('reads the MARCXML only when it is asked for, in one query for all hits', async () => {
    const queries: string[] = [];
    const knex = kemrsl.em.getKnex();
    const listener = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', listener);
    try {
      await graphqlOk(serverA.url, '{ catalogueSearch(query: "") { hits { record { id title holdingsCount } } } }');
      expect(queries.length).toBeGreaterThan(0);
      expect(queries.filter((q) => q.includes('marc_xml'))).toEqual([]);
      queries.length = 0;
      const data = await graphqlOk(
        serverA.url,
        '{ catalogueSearch(query: "") { hits { record { controlNumber marcXml } } } }',
      );
      const hits = data.catalogueSearch.hits.map((h: any) => h.record);
      expect(hits).toHaveLength(FIXTURES.length);
      for (const hit of hits)
        expect(hit.marcXml).toBe(FIXTURES.find((r) => r.controlNumber === hit.controlNumber)!.marcXml);
      expect(queries.filter((q) => q.includes('marc_xml'))).toHaveLength(1);
    } finally {
      knex.off('query', listener);
    }
  });

  it('answers null for malformed, unknown and other members’ ids', async () => {
    for (const id of ['RU/KEM/0001', 'kemrsl:', ':RU/KEM/0001', 'kemrsl:RU/KEM/9999', 'nvkz-cbs:RU/KEM/0001']) {
      const data = await graphqlOk(serverA.url, 'query($id: ID!) { catalogueRecord(id: $id) { id } }', { id });
      expect({ id, record: data.catalogueRecord }).toEqual({ id, record: null });
    }
  });

  it('keeps two members’ catalogues apart', async () => {
    const query = '{ catalogueSearch(query: "библиотека") { total hits { record { id title owner { code } } } } }';
    const a = await graphqlOk(serverA.url, query);
    const b = await graphqlOk(serverB.url, query);
    expect(a.catalogueSearch.hits.map((h: any) => h.record.id)).toEqual(['kemrsl:RU/KEM/0001', 'kemrsl:RU/KEM/0002']);
    expect(b.catalogueSearch).toEqual({
      total: 1,
      hits: [
        {
          record: {
            id: 'nvkz-cbs:RU/NVK/0001',
            title: 'Библиотека Новокузнецка: вчера и сегодня',
            owner: { code: 'nvkz-cbs' },
          },
        },
      ],
    });
    const own = await graphqlOk(serverB.url, '{ catalogueRecord(id: "nvkz-cbs:RU/KEM/0001") { title } }');
    expect(own.catalogueRecord).toEqual({ title: 'Новокузнецкая копия' });
  });

  it('resolves CatalogueRecord references in one batch, in order, null for the rest', async () => {
    const queries: string[] = [];
    const knex = kemrsl.em.getKnex();
    const listener = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', listener);
    const data = await graphqlOk(
      serverA.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CatalogueRecord { id title year } } }`,
      {
        reps: [
          { __typename: 'CatalogueRecord', id: 'kemrsl:RU/KEM/0002' },
          { __typename: 'CatalogueRecord', id: 'nvkz-cbs:RU/NVK/0001' },
          { __typename: 'CatalogueRecord', id: 'kemrsl:RU/KEM/0001' },
          { __typename: 'CatalogueRecord', id: 'kemrsl:missing' },
          { __typename: 'CatalogueRecord', id: 'garbage' },
        ],
      },
    );
    expect(data._entities).toEqual([
      { id: 'kemrsl:RU/KEM/0002', title: 'Краеведение Кузбасса', year: 1998 },
      null,
      { id: 'kemrsl:RU/KEM/0001', title: 'Библиотека и общество', year: 2015 },
      null,
      null,
    ]);
    knex.off('query', listener);
    expect(queries.filter((q) => q.includes('catalogue_record'))).toHaveLength(1);
  });

  it('adds the catalogue summary to its own member only', async () => {
    const MEMBER = `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Member {
          code
          catalogue {
            recordCount
            lastImportAt
            status
            lastImport {
              source format flavour encoding status read created updated unchanged deleted rejected
              rejections { index offset reason } rejectionsTruncated error startedAt finishedAt
            }
          }
        }
      }
    }`;
    const reps = [
      { __typename: 'Member', code: 'kemrsl' },
      { __typename: 'Member', code: 'nvkz-cbs' },
    ];
    const before = await graphqlOk(serverA.url, MEMBER, { reps });
    expect(before._entities).toEqual([
      {
        code: 'kemrsl',
        catalogue: { recordCount: FIXTURES.length, lastImportAt: null, status: 'ONLINE', lastImport: null },
      },
      { code: 'nvkz-cbs', catalogue: null },
    ]);

    const id = await startImportRun(kemrsl.em.fork(), { source: 'kemrsl.iso', format: 'ISO2709' });
    await finishImportRun(kemrsl.em.fork(), id, {
      status: 'SUCCEEDED',
      read: 7,
      created: 5,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      rejected: 2,
      rejections: [
        { index: 3, offset: 1840, reason: 'record length 99999 exceeds the data' },
        { index: 6, offset: 5120, reason: 'no title (200$a)' },
      ],
      flavour: 'RUSMARC',
      encoding: 'CP1251',
    });
    const after = await graphqlOk(serverA.url, MEMBER, { reps: [reps[0]] });
    const catalogue = after._entities[0].catalogue;
    expect(catalogue).toMatchObject({
      recordCount: FIXTURES.length,
      status: 'ONLINE',
      lastImport: {
        source: 'kemrsl.iso',
        format: 'ISO2709',
        flavour: 'RUSMARC',
        encoding: 'CP1251',
        status: 'SUCCEEDED',
        read: 7,
        created: 5,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        rejected: 2,
        rejections: [
          { index: 3, offset: 1840, reason: 'record length 99999 exceeds the data' },
          { index: 6, offset: 5120, reason: 'no title (200$a)' },
        ],
        rejectionsTruncated: false,
        error: null,
      },
    });
    expect(catalogue.lastImportAt).toBe(catalogue.lastImport.finishedAt);
    expect(catalogue.lastImportAt).not.toBeNull();
  });

  it('rejects unknown arguments as a client error, not a server error', async () => {
    const result = await graphql(serverA.url, '{ catalogueSearch(query: "x", sort: NEWEST) { total } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
