import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { MarcDataField, MarcIsoReader, MarcIsoWriter, type MarcRecord } from 'marcrecord';
import {
  generateCatalogue,
  generateRecords,
  isValidIsbn10,
  isValidIsbn13,
  poolEdition,
  writeCatalogue,
  type GeneratedRecord,
  type GeneratorOptions,
} from './index';

const FIXTURES = path.join(__dirname, '../../../shared/fixtures/marc');

function parse(iso: Buffer, flavour: GeneratorOptions['flavour'], encoding: GeneratorOptions['encoding']): MarcRecord {
  return MarcIsoReader.parseRecord(iso, {
    format: flavour === 'RUSMARC' ? 'UNIMARC' : 'MARC21',
    encoding: encoding === 'CP1251' ? 'cp1251' : null,
    controlFieldRegexp: /^00[1-9]$/,
  });
}

function dataFields(record: MarcRecord, tag: string): MarcDataField[] {
  return record.getVariableFields(tag).filter((f): f is MarcDataField => f instanceof MarcDataField);
}

function values(record: MarcRecord, tag: string, code: string): string[] {
  return dataFields(record, tag).flatMap((f) =>
    f.getSubfields(code).map((s) => (typeof s.data === 'string' ? s.data : s.data.tag)),
  );
}

function first(record: MarcRecord, tag: string, code: string): string | undefined {
  return values(record, tag, code)[0];
}

function control(record: MarcRecord, tag: string): string | undefined {
  const field = record.getVariableFields(tag)[0];
  return field && 'data' in field ? String(field.data) : undefined;
}

/** What is wrong with the ISO 2709 structure of a record, checked byte by byte (empty when nothing is). */
function structureProblems(iso: Buffer): string[] {
  const problems: string[] = [];
  const base = Number(iso.toString('latin1', 12, 17));
  if (Number(iso.toString('latin1', 0, 5)) !== iso.length) problems.push('record length');
  if ((base - 25) % 12 !== 0 || iso[base - 1] !== 0x1e) problems.push('base address');
  let expectedOffset = 0;
  for (let at = 24; at < base - 1; at += 12) {
    const entry = iso.toString('latin1', at, at + 12);
    const length = Number(entry.slice(3, 7));
    const offset = Number(entry.slice(7, 12));
    if (!/^\d{12}$/.test(entry)) problems.push(`directory entry ${entry}`);
    if (offset !== expectedOffset) problems.push(`offset of ${entry.slice(0, 3)}`);
    if (iso[base + offset + length - 1] !== 0x1e) problems.push(`length of ${entry.slice(0, 3)}`);
    expectedOffset += length;
  }
  if (base + expectedOffset + 1 !== iso.length) problems.push('data length');
  if (iso[iso.length - 1] !== 0x1d) problems.push('record terminator');
  return problems;
}

function splitFile(data: Buffer): Buffer[] {
  const records: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const length = Number(data.toString('latin1', at, at + 5));
    records.push(data.subarray(at, at + length));
    at += length;
  }
  return records;
}

const base = { member: 'kemgik', seed: 7, shared: 0.3 } as const;

describe('generateRecords', () => {
  it('gives byte-identical output for the same options and different output for another seed', () => {
    const options: GeneratorOptions = { ...base, records: 500, flavour: 'RUSMARC', encoding: 'CP1251', deleted: 0.05 };
    const once = Buffer.concat([...generateRecords(options)]);
    const twice = Buffer.concat([...generateRecords(options)]);
    expect(once.equals(twice)).toBe(true);
    const reseeded = Buffer.concat([...generateRecords({ ...options, seed: 8 })]);
    expect(reseeded.equals(once)).toBe(false);
    // Seeds differing only above 32 bits give different catalogues too.
    const highBits = Buffer.concat([...generateRecords({ ...options, seed: 7 + 2 ** 32 })]);
    expect(highBits.equals(once)).toBe(false);
  });

  it('yields the requested number of records with unique, sequential control numbers', () => {
    const records = [
      ...generateCatalogue({ ...base, member: 'kem-mibs', records: 1234, flavour: 'MARC21', encoding: 'UTF-8' }),
    ];
    expect(records).toHaveLength(1234);
    expect(records[0]!.controlNumber).toBe('KEM-MIBS-0000001');
    expect(records[1233]!.controlNumber).toBe('KEM-MIBS-0001234');
    expect(new Set(records.map((r) => r.controlNumber)).size).toBe(1234);
    expect([...generateRecords({ ...base, records: 0, flavour: 'MARC21', encoding: 'UTF-8' })]).toEqual([]);
  });

  it('rejects options out of range before generating anything', () => {
    const ok: GeneratorOptions = { ...base, records: 1, flavour: 'RUSMARC', encoding: 'UTF-8' };
    expect(() => generateCatalogue({ ...ok, shared: 1.5 })).toThrow(RangeError);
    expect(() => generateCatalogue({ ...ok, deleted: -0.1 })).toThrow(RangeError);
    expect(() => generateCatalogue({ ...ok, records: 2.5 })).toThrow(RangeError);
    expect(() => generateCatalogue({ ...ok, member: 'bad code' })).toThrow(RangeError);
    expect(() => generateCatalogue({ ...ok, encoding: 'MARC-8' as never })).toThrow(RangeError);
  });
});

describe.each([
  ['RUSMARC', 'UTF-8'],
  ['RUSMARC', 'CP1251'],
  ['MARC21', 'UTF-8'],
  ['MARC21', 'CP1251'],
] as const)('%s in %s', (flavour, encoding) => {
  let records: GeneratedRecord[];
  let parsed: MarcRecord[];
  beforeAll(() => {
    records = [...generateCatalogue({ ...base, records: 2000, flavour, encoding, deleted: 0.05 })];
    parsed = records.map((r) => parse(r.iso, flavour, encoding));
  });

  it('writes well-formed ISO 2709 with byte lengths in the leader and directory', () => {
    expect(records.flatMap((r) => structureProblems(r.iso).map((p) => `${r.controlNumber}: ${p}`))).toEqual([]);
    // The checker does see a directory that counts characters instead of bytes.
    const broken = Buffer.from(records[0]!.iso);
    broken.write(String(Number(broken.toString('latin1', 27, 31)) + 1).padStart(4, '0'), 27, 'latin1');
    expect(structureProblems(broken)).not.toEqual([]);
    // Multi-byte characters make byte and character counts differ in UTF-8 only.
    const sample = records.find((r) => /[а-я]/.test(r.edition.title))!;
    const text = encoding === 'UTF-8' ? sample.iso.toString('utf8') : iconv.decode(sample.iso, 'win1251');
    expect(text.length < sample.iso.length).toBe(encoding === 'UTF-8');
  });

  it('writes exactly what marcrecord writes for the records it parses', () => {
    const buffer = Buffer.alloc(100_000);
    for (const [i, record] of parsed.entries()) {
      const length = MarcIsoWriter.recordToIso2709(record, buffer, {
        encoding: encoding === 'CP1251' ? 'cp1251' : null,
      });
      expect(buffer.subarray(0, length).equals(records[i]!.iso)).toBe(true);
    }
  });

  it('carries the edition in the fields the flavour uses, decoded to proper Cyrillic', () => {
    const [titleTag, imprintTag, yearCode, isbnTag] =
      flavour === 'RUSMARC' ? ['200', '210', 'd', '010'] : ['245', '260', 'c', '020'];
    for (const [i, record] of parsed.entries()) {
      const { edition, controlNumber } = records[i]!;
      expect(control(record, '001')).toBe(controlNumber);
      expect(first(record, titleTag, 'a')).toBe(edition.title);
      expect(first(record, imprintTag, yearCode)).toBe(
        edition.material === 'SERIAL' ? `${edition.year}-` : String(edition.year),
      );
      const isbn = first(record, isbnTag, 'a');
      expect(isbn?.replace(/ \(.*\)$/, '')).toBe(edition.isbn ?? undefined);
    }
    const cyrillic = parsed.filter((r) => /[А-ЯЁа-яё]{3}/.test(first(r, titleTag, 'a') ?? ''));
    expect(cyrillic.length).toBeGreaterThan(1500);
    expect(parsed.some((r) => /ё/.test(first(r, titleTag, 'a') ?? '') || /ё/.test(values(r, '700', 'a').join()))).toBe(
      true,
    );
  });

  it('marks the character set as Russian exporters do', () => {
    const leader = parsed[0]!.leader;
    if (flavour === 'RUSMARC') {
      expect(leader.slice(20)).toBe('450 ');
      // The National Library of Russia's CP1251 records code their character sets the same way.
      const nlr = parse(readFileSync(path.join(FIXTURES, 'rusmarc-nlr-cp1251.iso')), 'RUSMARC', 'CP1251');
      const nlrSets = first(nlr, '100', 'a')!.slice(26, 30);
      expect(nlrSets).toBe('0189');
      for (const r of parsed) expect(first(r, '100', 'a')!.slice(26, 30)).toBe(encoding === 'UTF-8' ? '50  ' : nlrSets);
      for (const r of parsed) expect(first(r, '100', 'a')).toHaveLength(36);
    } else {
      expect(leader.slice(20)).toBe('4500');
      const rkp = parse(readFileSync(path.join(FIXTURES, 'marc21-rkp-cp1251.mrc')), 'MARC21', 'CP1251');
      expect(rkp.leader[9]).toBe(' ');
      for (const r of parsed) expect(r.leader[9]).toBe(encoding === 'UTF-8' ? 'a' : rkp.leader[9]);
      for (const [i, r] of parsed.entries()) {
        const fixed = control(r, '008')!;
        expect(fixed).toHaveLength(40);
        expect(fixed.slice(7, 11)).toBe(String(records[i]!.edition.year));
        expect(fixed.slice(35, 38)).toBe(records[i]!.edition.languages[0]);
      }
    }
  });

  it('gives valid ISBN check digits, ISBN-10 only before 2007', () => {
    const isbns = records.filter((r) => r.edition.isbn);
    expect(isbns.length).toBeGreaterThan(900);
    const tens = isbns.filter((r) => r.edition.isbn10);
    expect(tens.length).toBeGreaterThan(100);
    for (const r of tens) {
      expect(isValidIsbn10(r.edition.isbn!)).toBe(true);
      expect(r.edition.year).toBeLessThan(2007);
    }
    for (const r of isbns.filter((x) => !x.edition.isbn10)) {
      expect(isValidIsbn13(r.edition.isbn!)).toBe(true);
      expect(r.edition.year).toBeGreaterThanOrEqual(2007);
    }
    expect(records.filter((r) => r.edition.year < 1990 && !r.edition.latin).every((r) => !r.edition.isbn)).toBe(true);
  });

  it('marks deleted records in leader/05', () => {
    const deleted = parsed.filter((r) => r.leader[5] === 'd');
    expect(deleted.map((r) => control(r, '001'))).toEqual(records.filter((r) => r.deleted).map((r) => r.controlNumber));
    expect(deleted.length / parsed.length).toBeGreaterThan(0.03);
    expect(deleted.length / parsed.length).toBeLessThan(0.07);
  });

  it('mixes materials, languages, series and multi-part volumes', () => {
    const types = new Map<string, number>();
    for (const r of parsed) types.set(r.leader.slice(6, 8), (types.get(r.leader.slice(6, 8)) ?? 0) + 1);
    const electronic = flavour === 'RUSMARC' ? 'lm' : 'mm';
    expect(types.get('am')! / parsed.length).toBeGreaterThan(0.85);
    for (const code of ['as', electronic, 'im', 'em']) expect(types.get(code)).toBeGreaterThan(10);
    const languageTag = flavour === 'RUSMARC' ? '101' : '041';
    const english = parsed.filter((r) => values(r, languageTag, 'a').join() === 'eng').length / parsed.length;
    expect(english).toBeGreaterThan(0.06);
    expect(english).toBeLessThan(0.14);
    const series = parsed.filter((r) => values(r, flavour === 'RUSMARC' ? '225' : '490', 'a').length > 0);
    expect(series.length).toBeGreaterThan(40);
    const volumes = records.filter((r) => r.edition.partOf);
    expect(volumes.length).toBeGreaterThan(20);
    for (const v of volumes) {
      const record = parsed[v.index - 1]!;
      if (flavour === 'RUSMARC') {
        const link = dataFields(record, '461')[0]!.getSubfields('1')[0]!.data as MarcDataField;
        expect(link.tag).toBe('200');
        expect(link.getSubfields('a')[0]!.data).toBe(v.edition.partOf!.title);
        expect(link.getSubfields('v')[0]!.data).toBe(v.edition.partOf!.volume);
        expect(record.leader[8]).toBe('2');
      } else {
        expect(first(record, '773', 't')).toBe(v.edition.partOf!.title);
        expect(first(record, '773', 'g')).toBe(v.edition.partOf!.volume);
      }
    }
  });

  it('lists holdings with branch, shelfmark and 1–5 inventory numbers, unique in the file', () => {
    const [tag, branchCode] = flavour === 'RUSMARC' ? ['899', 'a'] : ['852', 'b'];
    const inventory: string[] = [];
    for (const [i, record] of parsed.entries()) {
      const copies = values(record, tag, 'p');
      expect(copies.length).toBeGreaterThanOrEqual(1);
      expect(copies.length).toBeLessThanOrEqual(5);
      expect(copies).toEqual(records[i]!.holdings.flatMap((h) => h.inventoryNumbers));
      for (const branch of values(record, tag, branchCode)) expect(branch).toMatch(/^(ЦБ|Филиал № \d+)$/);
      inventory.push(...copies);
    }
    expect(new Set(inventory).size).toBe(inventory.length);
    const shelfmarks = flavour === 'RUSMARC' ? values(parsed[1]!, '899', 'j') : values(parsed[1]!, '852', 'h');
    expect(shelfmarks[0]).toContain(records[1]!.holdings[0]!.classPart);
  });
});

describe('shared editions across members', () => {
  const common = { seed: 3, shared: 0.3, networkSeed: 2015 };
  let kemgik: GeneratedRecord[];
  let kemrsl: GeneratedRecord[];
  beforeAll(() => {
    kemgik = [
      ...generateCatalogue({ ...common, member: 'kemgik', records: 3000, flavour: 'RUSMARC', encoding: 'UTF-8' }),
    ];
    kemrsl = [
      ...generateCatalogue({ ...common, member: 'kemrsl', records: 4000, flavour: 'MARC21', encoding: 'CP1251' }),
    ];
  });

  it('draws the requested fraction of each catalogue from the pool', () => {
    for (const records of [kemgik, kemrsl]) {
      const fraction = records.filter((r) => r.poolIndex !== null).length / records.length;
      expect(Math.abs(fraction - 0.3)).toBeLessThan(0.04);
      const pool = records.flatMap((r) => (r.poolIndex === null ? [] : [r.poolIndex]));
      expect(new Set(pool).size).toBe(pool.length);
    }
  });

  it('gives the editions both members hold identical ISBN, title and year in either flavour', () => {
    const byPool = new Map(kemrsl.filter((r) => r.poolIndex !== null).map((r) => [r.poolIndex!, r]));
    const both = kemgik.filter((r) => r.poolIndex !== null && byPool.has(r.poolIndex));
    const kemgikShared = kemgik.filter((r) => r.poolIndex !== null).length;
    // A smaller member's pool editions are held by a larger one with probability ~0.6.
    expect(both.length / kemgikShared).toBeGreaterThan(0.45);
    expect(both.length / kemgikShared).toBeLessThan(0.75);
    for (const a of both) {
      const b = byPool.get(a.poolIndex!)!;
      const ra = parse(a.iso, 'RUSMARC', 'UTF-8');
      const rb = parse(b.iso, 'MARC21', 'CP1251');
      expect(first(rb, '020', 'a')?.replace(/ \(.*\)$/, '')).toBe(first(ra, '010', 'a'));
      expect(first(rb, '245', 'a')).toBe(first(ra, '200', 'a'));
      expect(first(rb, '260', 'c')).toBe(first(ra, '210', 'd'));
      expect(a.controlNumber).toMatch(/^KEMGIK-/);
      expect(b.controlNumber).toMatch(/^KEMRSL-/);
    }
  });

  it('lets an ISBN find the libraries that hold a book: only pool editions match across members', () => {
    const isbnsOf = (records: GeneratedRecord[]) =>
      new Map(records.filter((r) => r.edition.isbn).map((r) => [r.edition.isbn!, r]));
    const a = isbnsOf(kemgik);
    const b = isbnsOf(kemrsl);
    const matched = [...a.keys()].filter((isbn) => b.has(isbn));
    expect(matched.length).toBeGreaterThan(300);
    for (const isbn of matched) expect(a.get(isbn)!.poolIndex).toBe(b.get(isbn)!.poolIndex);
    // Own editions never take an ISBN from the pool.
    const poolIsbns = new Set(kemrsl.filter((r) => r.poolIndex !== null && r.edition.isbn).map((r) => r.edition.isbn));
    expect(kemgik.filter((r) => r.poolIndex === null && poolIsbns.has(r.edition.isbn))).toEqual([]);
  });

  it('derives a pool edition from the network seed alone', () => {
    const byPool = new Map(kemrsl.filter((r) => r.poolIndex !== null).map((r) => [r.poolIndex!, r]));
    const both = kemgik.filter((r) => r.poolIndex !== null && byPool.has(r.poolIndex));
    for (const a of both) expect(byPool.get(a.poolIndex!)!.edition).toEqual(a.edition);
    for (const a of both.slice(0, 20)) expect(poolEdition(a.poolIndex!, 2015)).toEqual(a.edition);
    const changed = [...Array(100).keys()].filter((i) => poolEdition(i, 2015).title !== poolEdition(i, 2016).title);
    expect(changed.length).toBeGreaterThan(80);
  });
});

describe('writeCatalogue', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'catalogue-generator-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes generateRecords yields, and counts them', async () => {
    const options: GeneratorOptions = { ...base, records: 3000, flavour: 'RUSMARC', encoding: 'CP1251', deleted: 0.02 };
    const out = path.join(dir, 'kemgik.iso');
    const stats = await writeCatalogue({ ...options, out });
    const data = readFileSync(out);
    expect(data.equals(Buffer.concat([...generateRecords(options)]))).toBe(true);
    expect(stats.records).toBe(3000);
    expect(stats.bytes).toBe(data.length);
    expect(splitFile(data)).toHaveLength(3000);
    const records = [...generateCatalogue(options)];
    expect(stats.shared).toBe(records.filter((r) => r.poolIndex !== null).length);
    expect(stats.deleted).toBe(records.filter((r) => r.deleted).length);
  });

  it('refuses bad options without creating the file', async () => {
    const out = path.join(dir, 'bad.iso');
    await expect(
      writeCatalogue({ ...base, records: 10, flavour: 'RUSMARC', encoding: 'UTF-8', shared: 2, out }),
    ).rejects.toThrow(RangeError);
    expect(() => readFileSync(out)).toThrow();
  });
});
