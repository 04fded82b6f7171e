import type { Orm } from '../../lib/orm';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { graphql, graphqlOk } from '../../test/testkit/graphql';
import { isbn13To10, normaliseIsbn } from './isbn';
import type { CatalogueRecordData } from './record-data';
import { searchCatalogue } from './search';
import { bbkClass, runSql, upsertRecords } from './storage';
import {
  FIXTURES,
  openCatalogue,
  record,
  startTestCatalogueServer,
  type TestCatalogueServer,
} from '../../test/testkit/catalogue-store';

let db: TestDatabase;
let orm: Orm;
let server: TestCatalogueServer;

const SEARCH = /* GraphQL */ `
  query Search($query: String!, $filter: CatalogueFilter, $first: Int, $offset: Int, $sort: CatalogueSort) {
    catalogueSearch(query: $query, filter: $filter, first: $first, offset: $offset, sort: $sort) {
      total
      hits {
        score
        record {
          controlNumber
        }
      }
      facets {
        field
        values {
          value
          count
        }
      }
    }
  }
`;

interface SearchResult {
  total: number;
  hits: Array<{ score: number; record: { controlNumber: string } }>;
  facets: Array<{ field: string; values: Array<{ value: string; count: number }> }>;
}

async function search(variables: Record<string, unknown>): Promise<SearchResult> {
  const data = await graphqlOk<{ catalogueSearch: SearchResult }>(server.url, SEARCH, variables);
  return data.catalogueSearch;
}

/** Control numbers of the hits, in order. */
async function found(query: string, rest: Record<string, unknown> = {}): Promise<string[]> {
  return (await search({ query, first: 100, ...rest })).hits.map((h) => h.record.controlNumber);
}

const byNumber = (n: string) => FIXTURES.find((r) => r.controlNumber === n)!;

/** Facets counted by hand from the fixture records, in the order the API promises (count desc, then value). */
function manualFacets(records: CatalogueRecordData[]) {
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts]
      .map(([value, n]) => ({ value, count: n }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  };
  return [
    { field: 'LANGUAGE', values: count(records.flatMap((r) => r.languages)) },
    { field: 'MATERIAL_TYPE', values: count(records.map((r) => r.materialType)) },
    {
      field: 'DECADE',
      values: count(records.filter((r) => r.year !== null).map((r) => String(Math.floor(r.year! / 10) * 10))),
    },
    {
      field: 'BBK_CLASS',
      values: count(records.flatMap((r) => [...new Set(r.bbk.map(bbkClass).filter((c): c is string => !!c))])),
    },
    { field: 'LIBRARY', values: records.length ? [{ value: 'kemrsl', count: records.length }] : [] },
  ];
}

beforeAll(async () => {
  db = await createTestDatabase('catalogue_search');
  orm = await openCatalogue(db, 'kemrsl');
  await upsertRecords(orm.em.fork(), FIXTURES);
  server = await startTestCatalogueServer(orm, 'kemrsl');
});

afterAll(async () => {
  await server?.stop();
  await orm?.close(true);
  await db?.drop();
});

describe('ISBN normalisation', () => {
  it('reads every written form and checks the check digit', () => {
    for (const form of [
      '0-306-40615-2',
      '0306406152',
      'ISBN 0 306 40615 2',
      'isbn-10: 0–306–40615–2',
      '978-0-306-40615-7',
    ]) {
      expect(normaliseIsbn(form)).toBe('9780306406157');
    }
    expect(normaliseIsbn('ISBN 5-86203-014-Х')).toBe('9785862030143'); // Cyrillic Х as the check character
    expect(normaliseIsbn('0-306-40615-3')).toBeNull();
    expect(normaliseIsbn('978-0-306-40615-8')).toBeNull();
    expect(normaliseIsbn('библиотека')).toBeNull();
    expect(isbn13To10('9785862030143')).toBe('586203014X');
  });
});

describe('catalogueSearch', () => {
  it('finds Russian words in any form: «библиотеки» finds «Библиотека»', async () => {
    expect(await found('библиотеки')).toEqual(['RU/KEM/0001', 'RU/KEM/0002']);
    expect(await found('библиотекой')).toEqual(['RU/KEM/0001', 'RU/KEM/0002']);
    expect(await found('Кузбассе')).toEqual(['RU/KEM/0002']);
    // Both words must occur (web-search syntax), in any field.
    expect(await found('библиотека общества')).toEqual(['RU/KEM/0001']);
    // «ё» and «е» are the same letter to search.
    expect(await found('елка')).toEqual(['RU/KEM/0005']);
    expect(await found('ЁЛКИ')).toEqual(['RU/KEM/0005']);
    // A query of stop words alone is empty: no matches, no error.
    expect(await found('и')).toEqual([]);
    expect(await found('"в" и на')).toEqual([]);
  });

  it('finds Latin-script words, authors and series', async () => {
    expect(await found('libraries')).toEqual(['RU/KEM/0003']);
    expect(await found('Smith')).toEqual(['RU/KEM/0003']);
    expect(await found('Кудашева')).toEqual(['RU/KEM/0005']);
    expect(await found('старина')).toEqual(['RU/KEM/0002']);
    expect(await found('"library science"')).toEqual(['RU/KEM/0003']);
    expect(await found('library -automation')).toEqual([]);
  });

  it('ranks a title match above a subject-only match, scores in [0, 1)', async () => {
    const { hits } = await search({ query: 'библиотека' });
    expect(hits.map((h) => h.record.controlNumber)).toEqual(['RU/KEM/0001', 'RU/KEM/0002']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    for (const hit of hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThan(1);
    }
    // Other orders rank only the page, with the same scores.
    const byYear = await search({ query: 'библиотека', sort: 'YEAR_ASC' });
    expect(byYear.hits).toEqual([hits[1], hits[0]]);
  });

  it('looks ISBNs up exactly in any form, ISBN-10 and ISBN-13 alike', async () => {
    for (const query of ['0-306-40615-2', '0306406152', 'ISBN 0 306 40615 2', '978-0-306-40615-7', '9780306406157']) {
      const { hits } = await search({ query });
      expect({ query, hits }).toEqual({ query, hits: [{ score: 1, record: { controlNumber: 'RU/KEM/0003' } }] });
    }
    // The record holds an ISBN-13; its ISBN-10 form finds it, and an ISBN-10 with the Cyrillic check «Х» too.
    expect(await found(isbn13To10('9785777902344')!)).toEqual(['RU/KEM/0001']);
    expect(await found('5-86203-014-Х')).toEqual(['RU/KEM/0005']);
    expect(await found('ISBN 978-5-86203-014-3')).toEqual(['RU/KEM/0005']);
    expect(await found('', { filter: { isbn: '5 7779 0234 0' } })).toEqual(['RU/KEM/0001']);
    const bad = await graphql(server.url, SEARCH, { query: '', filter: { isbn: '0-306-40615-3' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.isbn' });
  });

  it('filters by BBK and UDC prefix, year range, language and material type', async () => {
    const list = (filter: Record<string, unknown>) => found('', { filter, sort: 'YEAR_DESC' });
    expect(await list({ bbk: '63.3' })).toEqual(['RU/KEM/0002']);
    expect(await list({ bbk: '63.3(2рос-4кем)' })).toEqual(['RU/KEM/0002']);
    expect(await list({ bbk: '78' })).toEqual(['RU/KEM/0001', 'RU/KEM/0004']);
    expect(await list({ bbk: '78.3' })).toEqual(['RU/KEM/0001']);
    expect(await list({ bbk: 'ч 73' })).toEqual(['RU/KEM/0003']);
    expect(await list({ bbk: '79' })).toEqual([]);
    expect(await list({ udc: '02' })).toEqual(['RU/KEM/0001']);
    expect(await list({ udc: '94(571.1' })).toEqual(['RU/KEM/0002']);
    expect(await list({ yearFrom: 1988, yearTo: 2003 })).toEqual(['RU/KEM/0003', 'RU/KEM/0002', 'RU/KEM/0005']);
    expect(await list({ yearFrom: 2004 })).toEqual(['RU/KEM/0001']);
    expect(await list({ languages: ['eng'] })).toEqual(['RU/KEM/0003', 'RU/KEM/0004']);
    expect(await list({ materialTypes: ['SERIAL', 'SCORE'] })).toEqual(['RU/KEM/0005', 'RU/KEM/0004']);
    expect(await found('библиотека', { filter: { yearTo: 2000 } })).toEqual(['RU/KEM/0002']);
    const reversed = await graphql(server.url, SEARCH, { query: '', filter: { yearFrom: 2000, yearTo: 1990 } });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.yearFrom' });
  });

  it('lists by the sort order when the query is empty', async () => {
    expect(await found('', { sort: 'YEAR_DESC' })).toEqual([
      'RU/KEM/0001',
      'RU/KEM/0003',
      'RU/KEM/0002',
      'RU/KEM/0005',
      'RU/KEM/0004',
    ]);
    expect(await found('', { sort: 'YEAR_ASC' })).toEqual([
      'RU/KEM/0004',
      'RU/KEM/0005',
      'RU/KEM/0002',
      'RU/KEM/0003',
      'RU/KEM/0001',
    ]);
    expect(
      await found('', { sort: 'TITLE', filter: { languages: ['rus'], materialTypes: ['BOOK', 'SERIAL'] } }),
    ).toEqual(['RU/KEM/0001', 'RU/KEM/0004', 'RU/KEM/0002']);
    const all = await search({ query: '' });
    expect(all.total).toBe(FIXTURES.length);
    expect(all.hits.every((h) => h.score === 0)).toBe(true);
  });

  it('counts facets over every match, not just the page', async () => {
    const all = await search({ query: '', first: 1 });
    expect(all.hits).toHaveLength(1);
    expect(all.facets).toEqual(manualFacets(FIXTURES));
    // Spelled out once, so a mistake shared by the manual count and the SQL would show.
    expect(all.facets.find((f) => f.field === 'BBK_CLASS')!.values[0]).toEqual({ value: '78', count: 2 });
    expect(all.facets.find((f) => f.field === 'LANGUAGE')!.values).toEqual([
      { value: 'rus', count: 4 },
      { value: 'eng', count: 2 },
    ]);

    const matched = await search({ query: 'библиотеки', first: 0 });
    expect(matched.total).toBe(2);
    expect(matched.hits).toEqual([]);
    expect(matched.facets).toEqual(manualFacets([byNumber('RU/KEM/0001'), byNumber('RU/KEM/0002')]));

    const none = await search({ query: 'несуществующееслово' });
    expect(none).toEqual({
      total: 0,
      hits: [],
      facets: ['LANGUAGE', 'MATERIAL_TYPE', 'DECADE', 'BBK_CLASS', 'LIBRARY'].map((field) => ({ field, values: [] })),
    });
  });

  it('counts facets only when they are asked for, however the query asks', async () => {
    const withFacets = await searchCatalogue(orm.em.fork(), { query: 'библиотеки' });
    const without = await searchCatalogue(orm.em.fork(), { query: 'библиотеки', facets: false });
    expect(without.total).toBe(withFacets.total);
    expect(without.hits.map((h) => h.record.id)).toEqual(withFacets.hits.map((h) => h.record.id));
    expect(withFacets.facets.some((f) => f.values.length > 0)).toBe(true);
    expect(without.facets.every((f) => f.values.length === 0)).toBe(true);
    for (const sort of ['YEAR_DESC', 'YEAR_ASC', 'TITLE'] as const) {
      const ids = async (facets: boolean) =>
        (await searchCatalogue(orm.em.fork(), { query: 'библиотеки', sort, facets })).hits.map((h) => h.record.id);
      expect(await ids(false)).toEqual(await ids(true));
    }
    const browsing = await searchCatalogue(orm.em.fork(), { query: '', facets: false });
    expect(browsing.total).toBe(FIXTURES.length);
    expect(browsing.facets.every((f) => f.values.length === 0)).toBe(true);

    // Through GraphQL: under an alias, in a fragment, or kept by @include, facets are counted.
    const language = (data: Record<string, any>, key: string) =>
      (data.catalogueSearch[key] as SearchResult['facets']).find((f) => f.field === 'LANGUAGE')!.values;
    const aliased = await graphqlOk(
      server.url,
      '{ catalogueSearch(query: "библиотеки") { counts: facets { field values { value count } } } }',
    );
    expect(language(aliased, 'counts')).toEqual([{ value: 'rus', count: 2 }]);
    const inFragment = await graphqlOk(
      server.url,
      'query { catalogueSearch(query: "библиотеки") { ...F } } fragment F on CatalogueSearchResult { facets { field values { value count } } }',
    );
    expect(language(inFragment, 'facets')).toEqual([{ value: 'rus', count: 2 }]);
    const included = await graphqlOk(
      server.url,
      'query($on: Boolean!) { catalogueSearch(query: "библиотеки") { total facets @include(if: $on) { field values { value count } } } }',
      { on: true },
    );
    expect(language(included, 'facets')).toEqual([{ value: 'rus', count: 2 }]);
    const skipped = await graphqlOk(
      server.url,
      'query($on: Boolean!) { catalogueSearch(query: "библиотеки") { total facets @include(if: $on) { field values { value count } } } }',
      { on: false },
    );
    expect(skipped.catalogueSearch).toEqual({ total: 2 });
  });

  it('pages with first and offset within their limits', async () => {
    expect(await found('', { sort: 'YEAR_DESC', first: 2, offset: 2 })).toEqual(['RU/KEM/0002', 'RU/KEM/0005']);
    expect(await found('', { sort: 'YEAR_DESC', first: 2, offset: 4 })).toEqual(['RU/KEM/0004']);
    expect((await search({ query: '', offset: 10_000 })).hits).toEqual([]);
    expect((await search({ query: '' })).hits).toHaveLength(FIXTURES.length);
    for (const [variables, field] of [
      [{ first: 1001 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ offset: 10_001 }, 'offset'],
      [{ offset: -5 }, 'offset'],
    ] as const) {
      const result = await graphql(server.url, SEARCH, { query: 'библиотека', ...variables });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('answers any query string with results or BAD_USER_INPUT, never a server error', async () => {
    const hostile = [
      '"',
      '"библиотека',
      '&|!():*',
      'библиотека & | ! ( ) : * <-> <2>',
      "'; drop table catalogue_record; --",
      "библиотека') or 1=1 --",
      '\\',
      '%_%',
      '-',
      'or',
      '"" -""',
      '📚🔥',
      '',
      '   \t\n',
      '\u0000библиотека\u0007',
      'a'.repeat(1000),
      'библиотека '.repeat(90),
      '\ud800',
      '<script>alert(1)</script>',
      '$1 ? ?? :name',
    ];
    for (const query of hostile) {
      const result = await graphql(server.url, SEARCH, { query });
      expect({ query, errors: result.errors }).toEqual({ query, errors: undefined });
      expect(typeof (result.data as { catalogueSearch: SearchResult }).catalogueSearch.total).toBe('number');
    }
    for (const query of ['x'.repeat(1001), 'библиотека '.repeat(1000)]) {
      const result = await graphql(server.url, SEARCH, { query });
      expect(result.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'query' }]);
    }
    // Still there, and still found.
    expect(await found('\u0000библиотека\u0007')).toEqual(['RU/KEM/0001', 'RU/KEM/0002']);
    expect((await search({ query: '' })).total).toBe(FIXTURES.length);
  });

  it('says whether its counts are exact, and takes exactUpTo from 1 to 5000 only', async () => {
    const COUNTS = `query($query: String!, $exactUpTo: Int) {
      catalogueSearch(query: $query, exactUpTo: $exactUpTo) { total approximate }
    }`;
    const exact = await graphqlOk<{ catalogueSearch: { total: number; approximate: boolean } }>(server.url, COUNTS, {
      query: 'библиотеки',
      exactUpTo: 5000,
    });
    expect(exact.catalogueSearch).toEqual({ total: 2, approximate: false });
    for (const exactUpTo of [0, -1, 5001]) {
      const refused = await graphql(server.url, COUNTS, { query: 'библиотеки', exactUpTo });
      expect(refused.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'exactUpTo' }]);
    }
  });

  it('rejects oversized filters', async () => {
    const many = await graphql(server.url, SEARCH, {
      query: '',
      filter: { languages: Array.from({ length: 21 }, (_, i) => `l${i}`) },
    });
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.languages' });
    const long = await graphql(server.url, SEARCH, { query: '', filter: { bbk: '6'.repeat(65) } });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.bbk' });
    expect(await found('', { filter: { languages: [], materialTypes: [], bbk: '  ' } })).toHaveLength(FIXTURES.length);
  });

  it('reports a search that runs out of time as too broad, not as a server error', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      record(`SLOW/${i}`, {
        title: `Библиотека ${i}`,
        subjects: ['Библиотеки'],
        year: 1900 + (i % 120),
        bbk: [`78.${i % 50}`],
      }),
    );
    for (let i = 0; i < many.length; i += 1000) await upsertRecords(orm.em.fork(), many.slice(i, i + 1000));
    try {
      const ok = await searchCatalogue(orm.em.fork(), { query: 'библиотеки' });
      expect(ok.total).toBe(many.length + 2);
      // PGlite runs without timer signals, so only real PostgreSQL can cancel a statement.
      if (!db.embedded) {
        await expect(searchCatalogue(orm.em.fork(), { query: 'библиотеки', timeoutMs: 1 })).rejects.toMatchObject({
          extensions: { code: 'BAD_USER_INPUT', field: 'query' },
        });
      }
    } finally {
      await runSql(
        orm.em.fork(),
        `delete from "${orm.config.get('schema')}".catalogue_record where control_number like 'SLOW/%'`,
      );
    }
  });
});
