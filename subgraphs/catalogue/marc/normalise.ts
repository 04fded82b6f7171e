/**
 * MarcRecord → CatalogueRecordData, for MARC 21 and for the UNIMARC family (RUSMARC, UNIMARC and
 * IRBIS exports, which use RUSMARC tags plus a few IRBIS conventions noted below).
 */
import { createHash } from 'node:crypto';
import { MarcControlField, MarcDataField, type MarcRecord } from 'marcrecord';
import {
  type CatalogueRecordData,
  type MarcFlavour,
  type MaterialType,
  type RecordAuthor,
  type RecordHolding,
  type RecordIsbn,
  type RecordRelation,
  type SourceEncoding,
  type SourceFormat,
} from '../record-data';
import { familyOf } from './flavour';
import { controlData, dataFields, embeddedFields, firstSubfield, subfieldValues } from './record';
import { recordToMarcXml, toUnicodeRecord } from './write';
import { normaliseIsbn } from '../isbn';

/** Where a record came from: decides the field rules (flavour) and travels into the data. */
export interface NormaliseContext {
  flavour: MarcFlavour;
  encoding: SourceEncoding;
  format: SourceFormat;
}

// ---------------------------------------------------------------------------------------------
// Text clean-up

/**
 * Non-sort markers: NSB/NSE as UNIMARC writes them in Unicode (U+0088/U+0089, «\u0088L'\u0089altra»),
 * as MARC-8 0x88/0x89 decode (U+0098/U+009C), and the «<<…>>» brackets of Russian records. The words
 * they enclose stay: they are part of the title a reader sees, only sorting skips them.
 */
function stripNonSort(text: string): string {
  return text.replace(/[\u0088\u0089\u0098\u009c]/g, '').replace(/<<([^<>]*)>>/g, '$1');
}

/** Collapses whitespace and drops non-sort markers. */
export function clean(text: string): string {
  return stripNonSort(text).replace(/\s+/g, ' ').trim();
}

/** Drops ISBD punctuation that separates elements (" /", " :", " ;", " =", " +", ","), at either end. */
export function trimIsbd(text: string): string {
  return clean(text)
    .replace(/^[\s,:;/=+]+/, '')
    .replace(/[\s,:;/=+]+$/, '')
    .trim();
}

/**
 * trimIsbd plus a closing full stop, unless the stop belongs to an initial or abbreviation («К.»,
 * «ed.», «Сб.») or an ellipsis: the word before it must have three letters or digits, be a number
 * or close a bracket («[et al.].»).
 */
export function trimFinal(text: string): string {
  const trimmed = trimIsbd(text);
  if (!trimmed.endsWith('.') || trimmed.endsWith('..')) return trimmed;
  const word = /[^\s([]*$/.exec(trimmed.slice(0, -1))?.[0] ?? '';
  if (/[\])]$/.test(word) || /^\d[\d\-–]*$/.test(word) || /^[\p{L}\d'’-]{3,}$/u.test(word)) {
    return trimmed.slice(0, -1).trimEnd();
  }
  return trimmed;
}

function nonEmpty(values: (string | null | undefined)[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function joinOrNull(values: (string | null | undefined)[], separator: string): string | null {
  const parts = nonEmpty(values);
  return parts.length > 0 ? parts.join(separator) : null;
}

/** Joins sentence-like parts with '. ', without a stop after one that already ends a sentence. */
function joinSentences(parts: string[]): string {
  return parts.reduce((acc, part) => (acc === '' ? part : `${acc}${/[.!?]$/.test(acc) ? '' : '.'} ${part}`), '');
}

function unique<T>(values: T[], key: (v: T) => string = String): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Values

const YEAR = /(?<!\d)(\d{4})(?!\d)/g;

/** First year 1400–2100 in text such as «2015», «[2015]», «c2015», «1900-1914», «03 Nov 2008». */
export function parseYear(text: string | null | undefined): number | null {
  if (!text) return null;
  for (const match of text.matchAll(YEAR)) {
    const year = Number(match[1]);
    if (year >= 1400 && year <= 2100) return year;
  }
  return null;
}

/** ISBN-13 digits of an ISBN-10 or ISBN-13 as written, or null if invalid: the catalogue's one ISBN rule. */
export const toIsbn13 = normaliseIsbn;

/** Splits «978-5-7779-0234-1 (в пер.)» into the number as given and its qualifier; validates it. */
export function parseIsbn(value: string, extraQualifiers: string[] = []): RecordIsbn | null {
  const text = clean(value);
  const match = /^([^\s(]+)\s*(.*)$/u.exec(text);
  if (!match?.[1]) return null;
  const raw = match[1].replace(/[,:;.]+$/, '');
  const inParentheses = [...(match[2] ?? '').matchAll(/\(([^)]*)\)/g)].map((m) => trimIsbd(m[1] ?? ''));
  const qualifier = joinOrNull([...inParentheses, ...extraQualifiers.map(trimIsbd)], '; ');
  return { raw, isbn13: toIsbn13(raw), qualifier };
}

const LANGUAGE = /^[a-z]{3}$/;

/** ISO 639-2 codes, lower-cased; MARC 21 sometimes runs several together in one $a («engund»). */
function languageCodes(values: string[]): string[] {
  const codes: string[] = [];
  for (const value of values) {
    const v = value.trim().toLowerCase();
    if (v.length > 3 && v.length % 3 === 0) for (let i = 0; i < v.length; i += 3) codes.push(v.slice(i, i + 3));
    else codes.push(v);
  }
  return unique(codes.filter((c) => LANGUAGE.test(c)));
}

const MARC21_TYPES: Record<string, MaterialType> = {
  c: 'SCORE',
  d: 'SCORE',
  e: 'MAP',
  f: 'MAP',
  g: 'VIDEO',
  i: 'AUDIO',
  j: 'AUDIO',
  m: 'E_RESOURCE',
};
const UNIMARC_TYPES: Record<string, MaterialType> = {
  c: 'SCORE',
  d: 'SCORE',
  e: 'MAP',
  f: 'MAP',
  g: 'VIDEO',
  i: 'AUDIO',
  j: 'AUDIO',
  l: 'E_RESOURCE',
};

/** Material type from leader/06 (type of record) and leader/07 (bibliographic level). */
export function materialType(leader: string, flavour: MarcFlavour): MaterialType {
  const type = leader.charAt(6);
  const level = leader.charAt(7);
  const byType = (flavour === 'MARC21' ? MARC21_TYPES : UNIMARC_TYPES)[type];
  if (byType) return byType;
  const textual = flavour === 'MARC21' ? 'at' : 'ab';
  if (!textual.includes(type)) return 'OTHER';
  if (level === 'a' || level === 'b') return 'ARTICLE';
  if (level === 's' || level === 'i') return 'SERIAL';
  return 'BOOK';
}

/** Control number for a record without 001: a hash of its content, stable across exports (005/907 left out). */
export function contentHash(record: MarcRecord): string {
  const hash = createHash('sha1');
  const feed = (field: MarcControlField | MarcDataField): void => {
    if (field instanceof MarcControlField) {
      hash.update(`${field.tag}\u001e${field.data}\u001d`);
      return;
    }
    hash.update(`${field.tag}${field.ind1}${field.ind2}`);
    for (const s of field.subfields) {
      if (typeof s.data === 'string') hash.update(`\u001f${s.code}${s.data}`);
      else feed(s.data);
    }
    hash.update('\u001d');
  };
  for (const f of record.fields) if (!['001', '005', '907'].includes(f.tag)) feed(f);
  return `sha1:${hash.digest('hex').slice(0, 20)}`;
}

// ---------------------------------------------------------------------------------------------
// The normaliser

/**
 * Normalises one decoded record. The record is re-declared as Unicode in place (see
 * toUnicodeRecord) and stored as MARCXML in `marcXml`.
 */
export function normaliseRecord(record: MarcRecord, context: NormaliseContext): CatalogueRecordData {
  const family = familyOf(context.flavour);
  toUnicodeRecord(record, family);
  const fields = family === 'MARC21' ? marc21Fields(record) : unimarcFields(record, context.flavour);
  return {
    controlNumber: controlData(record, '001')?.trim() || contentHash(record),
    deleted: record.leader.charAt(5) === 'd',
    ...fields,
    materialType: materialType(record.leader, context.flavour),
    flavour: context.flavour,
    encoding: context.encoding,
    format: context.format,
    marcXml: recordToMarcXml(record),
  };
}

type DescriptiveFields = Omit<
  CatalogueRecordData,
  'controlNumber' | 'deleted' | 'materialType' | 'flavour' | 'encoding' | 'format' | 'marcXml'
>;

function first(record: MarcRecord, ...tags: string[]): MarcDataField | undefined {
  return dataFields(record, ...tags)[0];
}

function values(record: MarcRecord, tags: string[], codes: string): string[] {
  return dataFields(record, ...tags).flatMap((f) => subfieldValues(f, codes));
}

// ---------------------------------------------------------------------------------------------
// MARC 21

function marc21Fields(record: MarcRecord): DescriptiveFields {
  const f245 = first(record, '245') ?? first(record, '246', '240', '130');
  const imprint = dataFields(record, '264').find((f) => f.ind2 === '1') ?? first(record, '260') ?? first(record, '264');
  const f008 = controlData(record, '008') ?? '';
  const f041 = values(record, ['041'], 'a');

  return {
    title: f245
      ? joinSentences(nonEmpty([...subfieldValues(f245, 'a'), ...subfieldValues(f245, 'np')].map(trimFinal)))
      : '',
    otherTitleInfo: f245 ? joinOrNull(subfieldValues(f245, 'b').map(trimFinal), ' : ') : null,
    statementOfResponsibility: f245 ? joinOrNull(subfieldValues(f245, 'c').map(trimFinal), ' ; ') : null,
    authors: unique(
      dataFields(record, '100', '700').map((f) => marc21Person(f)),
      (a) => `${a.name}\u0000${a.role ?? ''}`,
    ).filter((a) => a.name !== ''),
    corporateAuthors: unique(
      dataFields(record, '110', '111', '710', '711')
        .map((f) => trimFinal(subfieldValues(f, 'abn').map(clean).join(' ')))
        .filter((n) => n !== ''),
    ),
    edition: joinOrNull(
      dataFields(record, '250').map((f) => joinOrNull(subfieldValues(f, 'ab').map(trimIsbd), ' / ')),
      '; ',
    ),
    place: imprint ? joinOrNull(subfieldValues(imprint, 'a').map(trimIsbd), ' ; ') : null,
    publisher: imprint ? joinOrNull(subfieldValues(imprint, 'b').map(trimIsbd), ' ; ') : null,
    year:
      parseYear(imprint ? subfieldValues(imprint, 'c').join(' ') : null) ??
      parseYear(values(record, ['260', '264'], 'c').join(' ')) ??
      parseYear(f008.slice(7, 11)),
    isbns: unique(
      dataFields(record, '020').flatMap((f) => {
        const a = firstSubfield(f, 'a');
        const isbn = a ? parseIsbn(a, subfieldValues(f, 'q')) : null;
        return isbn ? [isbn] : [];
      }),
      (i) => i.raw,
    ),
    issn: values(record, ['022'], 'a').map(trimIsbd)[0] ?? null,
    languages: languageCodes(f041.length > 0 ? f041 : [f008.slice(35, 38)]),
    relations: marc21Relations(record),
    subjects: marc21Subjects(record),
    bbk: unique(
      dataFields(record, '084')
        .filter((f) => /^(rubbk|bbk)/i.test(firstSubfield(f, '2') ?? ''))
        .flatMap((f) => subfieldValues(f, 'a').map(trimIsbd)),
    ),
    udc: unique(
      dataFields(record, '080').map((f) =>
        subfieldValues(f, 'abx')
          .map((v) => v.trim())
          .join(''),
      ),
    ).filter((u) => u !== ''),
    physicalDescription: physical(first(record, '300'), 'a', 'b', 'c', 'e'),
    notes: notes(record, /^5\d\d$/),
    holdings: marc21Holdings(record),
  };
}

function marc21Person(field: MarcDataField): RecordAuthor {
  const name = trimFinal(subfieldValues(field, 'ab').map(clean).join(' '));
  const role = subfieldValues(field, 'e').map(trimFinal)[0] ?? firstSubfield(field, '4')?.trim() ?? null;
  return { name, role: role || null };
}

function marc21Relations(record: MarcRecord): RecordRelation[] {
  const relations: RecordRelation[] = [];
  for (const f of dataFields(record, '440', '490', '830')) {
    const title = joinSentences(nonEmpty(subfieldValues(f, 'anp').map(trimFinal)));
    if (title) relations.push({ kind: 'SERIES', title, volume: volume(subfieldValues(f, 'v')), controlNumber: null });
  }
  for (const f of dataFields(record, '773')) {
    const title = trimFinal(firstSubfield(f, 't') ?? firstSubfield(f, 'a') ?? '');
    if (title) {
      relations.push({
        kind: 'VOLUME_OF',
        title,
        volume: volume(subfieldValues(f, 'g')),
        controlNumber: firstSubfield(f, 'w')?.trim() || null,
      });
    }
  }
  return uniqueRelations(relations);
}

function volume(parts: string[]): string | null {
  return joinOrNull(parts.map(trimFinal), ', ');
}

function uniqueRelations(relations: RecordRelation[]): RecordRelation[] {
  return unique(relations, (r) => `${r.kind}\u0000${r.title.toLowerCase()}\u0000${(r.volume ?? '').toLowerCase()}`);
}

const MARC21_SUBJECT_TAGS = ['600', '610', '611', '630', '648', '650', '651', '653', '655'];

function marc21Subjects(record: MarcRecord): string[] {
  const subjects: string[] = [];
  for (const f of dataFields(record, ...MARC21_SUBJECT_TAGS)) {
    if (f.tag === '653') {
      subjects.push(...subfieldValues(f, 'a').map(trimFinal));
      continue;
    }
    const headingCodes = ['600', '610', '611'].includes(f.tag) ? 'abcdt' : 'a';
    const heading = trimFinal(subfieldValues(f, headingCodes).map(clean).join(' '));
    subjects.push([heading, ...subfieldValues(f, 'vxyz').map(trimFinal)].filter((s) => s !== '').join(' -- '));
  }
  return unique(subjects.filter((s) => s !== ''));
}

function marc21Holdings(record: MarcRecord): RecordHolding[] {
  const holdings: RecordHolding[] = [];
  for (const f of dataFields(record, '852')) {
    holdings.push({
      location: joinOrNull(subfieldValues(f, 'ab').map(trimIsbd), ' / '),
      shelfmark: joinOrNull(subfieldValues(f, 'khim').map(trimIsbd), ' ') ?? joinOrNull(subfieldValues(f, 'j'), ' '),
      inventoryNumbers: subfieldValues(f, 'p').map((v) => v.trim()),
      copies: 1,
      availability: 'UNKNOWN',
    });
  }
  // 949 is local; this reads the common vendor item layout: $l location, $a call number, $i barcode.
  for (const f of dataFields(record, '949')) {
    holdings.push({
      location: joinOrNull(subfieldValues(f, 'l').map(trimIsbd), ' / '),
      shelfmark: joinOrNull(subfieldValues(f, 'a').map(trimIsbd), ' '),
      inventoryNumbers: subfieldValues(f, 'i').map((v) => v.trim()),
      copies: 1,
      availability: 'UNKNOWN',
    });
  }
  return groupHoldings(holdings);
}

// ---------------------------------------------------------------------------------------------
// UNIMARC, RUSMARC and IRBIS

function unimarcFields(record: MarcRecord, flavour: MarcFlavour): DescriptiveFields {
  const f200 = first(record, '200');
  const imprint = first(record, '210') ?? first(record, '214');
  const f100a = firstSubfieldOf(record, '100', 'a') ?? '';

  return {
    title: unimarcTitle(record, f200),
    otherTitleInfo: f200 ? joinOrNull(subfieldValues(f200, 'e').map(trimFinal), ' : ') : null,
    statementOfResponsibility: f200 ? joinOrNull(subfieldValues(f200, 'fg').map(trimFinal), ' ; ') : null,
    authors: unimarcAuthors(record),
    corporateAuthors: unique(
      dataFields(record, '710', '711', '712')
        .map((f) => joinSentences(nonEmpty(subfieldValues(f, 'ab').map(trimFinal))))
        .filter((n) => n !== ''),
    ),
    edition: joinOrNull(
      dataFields(record, '205').map((f) => joinOrNull(subfieldValues(f, 'abdf').map(trimIsbd), ', ')),
      '; ',
    ),
    place: imprint ? joinOrNull(subfieldValues(imprint, 'a').map(trimIsbd), ' ; ') : null,
    publisher: imprint ? joinOrNull(subfieldValues(imprint, 'c').map(trimIsbd), ' ; ') : null,
    year:
      parseYear(imprint ? subfieldValues(imprint, 'd').join(' ') : null) ??
      parseYear(values(record, ['210', '214'], 'd').join(' ')) ??
      parseYear(f100a.slice(9, 13)),
    isbns: unique(
      dataFields(record, '010').flatMap((f) => {
        const a = firstSubfield(f, 'a');
        const isbn = a ? parseIsbn(a, subfieldValues(f, 'b')) : null;
        return isbn ? [isbn] : [];
      }),
      (i) => i.raw,
    ),
    issn: values(record, ['011'], 'a').map(trimIsbd)[0] ?? null,
    languages: languageCodes(values(record, ['101'], 'a')),
    relations: unimarcRelations(record, f200),
    subjects: unimarcSubjects(record),
    // IRBIS keeps BBK in 621 (a tag RUSMARC does not define), without $2.
    bbk: unique(
      [
        ...dataFields(record, '686')
          .filter((f) => /^rubbk/i.test(firstSubfield(f, '2') ?? ''))
          .flatMap((f) => subfieldValues(f, 'a')),
        ...values(record, ['621'], 'a'),
      ]
        .map(trimIsbd)
        .filter((v) => v !== ''),
    ),
    udc: unique(values(record, ['675'], 'a').map(trimIsbd)).filter((v) => v !== ''),
    physicalDescription: unimarcPhysical(first(record, '215')),
    notes: notes(record, /^3\d\d$/),
    holdings: unimarcHoldings(record, flavour),
  };
}

function firstSubfieldOf(record: MarcRecord, tag: string, code: string): string | null {
  const f = first(record, tag);
  return f ? firstSubfield(f, code) : null;
}

/**
 * 200$a (several titles of one author joined by « ; »), with the part number and name ($h, $i).
 * RUSMARC 200 ind1 '0' marks a title that means nothing alone («Вып. 13»): the common title from the
 * 461/462 link then goes in front («Задачи и этюды. Вып. 13»).
 */
function unimarcTitle(record: MarcRecord, f200: MarcDataField | undefined): string {
  if (!f200) return trimFinal(firstSubfieldOf(record, '517', 'a') ?? '');
  const own = joinSentences(
    nonEmpty([
      joinOrNull(subfieldValues(f200, 'a').map(trimFinal), ' ; '),
      ...subfieldValues(f200, 'hi').map(trimFinal),
    ]),
  );
  if (f200.ind1 !== '0') return own;
  const common = dataFields(record, '461', '462')
    .map((f) => linkTitle(f))
    .find((t) => t !== '');
  return common ? joinSentences(nonEmpty([common, own])) : own;
}

/** The title of a linked record: embedded 200$a (RUSMARC/UNIMARC), or $c/$a in IRBIS's flat 461/463. */
function linkTitle(link: MarcDataField): string {
  const embedded200 = embeddedFields(link).find(
    (f): f is MarcDataField => f instanceof MarcDataField && f.tag === '200',
  );
  if (embedded200) return joinOrNull(subfieldValues(embedded200, 'a').map(trimFinal), ' ; ') ?? '';
  return trimFinal(firstSubfield(link, 'c') ?? firstSubfield(link, 'a') ?? '');
}

function unimarcPersonName(field: MarcDataField): string {
  const surname = trimIsbd(subfieldValues(field, 'a').join(' '));
  const forenames = trimIsbd(firstSubfield(field, 'b') ?? firstSubfield(field, 'g') ?? '');
  const numeration = trimIsbd(firstSubfield(field, 'd') ?? '');
  let name = forenames ? `${surname}, ${forenames}` : surname;
  if (numeration) name += ` ${numeration}`;
  return name;
}

/** 700 (main), 701 (co-author), 702 (other responsibility); IRBIS 961 (author of the whole multi-part work). */
function unimarcAuthors(record: MarcRecord): RecordAuthor[] {
  const authors = dataFields(record, '700', '701', '702', '961').map((f) => ({
    name: unimarcPersonName(f),
    role: firstSubfield(f, '4')?.trim() || null,
  }));
  return unique(
    authors.filter((a) => a.name !== ''),
    (a) => `${a.name}\u0000${a.role ?? ''}`,
  );
}

function unimarcRelations(record: MarcRecord, f200: MarcDataField | undefined): RecordRelation[] {
  const relations: RecordRelation[] = [];
  for (const f of dataFields(record, '225')) {
    const title = joinSentences(nonEmpty(subfieldValues(f, 'ahi').map(trimFinal)));
    if (title) relations.push({ kind: 'SERIES', title, volume: volume(subfieldValues(f, 'v')), controlNumber: null });
  }
  const ownVolume = f200 ? volume(subfieldValues(f200, 'v')) : null;
  for (const f of dataFields(record, '410', '461', '463')) {
    const title = linkTitle(f);
    if (!title) continue;
    const linked = embeddedFields(f);
    const embedded200 = linked.find((e): e is MarcDataField => e instanceof MarcDataField && e.tag === '200');
    const linked001 = linked.find((e): e is MarcControlField => e instanceof MarcControlField && e.tag === '001');
    // IRBIS's flat links: 461^H is the year of the whole work, 463^H the issue the article is in.
    const linkVolume = embedded200
      ? volume([...subfieldValues(embedded200, 'v'), ...subfieldValues(f, 'v')])
      : volume(subfieldValues(f, f.tag === '463' ? 'vh' : 'v'));
    relations.push({
      kind: f.tag === '410' ? 'SERIES' : 'VOLUME_OF',
      title,
      volume: linkVolume ?? (f.tag === '461' ? ownVolume : null),
      controlNumber: linked001?.data.trim() || null,
    });
  }
  return uniqueRelations(relations);
}

const UNIMARC_SUBJECT_TAGS = ['600', '601', '602', '604', '605', '606', '607', '608', '610', '615', '616', '617'];
/** Subdivisions: RUSMARC $x $y $z $j; IRBIS writes 606 subheadings as ^B, ^G, ^H and ^9. */
const SUBDIVISIONS = 'xyzjbgh9';

function unimarcSubjects(record: MarcRecord): string[] {
  const subjects: string[] = [];
  for (const f of dataFields(record, ...UNIMARC_SUBJECT_TAGS)) {
    if (f.tag === '610') {
      subjects.push(...subfieldValues(f, 'a').map(trimFinal));
      continue;
    }
    let heading: string;
    let subdivisions: string[];
    if (f.tag === '604') {
      const parts = embeddedFields(f).filter((e): e is MarcDataField => e instanceof MarcDataField);
      heading = joinSentences(
        nonEmpty(
          parts.map((p) => (p.tag.startsWith('7') ? unimarcPersonName(p) : trimFinal(firstSubfield(p, 'a') ?? ''))),
        ),
      );
      subdivisions = parts.flatMap((p) => subfieldValues(p, 'xyzj'));
    } else if (f.tag === '600') {
      const additions = trimIsbd(firstSubfield(f, 'c') ?? '');
      const dates = trimIsbd(firstSubfield(f, 'f') ?? '');
      heading = unimarcPersonName(f) + (additions ? `, ${additions}` : '') + (dates ? ` (${dates})` : '');
      subdivisions = subfieldValues(f, 'xyzj');
    } else if (f.tag === '601') {
      heading = joinSentences(nonEmpty(subfieldValues(f, 'ab').map(trimFinal)));
      subdivisions = subfieldValues(f, 'xyzj');
    } else {
      heading = trimFinal(subfieldValues(f, 'a').join(' '));
      subdivisions = subfieldValues(f, f.tag === '606' ? SUBDIVISIONS : 'xyzj');
    }
    subjects.push([heading, ...subdivisions.map(trimFinal)].filter((s) => s !== '').join(' -- '));
  }
  return unique(subjects.filter((s) => s !== ''));
}

/** 215: extent (with IRBIS's unit in $1), illustrations, dimensions, accompanying material. */
function unimarcPhysical(field: MarcDataField | undefined): string | null {
  if (!field) return null;
  const extent = joinOrNull([...subfieldValues(field, 'a'), ...subfieldValues(field, '1')].map(trimIsbd), ' ');
  return assemblePhysical(extent, subfieldValues(field, 'c'), subfieldValues(field, 'd'), subfieldValues(field, 'e'));
}

function physical(field: MarcDataField | undefined, a: string, b: string, c: string, e: string): string | null {
  if (!field) return null;
  return assemblePhysical(
    joinOrNull(subfieldValues(field, a).map(trimIsbd), ' '),
    subfieldValues(field, b),
    subfieldValues(field, c),
    subfieldValues(field, e),
  );
}

/** ISBD order and punctuation: extent : other details ; dimensions + accompanying material. */
function assemblePhysical(
  extent: string | null,
  other: string[],
  dimensions: string[],
  accompanying: string[],
): string | null {
  let text = extent ?? '';
  const add = (separator: string, parts: string[]): void => {
    const value = joinOrNull(parts.map(trimIsbd), ', ');
    if (value) text = text ? `${text}${separator}${value}` : value;
  };
  add(' : ', other);
  add(' ; ', dimensions);
  add(' + ', accompanying);
  return text || null;
}

function notes(record: MarcRecord, tags: RegExp): string[] {
  const texts = record.fields
    .filter((f): f is MarcDataField => f instanceof MarcDataField && tags.test(f.tag))
    .map((f) => clean(subfieldValues(f, 'abcdefghijklmnopqrstuvwxyz').join(' ')));
  return unique(texts.filter((t) => t !== ''));
}

// ---------------------------------------------------------------------------------------------
// Holdings

/** RUSMARC 899; UNIMARC 899 as the Italian union catalogue writes it ($1 library, $2 its SBN code); IRBIS 910. */
function unimarcHoldings(record: MarcRecord, flavour: MarcFlavour): RecordHolding[] {
  const f899 = dataFields(record, '899');
  if (f899.length > 0) {
    return groupHoldings(
      f899.map((f) => ({
        location: joinOrNull(
          [
            firstSubfield(f, 'a') ?? (flavour === 'UNIMARC' ? firstSubfield(f, '1') : null),
            firstSubfield(f, 'b') ?? (flavour === 'UNIMARC' ? firstSubfield(f, '2') : null),
          ].map((v) => (v === null ? null : trimIsbd(v))),
          ' / ',
        ),
        shelfmark: trimIsbd(firstSubfield(f, 'j') ?? subfieldValues(f, 'hi').join(' ')) || null,
        inventoryNumbers: subfieldValues(f, 'p')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
        copies: 1,
        availability: 'UNKNOWN' as const,
      })),
    );
  }
  return irbisHoldings(record);
}

/**
 * IRBIS 910, one field per copy: ^A status ('0' on the shelf, '1' on loan; other codes — ordered,
 * in binding, lost, written off — say nothing about the shelf), ^B inventory number, ^D location.
 * The shelfmark is the IRBIS «полочный шифр»: 906 (classification) / 908 (author sign).
 */
function irbisHoldings(record: MarcRecord): RecordHolding[] {
  const shelfmark = joinOrNull(
    [firstSubfieldOf(record, '906', 'a'), firstSubfieldOf(record, '908', 'a')].map((v) => (v ? trimIsbd(v) : null)),
    '/',
  );
  const holdings = dataFields(record, '910').map((f): RecordHolding => {
    const status = (firstSubfield(f, 'a') ?? '').trim();
    return {
      location: trimIsbd(firstSubfield(f, 'd') ?? '') || null,
      shelfmark,
      inventoryNumbers: subfieldValues(f, 'b')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
      copies: 1,
      availability: status === '0' ? 'AVAILABLE' : status === '1' ? 'ON_LOAN' : 'UNKNOWN',
    };
  });
  return groupHoldings(holdings, true);
}

/**
 * Merges holdings fields of one location and shelfmark. Copies: one per field when each field is a
 * copy (IRBIS 910); otherwise the number of inventory numbers when there are any (a RUSMARC 899
 * without $p next to ones with $p is a summary, not another copy), else the number of fields.
 * Availability: AVAILABLE if any copy is, ON_LOAN if all are.
 */
function groupHoldings(holdings: RecordHolding[], eachFieldIsACopy = false): RecordHolding[] {
  const groups = new Map<string, { holding: RecordHolding; fields: number; states: Set<string> }>();
  for (const h of holdings) {
    const key = `${h.location ?? ''}\u0000${h.shelfmark ?? ''}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        holding: { ...h, inventoryNumbers: [...h.inventoryNumbers] },
        fields: 1,
        states: new Set([h.availability]),
      });
      continue;
    }
    group.fields++;
    group.states.add(h.availability);
    for (const n of h.inventoryNumbers) {
      if (!group.holding.inventoryNumbers.includes(n)) group.holding.inventoryNumbers.push(n);
    }
  }
  return [...groups.values()].map(({ holding, fields, states }) => ({
    ...holding,
    copies: !eachFieldIsACopy && holding.inventoryNumbers.length > 0 ? holding.inventoryNumbers.length : fields,
    availability: states.has('AVAILABLE')
      ? 'AVAILABLE'
      : states.size === 1 && states.has('ON_LOAN')
        ? 'ON_LOAN'
        : 'UNKNOWN',
  }));
}
