/**
 * Streaming MARCXML reader: bytes → text (UTF-8, or Windows-1251 when the XML declaration says so)
 * → MarcXmlParser → normalised records. Offsets are the byte position of each <record> start tag:
 * sax counts characters, so the reader keeps the text pieces since the last record and converts.
 */
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import { type ReadOptions, type ReadResult, type SourceEncoding } from '../record-data';
import { detectFamily, detectFlavour, familyOf } from './flavour';
import { MarcXmlParser, type XmlRecordEvent } from './marcxml-parser';
import { embedAllLinkedFields } from './record';
import { recordResult, rejectResult } from './result';
import { type ByteSource } from './source';

/** Encoding of an XML document from its BOM or declaration (UTF-8 when it names none). */
export function xmlEncoding(head: Buffer): SourceEncoding {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new Error('UTF-16 MARCXML is not supported: convert it to UTF-8');
  }
  const declaration = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(
    head.toString('latin1'),
  );
  const name = declaration?.[1]?.toLowerCase();
  if (!name || name === 'utf-8' || name === 'utf8') return 'UTF-8';
  if (name === 'windows-1251' || name === 'cp1251') return 'CP1251';
  throw new Error(`MARCXML in encoding "${declaration?.[1] ?? ''}" is not supported (UTF-8 or windows-1251)`);
}

/** Maps character positions of the decoded text to byte offsets, keeping only the pieces still needed. */
class CharToByte {
  private pieces: { charStart: number; byteStart: number; text: string; doneChars: number; doneBytes: number }[] = [];
  private chars = 0;
  private bytes = 0;

  constructor(private readonly byteLength: (text: string) => number) {}

  add(text: string): void {
    if (!text) return;
    this.pieces.push({ charStart: this.chars, byteStart: this.bytes, text, doneChars: 0, doneBytes: 0 });
    this.chars += text.length;
    this.bytes += this.byteLength(text);
  }

  /** Byte offset of a character; positions must be asked for in increasing order. */
  toByte(charPosition: number): number {
    while (this.pieces.length > 1) {
      const piece = this.pieces[0];
      if (!piece || piece.charStart + piece.text.length > charPosition) break;
      this.pieces.shift();
    }
    const piece = this.pieces[0];
    if (!piece || charPosition < piece.charStart) return this.bytes;
    const relative = Math.min(charPosition - piece.charStart, piece.text.length);
    if (relative < piece.doneChars) {
      piece.doneChars = 0;
      piece.doneBytes = 0;
    }
    piece.doneBytes += this.byteLength(piece.text.slice(piece.doneChars, relative));
    piece.doneChars = relative;
    return piece.byteStart + piece.doneBytes;
  }
}

interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

/** Reads MARCXML (a <collection> or a single <record>) from a byte source, one ReadResult per <record>. */
export async function* readMarcXml(source: ByteSource, options: ReadOptions): AsyncGenerator<ReadResult> {
  if (options.encoding === 'MARC-8') throw new Error('MARC-8 is not an XML encoding');
  const encoding = options.encoding ?? xmlEncoding(await source.peek(1024));
  const decoder: TextDecoderLike = encoding === 'UTF-8' ? new StringDecoder('utf8') : iconv.getDecoder('win1251');
  const positions = new CharToByte(encoding === 'UTF-8' ? (t) => Buffer.byteLength(t) : (t) => t.length);
  const events: XmlRecordEvent[] = [];
  const parser = new MarcXmlParser((event) => events.push(event));

  const results = function* (): Generator<ReadResult> {
    for (const event of events.splice(0)) {
      const position = { index: event.index, offset: positions.toByte(event.charStart) };
      if (!event.ok) {
        yield rejectResult(position, event.reason);
        continue;
      }
      const record = event.record;
      const tags = record.fields.map((f) => f.tag);
      const family = options.flavour ? familyOf(options.flavour) : detectFamily(record.leader, tags);
      if (family === 'UNIMARC') embedAllLinkedFields(record);
      const flavour = options.flavour ?? detectFlavour(record, family);
      yield recordResult(record, position, { flavour, encoding, format: 'MARCXML' });
    }
  };

  for await (const chunk of source) {
    const text = decoder.write(chunk);
    positions.add(text);
    parser.write(text);
    yield* results();
    if (parser.stopped) return;
  }
  const tail = decoder.end() ?? '';
  positions.add(tail);
  parser.write(tail);
  parser.end();
  yield* results();
}
