import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MarcDataField, MarcIsoReader, type MarcRecord } from 'marcrecord';
import {
  formatIsbn,
  formatIssn,
  isValidIsbn10,
  isValidIsbn13,
  isbn10CheckDigit,
  isbn13CheckDigit,
  isbnBody,
} from './isbn';

const FIXTURES = path.join(__dirname, '../../../shared/fixtures/marc');

function readAll(file: string, format: string): MarcRecord[] {
  const data = readFileSync(path.join(FIXTURES, file));
  const records: MarcRecord[] = [];
  for (let at = 0; at < data.length;) {
    const length = Number(data.toString('latin1', at, at + 5));
    const options = { format, encoding: 'cp1251', controlFieldRegexp: /^00[1-9]$/ };
    records.push(MarcIsoReader.parseRecord(data.subarray(at, at + length), options));
    at += length;
  }
  return records;
}

function subfieldValues(records: MarcRecord[], tag: string, code: string): string[] {
  return records.flatMap((r) =>
    r
      .getVariableFields(tag)
      .filter((f): f is MarcDataField => f instanceof MarcDataField)
      .flatMap((f) => f.getSubfields(code).map((s) => (typeof s.data === 'string' ? s.data : s.data.tag))),
  );
}

describe('ISBN check digits', () => {
  it('reproduces the check digits of the ISBN-10s in the National Library of Russia records', () => {
    const isbns = subfieldValues(readAll('rusmarc-nlr-cp1251.iso', 'UNIMARC'), '010', 'a');
    expect(isbns).toHaveLength(53);
    const wellFormed = isbns.map((i) => i.replace(/-/g, '')).filter((d) => /^\d{9}[\dX]$/.test(d));
    // One is written with a Cyrillic «х» as its check character and is not an ISBN as it stands.
    expect(wellFormed).toHaveLength(52);
    const mismatches = wellFormed.filter((d) => isbn10CheckDigit(d.slice(0, 9)) !== d[9]);
    // The record itself carries a wrong check digit here; the correct one is 7.
    expect(mismatches).toEqual(['5595030911']);
    expect(isbn10CheckDigit('559503091')).toBe('7');
    expect(wellFormed.filter((d) => isValidIsbn10(d))).toHaveLength(51);
    expect(isValidIsbn10('5-279-02628-X')).toBe(true);
    expect(isbns).toContain('5-279-02628-X');
  });

  it('validates the ISBNs of the Book Chamber MARC21 records, written without hyphens', () => {
    const isbns = subfieldValues(readAll('marc21-rkp-cp1251.mrc', 'MARC21'), '020', 'a');
    expect(isbns).toEqual(['5930933421', '5947234920', '5930933464', '5930933081', '5352012867', '5703821827']);
    for (const isbn of isbns) {
      expect(isValidIsbn10(isbn)).toBe(true);
      expect(isbn10CheckDigit(isbn.slice(0, 9))).toBe(isbn[9]);
    }
    // The same books as ISBN-13: 978 + first nine digits + the mod-10 check digit.
    expect(`978${isbns[0]!.slice(0, 9)}${isbn13CheckDigit(`978${isbns[0]!.slice(0, 9)}`)}`).toBe('9785930933420');
    expect(isValidIsbn13('978-5-93093-342-0')).toBe(true);
    expect(isValidIsbn13('978-5-93093-342-1')).toBe(false);
  });

  it('formats both forms of one ISBN from a body, with valid check digits', () => {
    const { isbn13, isbn10 } = formatIsbn('5', '93093342');
    expect(isbn13.replace(/-/g, '')).toBe('9785930933420');
    expect(isbn10.replace(/-/g, '')).toBe('5930933421');
    expect(isbn13.split('-')).toHaveLength(5);
    expect(isbn10.split('-')).toHaveLength(4);
  });

  it('gives distinct bodies to distinct serials', () => {
    const bodies = new Set<string>();
    for (let serial = 0; serial < 20_000; serial++) bodies.add(isbnBody(serial));
    for (let serial = 99_990_000; serial < 100_000_000; serial++) bodies.add(isbnBody(serial));
    expect(bodies.size).toBe(30_000);
    expect(() => isbnBody(100_000_000)).toThrow(RangeError);
  });

  it('computes ISSN check characters', () => {
    // Library Journal is ISSN 0363-0277.
    expect(formatIssn(363027)).toBe('0363-0277');
    const digits = formatIssn(1234567).replace('-', '');
    let sum = 0;
    for (let i = 0; i < 7; i++) sum += Number(digits[i]) * (8 - i);
    expect((sum + (digits[7] === 'X' ? 10 : Number(digits[7]))) % 11).toBe(0);
  });
});
