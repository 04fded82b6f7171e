/**
 * Small helpers over marcrecord's objects: typed field access and UNIMARC embedded fields ($1).
 */
import { MarcControlField, MarcDataField, type MarcRecord, MarcSubfield } from 'marcrecord';

/** A field of a marcrecord record, or one embedded in a UNIMARC link. */
export type MarcField = MarcControlField | MarcDataField;

/** Tags 001–009 are control fields (no indicators, no subfields) in all three flavours. */
export const CONTROL_TAG = /^00[1-9]$/;

/** True for tags whose $1 starts an embedded field in UNIMARC/RUSMARC: the 4xx linking block and 604. */
export function embedsFields(tag: string): boolean {
  return /^4\d\d$/.test(tag) || tag === '604';
}

/** Data fields with one of the given tags, in record order. */
export function dataFields(record: MarcRecord, ...tags: string[]): MarcDataField[] {
  const wanted = new Set(tags);
  return record.fields.filter((f): f is MarcDataField => f instanceof MarcDataField && wanted.has(f.tag));
}

/** Data of the first control field with the tag, or null. */
export function controlData(record: MarcRecord, tag: string): string | null {
  for (const f of record.fields) if (f instanceof MarcControlField && f.tag === tag) return f.data;
  return null;
}

/** Text of the field's own subfields with one of the codes (all codes when omitted), in order. */
export function subfieldValues(field: MarcDataField, codes?: string): string[] {
  const values: string[] = [];
  for (const s of field.subfields) {
    if (typeof s.data === 'string' && (codes === undefined || codes.includes(s.code))) values.push(s.data);
  }
  return values;
}

/** Text of the first subfield with the code, or null. */
export function firstSubfield(field: MarcDataField, code: string): string | null {
  for (const s of field.subfields) if (s.code === code && typeof s.data === 'string') return s.data;
  return null;
}

/** Fields embedded in a UNIMARC link field ($1), in order. */
export function embeddedFields(field: MarcDataField): MarcField[] {
  const fields: MarcField[] = [];
  for (const s of field.subfields) if (typeof s.data !== 'string') fields.push(s.data);
  return fields;
}

/**
 * Turns the flat form of a UNIMARC link field (as MARCXML and IRBIS carry it: `$1 2001 ` followed by
 * the embedded field's subfields) into embedded fields, with the same rules as marcrecord's ISO 2709
 * reader in UNIMARC mode, so both paths give the same record. A malformed $1 leaves the field flat.
 */
export function embedLinkedFields(field: MarcDataField): MarcDataField {
  if (!field.subfields.some((s) => s.code === '1' && typeof s.data === 'string')) return field;
  const subfields: MarcSubfield[] = [];
  let current: MarcDataField | null = null;
  for (const s of field.subfields) {
    if (s.code !== '1' || typeof s.data !== 'string') {
      if (current) current.addSubfield(s);
      else subfields.push(s);
      continue;
    }
    const data = s.data;
    if (data.length < 3) return field;
    const tag = data.slice(0, 3);
    if (CONTROL_TAG.test(tag)) {
      subfields.push(new MarcSubfield('1', new MarcControlField(tag, data.slice(3))));
    } else {
      if (data.length !== 5) return field;
      current = new MarcDataField(tag, data.charAt(3), data.charAt(4), []);
      subfields.push(new MarcSubfield('1', current));
    }
  }
  return new MarcDataField(field.tag, field.ind1, field.ind2, subfields);
}

/** Applies embedLinkedFields to every link field of a UNIMARC/RUSMARC record. */
export function embedAllLinkedFields(record: MarcRecord): void {
  record.fields = record.fields.map((f) =>
    f instanceof MarcDataField && embedsFields(f.tag) ? embedLinkedFields(f) : f,
  );
}

/** Every text value of the record (control data and subfields, embedded ones too), for content checks. */
export function* textValues(record: MarcRecord): Generator<string> {
  for (const f of record.fields) yield* fieldTexts(f);
}

function* fieldTexts(field: MarcField): Generator<string> {
  if (field instanceof MarcControlField) {
    yield field.data;
    return;
  }
  for (const s of field.subfields) {
    if (typeof s.data === 'string') yield s.data;
    else yield* fieldTexts(s.data);
  }
}
