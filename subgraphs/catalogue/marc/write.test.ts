import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CatalogueRecordData, type ReadResult } from '../record-data';
import { readRecords } from './read';
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import {
  marcXmlCollection,
  marcXmlCollectionChunks,
  marcXmlToIso2709,
  marcXmlToRecord,
  recordToMarcXml,
  recordToMarcXmlByLibrary,
  toMarcXml,
} from './write';

const FIXTURES = path.join(__dirname, '../../../../shared/fixtures/marc');
const FILES = fs.readdirSync(FIXTURES).filter((f) => /\.(iso|mrc|xml|txt)$/.test(f));

async function* chunked(buffer: Buffer, size = buffer.length): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function readData(bytes: Buffer, size?: number): Promise<CatalogueRecordData[]> {
  const results: ReadResult[] = [];
  for await (const result of readRecords(chunked(bytes, size))) results.push(result);
  return results.map((r) => {
    if (!r.ok) throw new Error(`record ${r.index} rejected: ${r.reason}`);
    return r.record;
  });
}

/** What must survive export and re-import: everything but where the record came from. */
const comparable = (r: CatalogueRecordData): Omit<CatalogueRecordData, 'encoding' | 'format'> => {
  const { encoding: _encoding, format: _format, ...rest } = r;
  return rest;
};

describe('write → read round trip', () => {
  it('covers every fixture file', () => {
    expect(FILES).toHaveLength(10);
  });

  it.each(FILES)('%s: UTF-8 ISO 2709 export reads back identical', async (file) => {
    const original = await readData(fs.readFileSync(path.join(FIXTURES, file)));
    const exported = original.map((r) => marcXmlToIso2709(r.marcXml, r.flavour));
    const again = await readData(Buffer.concat(exported), 11);
    expect(again.map(comparable)).toEqual(original.map(comparable));
    expect(again.every((r) => r.encoding === 'UTF-8' && r.format === 'ISO2709')).toBe(true);
    // Exporting the re-imported records gives the same bytes.
    expect(again.map((r) => marcXmlToIso2709(r.marcXml, r.flavour))).toEqual(exported);
  });

  it.each(FILES)('%s: MARCXML collection export reads back identical', async (file) => {
    const original = await readData(fs.readFileSync(path.join(FIXTURES, file)));
    const xml = marcXmlCollection(original.map((r) => r.marcXml));
    const again = await readData(Buffer.from(xml), 13);
    expect(again.map(comparable)).toEqual(original.map(comparable));
    expect(again.every((r) => r.encoding === 'UTF-8' && r.format === 'MARCXML')).toBe(true);
  });
});

describe('MARCXML writer', () => {
  it.each(FILES)('%s: writes what marcrecord’s MarcXmlWriter writes', async (file) => {
    const records = await readData(fs.readFileSync(path.join(FIXTURES, file)));
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      // UNIMARC links come back embedded, so the embedded-field form is compared too.
      const record = marcXmlToRecord(r.marcXml);
      expect(recordToMarcXml(record)).toBe(recordToMarcXmlByLibrary(record));
    }
  });

  it('escapes markup in data, codes and indicators as marcrecord does', () => {
    const record = new MarcRecord();
    record.leader = '00000nam<2200000 i 4500';
    record.addVariableField(new MarcControlField('001', 'a&b<c>d "e"'));
    const linked = new MarcDataField('200', '1', ' ', [new MarcSubfield('a', 'Серия <1> & "2"')]);
    record.addVariableField(
      new MarcDataField('461', ' ', '1', [
        new MarcSubfield('1', new MarcControlField('001', 'x<y')),
        new MarcSubfield('1', linked),
        new MarcSubfield('v', 'т. 1'),
      ]),
    );
    record.addVariableField(new MarcDataField('300', '&', '>', [new MarcSubfield('<', ' 1 ')]));
    expect(recordToMarcXml(record)).toBe(recordToMarcXmlByLibrary(record));
    expect(recordToMarcXml(record)).toContain('<subfield code="a">Серия &lt;1&gt; &amp; "2"</subfield>');
    // Line breaks inside values, where the library re-indents: still the same.
    record.addVariableField(new MarcDataField('330', ' ', ' ', [new MarcSubfield('a', 'строка\n  <b>\n  ')]));
    expect(recordToMarcXml(record)).toBe(recordToMarcXmlByLibrary(record));
  });
});

describe('exports', () => {
  let nlr: CatalogueRecordData[];
  let rkp: CatalogueRecordData[];
  beforeAll(async () => {
    nlr = await readData(fs.readFileSync(path.join(FIXTURES, 'rusmarc-nlr-cp1251.iso')));
    rkp = await readData(fs.readFileSync(path.join(FIXTURES, 'marc21-rkp-cp1251.mrc')));
  });

  it('declares UTF-8 in RUSMARC 100$a/26-29 and keeps the linked record embedded in 461', () => {
    const record = nlr[0] as CatalogueRecordData;
    const iso = marcXmlToIso2709(record.marcXml, 'RUSMARC');
    const text = iso.toString('utf8');
    expect(text).toContain('\x1fa19980716d1997    u  y0rusy50      ca\x1e');
    expect(text).toContain('\x1f1001RU\\NLR\\bibl\\5996\x1f12001 \x1faЗадачи и этюды\x1fvВып. 13\x1e');
    expect(Number(text.slice(0, 5))).toBe(iso.length);
    const parsed = marcXmlToRecord(record.marcXml, 'UNIMARC');
    const f461 = parsed.fields.find((f) => f.tag === '461');
    expect(f461 && 'subfields' in f461 && f461.subfields.map((s) => s.code)).toEqual(['1', '1']);
  });

  it('sets MARC 21 leader/09 to a and writes Cyrillic as UTF-8', () => {
    const iso = marcXmlToIso2709((rkp[0] as CatalogueRecordData).marcXml, 'MARC21');
    expect(iso.toString('latin1', 0, 24)).toBe(`${String(iso.length).padStart(5, '0')}nam a2200253 i 4500`);
    expect(iso.toString('utf8')).toContain('10\x1faОсновы гидравлического расчета инженерных сетей\x1fb[учеб.');
  });

  it('streams a collection in pieces equal to the whole document', async () => {
    const marcXmls = rkp.map((r) => r.marcXml);
    let streamed = '';
    for await (const piece of marcXmlCollectionChunks(marcXmls)) streamed += piece;
    expect(streamed).toBe(marcXmlCollection(marcXmls));
    expect(toMarcXml(rkp)).toBe(streamed);
    expect(
      streamed.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">',
      ),
    ).toBe(true);
  });

  it('refuses a record too long for ISO 2709', () => {
    const record = nlr[0] as CatalogueRecordData;
    const long = record.marcXml.replace(
      '<subfield code="a">Вып. 13.</subfield>',
      `<subfield code="a">${'Ж'.repeat(50_000)}</subfield>`,
    );
    expect(() => marcXmlToIso2709(long, 'RUSMARC')).toThrow(/longer than ISO 2709 allows \(99999\)/);
  });
});
