/**
 * IRBIS64 text exchange format (as PythonIrbis reads and writes it): one field per line, `#200:
 * ^AЗаглавие^Eсведения`, repeated fields on repeated lines, records ended by a `*****` line. IRBIS
 * uses RUSMARC tags, so each record becomes a RUSMARC-like MarcRecord and goes through the same
 * normaliser and MARCXML writer as ISO 2709 and MARCXML records.
 *
 * Control number: field 903 («шифр документа в БД», IRBIS's unique record key) when present, else a
 * hash of the content (see contentHash). The exchange format carries no MFN, and an MFN would change
 * when the database is reorganised anyway. The chosen number is stored in 001 so that it travels with
 * the MARCXML.
 */
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import { type ReadOptions, type ReadResult, type RecordPosition, type SourceEncoding } from '../record-data';
import { findInvalidUtf8, decodeText } from './encoding';
import { contentHash } from './normalise';
import { CONTROL_TAG, type MarcField } from './record';
import { recordResult, rejectResult } from './result';

const RECORD_END = '*****';
/** IRBIS records are far smaller; a longer run of bytes without `*****` is not a record. */
const MAX_RECORD_BYTES = 1 << 20;
const LINE = /^#(\d{1,4}):\s?(.*)$/s;

/** An IRBIS field value → subfields: text before the first '^' goes to $a, then '^' + code (case-insensitive). */
function subfields(value: string): MarcSubfield[] {
  const parts = value.split('^');
  const result: MarcSubfield[] = [];
  const head = parts[0] ?? '';
  if (head.trim() !== '') result.push(new MarcSubfield('a', head.trim()));
  for (const part of parts.slice(1)) {
    if (part.length === 0) continue;
    result.push(new MarcSubfield(part.charAt(0).toLowerCase(), part.slice(1)));
  }
  return result;
}

/** Leader from IRBIS codes: 900^T (type of record) and the worksheet in 920 (ASP article, J/NJ serial, SPEC volume). */
function irbisLeader(fields: Map<string, string>): string {
  const typeCode = (/\^t([a-z])/i.exec(fields.get('900') ?? '')?.[1] ?? 'a').toLowerCase();
  const worksheet = (fields.get('920') ?? '').trim().toUpperCase();
  const level = worksheet === 'ASP' ? 'a' : ['J', 'NJ', 'NJK', 'NJP'].includes(worksheet) ? 's' : 'm';
  const hierarchy = worksheet === 'SPEC' ? '2' : worksheet === 'PVK' ? '1' : ' ';
  return `00000n${typeCode}${level}${hierarchy} 2200000   450 `;
}

/**
 * Builds the MarcRecord of one IRBIS record. Tags above 999 (IRBIS service fields such as 1119) are
 * dropped: MARC tags have three digits and those fields hold no bibliographic data.
 */
export function irbisRecord(lines: { tag: number; value: string }[]): MarcRecord {
  const firstValues = new Map<string, string>();
  const fields: MarcField[] = [];
  for (const { tag, value } of lines) {
    if (tag > 999) continue;
    const marcTag = String(tag).padStart(3, '0');
    if (!firstValues.has(marcTag)) firstValues.set(marcTag, value);
    fields.push(
      CONTROL_TAG.test(marcTag)
        ? new MarcControlField(marcTag, value)
        : new MarcDataField(marcTag, ' ', ' ', subfields(value)),
    );
  }
  fields.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const record = new MarcRecord(fields.filter((f) => f.tag !== '001'));
  record.leader = irbisLeader(firstValues);
  const key = (firstValues.get('903') ?? '').trim();
  record.fields.unshift(new MarcControlField('001', key || contentHash(record)));
  return record;
}

function readRecord(lines: Buffer[], position: RecordPosition, options: ReadOptions): ReadResult {
  const bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
  let encoding: SourceEncoding;
  if (options.encoding) {
    encoding = options.encoding;
    const invalid = encoding === 'UTF-8' ? findInvalidUtf8(bytes) : -1;
    if (invalid >= 0) return rejectResult(position, `invalid UTF-8 at byte ${invalid} of the record`);
  } else {
    // IRBIS writes UTF-8 or its "ANSI" code page, Windows-1251.
    encoding = findInvalidUtf8(bytes) < 0 ? 'UTF-8' : 'CP1251';
  }
  const parsed: { tag: number; value: string }[] = [];
  for (const [n, line] of lines.entries()) {
    const text = decodeText(line, encoding).replace(/^\uFEFF/, '');
    const match = LINE.exec(text);
    if (!match)
      return rejectResult(position, `line ${n + 1} of the record is not "#tag: value": "${text.slice(0, 40)}"`);
    parsed.push({ tag: Number(match[1]), value: (match[2] ?? '').trimEnd() });
  }
  return recordResult(irbisRecord(parsed), position, {
    flavour: options.flavour ?? 'RUSMARC',
    encoding,
    format: 'IRBIS',
  });
}

/** Reads IRBIS text exchange records from a byte stream, holding one record and one chunk at a time. */
export async function* readIrbis(chunks: AsyncIterable<Buffer>, options: ReadOptions): AsyncGenerator<ReadResult> {
  if (options.encoding === 'MARC-8') throw new Error('IRBIS text exchange files are UTF-8 or Windows-1251, not MARC-8');
  let index = 0;
  let lines: Buffer[] = [];
  let recordBytes = 0;
  let recordStart = 0;
  let skipping = false;
  let carry: Buffer[] = [];
  let carryLength = 0;
  let lineStart = 0;
  let position = 0;

  function* line(raw: Buffer, start: number): Generator<ReadResult> {
    const bytes = raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    const text = bytes.toString('latin1').trim();
    if (text === RECORD_END) {
      if (!skipping && lines.length > 0) yield readRecord(lines, { index: ++index, offset: recordStart }, options);
      lines = [];
      recordBytes = 0;
      skipping = false;
      return;
    }
    if (text === '' || skipping) return;
    if (lines.length === 0) recordStart = start;
    lines.push(bytes);
    recordBytes += bytes.length;
    if (recordBytes > MAX_RECORD_BYTES) {
      yield rejectResult(
        { index: ++index, offset: recordStart },
        `record longer than ${MAX_RECORD_BYTES} bytes without "*****"`,
      );
      lines = [];
      recordBytes = 0;
      skipping = true;
    }
  }

  for await (const chunk of chunks) {
    let i = 0;
    while (i < chunk.length) {
      const newline = chunk.indexOf(0x0a, i);
      if (newline < 0) {
        carry.push(chunk.subarray(i));
        carryLength += chunk.length - i;
        if (carryLength > MAX_RECORD_BYTES) {
          yield* line(Buffer.concat(carry), lineStart);
          carry = [];
          carryLength = 0;
        }
        break;
      }
      const piece = chunk.subarray(i, newline);
      const raw = carryLength > 0 ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      carryLength = 0;
      yield* line(raw, lineStart);
      i = newline + 1;
      lineStart = position + i;
    }
    position += chunk.length;
  }
  if (carryLength > 0) yield* line(Buffer.concat(carry), lineStart);
  if (!skipping && lines.length > 0) yield readRecord(lines, { index: ++index, offset: recordStart }, options);
}
