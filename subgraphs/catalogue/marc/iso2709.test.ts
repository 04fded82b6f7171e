import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CatalogueRecordData, type ReadResult } from '../record-data';
import { inspectIso2709 } from './iso2709';
import { readRecords } from './read';

const FIXTURES = path.join(__dirname, '../../../../shared/fixtures/marc');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

async function* chunked(buffer: Buffer, size = buffer.length): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function readAll(input: AsyncIterable<Buffer>): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for await (const result of readRecords(input)) results.push(result);
  return results;
}

/** Records of an ISO 2709 file, each with its terminator. */
function split(file: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let start = 0;
  for (let end = file.indexOf(0x1d); end >= 0; end = file.indexOf(0x1d, start)) {
    records.push(Buffer.from(file.subarray(start, end + 1)));
    start = end + 1;
  }
  return records;
}

type Expected = { ok: true; record: CatalogueRecordData } | { ok: false; reason: string };

describe('a corrupted copy of rusmarc-nlr-cp1251.iso, built in memory', () => {
  let good: CatalogueRecordData[];
  let sbn: CatalogueRecordData;
  let file: Buffer;
  let expected: (Expected & { offset: number })[];

  beforeAll(async () => {
    const nlr = fixture('rusmarc-nlr-cp1251.iso');
    good = (await readAll(chunked(nlr))).map((r) => (r.ok ? r.record : fail(r.reason)));
    const sbnResult = (await readAll(chunked(fixture('unimarc-sbn-utf8.mrc'))))[0];
    if (!sbnResult?.ok) throw new Error('SBN fixture did not read');
    sbn = sbnResult.record;

    const records = split(nlr);
    const pieces: { bytes: Buffer; expect: Expected | null }[] = [];
    const ok = (n: number): Expected => ({ ok: true, record: good[n - 1] as CatalogueRecordData });
    for (let n = 1; n <= records.length; n++) {
      const record = records[n - 1] as Buffer;
      if (n === 5) {
        // The leader claims one byte more than the record has.
        record.write('00509', 0, 'latin1');
        pieces.push({
          bytes: record,
          expect: { ok: false, reason: 'record length 00509 in the leader, 00508 bytes found' },
        });
      } else if (n === 10) {
        // Directory entry 3: a letter in the field length.
        record[24 + 2 * 12 + 3] = 0x58;
        const entry = record.toString('latin1', 48, 60);
        pieces.push({
          bytes: record,
          expect: { ok: false, reason: `directory entry 3 ("${entry}"): field length or start is not numeric` },
        });
      } else if (n === 20) {
        pieces.push({ bytes: record, expect: ok(n) });
        // A UTF-8 MARC 21 record (leader/09 'a') with the second byte of a combining grave accent
        // (CC 80, in «solitude à») overwritten: CC 21 is not UTF-8.
        const utf8 = Buffer.from(fixture('marc21-utf8-leader-flag.mrc'));
        const at = utf8.indexOf(Buffer.from([0xcc, 0x80]));
        utf8[at + 1] = 0x21;
        pieces.push({ bytes: utf8, expect: { ok: false, reason: `invalid UTF-8 at byte ${at} of the record` } });
      } else if (n === 30) {
        // The record terminator is lost: records 30 and 31 run together and are rejected as one.
        const merged = Buffer.concat([record.subarray(0, record.length - 1), records[n] as Buffer]);
        const reason = `record length ${record.toString('latin1', 0, 5)} in the leader, ${String(merged.length).padStart(5, '0')} bytes found`;
        pieces.push({ bytes: merged, expect: { ok: false, reason } });
        n++;
      } else if (n === 40) {
        pieces.push({ bytes: record, expect: ok(n) });
        // A UTF-8 UNIMARC record among CP1251 RUSMARC ones: the encoding is decided per record.
        pieces.push({ bytes: fixture('unimarc-sbn-utf8.mrc'), expect: { ok: true, record: sbn } });
        // Line breaks between records, as some exporters write them, are skipped.
        pieces.push({ bytes: Buffer.from('\r\n'), expect: null });
      } else if (n === 60) {
        // Junk before a record makes that record unreadable, not the ones after it.
        const junk = Buffer.concat([Buffer.from('JUNK'), record]);
        pieces.push({
          bytes: junk,
          expect: { ok: false, reason: 'record length "JUNK0" in the leader is not 5 digits' },
        });
      } else if (n === records.length) {
        pieces.push({
          bytes: record.subarray(0, 300),
          expect: {
            ok: false,
            reason: 'truncated record: 300 bytes at the end of the input without a record terminator (0x1D)',
          },
        });
      } else {
        pieces.push({ bytes: record, expect: ok(n) });
      }
    }
    file = Buffer.concat(pieces.map((p) => p.bytes));
    expected = [];
    let offset = 0;
    for (const piece of pieces) {
      if (piece.expect) expected.push({ ...piece.expect, offset });
      offset += piece.bytes.length;
    }
  });

  it.each([
    ['in one chunk', undefined],
    ['7 bytes at a time', 7],
  ])('reads every good record and rejects exactly the bad ones (%s)', async (_, size) => {
    const results = await readAll(chunked(file, size));
    expect(results).toHaveLength(82);
    expect(results).toEqual(expected.map((e, i) => ({ ...e, index: i + 1 })));
    const rejects = results.filter((r) => !r.ok).map((r) => r.index);
    expect(rejects).toEqual([5, 10, 21, 31, 61, 82]);
    expect(results[4]?.offset).toBe(2194);
    expect(results.filter((r) => r.ok)).toHaveLength(76);
    expect(results[40]).toMatchObject({
      ok: true,
      record: { controlNumber: 'IT\\ICCU\\ANA\\0019370', encoding: 'UTF-8' },
    });
  });
});

describe('inspectIso2709', () => {
  const record = (): Buffer => Buffer.from(fixture('marc21-utf8-leader-flag.mrc'));

  it('returns the structure of a sound record', () => {
    const structure = inspectIso2709(record());
    if (typeof structure === 'string') throw new Error(structure);
    expect(structure.leader).toBe('01123cam a2200349 a 4500');
    expect(structure.baseAddress).toBe(349);
    expect(structure.entries[0]).toEqual({ tag: '001', length: 2, start: 0 });
    expect(structure.entries).toHaveLength(27);
  });

  it('names what is wrong', () => {
    const badBase = record();
    badBase.write('0034x', 12, 'latin1');
    expect(inspectIso2709(badBase)).toBe('base address "0034x" in the leader is not 5 digits');

    const shiftedBase = record();
    shiftedBase.write('00350', 12, 'latin1');
    expect(inspectIso2709(shiftedBase)).toBe('directory does not end with a field terminator (0x1E) at byte 349');

    const pastEnd = record();
    pastEnd.write('9999', 24 + 3, 'latin1');
    expect(inspectIso2709(pastEnd)).toBe(
      'directory entry 1 ("001999900000"): field 001 (start 0, length 9999) runs past the end of the data (773 bytes)',
    );

    const noTerminator = record();
    noTerminator[349 + 1] = 0x20; // the 0x1E closing field 001 ("2")
    expect(inspectIso2709(noTerminator)).toBe(
      'directory entry 1 ("001000200000"): field 001 does not end with a field terminator (0x1E)',
    );

    const badTag = record();
    badTag[24] = 0x2a;
    expect(inspectIso2709(badTag)).toBe('directory entry 1 ("*01000200000"): tag is not 3 letters or digits');
  });
});

function fail(reason: string): never {
  throw new Error(reason);
}
