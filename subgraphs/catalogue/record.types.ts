import { Directive, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ImportStatus } from './import-run.entity';
import type { MarcFlavour, MaterialType, SourceEncoding, SourceFormat } from './record-data';
import type { CatalogueSortOrder, FacetFieldName } from './search';
import type { NodeSearchStatus } from '../../lib/catalogue-protocol';
import { MemberRef } from './stubs';

// Enums are plain objects (not TS enums) so that the string unions of record-data.ts fit them as they are.

export const MaterialTypeEnum = {
  BOOK: 'BOOK',
  SERIAL: 'SERIAL',
  ARTICLE: 'ARTICLE',
  E_RESOURCE: 'E_RESOURCE',
  AUDIO: 'AUDIO',
  VIDEO: 'VIDEO',
  MAP: 'MAP',
  SCORE: 'SCORE',
  OTHER: 'OTHER',
} as const satisfies Record<MaterialType, MaterialType>;

registerEnumType(MaterialTypeEnum, {
  name: 'MaterialType',
  description: 'Kind of material a bibliographic record describes.',
  valuesConfig: {
    BOOK: { description: 'A book or other monograph, including a volume of a multi-part work.' },
    SERIAL: { description: 'A serial: journal, newspaper, periodical collection.' },
    ARTICLE: { description: 'An article or other component part of a book or serial.' },
    E_RESOURCE: { description: 'An electronic resource.' },
    AUDIO: { description: 'A sound recording.' },
    VIDEO: { description: 'A video recording or other projected medium.' },
    MAP: { description: 'A cartographic resource.' },
    SCORE: { description: 'Notated music.' },
    OTHER: { description: 'Any other kind of material.' },
  },
});

export const MarcFlavourEnum = {
  MARC21: 'MARC21',
  RUSMARC: 'RUSMARC',
  UNIMARC: 'UNIMARC',
} as const satisfies Record<MarcFlavour, MarcFlavour>;

registerEnumType(MarcFlavourEnum, {
  name: 'MarcFlavour',
  description: 'MARC format a record was catalogued in.',
  valuesConfig: {
    MARC21: { description: 'MARC 21 (Library of Congress; also the Russian Book Chamber).' },
    RUSMARC: { description: 'RUSMARC, the Russian UNIMARC profile most Russian library systems export.' },
    UNIMARC: { description: 'UNIMARC (IFLA).' },
  },
});

export const SourceEncodingEnum = {
  UTF_8: 'UTF-8',
  CP1251: 'CP1251',
  MARC_8: 'MARC-8',
} as const satisfies Record<string, SourceEncoding>;

registerEnumType(SourceEncodingEnum, {
  name: 'SourceEncoding',
  description: 'Character encoding a record came in (it is stored as UTF-8).',
  valuesConfig: {
    UTF_8: { description: 'UTF-8 (Unicode).' },
    CP1251: { description: 'Windows-1251, the Cyrillic code page of older Russian library systems.' },
    MARC_8: { description: 'MARC-8, the legacy MARC 21 character set.' },
  },
});

export const SourceFormatEnum = {
  ISO2709: 'ISO2709',
  MARCXML: 'MARCXML',
  IRBIS: 'IRBIS',
} as const satisfies Record<SourceFormat, SourceFormat>;

registerEnumType(SourceFormatEnum, {
  name: 'SourceFormat',
  description: 'File format a record was imported from.',
  valuesConfig: {
    ISO2709: { description: 'ISO 2709 exchange format (`.iso`, `.mrc`).' },
    MARCXML: { description: 'MARCXML.' },
    IRBIS: { description: 'IRBIS64 text exchange format (`#200: ^A…`).' },
  },
});

export const HoldingAvailabilityEnum = {
  AVAILABLE: 'AVAILABLE',
  ON_LOAN: 'ON_LOAN',
  UNKNOWN: 'UNKNOWN',
} as const;

registerEnumType(HoldingAvailabilityEnum, {
  name: 'HoldingAvailability',
  description: 'Whether copies at a location can be had, as far as the record says.',
  valuesConfig: {
    AVAILABLE: { description: 'Copies are on the shelf.' },
    ON_LOAN: { description: 'Copies are on loan.' },
    UNKNOWN: { description: 'The record does not say.' },
  },
});

export const RecordRelationKindEnum = {
  SERIES: 'SERIES',
  VOLUME_OF: 'VOLUME_OF',
} as const;

registerEnumType(RecordRelationKindEnum, {
  name: 'RecordRelationKind',
  description: 'How a record relates to another work.',
  valuesConfig: {
    SERIES: { description: 'The record belongs to a series (RUSMARC 225, MARC 21 490/830).' },
    VOLUME_OF: { description: 'The record is a volume or part of a multi-part work (RUSMARC 461, MARC 21 773).' },
  },
});

export const ImportStatusEnum = {
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
} as const satisfies Record<ImportStatus, ImportStatus>;

registerEnumType(ImportStatusEnum, {
  name: 'ImportStatus',
  description: 'Where an import run stands.',
  valuesConfig: {
    RUNNING: { description: 'The import is still running.' },
    SUCCEEDED: { description: 'The import read the whole file (some records may have been rejected).' },
    FAILED: { description: 'The import stopped on an error; batches stored before it stay stored.' },
  },
});

export const CatalogueNodeStateEnum = {
  ONLINE: 'ONLINE',
  OFFLINE: 'OFFLINE',
  UNKNOWN: 'UNKNOWN',
} as const;

registerEnumType(CatalogueNodeStateEnum, {
  name: 'CatalogueNodeState',
  description: 'Whether a member’s catalogue node answers.',
  valuesConfig: {
    ONLINE: { description: 'The node answered this request.' },
    OFFLINE: { description: 'The node did not answer (reported by the gateway).' },
    UNKNOWN: { description: 'The node’s state is not known (reported by the gateway).' },
  },
});

export const CatalogueSortEnum = {
  RELEVANCE: 'RELEVANCE',
  YEAR_DESC: 'YEAR_DESC',
  YEAR_ASC: 'YEAR_ASC',
  TITLE: 'TITLE',
} as const satisfies Record<CatalogueSortOrder, CatalogueSortOrder>;

registerEnumType(CatalogueSortEnum, {
  name: 'CatalogueSort',
  description: 'Order of search hits.',
  valuesConfig: {
    RELEVANCE: { description: 'Best match first, ties in stored order; by title when there is no text query.' },
    YEAR_DESC: { description: 'Newest first, then by title; records without a year last.' },
    YEAR_ASC: { description: 'Oldest first, then by title; records without a year last.' },
    TITLE: { description: 'By title, alphabetically.' },
  },
});

export const FacetFieldEnum = {
  LANGUAGE: 'LANGUAGE',
  MATERIAL_TYPE: 'MATERIAL_TYPE',
  DECADE: 'DECADE',
  BBK_CLASS: 'BBK_CLASS',
  LIBRARY: 'LIBRARY',
} as const satisfies Record<FacetFieldName, FacetFieldName>;

registerEnumType(FacetFieldEnum, {
  name: 'FacetField',
  description: 'What a facet counts the matching records by.',
  valuesConfig: {
    LANGUAGE: { description: 'Language code (ISO 639-2/B, e.g. `rus`); a record counts once per language.' },
    MATERIAL_TYPE: { description: 'Material type (a `MaterialType` value).' },
    DECADE: { description: 'Decade of publication as its first year, e.g. `1990` for 1990–1999.' },
    BBK_CLASS: {
      description:
        'Top-level BBK class: the leading number of the index (`63` for «63.3(2Рос-4Кем)») or its leading letter (`Ч` for «Ч736.8»).',
    },
    LIBRARY: { description: 'Code of the member library whose catalogue holds the record.' },
  },
});

export const SearchGroupingEnum = {
  RECORD: 'RECORD',
  EDITION: 'EDITION',
} as const;

export type SearchGrouping = keyof typeof SearchGroupingEnum;

registerEnumType(SearchGroupingEnum, {
  name: 'SearchGrouping',
  description: 'What one hit of a network search stands for.',
  valuesConfig: {
    RECORD: { description: 'One catalogue record (the default): an edition held by three libraries is three hits.' },
    EDITION: {
      description:
        'One edition, however many libraries hold it: records with the same edition key (ISBN, else title, author and year) are one hit whose `record` is the best-scoring of them and whose `heldBy` lists every holder.',
    },
  },
});

export const NodeSearchStatusEnum = {
  OK: 'OK',
  ERROR: 'ERROR',
  TIMEOUT: 'TIMEOUT',
  UNAVAILABLE: 'UNAVAILABLE',
  SKIPPED: 'SKIPPED',
} as const satisfies { [S in NodeSearchStatus]: S };

export type { NodeSearchStatus };

registerEnumType(NodeSearchStatusEnum, {
  name: 'CatalogueNodeSearchStatus',
  description: 'How one catalogue node took part in a network request (a search, statistics).',
  valuesConfig: {
    OK: { description: 'The node answered; its part is merged in.' },
    ERROR: { description: 'The node answered with an error; its part is missing.' },
    TIMEOUT: { description: 'The node did not answer in time; its part is missing.' },
    UNAVAILABLE: { description: 'The node could not be reached; its part is missing.' },
    SKIPPED: {
      description:
        'The node kept failing, so the gateway did not ask it (it is probed again shortly); its part is missing.',
    },
  },
});

@ObjectType({ description: 'A person responsible for the work.' })
export class RecordAuthor {
  @Field({ description: 'Name as catalogued, e.g. «Иванов, И. И.» or «Smith, John».' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Role (relator code or term) as given; null when absent.' })
  role!: string | null;
}

@ObjectType({ description: 'An ISBN as given in the record.' })
export class Isbn {
  @Field({ description: 'As written in the record, e.g. «978-5-7779-0234-1».' })
  raw!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The 13 digits of the ISBN (ISBN-10 converted); null when the value is not a valid ISBN.',
  })
  isbn13!: string | null;

  @Field(() => String, { nullable: true, description: 'Qualifier such as «в пер.» or «pbk.»; null when absent.' })
  qualifier!: string | null;
}

@ObjectType({ description: 'A series or multi-part work the record belongs to.' })
export class RecordRelation {
  @Field(() => RecordRelationKindEnum, { description: 'How the record relates to it.' })
  kind!: string;

  @Field({ description: 'Title of the series or multi-part work.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Volume or issue designation; null when absent.' })
  volume!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Control number of the linked record in the same catalogue, when the link gives it.',
  })
  controlNumber!: string | null;
}

@ObjectType({ description: 'Copies of the item at one location of the member library.' })
export class Holding {
  @Field(() => String, { nullable: true, description: 'Branch or location code or name; null when absent.' })
  location!: string | null;

  @Field(() => String, { nullable: true, description: 'Shelfmark (call number); null when absent.' })
  shelfmark!: string | null;

  @Field(() => [String], { description: 'Inventory (accession) numbers, when given one by one.' })
  inventoryNumbers!: string[];

  @Field(() => Int, { description: 'Number of copies at this location.' })
  copies!: number;

  @Field(() => HoldingAvailabilityEnum, { description: 'Whether the copies can be had.' })
  availability!: string;
}

// `id`, `owner`, `holdingsCount`, `marcXml` and the `source*` fields are resolved in record.resolver.ts.
@ObjectType({ description: 'A bibliographic record of a member library’s catalogue.' })
@Directive('@key(fields: "id")')
export class CatalogueRecord {
  @Field({ description: 'Control number (MARC 001), unique within the member’s catalogue.' })
  controlNumber!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Key shared by every library’s record of the same edition: `isbn:<ISBN-13>` (the first ISBN), else `work:<title>|<first author’s surname>|<year>` normalised; null without ISBN and title. Network search groups by it.',
  })
  editionKey!: string | null;

  @Field({ description: 'Title proper.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Other title information (subtitle).' })
  otherTitleInfo!: string | null;

  @Field(() => String, { nullable: true, description: 'Statement of responsibility as transcribed.' })
  statementOfResponsibility!: string | null;

  @Field(() => [RecordAuthor], { description: 'Personal authors and other contributors.' })
  authors!: RecordAuthor[];

  @Field(() => [String], { description: 'Corporate authors (organisations).' })
  corporateAuthors!: string[];

  @Field(() => String, { nullable: true, description: 'Edition statement.' })
  edition!: string | null;

  @Field(() => String, { nullable: true, description: 'Place of publication.' })
  place!: string | null;

  @Field(() => String, { nullable: true, description: 'Publisher.' })
  publisher!: string | null;

  @Field(() => Int, { nullable: true, description: 'Year of publication, when one can be read.' })
  year!: number | null;

  @Field(() => [Isbn], { description: 'ISBNs.' })
  isbns!: Isbn[];

  @Field(() => String, { nullable: true, description: 'ISSN of a serial.' })
  issn!: string | null;

  @Field(() => [String], { description: 'Languages, ISO 639-2/B codes (e.g. `rus`, `eng`).' })
  languages!: string[];

  @Field(() => MaterialTypeEnum, { description: 'Kind of material.' })
  materialType!: string;

  @Field(() => [RecordRelation], { description: 'Series and multi-part works the record belongs to.' })
  relations!: RecordRelation[];

  @Field(() => [String], { description: 'Subject headings.' })
  subjects!: string[];

  @Field(() => [String], { description: 'BBK (Library-Bibliographical Classification) indexes, e.g. «78.5».' })
  bbk!: string[];

  @Field(() => [String], { description: 'UDC (Universal Decimal Classification) indexes, e.g. «02:004».' })
  udc!: string[];

  @Field(() => String, { nullable: true, description: 'Physical description (extent, illustrations, size).' })
  physicalDescription!: string | null;

  @Field(() => [String], { description: 'General notes.' })
  notes!: string[];

  @Field(() => [Holding], { description: 'Copies held, by location.' })
  holdings!: Holding[];

  @Field({ description: 'When the record was first stored in this catalogue.' })
  createdAt!: Date;

  @Field({ description: 'When an import last changed the record.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A record an import could not read.' })
export class ImportRejection {
  @Field(() => Int, { description: '1-based number of the record in the file.' })
  index!: number;

  @Field(() => Int, { description: 'Byte offset of the record in the file.' })
  offset!: number;

  @Field({ description: 'Why the record was rejected.' })
  reason!: string;
}

@ObjectType({ description: 'What one import run of a catalogue file did.' })
export class ImportReport {
  @Field({ description: 'When the run started.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the run ended; null while it runs.' })
  finishedAt!: Date | null;

  @Field({ description: 'File name, or `upload` for a file sent over HTTP.' })
  source!: string;

  @Field(() => SourceFormatEnum, { nullable: true, description: 'File format, as detected or forced.' })
  format!: string | null;

  @Field(() => MarcFlavourEnum, { nullable: true, description: 'MARC flavour, as detected or forced.' })
  flavour!: string | null;

  @Field(() => SourceEncodingEnum, { nullable: true, description: 'Character encoding, as detected or forced.' })
  encoding!: string | null;

  @Field(() => ImportStatusEnum, { description: 'Where the run stands.' })
  status!: string;

  @Field(() => Int, { description: 'Records read from the file (stored, unchanged, deleted or rejected).' })
  read!: number;

  @Field(() => Int, { description: 'Records added to the catalogue.' })
  created!: number;

  @Field(() => Int, { description: 'Records whose content changed.' })
  updated!: number;

  @Field(() => Int, { description: 'Records already stored as they are.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Records removed because the file marks them deleted.' })
  deleted!: number;

  @Field(() => Int, { description: 'Records that could not be read (all of them, even beyond `rejections`).' })
  rejected!: number;

  @Field(() => [ImportRejection], { description: 'The first rejected records (at most 1000).' })
  rejections!: ImportRejection[];

  @Field({ description: 'True when more records were rejected than `rejections` lists.' })
  rejectionsTruncated!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the run failed; null unless it did.' })
  error!: string | null;
}

@ObjectType({ description: 'A member library’s catalogue as its catalogue node reports it.' })
export class MemberCatalogue {
  @Field(() => Int, { description: 'Records in the catalogue.' })
  recordCount!: number;

  @Field(() => Date, { nullable: true, description: 'When the last import run ended; null before the first.' })
  lastImportAt!: Date | null;

  @Field(() => ImportReport, { nullable: true, description: 'The most recently started import run.' })
  lastImport!: ImportReport | null;

  @Field(() => CatalogueNodeStateEnum, { description: 'Whether the catalogue node answers.' })
  status!: string;
}

@ObjectType({ description: 'One count of a facet.' })
export class FacetValue {
  @Field({ description: 'The value counted (see `FacetField` for its form).' })
  value!: string;

  @Field(() => Int, { description: 'Matching records with this value.' })
  count!: number;
}

@ObjectType({ description: 'Counts of the matching records by one field, over all matches (not just the page).' })
export class Facet {
  @Field(() => FacetFieldEnum, { description: 'The field counted.' })
  field!: string;

  @Field(() => [FacetValue], { description: 'Up to 50 values, most frequent first (ties by value).' })
  values!: FacetValue[];
}

@ObjectType({ description: 'A matching record with its relevance.' })
export class CatalogueHit {
  @Field(() => Float, {
    description:
      'Relevance from 0 to 1: the weighted full-text rank r as r / (r + 1), halved, plus 0.5 when the title is exactly the query’s words (so such records come first); 1 for an exact ISBN match, 0 without a text query.',
  })
  score!: number;

  @Field(() => CatalogueRecord, {
    description: 'The record; with `groupBy: EDITION`, the best-scoring record of the edition.',
  })
  record!: CatalogueRecord;
}

@ObjectType({ description: 'A member library that holds an edition, with its records of it.' })
export class CatalogueHolder {
  @Field(() => MemberRef, { description: 'The member library.' })
  member!: MemberRef;

  @Field(() => [CatalogueRecord], { description: 'The library’s records of the edition (usually one).' })
  records!: CatalogueRecord[];

  @Field(() => Int, { description: 'Copies of the edition the library holds, at all its locations.' })
  holdingsCount!: number;
}

@ObjectType({ description: 'How one catalogue node answered a network search.' })
export class CatalogueNodeSearchReport {
  @Field(() => MemberRef, { description: 'The member library whose node it is.' })
  member!: MemberRef;

  @Field(() => NodeSearchStatusEnum, { description: 'Whether its hits are in the result.' })
  status!: NodeSearchStatus;

  @Field(() => Int, { nullable: true, description: 'Milliseconds the node took; null when it was not asked.' })
  tookMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'Records matching on that node; null unless it answered.' })
  total!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the node’s hits are missing; null when they are not.' })
  error!: string | null;
}

@ObjectType({ description: 'Internal: one edition’s records in one catalogue, for the gateway’s `heldBy`.' })
@Directive('@inaccessible')
export class CatalogueHolding {
  @Field({ description: 'The key asked for: an edition key, or `record:<record id>`.' })
  key!: string;

  @Field(() => Int, { description: 'Copies held of those records.' })
  holdingsCount!: number;

  @Field(() => [CatalogueRecord], { description: 'The records with that key.' })
  records!: CatalogueRecord[];
}

@ObjectType({ description: 'One page of catalogue search results with counts over all matches.' })
export class CatalogueSearchResult {
  @Field(() => Int, {
    description: 'Records matching the query and filter; an estimate when `approximate` is true.',
  })
  total!: number;

  @Field({
    description:
      'True when `total` and the facet counts are estimated: a search matching more than a few thousand records of a catalogue counts them from a one-in-16 sample of it (within a few per cent for large counts) and ranks its best matches with the records titled exactly by the query’s words. False when every count is exact.',
  })
  approximate!: boolean;

  @Field(() => [CatalogueHit], { description: 'The requested page of matches, in the requested order.' })
  hits!: CatalogueHit[];

  @Field(() => [Facet], {
    description: 'Language, material type, decade, BBK class and library counts over all matches.',
  })
  facets!: Facet[];

  @Field(() => [CatalogueNodeSearchReport], {
    description:
      'Every catalogue node the search went to, with its status: a node whose hits are missing is listed here (and in `errors`), never silently left out.',
  })
  nodes!: CatalogueNodeSearchReport[];
}

@InputType({ description: 'Narrows a catalogue search; all given conditions must hold. Empty lists are ignored.' })
export class CatalogueFilter {
  @Field(() => [String], { nullable: true, description: 'Any of these languages (ISO 639-2/B codes, at most 20).' })
  languages?: string[] | null;

  @Field(() => [MaterialTypeEnum], { nullable: true, description: 'Any of these material types.' })
  materialTypes?: MaterialType[] | null;

  @Field(() => Int, { nullable: true, description: 'Published in or after this year.' })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true, description: 'Published in or before this year.' })
  yearTo?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'BBK index prefix, spaces and letter case ignored: «63.3» matches «63.3(2Рос-4Кем)».',
  })
  bbk?: string | null;

  @Field(() => String, { nullable: true, description: 'UDC index prefix, spaces ignored: «02» matches «02:004».' })
  udc?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'An ISBN-10 or ISBN-13 in any form (hyphens, spaces, `ISBN` prefix); an invalid ISBN is an error.',
  })
  isbn?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only the catalogues of these member libraries (member codes); all of them when absent.',
  })
  libraries?: string[] | null;
}
