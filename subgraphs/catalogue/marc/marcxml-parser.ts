/**
 * Push parser from MARCXML text to flat MarcRecords (sax in strict mode underneath). It knows
 * nothing about bytes or flavours: the streaming reader (marcxml.ts) maps its character positions to
 * byte offsets and finishes the records; the writer (write.ts) uses it to read stored MARCXML back.
 */
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import { parser as saxParser, type SAXParser, type Tag } from 'sax';

/** A record (flat: UNIMARC $1 links not yet embedded) or the reason one was rejected. */
export type XmlRecordEvent =
  | { ok: true; index: number; charStart: number; record: MarcRecord }
  | { ok: false; index: number; charStart: number; reason: string };

interface OpenRecord {
  index: number;
  charStart: number;
  record: MarcRecord;
  leader: string | null;
  error: string | null;
  /** Local names of the open elements below <record>. */
  stack: string[];
  field: MarcControlField | MarcDataField | null;
  subfieldCode: string | null;
  text: string | null;
}

const TAG = /^[0-9A-Za-z]{3}$/;

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon >= 0 ? name.slice(colon + 1) : name).toLowerCase();
}

/**
 * Feeds MARCXML text in pieces and reports each <record> (namespaced or not, inside <collection> or
 * alone) as it closes. A well-formedness error is fatal, as XML requires: the record being read is
 * rejected and parsing stops. A well-formed record that breaks MARCXML's structure (missing leader,
 * unknown element, bad tag) is rejected alone and parsing goes on.
 */
export class MarcXmlParser {
  private readonly sax: SAXParser;
  private count = 0;
  private current: OpenRecord | null = null;
  private fatal = false;

  constructor(private readonly emit: (event: XmlRecordEvent) => void) {
    this.sax = saxParser(true, { trim: false, normalize: false, xmlns: false, position: true });
    this.sax.onopentag = (tag) => this.open(tag);
    this.sax.onclosetag = (name) => this.close(name);
    this.sax.ontext = (text) => this.addText(text);
    this.sax.oncdata = (text) => this.addText(text);
    this.sax.onerror = (error) => this.fail(error);
  }

  /** True once a well-formedness error stopped the parser. */
  get stopped(): boolean {
    return this.fatal;
  }

  /** Characters consumed so far (UTF-16 code units). */
  get position(): number {
    return this.sax.position;
  }

  /** Parses the next piece of text. */
  write(text: string): void {
    if (!this.fatal && text) this.sax.write(text);
  }

  /** Ends the document; an unclosed record is rejected as malformed. */
  end(): void {
    if (!this.fatal) this.sax.close();
  }

  private open(tag: Tag): void {
    if (this.fatal) return;
    const name = localName(tag.name);
    const rec = this.current;
    if (!rec) {
      if (name === 'record') {
        this.current = {
          index: ++this.count,
          charStart: this.sax.startTagPosition - 1,
          record: new MarcRecord(),
          leader: null,
          error: null,
          stack: [],
          field: null,
          subfieldCode: null,
          text: null,
        };
      }
      return;
    }
    const parent = rec.stack[rec.stack.length - 1] ?? 'record';
    rec.stack.push(name);
    if (rec.error) return;
    const attr = tag.attributes;
    if (parent === 'record' && name === 'leader') {
      rec.text = '';
    } else if (parent === 'record' && (name === 'controlfield' || name === 'datafield')) {
      const fieldTag = attr.tag ?? '';
      if (!TAG.test(fieldTag)) {
        rec.error = `<${name}> has tag "${fieldTag}", expected 3 letters or digits`;
        return;
      }
      if (name === 'controlfield') {
        rec.field = new MarcControlField(fieldTag, '');
        rec.text = '';
      } else {
        rec.field = new MarcDataField(fieldTag, indicator(attr.ind1), indicator(attr.ind2), []);
      }
    } else if (parent === 'datafield' && name === 'subfield') {
      rec.subfieldCode = (attr.code ?? '').charAt(0) || ' ';
      rec.text = '';
    } else {
      rec.error = `unexpected element <${tag.name}> in <${parent}>`;
    }
  }

  private close(rawName: string): void {
    if (this.fatal) return;
    const rec = this.current;
    if (!rec) return;
    const name = rec.stack.pop();
    if (name === undefined) {
      this.current = null;
      this.finish(rec);
      return;
    }
    if (rec.error) return;
    if (name === 'leader') {
      rec.leader = rec.text ?? '';
    } else if (name === 'controlfield' && rec.field instanceof MarcControlField) {
      rec.field.data = rec.text ?? '';
      rec.record.addVariableField(rec.field);
      rec.field = null;
    } else if (name === 'datafield' && rec.field instanceof MarcDataField) {
      rec.record.addVariableField(rec.field);
      rec.field = null;
    } else if (name === 'subfield' && rec.field instanceof MarcDataField && rec.subfieldCode !== null) {
      rec.field.addSubfield(new MarcSubfield(rec.subfieldCode, rec.text ?? ''));
      rec.subfieldCode = null;
    } else {
      rec.error = `unexpected </${rawName}>`;
    }
    rec.text = null;
  }

  private addText(text: string): void {
    const rec = this.current;
    if (rec && rec.text !== null) rec.text += text;
  }

  private finish(rec: OpenRecord): void {
    let reason = rec.error;
    if (!reason && rec.leader === null) reason = 'record has no <leader>';
    if (!reason && rec.leader !== null && rec.leader.length !== 24) {
      reason = `leader is ${rec.leader.length} characters long, 24 expected`;
    }
    if (reason) {
      this.emit({ ok: false, index: rec.index, charStart: rec.charStart, reason });
      return;
    }
    rec.record.leader = rec.leader ?? '';
    this.emit({ ok: true, index: rec.index, charStart: rec.charStart, record: rec.record });
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = true;
    const message = error.message.split('\n')[0] ?? error.message;
    const reason = `malformed XML at line ${this.sax.line + 1}, column ${this.sax.column}: ${message}`;
    const rec = this.current;
    this.current = null;
    if (rec) this.emit({ ok: false, index: rec.index, charStart: rec.charStart, reason });
    else this.emit({ ok: false, index: this.count + 1, charStart: Math.max(0, this.sax.position - 1), reason });
  }
}

function indicator(value: string | undefined): string {
  return value && value.length > 0 ? value.charAt(0) : ' ';
}

/** Parses a whole MARCXML document held in memory (a stored record or a small collection). */
export function parseMarcXmlText(xml: string): XmlRecordEvent[] {
  const events: XmlRecordEvent[] = [];
  const parser = new MarcXmlParser((e) => events.push(e));
  parser.write(xml);
  parser.end();
  return events;
}
