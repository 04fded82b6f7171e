/**
 * ISO 2709 reading. The byte stream is split on the record terminator (0x1D) here, and each record is
 * checked on its own before marcrecord parses its fields: marcrecord's reader trusts the length in
 * the leader, so one wrong length would shift every following record.
 */
import { MarcControlField, MarcIsoReader, type MarcIsoReaderOptions, MarcRecord } from 'marcrecord';
import { type ReadOptions, type ReadResult, type RecordPosition, type SourceEncoding } from '../record-data';
import { chooseEncoding, declaredEncoding, decodeText, findInvalidUtf8 } from './encoding';
import { detectFamily, detectFlavour, familyOf, type MarcFamily } from './flavour';
import { CONTROL_TAG, embedsFields, type MarcField } from './record';
import { recordResult, rejectResult } from './result';

const RECORD_TERMINATOR = 0x1d;
const FIELD_TERMINATOR = 0x1e;
const SUBFIELD_DELIMITER = 0x1f;
const LEADER_LENGTH = 24;
const ENTRY_LENGTH = 12;
/** A leader's record length has five digits, so a longer run of bytes without 0x1D is not a record. */
const MAX_RECORD_LENGTH = 99999;

/** Bytes that may sit between records (line breaks some exporters add, padding, DOS end of file). */
function isFiller(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09 || byte === 0x00 || byte === 0x1a;
}

/** One record's bytes (terminator included) or a piece of the stream that cannot be one. */
export type IsoPiece = { offset: number; bytes: Buffer } | { offset: number; reason: string };

/**
 * Splits a byte stream into records on 0x1D, holding at most one record plus the current chunk.
 * Reports a last record without a terminator, and a run of more than 99 999 bytes without one (then
 * skips to the next terminator so the records after it still read).
 */
export async function* splitIso2709(chunks: AsyncIterable<Buffer>): AsyncGenerator<IsoPiece> {
  let parts: Buffer[] = [];
  let partsLength = 0;
  let recordStart = 0;
  let position = 0;
  let skipping = false;
  let first = true;
  for await (const chunk of chunks) {
    let i = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    while (i < chunk.length) {
      if (partsLength === 0 && !skipping) {
        while (i < chunk.length && isFiller(chunk[i] ?? 0)) i++;
        if (i === chunk.length) break;
        recordStart = position + i;
      }
      const end = chunk.indexOf(RECORD_TERMINATOR, i);
      if (end < 0) {
        if (!skipping) {
          parts.push(chunk.subarray(i));
          partsLength += chunk.length - i;
          if (partsLength > MAX_RECORD_LENGTH) {
            yield {
              offset: recordStart,
              reason: `no record terminator (0x1D) within ${MAX_RECORD_LENGTH} bytes; skipped to the next one`,
            };
            parts = [];
            partsLength = 0;
            skipping = true;
          }
        }
        break;
      }
      if (skipping) {
        skipping = false;
      } else {
        const piece = chunk.subarray(i, end + 1);
        const bytes = partsLength > 0 ? Buffer.concat([...parts, piece]) : piece;
        parts = [];
        partsLength = 0;
        yield { offset: recordStart, bytes };
      }
      i = end + 1;
    }
    position += chunk.length;
  }
  if (partsLength > 0) {
    yield {
      offset: recordStart,
      reason: `truncated record: ${partsLength} bytes at the end of the input without a record terminator (0x1D)`,
    };
  }
}

/** One 12-byte directory entry. */
export interface IsoDirectoryEntry {
  tag: string;
  length: number;
  /** Offset of the field from the base address. */
  start: number;
}

/** A checked record: its leader, base address and directory. */
export interface IsoStructure {
  leader: string;
  baseAddress: number;
  entries: IsoDirectoryEntry[];
}

function isDigits(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x30 || b > 0x39) return false;
  }
  return true;
}

/** Bytes as readable text for a reason: printable ASCII as is, others as \xNN. */
function show(bytes: Buffer, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end && i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return text;
}

/**
 * Checks one record (terminator included): leader digits, record length against the bytes, base
 * address, directory entries (12 bytes each, numeric, inside the data) and field terminators.
 * Returns the structure, or the reason the record cannot be trusted.
 *
 * A record whose leader length disagrees with its bytes is rejected even when the rest is
 * consistent: the length is the only whole-record integrity check ISO 2709 has, and a mismatch means
 * the record was cut, merged or edited on the way; a visible reject beats a silent guess.
 */
export function inspectIso2709(bytes: Buffer): IsoStructure | string {
  if (bytes.length < LEADER_LENGTH + 2) return `record too short: ${bytes.length} bytes`;
  if (!isDigits(bytes, 0, 5)) return `record length "${show(bytes, 0, 5)}" in the leader is not 5 digits`;
  for (let i = 0; i < LEADER_LENGTH; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x20 || b > 0x7e)
      return `leader byte ${i} is 0x${b.toString(16).padStart(2, '0').toUpperCase()}, not ASCII`;
  }
  const leader = bytes.toString('latin1', 0, LEADER_LENGTH);
  const declaredLength = Number(leader.slice(0, 5));
  if (declaredLength !== bytes.length) {
    return `record length ${leader.slice(0, 5)} in the leader, ${String(bytes.length).padStart(5, '0')} bytes found`;
  }
  if (!isDigits(bytes, 12, 17)) return `base address "${leader.slice(12, 17)}" in the leader is not 5 digits`;
  const baseAddress = Number(leader.slice(12, 17));
  if (baseAddress < LEADER_LENGTH + 1 || baseAddress >= bytes.length) {
    return `base address ${leader.slice(12, 17)} in the leader is outside the record (${bytes.length} bytes)`;
  }
  const directoryLength = baseAddress - 1 - LEADER_LENGTH;
  if (bytes[baseAddress - 1] !== FIELD_TERMINATOR) {
    return `directory does not end with a field terminator (0x1E) at byte ${baseAddress - 1}`;
  }
  if (directoryLength % ENTRY_LENGTH !== 0) {
    return `directory is ${directoryLength} bytes long, not a multiple of ${ENTRY_LENGTH}`;
  }
  const dataLength = bytes.length - 1 - baseAddress;
  const entries: IsoDirectoryEntry[] = [];
  for (let n = 0; n < directoryLength / ENTRY_LENGTH; n++) {
    const at = LEADER_LENGTH + n * ENTRY_LENGTH;
    const entry = `directory entry ${n + 1} ("${show(bytes, at, at + ENTRY_LENGTH)}")`;
    const tag = bytes.toString('latin1', at, at + 3);
    if (!/^[0-9A-Za-z]{3}$/.test(tag)) return `${entry}: tag is not 3 letters or digits`;
    if (!isDigits(bytes, at + 3, at + ENTRY_LENGTH)) return `${entry}: field length or start is not numeric`;
    const length = Number(bytes.toString('latin1', at + 3, at + 7));
    const start = Number(bytes.toString('latin1', at + 7, at + 12));
    if (length === 0) return `${entry}: field ${tag} has length 0`;
    if (start + length > dataLength) {
      return `${entry}: field ${tag} (start ${start}, length ${length}) runs past the end of the data (${dataLength} bytes)`;
    }
    if (bytes[baseAddress + start + length - 1] !== FIELD_TERMINATOR) {
      return `${entry}: field ${tag} does not end with a field terminator (0x1E)`;
    }
    entries.push({ tag, length, start });
  }
  if (bytes[bytes.length - 1] !== RECORD_TERMINATOR) return 'record does not end with a record terminator (0x1D)';
  return { leader, baseAddress, entries };
}

/** 100$a as raw Latin-1 text (its coded positions are ASCII), to read the declared character set. */
function raw100a(bytes: Buffer, structure: IsoStructure): string | null {
  const entry = structure.entries.find((e) => e.tag === '100');
  if (!entry) return null;
  const start = structure.baseAddress + entry.start;
  const end = start + entry.length - 1;
  for (let i = start; i < end; i++) {
    if (bytes[i] === SUBFIELD_DELIMITER && bytes[i + 1] === 0x61) {
      let stop = i + 2;
      while (stop < end && bytes[stop] !== SUBFIELD_DELIMITER) stop++;
      return bytes.toString('latin1', i + 2, stop);
    }
  }
  return null;
}

/** marcrecord decodes through iconv-lite; MARC-8 goes through Latin-1 (byte for byte) and marc8.ts. */
const PARSE_ENCODING: Record<SourceEncoding, string | null> = { 'UTF-8': null, CP1251: 'win1251', 'MARC-8': 'latin1' };

/**
 * Parses a checked record with marcrecord, field by field: UNIMARC mode (embedded fields after $1)
 * only for the link fields (4xx, 604), because other UNIMARC fields use $1 as plain data (the Italian
 * union catalogue's 899$1 holds a library code, not a field).
 */
export function parseIso2709(
  bytes: Buffer,
  structure: IsoStructure,
  family: MarcFamily,
  encoding: SourceEncoding,
): MarcRecord {
  const options = (links: boolean): MarcIsoReaderOptions => ({
    format: links ? 'UNIMARC' : 'MARC21',
    encoding: PARSE_ENCODING[encoding],
    controlFieldRegexp: CONTROL_TAG,
    parseInvalidDataField: true,
    permissive: false,
  });
  const record = new MarcRecord();
  record.leader = structure.leader;
  for (const entry of structure.entries) {
    const start = structure.baseAddress + entry.start;
    const links = family === 'UNIMARC' && embedsFields(entry.tag);
    let field: MarcField;
    try {
      field = MarcIsoReader.parseField(bytes, entry.tag, start, entry.length, options(links));
    } catch {
      // A malformed $1 (shorter than a tag and indicators): keep the field flat.
      field = MarcIsoReader.parseField(bytes, entry.tag, start, entry.length, options(false));
    }
    record.addVariableField(encoding === 'MARC-8' ? decodeMarc8Field(field) : field);
  }
  return record;
}

function decodeMarc8Field(field: MarcField): MarcField {
  const decode = (text: string): string => decodeText(Buffer.from(text, 'latin1'), 'MARC-8');
  if (field instanceof MarcControlField) {
    field.data = decode(field.data);
    return field;
  }
  for (const s of field.subfields) {
    s.data = typeof s.data === 'string' ? decode(s.data) : decodeMarc8Field(s.data);
  }
  return field;
}

/** Checks, decodes, parses and normalises one record's bytes. */
export function readIso2709Record(bytes: Buffer, position: RecordPosition, options: ReadOptions): ReadResult {
  const structure = inspectIso2709(bytes);
  if (typeof structure === 'string') return rejectResult(position, structure);
  const tags = structure.entries.map((e) => e.tag);
  const family = options.flavour ? familyOf(options.flavour) : detectFamily(structure.leader, tags);
  let encoding = options.encoding;
  if (!encoding) {
    const decision = chooseEncoding(
      bytes,
      declaredEncoding(family, structure.leader, raw100a(bytes, structure)),
      family === 'MARC21' ? 'MARC-8' : 'CP1251',
    );
    if (!decision.ok) return rejectResult(position, decision.reason);
    encoding = decision.encoding;
  } else if (encoding === 'UTF-8') {
    const invalid = findInvalidUtf8(bytes);
    if (invalid >= 0) return rejectResult(position, `invalid UTF-8 at byte ${invalid} of the record`);
  }
  let record: MarcRecord;
  try {
    record = parseIso2709(bytes, structure, family, encoding);
  } catch (error) {
    return rejectResult(position, `cannot parse the fields: ${error instanceof Error ? error.message : String(error)}`);
  }
  const flavour = options.flavour ?? detectFlavour(record, family);
  return recordResult(record, position, { flavour, encoding, format: 'ISO2709' });
}

/** Reads ISO 2709 records from a byte stream, one ReadResult per record, in order. */
export async function* readIso2709(chunks: AsyncIterable<Buffer>, options: ReadOptions): AsyncGenerator<ReadResult> {
  let index = 0;
  for await (const piece of splitIso2709(chunks)) {
    const position = { index: ++index, offset: piece.offset };
    yield 'reason' in piece ? rejectResult(position, piece.reason) : readIso2709Record(piece.bytes, position, options);
  }
}
