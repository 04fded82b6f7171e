/**
 * A bibliographic record as the catalogue stores and searches it, whatever format, flavour and
 * encoding it came in. The MARC readers produce it (`marc/normalise.ts`); storage takes it
 * (`storage.ts`). The original record travels with it as MARCXML.
 */

export type MarcFlavour = 'MARC21' | 'RUSMARC' | 'UNIMARC';
export type SourceEncoding = 'UTF-8' | 'CP1251' | 'MARC-8';
export type SourceFormat = 'ISO2709' | 'MARCXML' | 'IRBIS';

export type MaterialType = 'BOOK' | 'SERIAL' | 'ARTICLE' | 'E_RESOURCE' | 'AUDIO' | 'VIDEO' | 'MAP' | 'SCORE' | 'OTHER';

export interface RecordAuthor {
  /** As catalogued: «Иванов, И. И.» / «Smith, John». */
  name: string;
  /** Relator as given (RUSMARC 700$4 code or MARC21 $e / $4), null when absent. */
  role: string | null;
}

export interface RecordIsbn {
  /** As given in the record, e.g. «978-5-7779-0234-1 (в пер.)» → «978-5-7779-0234-1». */
  raw: string;
  /** Normalised ISBN-13 digits (ISBN-10 converted), null when the value is not a valid ISBN. */
  isbn13: string | null;
  /** Qualifier such as «в пер.», «pbk.», null when absent. */
  qualifier: string | null;
}

export interface RecordRelation {
  /** SERIES (RUSMARC 225 / MARC21 490, 830) or VOLUME_OF (RUSMARC 461 / MARC21 773). */
  kind: 'SERIES' | 'VOLUME_OF';
  title: string;
  /** Volume / issue designation within the series or the multi-part work. */
  volume: string | null;
  /** Control number of the linked record when the link gives it (RUSMARC 461$1 001), else null. */
  controlNumber: string | null;
}

export interface RecordHolding {
  /** Branch or location code/name (RUSMARC 899$a/$b, MARC21 852$a/$b). */
  location: string | null;
  shelfmark: string | null;
  /** Inventory (accession) numbers when given one by one. */
  inventoryNumbers: string[];
  /** Number of copies at this location (inventoryNumbers.length, or an explicit count). */
  copies: number;
  /** AVAILABLE, ON_LOAN or UNKNOWN when the record does not say. */
  availability: 'AVAILABLE' | 'ON_LOAN' | 'UNKNOWN';
}

export interface CatalogueRecordData {
  /** 001 control number, unique within one member's catalogue. */
  controlNumber: string;
  /** Leader/05 = 'd' (or an explicit delete list): remove the record instead of storing it. */
  deleted: boolean;
  title: string;
  otherTitleInfo: string | null;
  statementOfResponsibility: string | null;
  authors: RecordAuthor[];
  corporateAuthors: string[];
  edition: string | null;
  place: string | null;
  publisher: string | null;
  /** Publication year as a number when one can be read (e.g. «2015», «[2015]», «c2015»). */
  year: number | null;
  isbns: RecordIsbn[];
  issn: string | null;
  /** ISO 639-2/B codes, e.g. ['rus'], ['eng', 'rus']. */
  languages: string[];
  materialType: MaterialType;
  relations: RecordRelation[];
  subjects: string[];
  /** BBK indexes as given, e.g. «78.5», «Ч736.8». */
  bbk: string[];
  /** UDC indexes as given, e.g. «02:004», «681.3». */
  udc: string[];
  physicalDescription: string | null;
  notes: string[];
  holdings: RecordHolding[];
  flavour: MarcFlavour;
  encoding: SourceEncoding;
  format: SourceFormat;
  /** The original record as MARCXML (UTF-8), for `marcXml` and export. */
  marcXml: string;
}

/** Where a record sits in its source file, for reports. */
export interface RecordPosition {
  /** 1-based number of the record in the file. */
  index: number;
  /** Byte offset of the record's first byte in the file. */
  offset: number;
}

/** One item read from a source file: a record, or the reason one could not be read. */
export type ReadResult =
  ({ ok: true; record: CatalogueRecordData } & RecordPosition) | ({ ok: false; reason: string } & RecordPosition);

export interface ReadOptions {
  /** Forced format; detected from the first bytes when omitted. */
  format?: SourceFormat;
  /** Forced flavour; detected per record from the leader and content when omitted. */
  flavour?: MarcFlavour;
  /** Forced encoding; detected per record when omitted. */
  encoding?: SourceEncoding;
}

/** A record with nothing but its control number: the base of delete-list entries and test records. */
export function emptyRecord(controlNumber: string): CatalogueRecordData {
  return {
    controlNumber,
    deleted: false,
    title: '',
    otherTitleInfo: null,
    statementOfResponsibility: null,
    authors: [],
    corporateAuthors: [],
    edition: null,
    place: null,
    publisher: null,
    year: null,
    isbns: [],
    issn: null,
    languages: [],
    materialType: 'OTHER',
    relations: [],
    subjects: [],
    bbk: [],
    udc: [],
    physicalDescription: null,
    notes: [],
    holdings: [],
    flavour: 'RUSMARC',
    encoding: 'UTF-8',
    format: 'ISO2709',
    marcXml: '',
  };
}
