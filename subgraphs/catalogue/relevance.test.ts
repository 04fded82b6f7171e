import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Orm } from '../../lib/orm';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { generatedCatalogue } from '../../test/testkit/catalogue';
import { importRecords } from './import';
import { isbn13To10 } from './isbn';
import { searchCatalogue, type SearchArgs, type SearchResult } from './search';
import { upsertRecords } from './storage';
import { openCatalogue, record } from '../../test/testkit/catalogue-store';

// Relevance that must hold however the search is carried out: on the real fixtures and on a generated corpus
// with planted records, counted exactly and estimated from the sample (`exactLimit` 1 forces the estimate).
// A list of queries with the records that must come first: title matches above note and subject matches,
// records with every query word above those with some, the exact title first, an exact ISBN first.

const SHARED = join(__dirname, '../../../shared/fixtures/marc');

let db: TestDatabase;
let fixtures: Orm;
let corpus: Orm;

/** Planted in the generated corpus: words its vocabulary does not have, in the fields a ranking weighs. */
const PLANTED = [
  record('PLANT/title', { title: 'Летопись Прокопьевска' }),
  record('PLANT/long-title', { title: 'Летопись Прокопьевска и его окрестностей за сто лет' }),
  record('PLANT/title-and-subject', { title: 'Летопись', subjects: ['Прокопьевск -- История'] }),
  record('PLANT/subject', { title: 'Очерки', subjects: ['Летопись Прокопьевска'] }),
  record('PLANT/note', { title: 'Сборник', notes: ['Содержит летопись Прокопьевска'] }),
  record('PLANT/one-word', { title: 'Летопись Новокузнецка' }),
];

async function importFile(orm: Orm, file: string): Promise<void> {
  const report = await importRecords(orm.em.fork(), createReadStream(join(SHARED, file)), {
    source: file,
    batchSize: 500,
  });
  expect(report.status).toBe('SUCCEEDED');
}

beforeAll(async () => {
  db = await createTestDatabase('catalogue_relevance');
  fixtures = await openCatalogue(db, 'nlr');
  await importFile(fixtures, 'rusmarc-nlr-cp1251.iso');
  await importFile(fixtures, 'marc21-rkp-cp1251.mrc');
  corpus = await openCatalogue(db, 'kemrsl');
  const generated = await importRecords(corpus.em.fork(), Readable.from([generatedCatalogue('kemrsl', 3000, 15)]), {
    source: 'generated',
    batchSize: 1000,
  });
  expect(generated.status).toBe('SUCCEEDED');
  await upsertRecords(corpus.em.fork(), PLANTED);
}, 120_000);

afterAll(async () => {
  await fixtures?.close(true);
  await corpus?.close(true);
  await db?.drop();
});

const MODES: Array<[string, Partial<SearchArgs>]> = [
  ['counted exactly', {}],
  ['estimated from the sample', { exactLimit: 1 }],
];

async function ranked(orm: Orm, query: string, extra: Partial<SearchArgs> = {}): Promise<SearchResult> {
  const result = await searchCatalogue(orm.em.fork(), { query, first: 100, ...extra });
  const scores = result.hits.map((h) => h.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a)); // best first, whatever the mode
  return result;
}
const numbers = (result: SearchResult) => result.hits.map((h) => h.record.controlNumber);

describe('relevance on the real fixtures', () => {
  // Queries and the record that must come first: every query word in its title, where others have them in
  // their subjects or notes only.
  const FIRST: Array<[string, string]> = [
    ['история Казахстана', 'RU\\NLR\\bibl\\361378'],
    ['Магадан история', 'RU\\NLR\\bibl\\342332'],
    ['психологический тренинг', 'ru03-000002RKP'],
    ['задачи и этюды', 'RU\\NLR\\bibl\\5996'],
    ['экономика строительства', 'ru03-000004RKP'],
  ];

  it.each(FIRST)('«%s» puts %s first', async (query, first) => {
    expect(numbers(await ranked(fixtures, query))[0]).toBe(first);
  });

  it('ranks a title match above a subject-only match', async () => {
    // «Магадан: история возникновения и развития» (title) against «1929-1939» (subject «Магадан - История»).
    const hits = numbers(await ranked(fixtures, 'Магадан история'));
    expect(hits.indexOf('RU\\NLR\\bibl\\342332')).toBeLessThan(hits.indexOf('RU\\NLR\\bibl\\337753'));
    // «Психологический тренинг с подростками» (title) against a book with the subject only.
    const training = numbers(await ranked(fixtures, 'психологический тренинг'));
    expect(training.indexOf('ru03-000002RKP')).toBeLessThan(training.indexOf('RU\\NLR\\bibl\\341807'));
  });

  it('puts the record with an ISBN first and alone, in either form, with the top score', async () => {
    for (const isbn of ['9785930933420', isbn13To10('9785930933420')!, '978-5-93093-342-0']) {
      const result = await ranked(fixtures, isbn);
      expect(numbers(result)).toEqual(['ru03-000001RKP']);
      expect(result.hits[0]!.score).toBe(1);
    }
  });
});

describe.each(MODES)('relevance on a generated corpus, %s', (_mode, extra) => {
  it('puts the exact title first and title matches above subject and note matches', async () => {
    const result = await ranked(corpus, 'летопись Прокопьевска', extra);
    const hits = numbers(result);
    expect(hits[0]).toBe('PLANT/title');
    if (!extra.exactLimit) {
      // Counted exactly, every match is ranked: the whole expected order.
      expect(hits).toEqual([
        'PLANT/title',
        'PLANT/long-title',
        'PLANT/title-and-subject',
        'PLANT/subject',
        'PLANT/note',
      ]);
      expect(result).toMatchObject({ total: 5, approximate: false });
    }
  });

  it('ranks records with every query word above those with some', async () => {
    const hits = numbers(await ranked(corpus, 'летопись or Прокопьевска', extra));
    expect(hits[0]).toBe('PLANT/title');
    const oneWord = hits.indexOf('PLANT/one-word');
    for (const both of ['PLANT/title', 'PLANT/long-title']) {
      if (hits.includes(both) && oneWord >= 0) expect(hits.indexOf(both)).toBeLessThan(oneWord);
    }
  });

  it('estimates broad searches within bounds and says so; counts narrow ones exactly', async () => {
    const exact = await ranked(corpus, 'история');
    expect(exact.approximate).toBe(false);
    const result = await ranked(corpus, 'история', extra);
    if (!extra.exactLimit) {
      expect(result).toEqual(exact);
      return;
    }
    expect(result.approximate).toBe(true);
    expect(result.total % 16).toBe(0); // one record in 16 is in the sample
    expect(result.total).toBeGreaterThan(exact.total * 0.5);
    expect(result.total).toBeLessThan(exact.total * 1.5);
    for (const facet of result.facets) {
      const counts = facet.values.map((v) => v.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      for (const count of counts) expect(count % 16).toBe(0);
    }
    // Its page is drawn from real matches, ranked as an exact search would score them.
    const scores = new Map(
      (await ranked(corpus, 'история', { first: 1000 })).hits.map((h) => [h.record.controlNumber, h.score]),
    );
    for (const hit of result.hits) expect(scores.get(hit.record.controlNumber)).toBeCloseTo(hit.score, 6);
  });
});
