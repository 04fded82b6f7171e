import { Readable } from 'node:stream';
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import { connectOrm, type Orm } from '../../lib/orm';
import { importRecords } from './import';
import { recordToIso2709, toUnicodeRecord } from './marc/write';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { ImportRun } from './import-run.entity';
import { CatalogueRecordEntity } from './record.entity';
import {
  MAX_KEPT_REJECTIONS,
  bbkClass,
  catalogueSummary,
  classificationPrefixes,
  contentHash,
  deleteRecords,
  finishImportRun,
  readRecords,
  runSql,
  startImportRun,
  upsertRecords,
} from './storage';
import { catalogueEntities, migrations } from './schema';
import { searchCatalogue } from './search';
import { FIXTURES, openCatalogue, record } from '../../test/testkit/catalogue-store';

/** A minimal RUSMARC record in UTF-8 ISO 2709 (leader/05 `d` when deleted). */
function rusmarcIso(controlNumber: string, title: string, deleted = false): Buffer {
  const r = new MarcRecord();
  r.leader = `00000${deleted ? 'd' : 'n'}am0 2200000   450 `;
  r.addVariableField(new MarcControlField('001', controlNumber));
  r.addVariableField(new MarcDataField('200', '1', ' ', [new MarcSubfield('a', title)]));
  return recordToIso2709(toUnicodeRecord(r, 'UNIMARC'));
}

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('catalogue_storage');
  orm = await openCatalogue(db, 'kemrsl');
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const table = (name = 'catalogue_record') => `"${orm.config.get('schema')}".${name}`;

/** The kept facet counts (and so the record count) must always equal a count of the records themselves. */
async function expectCountKept() {
  const em = orm.em.fork();
  const kept = await runSql<{ field: string; value: string; n: number }>(
    em,
    `select field, value, count::int as n from "${orm.config.get('schema')}".catalogue_facet_count where count <> 0 order by 1, 2`,
  );
  const real = await runSql<{ field: string; value: string; n: number }>(
    em,
    `select field, value, count(*)::int as n from (
      select 'LANGUAGE' as field, l as value from ${table()}, unnest(languages) l
      union all select 'MATERIAL_TYPE', material_type from ${table()}
      union all select 'DECADE', (year / 10 * 10)::text from ${table()} where year is not null
      union all select 'BBK_CLASS', c from ${table()}, unnest(bbk_classes) c
    ) v group by 1, 2 order by 1, 2`,
  );
  expect(kept).toEqual(real);
  const [all] = await runSql<{ n: number }>(em, `select count(*)::int as n from ${table()}`);
  expect((await catalogueSummary(orm.em.fork())).recordCount).toBe(all!.n);
  await expectSearchKept();
  return all!.n;
}

/**
 * The search tables must hold one row per record with the record's current filter columns, and the sample
 * exactly the records whose id hashes into it (one in 16; `coarse` one in 64).
 */
async function expectSearchKept() {
  const em = orm.em.fork();
  const columns = 'id::text, year, material_type, languages, bbk_classes, bbk_prefixes, udc_prefixes';
  const real = await runSql(em, `select ${columns} from ${table()} order by id`);
  expect(await runSql(em, `select ${columns} from ${table('catalogue_search')} order by id`)).toEqual(real);
  const sampled = await runSql<{ id: string; coarse: boolean }>(
    em,
    `select id::text, coarse from ${table('catalogue_search_sample')} order by id`,
  );
  const expected = await runSql<{ id: string; coarse: boolean }>(
    em,
    `select id::text, (hashint8(id) & 63) = 0 as coarse from ${table()} where (hashint8(id) & 15) = 0 order by id`,
  );
  expect(sampled).toEqual(expected);
}

async function rows() {
  return runSql<{ control_number: string; title: string; updated_at: string; created_at: string }>(
    orm.em.fork(),
    `select control_number, title, created_at::text, updated_at::text from ${table()} order by control_number`,
  );
}

describe('derived values', () => {
  it('BBK classes are the leading number or letter', () => {
    expect(['78.3', '63.3(2Рос-4Кем)', 'Ч736.8', '84(2Рос=Рус)6', ' 32.973 ', 'ч 73', '(2Рос)'].map(bbkClass)).toEqual([
      '78',
      '63',
      'Ч',
      '84',
      '32',
      'Ч',
      null,
    ]);
  });

  it('prefixes cover every leading substring, normalised', () => {
    expect(classificationPrefixes(['63.3 (2рос)', '63.5'])).toEqual([
      '6',
      '63',
      '63.',
      '63.3',
      '63.3(',
      '63.3(2',
      '63.3(2Р',
      '63.3(2РО',
      '63.3(2РОС',
      '63.3(2РОС)',
      '63.5',
    ]);
  });

  it('the content hash ignores key order, the deleted flag and the transport, and sees any change', () => {
    const a = FIXTURES[0]!;
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(contentHash(reordered)).toBe(contentHash(a));
    expect(contentHash({ ...a, deleted: true })).toBe(contentHash(a));
    // The same record exported as MARCXML and read back is the same content.
    expect(contentHash({ ...a, format: 'MARCXML', encoding: 'UTF-8' })).toBe(contentHash(a));
    expect(contentHash({ ...a, marcXml: `${a.marcXml} ` })).not.toBe(contentHash(a));
    expect(contentHash({ ...a, holdings: [{ ...a.holdings[0]!, copies: 3 }] })).not.toBe(contentHash(a));
  });
});

describe('upsertRecords', () => {
  it('creates, leaves unchanged records alone, updates and deletes', async () => {
    expect(await upsertRecords(orm.em.fork(), FIXTURES)).toEqual({
      created: 5,
      updated: 0,
      unchanged: 0,
      deleted: 0,
    });
    const first = await rows();
    expect(first.map((r) => r.control_number)).toEqual(FIXTURES.map((r) => r.controlNumber).sort());

    // The same batch again writes nothing: updated_at stays as it was.
    expect(await upsertRecords(orm.em.fork(), FIXTURES)).toEqual({
      created: 0,
      updated: 0,
      unchanged: 5,
      deleted: 0,
    });
    expect(await rows()).toEqual(first);

    const changed = {
      ...FIXTURES[1]!,
      title: 'Краеведение Кузбасса. Том 2',
      year: 2001,
      languages: ['rus', 'ger'],
      bbk: ['26.89(2Рос-4Кем)'],
    };
    expect(await upsertRecords(orm.em.fork(), [changed, FIXTURES[0]!])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
      deleted: 0,
    });
    const after = await rows();
    const before2 = first.find((r) => r.control_number === 'RU/KEM/0002')!;
    const after2 = after.find((r) => r.control_number === 'RU/KEM/0002')!;
    expect(after2.title).toBe('Краеведение Кузбасса. Том 2');
    expect(after2.updated_at > before2.updated_at).toBe(true);
    expect(after2.created_at).toEqual(before2.created_at);
    expect(after.find((r) => r.control_number === 'RU/KEM/0001')).toEqual(
      first.find((r) => r.control_number === 'RU/KEM/0001'),
    );
    // The facet counts moved with the update: a language, a decade and a BBK class.
    expect(await expectCountKept()).toBe(FIXTURES.length);

    // Deleted flag: removes the record (counted once), and a missing one counts nothing.
    expect(
      await upsertRecords(orm.em.fork(), [
        { ...FIXTURES[1]!, deleted: true },
        record('RU/KEM/9999', { deleted: true }),
      ]),
    ).toEqual({ created: 0, updated: 0, unchanged: 0, deleted: 1 });
    expect((await rows()).map((r) => r.control_number)).not.toContain('RU/KEM/0002');

    expect(await expectCountKept()).toBe(FIXTURES.length - 1);

    // Restore for the next tests.
    expect(await upsertRecords(orm.em.fork(), [FIXTURES[1]!])).toMatchObject({ created: 1 });
    expect(await expectCountKept()).toBe(FIXTURES.length);
  });

  it('stores every field and the derived columns as given', async () => {
    const em = orm.em.fork();
    const stored = await em.findOneOrFail(
      CatalogueRecordEntity,
      { controlNumber: 'RU/KEM/0001' },
      {
        populate: ['marcXml', 'bbkPrefixes'],
      },
    );
    const source = FIXTURES[0]!;
    expect(stored).toMatchObject({
      title: source.title,
      otherTitleInfo: source.otherTitleInfo,
      authors: source.authors,
      isbns: source.isbns,
      isbn13: ['9785777902344'],
      holdings: source.holdings,
      bbk: ['78.3'],
      bbkClasses: ['78'],
      bbkPrefixes: ['7', '78', '78.', '78.3'],
      udc: ['02:004'],
      year: 2015,
      marcXml: source.marcXml,
      flavour: 'RUSMARC',
      encoding: 'CP1251',
      format: 'ISO2709',
    });
    const [vector] = await runSql<{ search: string }>(
      em,
      `select s.search::text as search from ${table('catalogue_search')} s join ${table()} r using (id)
       where r.control_number = ?`,
      ['RU/KEM/0001'],
    );
    // Title words carry weight A, stemmed by the Russian configuration (one form per word).
    expect(vector!.search).toContain("'библиотек':1A");
    expect(vector!.search).not.toMatch(/'библиотека':/);
    expect(vector!.search).toMatch(/'иван':\d+B/); // «Иванов» stemmed
  });

  it('reads records as the ORM maps them, by id or control number, without the lazy columns', async () => {
    const managed = await orm.em.fork().find(CatalogueRecordEntity, {}, { orderBy: { controlNumber: 'asc' } });
    expect(managed.length).toBeGreaterThan(1);
    const plain = (records: CatalogueRecordEntity[]) =>
      [...records]
        .sort((a, b) => a.controlNumber.localeCompare(b.controlNumber))
        .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    const expected = plain(managed);
    expect(Object.keys(expected[0]!)).toEqual(expect.arrayContaining(['id', 'title', 'holdings', 'updatedAt']));
    expect(Object.keys(expected[0]!)).not.toContain('marcXml');
    const byId = await readRecords(
      orm.em.fork(),
      'id',
      managed.map((r) => r.id),
    );
    expect(plain(byId)).toEqual(expected);
    const byNumber = await readRecords(orm.em.fork(), 'controlNumber', [managed[1]!.controlNumber, 'no-such-record']);
    expect(plain(byNumber)).toEqual([expected[1]]);
    expect(byNumber[0]!.updatedAt).toBeInstanceOf(Date);
    expect(await readRecords(orm.em.fork(), 'id', [])).toEqual([]);
  });

  it('lets the last occurrence of a control number in a batch win', async () => {
    const a = record('RU/KEM/DUP', { title: 'Первый вариант' });
    const b = record('RU/KEM/DUP', { title: 'Второй вариант' });
    expect(await upsertRecords(orm.em.fork(), [a, b])).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    expect((await rows()).find((r) => r.control_number === 'RU/KEM/DUP')?.title).toBe('Второй вариант');
    expect(await upsertRecords(orm.em.fork(), [b, { ...a, deleted: true }])).toMatchObject({ deleted: 1 });
    expect(await deleteRecords(orm.em.fork(), ['RU/KEM/DUP', 'RU/KEM/0001-missing'])).toBe(0);
  });

  it('applies a file in order while its batches are written concurrently', async () => {
    // Batches of two, two written at a time: RU/ORD/A recurs in later batches and RU/ORD/B is deleted in
    // one; a later occurrence must never be overtaken by an earlier one still being written.
    const steps: Array<[string, string, boolean?]> = [
      ['A', 'первая редакция'],
      ['B', 'Б'],
      ['C', 'В'],
      ['A', 'вторая редакция'],
      ['D', 'Г'],
      ['E', 'Д'],
      ['A', 'третья редакция'],
      ['B', 'Б', true],
      ['F', 'Е'],
      ['A', 'четвёртая редакция'],
      ['G', 'Ж'],
    ];
    const file = Buffer.concat(steps.map(([n, title, deleted]) => rusmarcIso(`RU/ORD/${n}`, title, deleted)));
    // A catalogue of its own: this import's run must not show up as another test's last import.
    const own = await openCatalogue(db, 'order');
    const report = await importRecords(own.em, Readable.from([file]), {
      source: 'order.iso',
      batchSize: 2,
      flavour: 'RUSMARC',
      encoding: 'UTF-8',
    });
    expect(report).toMatchObject({ status: 'SUCCEEDED', read: 11, created: 7, updated: 3, deleted: 1, rejected: 0 });
    const stored = await runSql<{ control_number: string; title: string }>(
      own.em.fork(),
      `select control_number, title from "${own.config.get('schema')}".catalogue_record order by control_number`,
    );
    await own.close(true);
    expect(stored.map((r) => r.control_number)).toEqual([
      'RU/ORD/A',
      'RU/ORD/C',
      'RU/ORD/D',
      'RU/ORD/E',
      'RU/ORD/F',
      'RU/ORD/G',
    ]);
    expect(stored[0]!.title).toBe('четвёртая редакция');
    await deleteRecords(
      orm.em.fork(),
      stored.map((r) => r.control_number),
    );
  });

  it('rolls the whole batch back when one record cannot be stored', async () => {
    const good = record('RU/KEM/ROLLBACK');
    const bad = { ...record('RU/KEM/BAD'), materialType: 'NOT_A_TYPE' as 'BOOK' };
    await expect(upsertRecords(orm.em.fork(), [good, bad])).rejects.toThrow(/check constraint/);
    expect((await rows()).map((r) => r.control_number)).not.toContain('RU/KEM/ROLLBACK');
  });

  it('stores batches of 1000 fast', async () => {
    // Real PostgreSQL: 20,000 records; the embedded one (WebAssembly, one session) gets a smaller load.
    const total = db.embedded ? 3000 : 20_000;
    const records = Array.from({ length: total }, (_, i) =>
      record(`BENCH/${String(i).padStart(6, '0')}`, {
        title: `Сборник материалов научной конференции «Библиотеки Кузбасса» № ${i}`,
        otherTitleInfo: 'материалы областной научно-практической конференции',
        authors: [
          { name: `Автор${i % 997}, Иван Петрович`, role: '070' },
          { name: 'Петров, П. П.', role: '340' },
        ],
        publisher: 'Кузбассвузиздат',
        place: 'Кемерово',
        year: 1950 + (i % 75),
        isbns: [{ raw: '978-5-7779-0234-4', isbn13: '9785777902344', qualifier: null }],
        subjects: ['Библиотечное дело -- Кемеровская область', `Тема ${i % 101}`],
        bbk: [`78.${i % 40}`, '63.3(2Рос-4Кем)'],
        udc: [`02${i % 10}.${i % 7}`],
        notes: ['Библиогр. в конце ст.'],
        physicalDescription: '215 с. : ил.',
        holdings: [
          {
            location: 'ЧЗ',
            shelfmark: '78.3/Б59',
            inventoryNumbers: [String(i)],
            copies: 1,
            availability: 'AVAILABLE',
          },
        ],
        marcXml: `<record>${'<datafield tag="200"><subfield code="a">Сборник</subfield></datafield>'.repeat(20)}</record>`,
      }),
    );
    const rate = async (batch: typeof records, key: 'created' | 'updated' | 'unchanged') => {
      const started = performance.now();
      let count = 0;
      for (let i = 0; i < batch.length; i += 1000)
        count += (await upsertRecords(orm.em.fork(), batch.slice(i, i + 1000)))[key];
      expect(count).toBe(total);
      return Math.round(total / ((performance.now() - started) / 1000));
    };
    const created = await rate(records, 'created');
    const unchanged = await rate(records, 'unchanged');
    const updated = await rate(
      records.map((r) => ({ ...r, title: `${r.title} (2-е изд.)` })),
      'updated',
    );
    console.log(
      `upsertRecords, batches of 1000 on ${db.embedded ? 'embedded' : 'real'} PostgreSQL, ${total} records: ` +
        `new ${created}/s, changed ${updated}/s, unchanged ${unchanged}/s`,
    );
    // A floor against pathological regressions (one statement per record); the numbers above are the report.
    expect(created).toBeGreaterThan(db.embedded ? 100 : 500);
    expect(await expectCountKept()).toBe(FIXTURES.length + total);
    expect(await runSql(orm.em.fork(), `delete from ${table()} where control_number like 'BENCH/%'`)).toEqual([]);
    expect(await expectCountKept()).toBe(FIXTURES.length);
  });
});

describe('import runs', () => {
  it('records a run, keeps the first rejections and summarises the catalogue', async () => {
    const empty = await catalogueSummary(orm.em.fork());
    expect(empty.lastImport).toBeNull();
    const id = await startImportRun(orm.em.fork(), { source: 'kemrsl-2024.iso', format: 'ISO2709' });
    const running = await catalogueSummary(orm.em.fork());
    expect(running.lastImport).toMatchObject({ id, status: 'RUNNING', source: 'kemrsl-2024.iso', finishedAt: null });

    const rejections = Array.from({ length: MAX_KEPT_REJECTIONS + 5 }, (_, i) => ({
      index: i + 1,
      offset: i * 100,
      reason: 'record length does not match the leader',
    }));
    await finishImportRun(orm.em.fork(), id, {
      status: 'SUCCEEDED',
      read: 2010,
      created: 5,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      rejected: rejections.length,
      rejections,
      flavour: 'RUSMARC',
      encoding: 'CP1251',
    });
    const summary = await catalogueSummary(orm.em.fork());
    expect(summary.recordCount).toBe(FIXTURES.length);
    const run = summary.lastImport!;
    expect(run).toBeInstanceOf(ImportRun);
    expect(run).toMatchObject({
      id,
      status: 'SUCCEEDED',
      read: 2010,
      created: 5,
      rejected: MAX_KEPT_REJECTIONS + 5,
      rejectionsTruncated: true,
      format: 'ISO2709',
      flavour: 'RUSMARC',
      encoding: 'CP1251',
      error: null,
    });
    expect(run.rejections).toHaveLength(MAX_KEPT_REJECTIONS);
    expect(run.rejections[0]).toEqual({ index: 1, offset: 0, reason: 'record length does not match the leader' });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
  });
});

describe('migration', () => {
  it('creates every table and column the entities map', async () => {
    const schema = `"${orm.config.get('schema')}".`;
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    const changes = diff
      .split('\n')
      .filter((line) => line.includes(schema))
      // The search tables are written and read by SQL alone (search.ts), not mapped as entities.
      .filter((line) => !/"catalogue_search(_sample)?"/.test(line))
      .filter((line) => /create table|drop table|add column|alter column|drop column (?!"search")|rename/i.test(line));
    expect(changes).toEqual([]);
  });

  it('keeps the search tables and their sample in step with inserts, updates and deletes', async () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      record(`STEP/${i}`, { title: `Горное дело ${i}`, year: 1950 + (i % 70), bbk: [`33.${i % 9}`] }),
    );
    try {
      expect(await upsertRecords(orm.em.fork(), many)).toMatchObject({ created: 400 });
      await expectSearchKept();
      const [sampled] = await runSql<{ n: number }>(
        orm.em.fork(),
        `select count(*)::int as n from ${table('catalogue_search_sample')}`,
      );
      expect(sampled!.n).toBeGreaterThan(5); // ≈ 25 of 400: the check above compared real rows
      // Changed records are searched by their new words, not their old ones.
      const changed = many
        .slice(0, 50)
        .map((r) => ({ ...r, title: `Обогащение углей ${r.controlNumber}`, year: 2024 }));
      expect(await upsertRecords(orm.em.fork(), changed)).toMatchObject({ updated: 50 });
      await expectSearchKept();
      expect((await searchCatalogue(orm.em.fork(), { query: 'обогащение углей' })).total).toBe(50);
      expect((await searchCatalogue(orm.em.fork(), { query: 'горное дело' })).total).toBe(350);
      expect(
        await deleteRecords(
          orm.em.fork(),
          many.slice(50, 100).map((r) => r.controlNumber),
        ),
      ).toBe(50);
      await expectSearchKept();
      expect((await searchCatalogue(orm.em.fork(), { query: 'горное дело' })).total).toBe(300);
    } finally {
      await deleteRecords(
        orm.em.fork(),
        many.map((r) => r.controlNumber),
      );
    }
    await expectSearchKept();
  });

  it('keeps the record count through a truncate too (runs last: it empties the catalogue)', async () => {
    await runSql(orm.em.fork(), `truncate ${table()}`);
    expect(await expectCountKept()).toBe(0);
    expect(await upsertRecords(orm.em.fork(), FIXTURES.slice(0, 2))).toMatchObject({ created: 2 });
    expect(await expectCountKept()).toBe(2);
  });
});

describe('upgrading a catalogue imported before the facet counts', () => {
  it('counts the records already there', async () => {
    const old = await connectOrm({
      url: db.url,
      schema: db.schema('catalogue_upgrade'),
      entities: catalogueEntities,
      migrations,
    });
    try {
      await old.getMigrator().up({ to: 'Migration20261201000000_catalogue' });
      // Today's writer also fills columns later migrations add: lend it one for the old rows, then take it back.
      const table = `"${old.config.get('schema')}".catalogue_record`;
      await runSql(old.em.fork(), `alter table ${table} add column edition_key text`);
      expect(await upsertRecords(old.em.fork(), FIXTURES)).toMatchObject({ created: FIXTURES.length });
      await runSql(old.em.fork(), `alter table ${table} drop column edition_key`);
      await old.getMigrator().up();
      const summary = await catalogueSummary(old.em.fork());
      expect(summary.recordCount).toBe(FIXTURES.length);
      // The search table was built from the records already there.
      expect((await searchCatalogue(old.em.fork(), { query: 'библиотеки' })).total).toBeGreaterThan(0);
      const [languages] = await runSql<{ n: number }>(
        old.em.fork(),
        `select count::int as n from "${old.config.get('schema')}".catalogue_facet_count where field = 'LANGUAGE' and value = 'rus'`,
      );
      expect(languages!.n).toBe(FIXTURES.filter((r) => r.languages.includes('rus')).length);
    } finally {
      await old.close(true);
    }
  });
});
