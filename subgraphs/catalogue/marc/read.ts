/**
 * The single entry point for reading catalogue files: ISO 2709 (MARC 21, RUSMARC, UNIMARC), MARCXML
 * and the IRBIS text exchange format, in UTF-8, CP1251 or MARC-8.
 */
import { type MarcFlavour, type ReadOptions, type ReadResult, type SourceFormat } from '../record-data';
import { parseSourceEncoding } from './encoding';
import { readIrbis } from './irbis';
import { readIso2709 } from './iso2709';
import { readMarcXml } from './marcxml';
import { type ByteInput, ByteSource } from './source';

const FORMATS: readonly SourceFormat[] = ['ISO2709', 'MARCXML', 'IRBIS'];
const FLAVOURS: readonly MarcFlavour[] = ['MARC21', 'RUSMARC', 'UNIMARC'];

/**
 * Checks options that may come from a CLI or an HTTP request: throws on a value outside its type,
 * accepts the usual spellings of an encoding (`utf8`, `windows-1251`, `marc8`) and returns them normalised.
 */
export function checkReadOptions(options: ReadOptions): ReadOptions {
  const check = <T extends string>(name: string, value: T | undefined, allowed: readonly T[]): void => {
    if (value !== undefined && !allowed.includes(value)) {
      throw new Error(`Unknown ${name} "${String(value)}": expected one of ${allowed.join(', ')}`);
    }
  };
  check<SourceFormat>('format', options.format, FORMATS);
  check<MarcFlavour>('flavour', options.flavour, FLAVOURS);
  const encoding = options.encoding === undefined ? undefined : parseSourceEncoding(options.encoding);
  return { ...options, encoding };
}

/** How many leading bytes format detection may look at before giving up (whitespace, a BOM). */
const DETECTION_WINDOW = 4096;

/**
 * The format from the first bytes: '<' (after an optional BOM and whitespace) is MARCXML, '#' is the
 * IRBIS exchange format, a digit (a leader's record length) or a record terminator 0x1D further on is
 * ISO 2709. Null for empty input.
 */
export function detectFormat(head: Buffer): SourceFormat | null {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[i] ?? 0)) i++;
  if (i >= head.length) return null;
  const first = head[i];
  if (first === 0x3c) return 'MARCXML';
  if (first === 0x23) return 'IRBIS';
  // A first record with a damaged leader still makes an ISO 2709 file: that record is rejected, not the file.
  if (/^\d/.test(head.toString('latin1', i, i + 1)) || head.includes(0x1d)) return 'ISO2709';
  throw new Error(
    `Cannot tell the format from the first bytes ("${head.toString('latin1', i, i + 16)}"): not ISO 2709, MARCXML or IRBIS`,
  );
}

/**
 * Reads records from a byte stream and yields one ReadResult per record, in order, with its 1-based
 * index and the byte offset of its first byte. Streams with constant memory (one record plus one
 * chunk); the consumer pulls, so a slow consumer slows the reading. Bad options throw on the first
 * `next()`, before any byte is read; a bad record yields `{ ok: false, reason }` and reading goes on.
 */
export async function* readRecords(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  options: ReadOptions = {},
): AsyncGenerator<ReadResult> {
  const checked = checkReadOptions(options);
  const source = new ByteSource(input as ByteInput);
  try {
    const format = checked.format ?? detectFormat(await source.peek(DETECTION_WINDOW));
    if (format === 'ISO2709') yield* readIso2709(source, checked);
    else if (format === 'MARCXML') yield* readMarcXml(source, checked);
    else if (format === 'IRBIS') yield* readIrbis(source, checked);
  } finally {
    await source.close();
  }
}
