import { Readable } from 'node:stream';
import type { Orm } from '../../lib/orm';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { generatedCatalogue } from '../../test/testkit/catalogue';
import { importRecords } from './import';
import { BatchSearches } from './batch-search';
import { searchCatalogue, searchCatalogues, type SearchArgs } from './search';
import { upsertRecords } from './storage';
import { openCatalogue, record } from '../../test/testkit/catalogue-store';

// A hosted node searches several members' catalogues in one go (`searchCatalogues`): each must get exactly the
// answer it gets searched alone, whichever way each one is counted (exactly, from the sample, from its coarse
// part), with and without facets, filters and offsets.

let db: TestDatabase;
const catalogues: Orm[] = [];

beforeAll(async () => {
  db = await createTestDatabase('catalogue_search_many');
  // Of different sizes, so that one limit has some of them counted exactly and some estimated.
  for (const [code, records, seed] of [
    ['kemrsl', 4000, 3],
    ['kemsu', 1200, 4],
    ['prk-mining', 150, 5],
  ] as const) {
    const orm = await openCatalogue(db, code);
    // One batch each: record ids — and with them which records are in the search sample (by a hash of the id)
    // — follow the file's order. Several batches are written two at a time, in whatever order a busy machine
    // lets them commit, and a different sample could count a small catalogue one way in one run, another in the next.
    const report = await importRecords(orm.em.fork(), Readable.from([generatedCatalogue(code, records, seed)]), {
      source: 'generated',
      batchSize: records,
    });
    expect(report.status).toBe('SUCCEEDED');
    catalogues.push(orm);
  }
  // Exactly titled by a query's words in the largest catalogue only: the estimate's title candidates.
  await upsertRecords(catalogues[0]!.em.fork(), [
    record('EXACT/1', { title: 'История России' }),
    record('EXACT/2', { title: 'История России', subjects: ['История России -- XX век'] }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(catalogues.map((c) => c.close(true)));
  await db?.drop();
});

const QUERIES = ['история России', 'библиотечное обслуживание', 'Кузбасс', 'история', 'нетакогослова', 'и'];
const LIMITS = [undefined, 1, 40, 400];

async function alone(args: SearchArgs) {
  return Promise.all(catalogues.map((c) => searchCatalogue(c.em.fork(), args)));
}

describe('searchCatalogues', () => {
  it.each(QUERIES)('answers «%s» for each catalogue as it answers alone, at every limit', async (query) => {
    for (const exactLimit of LIMITS) {
      for (const extra of [{}, { facets: false }, { offset: 10, first: 5 }, { filter: { yearFrom: 1990 } }]) {
        const args: SearchArgs = { query, first: 20, exactLimit, ...extra };
        const together = await searchCatalogues(
          catalogues.map((c) => c.em.fork()),
          args,
        );
        expect({ args, together }).toEqual({ args, together: await alone(args) });
      }
    }
  });

  it('takes each catalogue its own way under one limit', async () => {
    const args: SearchArgs = { query: 'история России', first: 100, exactLimit: 20 };
    const together = (await searchCatalogues(
      catalogues.map((c) => c.em.fork()),
      args,
    ))!;
    // The largest catalogue estimates, the smallest counts exactly: both ways in one call (the middle one goes
    // either way, by what its sample holds).
    const approximate = together.map((r) => r.approximate);
    expect([approximate[0], approximate[2]]).toEqual([true, false]);
    // Records titled exactly by the query (≥ 0.5) come first in the estimated one, whether or not its sample holds them.
    const exact = together[0]!.hits.filter((h) => h.score >= 0.5).map((h) => h.record.controlNumber);
    expect(exact).toEqual(expect.arrayContaining(['EXACT/1', 'EXACT/2']));
    expect(together).toEqual(await alone(args));
  });

  it('leaves other searches to be run catalogue by catalogue', async () => {
    for (const args of [
      { query: '', first: 5 },
      { query: 'история', sort: 'YEAR_DESC' as const, first: 5 },
      { query: '', filter: { bbk: '63' }, first: 5 },
      { query: '978-5-86203-014-3' },
    ]) {
      expect(
        await searchCatalogues(
          catalogues.map((c) => c.em.fork()),
          args,
        ),
      ).toBeNull();
    }
  });

  it('leaves them to be run one by one when a catalogue is locked, without waiting for it', async () => {
    const lock = catalogues[2]!.em.fork();
    await lock.transactional(async (tx) => {
      await tx
        .getConnection()
        .execute(
          `lock table ${tx.config.get('schema')}.catalogue_record in access exclusive mode`,
          [],
          'run',
          tx.getTransactionContext(),
        );
      expect(
        await searchCatalogues(
          catalogues.map((c) => c.em.fork()),
          { query: 'история' },
        ),
      ).toBeNull();
    });
  });

  it('refuses bad input as a search alone does', async () => {
    await expect(
      searchCatalogues(
        catalogues.map((c) => c.em.fork()),
        { query: 'история', offset: -1 },
      ),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('BatchSearches', () => {
  const forks = () => catalogues.map((c) => c.em.fork());

  it('runs the searches of a batch together once every running operation waits on one', async () => {
    const batch = new BatchSearches();
    const operations = catalogues.map(() => batch.begin());
    const args: SearchArgs = { query: 'история России', first: 10, exactLimit: 20 };
    const [a, b, c] = forks();
    // The third operation first works on something else; the first two wait for it, then all go together.
    const third = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return operations[2]!.search(c!, args);
    })();
    const results = await Promise.all([operations[0]!.search(a!, args), operations[1]!.search(b!, args), third]);
    expect(batch.answered).toEqual({ together: 3, alone: 0 });
    expect(results).toEqual(await alone(args));
    operations.forEach((o) => o.end());
  });

  it('does not wait for an operation that ends without searching, and runs different searches apart', async () => {
    const batch = new BatchSearches();
    const operations = catalogues.map(() => batch.begin());
    const [a, b] = forks();
    const first = operations[0]!.search(a!, { query: 'история' });
    const second = operations[1]!.search(b!, { query: 'Кузбасс' });
    setTimeout(() => operations[2]!.end(), 20);
    const [x, y] = await Promise.all([first, second]);
    expect(batch.answered).toEqual({ together: 0, alone: 2 });
    expect(x).toEqual(await searchCatalogue(catalogues[0]!.em.fork(), { query: 'история' }));
    expect(y).toEqual(await searchCatalogue(catalogues[1]!.em.fork(), { query: 'Кузбасс' }));
  });
});
