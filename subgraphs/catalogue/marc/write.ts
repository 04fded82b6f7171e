/**
 * Writing records: the MARCXML stored with each record (`marcXml`), MARCXML collections and UTF-8
 * ISO 2709 for export. Export starts from the stored MARCXML, so importing an export gives back the
 * same CatalogueRecordData (only `format` and `encoding` say where it came from).
 */
import { MarcControlField, MarcDataField, MarcIsoWriter, type MarcRecord, MarcXmlWriter } from 'marcrecord';
import { type CatalogueRecordData, type MarcFlavour } from '../record-data';
import { detectFamily, familyOf, type MarcFamily } from './flavour';
import { parseMarcXmlText } from './marcxml-parser';
import { embedAllLinkedFields, type MarcField } from './record';

/** The MARCXML (MARC 21 slim) namespace, used for UNIMARC records too. */
export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';

/** The largest record ISO 2709 can describe: its length has five digits. */
export const ISO2709_MAX_LENGTH = 99999;

// C0 controls other than tab, LF and CR, and the noncharacters U+FFFE/U+FFFF, cannot appear in XML 1.0.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text fit for MARCXML: NFC, without characters XML 1.0 forbids. */
export function cleanText(text: string): string {
  // Most values are plain ASCII: skip the regular expression and ICU for them.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return text.replace(XML_FORBIDDEN, '').normalize('NFC');
}

/** One printable ASCII character other than '"' (marcrecord's XML writer does not escape quotes). */
function cleanCode(code: string, fallback: string): string {
  const c = code.charAt(0);
  return c >= ' ' && c <= '~' && c !== '"' ? c : fallback;
}

/** Cleans a field in place (see cleanText and cleanCode). */
function cleanField(field: MarcField): void {
  if (field instanceof MarcControlField) {
    field.data = cleanText(field.data);
    return;
  }
  field.ind1 = cleanCode(field.ind1, ' ');
  field.ind2 = cleanCode(field.ind2, ' ');
  for (const s of field.subfields) {
    s.code = cleanCode(s.code, '?');
    if (typeof s.data === 'string') s.data = cleanText(s.data);
    else cleanField(s.data);
  }
}

/** Byte length of a field in UTF-8 ISO 2709, as marcrecord's writer lays it out (embedded fields too). */
function fieldLength(field: MarcField, embedded = false): number {
  if (field instanceof MarcControlField) return Buffer.byteLength(field.data) + 1;
  let length = embedded ? 1 : 3;
  for (const s of field.subfields) {
    if (typeof s.data === 'string') {
      length += 2 + Buffer.byteLength(s.data);
    } else {
      const header = s.data.tag + (s.data instanceof MarcDataField ? s.data.ind1 + s.data.ind2 : '');
      length += 1 + Buffer.byteLength(header) + fieldLength(s.data, true);
    }
  }
  return length;
}

/** Length of the record in UTF-8 ISO 2709: leader, directory, its terminator, fields, record terminator. */
export function iso2709Length(record: MarcRecord): number {
  return record.fields.reduce((sum, f) => sum + fieldLength(f), 24 + 12 * record.fields.length + 1 + 1);
}

function setAt(text: string, position: number, value: string): string {
  return text.slice(0, position) + value + text.slice(position + value.length);
}

/**
 * Re-declares a decoded record as Unicode, in place: strips what XML cannot carry, NFC, sets MARC 21
 * leader/09 to 'a' or UNIMARC 100$a/26-29 to '50  ', and writes into the leader the length and base
 * address of the record's UTF-8 ISO 2709 form, so that exporting and re-importing reproduce it exactly.
 */
export function toUnicodeRecord(record: MarcRecord, family: MarcFamily): MarcRecord {
  let leader = [...record.leader.padEnd(24).slice(0, 24)].map((c) => (c >= ' ' && c <= '~' ? c : ' ')).join('');
  for (const field of record.fields) cleanField(field);
  if (family === 'MARC21') {
    leader = setAt(leader, 9, 'a');
  } else {
    const f100 = record.fields.find((f): f is MarcDataField => f instanceof MarcDataField && f.tag === '100');
    const a = f100?.subfields.find((s) => s.code === 'a');
    if (a && typeof a.data === 'string' && a.data.length >= 30) a.data = setAt(a.data, 26, '50  ');
  }
  const length = iso2709Length(record);
  if (length <= ISO2709_MAX_LENGTH) {
    leader = setAt(leader, 0, String(length).padStart(5, '0'));
    leader = setAt(leader, 12, String(24 + 12 * record.fields.length + 1).padStart(5, '0'));
  }
  record.leader = leader;
  return record;
}

/** Escapes what marcrecord's XML writer escapes in element text and attributes: &, < and >. */
function escapeXml(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Appends the lines of one subfield; an embedded field (UNIMARC $1) in the flat MARC 21 form marcrecord uses. */
function subfieldXml(code: string, data: string | MarcField, indent: string, out: string[]): void {
  if (typeof data === 'string') {
    out.push(`${indent}<subfield code="${escapeXml(code)}">${escapeXml(data)}</subfield>`);
  } else if (data instanceof MarcControlField) {
    out.push(`${indent}<subfield code="${escapeXml(code)}">${escapeXml(data.tag)}${escapeXml(data.data)}</subfield>`);
  } else {
    const head = escapeXml(data.tag) + escapeXml(data.ind1) + escapeXml(data.ind2);
    out.push(`${indent}<subfield code="${escapeXml(code)}">${head}</subfield>`);
    for (const s of data.subfields) subfieldXml(s.code, s.data, indent, out);
  }
}

/**
 * One record as MARCXML (MARC 21 slim namespace; UNIMARC $1 links in their standard flat form). Writes
 * what marcrecord's MarcXmlWriter writes (a test holds the two equal), without its per-element
 * `util.format`, which took a quarter of the time of an import.
 */
export function recordToMarcXml(record: MarcRecord): string {
  const out = [`<record xmlns="${MARCXML_NAMESPACE}">`, `  <leader>${escapeXml(record.leader)}</leader>`];
  for (const field of record.fields) {
    if (field instanceof MarcControlField) {
      out.push(`  <controlfield tag="${escapeXml(field.tag)}">${escapeXml(field.data)}</controlfield>`);
      continue;
    }
    out.push(
      `  <datafield tag="${escapeXml(field.tag)}" ind1="${escapeXml(field.ind1)}" ind2="${escapeXml(field.ind2)}">`,
    );
    for (const s of field.subfields) subfieldXml(s.code, s.data, '    ', out);
    out.push('  </datafield>');
  }
  out.push('</record>');
  const xml = out.join('\n');
  // A line break inside a value meets the library's re-indenting regular expression; leave that rare case to it.
  return xml.length - out.length + 1 === xml.replace(/\n/g, '').length ? xml : recordToMarcXmlByLibrary(record);
}

/** The same through marcrecord's own writer: the reference recordToMarcXml is tested against. */
export function recordToMarcXmlByLibrary(record: MarcRecord): string {
  const xml = MarcXmlWriter.recordToMarcXml(record, { format: 'MARC21' });
  return xml
    .replace(/^ {2}<record>/, `<record xmlns="${MARCXML_NAMESPACE}">`)
    .replace(/\n {2}(?= *<)/g, '\n')
    .trimEnd();
}

/** Reads one stored MARCXML record back into a MarcRecord, embedding UNIMARC links for that family. */
export function marcXmlToRecord(marcXml: string, family?: MarcFamily): MarcRecord {
  const events = parseMarcXmlText(marcXml);
  const first = events[0];
  if (!first) throw new Error('MARCXML holds no <record>');
  if (!first.ok) throw new Error(`MARCXML record cannot be read: ${first.reason}`);
  const record = first.record;
  const recordFamily =
    family ??
    detectFamily(
      record.leader,
      record.fields.map((f) => f.tag),
    );
  if (recordFamily === 'UNIMARC') embedAllLinkedFields(record);
  return record;
}

/** The record in UTF-8 ISO 2709; throws when it is longer than ISO 2709 allows. */
export function recordToIso2709(record: MarcRecord): Buffer {
  const length = iso2709Length(record);
  if (length > ISO2709_MAX_LENGTH) {
    throw new Error(`record is ${length} bytes in UTF-8, longer than ISO 2709 allows (${ISO2709_MAX_LENGTH})`);
  }
  const buffer = Buffer.alloc(length);
  const written = MarcIsoWriter.recordToIso2709(record, buffer);
  if (written !== length) throw new Error(`ISO 2709 writer wrote ${written} bytes, ${length} expected`);
  return buffer;
}

/** Stored MARCXML → UTF-8 ISO 2709 (leader/09 'a' for MARC 21; 100$a/26-29 '50' for UNIMARC/RUSMARC). */
export function marcXmlToIso2709(marcXml: string, flavour: MarcFlavour): Buffer {
  const family = familyOf(flavour);
  return recordToIso2709(toUnicodeRecord(marcXmlToRecord(marcXml, family), family));
}

const COLLECTION_HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARCXML_NAMESPACE}">\n`;
const COLLECTION_TAIL = '</collection>\n';

/** Stored MARCXML records → one MARCXML <collection> document. */
export function marcXmlCollection(marcXmls: string[]): string {
  return COLLECTION_HEAD + marcXmls.map((x) => x + '\n').join('') + COLLECTION_TAIL;
}

/** Normalised records → one MARCXML <collection> of their stored MARCXML. */
export function toMarcXml(records: Pick<CatalogueRecordData, 'marcXml'>[]): string {
  return marcXmlCollection(records.map((r) => r.marcXml));
}

/** Streaming form of marcXmlCollection: yields the head, each record and the tail, for large exports. */
export async function* marcXmlCollectionChunks(
  marcXmls: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<string> {
  yield COLLECTION_HEAD;
  for await (const marcXml of marcXmls) yield marcXml + '\n';
  yield COLLECTION_TAIL;
}
