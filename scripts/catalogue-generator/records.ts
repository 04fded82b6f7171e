/**
 * Edition + holdings → one ISO 2709 record in RUSMARC or MARC21, in the field layout Russian
 * library systems export (no ISBD punctuation inside subfields, as in the Book Chamber's MARC21).
 */
import type { Edition, MaterialKind, Person } from './edition';
import { IsoRecordBuilder, embeddedField, type OutputEncoding } from './iso2709';

export type OutputFlavour = 'RUSMARC' | 'MARC21';

/** One location of a member library holding copies of the edition. */
export interface Holding {
  branch: string;
  department: string;
  /** Classification part of the shelfmark (BBK without form divisions). */
  classPart: string;
  /** Author mark (авторский знак), e.g. «И20». */
  authorMark: string;
  inventoryNumbers: string[];
}

/** What the holding library adds to an edition: identity, status, dates and copies. */
export interface RecordContext {
  controlNumber: string;
  /** The member code in capitals (801 $b, 040 / 852 $a as «RU-<code>»). */
  sigla: string;
  /** Leader/05: 'n' new, 'c' corrected, 'd' deleted. */
  status: 'n' | 'c' | 'd';
  /** Date the record was entered, YYYYMMDD. */
  entered: string;
  /** 005: YYYYMMDDhhmmss.0 */
  timestamp: string;
  holdings: Holding[];
}

const RUSMARC_TYPE: Record<MaterialKind, string> = { BOOK: 'a', SERIAL: 'a', E_RESOURCE: 'l', AUDIO: 'i', MAP: 'e' };
const MARC21_TYPE: Record<MaterialKind, string> = { BOOK: 'a', SERIAL: 'a', E_RESOURCE: 'm', AUDIO: 'i', MAP: 'e' };
const GMD: Record<MaterialKind, string | null> = {
  BOOK: null,
  SERIAL: null,
  E_RESOURCE: 'Электронный ресурс',
  AUDIO: 'Звукозапись',
  MAP: 'Карты',
};
const RUSMARC_ROLE: Record<Person['role'], string> = { author: '070', editor: '340', compiler: '220' };
const MARC21_ROLE: Record<Person['role'], string> = { author: 'aut', editor: 'edt', compiler: 'com' };
const SERIAL_FREQUENCY: Record<string, string> = {
  'Ежемес.': 'm',
  '6 раз в год': 'b',
  'Ежекв.': 'q',
  '10 раз в год': 'm',
  '2 раза в мес.': 's',
  '5 раз в нед.': 'd',
};

/** The shelfmark as written on the spine: «78.3 И20». */
export function shelfmark(holding: Holding): string {
  return `${holding.classPart} ${holding.authorMark}`;
}

/** Encodes one record in the requested flavour and encoding (a view of scratch space: copy it before the next). */
export function encodeRecord(
  edition: Edition,
  context: RecordContext,
  flavour: OutputFlavour,
  encoding: OutputEncoding,
): Uint8Array {
  return flavour === 'RUSMARC' ? rusmarc(edition, context, encoding) : marc21(edition, context, encoding);
}

function rusmarc(e: Edition, c: RecordContext, encoding: OutputEncoding): Uint8Array {
  const serial = e.material === 'SERIAL';
  const leader = `00000${c.status}${RUSMARC_TYPE[e.material]}${serial ? 's' : 'm'}${e.partOf ? '2' : '0'} 2200000 i 450 `;
  const audience = e.juvenile ? 'a' : e.fiction ? 'm' : 'k';
  // 100 $a/26-29: character sets — «50» is ISO 10646 (UTF-8); «01» + «89» is ISO 646 + Windows-1251.
  const charset = encoding === 'UTF-8' ? '50  ' : '0189';
  const dates = serial ? `a${e.year}9999` : `d${e.year}    `;
  const b = new IsoRecordBuilder(encoding).control('001', c.controlNumber).control('005', c.timestamp);
  if (e.isbn) b.field('010', '  ').sub('a', e.isbn).sub('b', e.isbnQualifier).sub('d', e.price).end();
  if (e.issn) b.field('011', '  ').sub('a', e.issn).end();
  b.field('100', '  ')
    .sub('a', `${c.entered}${dates}${audience}  y0rusy${charset}    ${e.latin ? 'ba' : 'ca'}`)
    .end();
  b.field('101', '0 ');
  for (const language of e.languages) b.sub('a', language);
  b.end();
  b.field('102', '  ').sub('a', e.country102).end();
  b.field('200', '1 ').sub('a', e.title).sub('b', GMD[e.material]).sub('e', e.otherTitleInfo);
  e.responsibility.forEach((r, i) => b.sub(i === 0 ? 'f' : 'g', r));
  b.end();
  b.field('205', '  ').sub('a', e.edition).end();
  b.field('206', '  ').sub('a', e.scale).end();
  b.field('207', ' 0').sub('a', e.numbering).end();
  b.field('210', '  ')
    .sub('a', e.place)
    .sub('c', e.publisher)
    .sub('d', serial ? `${e.year}-` : String(e.year))
    .end();
  b.field('215', '  ').sub('a', e.extent).sub('c', e.illustrations).sub('d', e.dimensions).end();
  if (e.series) b.field('225', '1 ').sub('a', e.series.title).sub('v', e.series.number).end();
  b.field('320', '  ').sub('a', e.bibliographyNote).end();
  b.field('326', '  ').sub('a', e.frequency).end();
  if (e.partOf) {
    const link = embeddedField('200', '1 ', [
      ['a', e.partOf.title],
      ['v', e.partOf.volume],
    ]);
    b.field('461', ' 0').sub('1', link).end();
  }
  for (const s of e.subjects) b.field('606', '0 ').sub('a', s.heading).sub('x', s.subdivision).sub('y', s.place).end();
  for (const udc of e.udc) b.field('675', '  ').sub('a', udc).end();
  for (const bbk of e.bbk) b.field('686', '  ').sub('a', bbk).sub('2', 'rubbk').end();
  let authors = 0;
  for (const p of e.persons) {
    if (p.role === 'author') rusmarcName(b.field(authors++ === 0 ? '700' : '701', ' 1'), p);
  }
  for (const p of e.persons) if (p.role !== 'author') rusmarcName(b.field('702', ' 1'), p);
  for (const body of e.corporateBodies) b.field('712', '02').sub('a', body).end();
  b.field('801', ' 0').sub('a', 'RU').sub('b', c.sigla).sub('c', c.entered).sub('g', 'RCR').end();
  b.field('856', '4 ').sub('u', e.url).end();
  for (const h of c.holdings) {
    b.field('899', '  ').sub('a', h.branch).sub('b', h.department).sub('j', shelfmark(h));
    for (const n of h.inventoryNumbers) b.sub('p', n);
    b.end();
  }
  return b.build(leader);
}

function rusmarcName(b: IsoRecordBuilder, p: Person): void {
  b.sub('a', p.surname).sub('b', p.forenames).sub('g', p.fullForenames).sub('4', RUSMARC_ROLE[p.role]).end();
}

function marc21Name(b: IsoRecordBuilder, p: Person): void {
  b.sub('a', `${p.surname}, ${p.forenames}`).sub('4', MARC21_ROLE[p.role]).end();
}

/** MARC21 008/18-34, which depend on the kind of material. */
function fixedMaterialData(e: Edition): string {
  switch (e.material) {
    case 'SERIAL': {
      const newspaper = e.otherTitleInfo?.includes('газета') ?? false;
      return `${SERIAL_FREQUENCY[e.frequency ?? ''] ?? 'u'}r ${newspaper ? 'n' : 'p'}       0   c0`;
    }
    case 'E_RESOURCE':
      return `     ${e.url ? 'o' : 'q'}           `;
    case 'MAP':
      return '       a         ';
    case 'AUDIO':
      return `nnn ${e.juvenile ? 'j' : ' '}       ${e.fiction ? 'f ' : 'z '}   `;
    default: {
      const conference = e.otherTitleInfo?.startsWith('материалы') ?? false;
      return (
        (e.illustrations ? 'a   ' : '    ') +
        (e.juvenile ? 'j' : ' ') +
        ' ' +
        (e.bibliographyNote ? 'b   ' : '    ') +
        ' ' +
        (conference ? '1' : '0') +
        '00 ' +
        (e.fiction ? '1' : '0') +
        ' '
      );
    }
  }
}

function nonFilingCharacters(title: string): string {
  if (title.startsWith('The ')) return '4';
  if (title.startsWith('An ')) return '3';
  if (title.startsWith('A ')) return '2';
  return '0';
}

function marc21(e: Edition, c: RecordContext, encoding: OutputEncoding): Uint8Array {
  const serial = e.material === 'SERIAL';
  // Leader/09 'a' declares UCS/Unicode; Russian CP1251 exports leave it blank (which strictly means MARC-8).
  const leader = `00000${c.status}${MARC21_TYPE[e.material]}${serial ? 's' : 'm'} ${encoding === 'UTF-8' ? 'a' : ' '}2200000 i 4500`;
  const dates = serial ? `c${e.year}9999` : `s${e.year}    `;
  const mainAuthor = e.persons.find((p) => p.role === 'author');
  const institution = `RU-${c.sigla}`;
  const b = new IsoRecordBuilder(encoding)
    .control('001', c.controlNumber)
    .control('003', institution)
    .control('005', c.timestamp)
    .control('008', `${c.entered.slice(2)}${dates}${e.country008}${fixedMaterialData(e)}${e.languages[0]} d`);
  if (e.isbn) {
    // $q exists since 2013; older records carry the qualifier in parentheses in $a.
    const inline = e.isbnQualifier && c.entered < '20130101';
    b.field('020', '  ')
      .sub('a', inline ? `${e.isbn} (${e.isbnQualifier})` : e.isbn)
      .sub('q', inline ? null : e.isbnQualifier)
      .sub('c', e.price)
      .end();
  }
  if (e.issn) b.field('022', '  ').sub('a', e.issn).end();
  b.field('040', '  ').sub('a', institution).sub('b', 'rus').sub('c', institution).end();
  b.field('041', '0 ');
  for (const language of e.languages) b.sub('a', language);
  b.end();
  for (const udc of e.udc) b.field('080', '  ').sub('a', udc).end();
  for (const bbk of e.bbk) b.field('084', '  ').sub('a', bbk).sub('2', 'rubbk').end();
  if (mainAuthor) marc21Name(b.field('100', '1 '), mainAuthor);
  const gmd = GMD[e.material];
  b.field('245', `${mainAuthor ? '1' : '0'}${nonFilingCharacters(e.title)}`)
    .sub('a', e.title)
    .sub('h', gmd && `[${gmd}]`)
    .sub('b', e.otherTitleInfo)
    .sub('c', e.responsibility.join(' ; '))
    .end();
  b.field('250', '  ').sub('a', e.edition).end();
  b.field('255', '  ').sub('a', e.scale).end();
  b.field('260', '  ')
    .sub('a', e.place)
    .sub('b', e.publisher)
    .sub('c', serial ? `${e.year}-` : String(e.year))
    .end();
  b.field('300', '  ').sub('a', e.extent).sub('b', e.illustrations).sub('c', e.dimensions).end();
  b.field('310', '  ').sub('a', e.frequency).end();
  b.field('362', '0 ').sub('a', e.numbering).end();
  if (e.series) b.field('490', '0 ').sub('a', e.series.title).sub('v', e.series.number).end();
  b.field('504', '  ').sub('a', e.bibliographyNote).end();
  for (const s of e.subjects) b.field('650', ' 4').sub('a', s.heading).sub('x', s.subdivision).sub('z', s.place).end();
  for (const p of e.persons) if (p !== mainAuthor) marc21Name(b.field('700', '1 '), p);
  for (const body of e.corporateBodies) b.field('710', '2 ').sub('a', body).end();
  if (e.partOf) b.field('773', '0 ').sub('t', e.partOf.title).sub('g', e.partOf.volume).end();
  for (const h of c.holdings) {
    b.field('852', '  ')
      .sub('a', institution)
      .sub('b', h.branch)
      .sub('c', h.department)
      .sub('h', h.classPart)
      .sub('i', h.authorMark);
    for (const n of h.inventoryNumbers) b.sub('p', n);
    b.end();
  }
  b.field('856', '40').sub('u', e.url).end();
  return b.build(leader);
}
