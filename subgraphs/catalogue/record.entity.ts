import { ArrayType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type {
  MarcFlavour,
  MaterialType,
  RecordAuthor,
  RecordHolding,
  RecordIsbn,
  RecordRelation,
  SourceEncoding,
  SourceFormat,
} from './record-data';

// Allowed values, as the migration's check constraints list them.
export const MATERIAL_TYPES: MaterialType[] = [
  'BOOK',
  'SERIAL',
  'ARTICLE',
  'E_RESOURCE',
  'AUDIO',
  'VIDEO',
  'MAP',
  'SCORE',
  'OTHER',
];
export const FLAVOURS: MarcFlavour[] = ['MARC21', 'RUSMARC', 'UNIMARC'];
export const ENCODINGS: SourceEncoding[] = ['UTF-8', 'CP1251', 'MARC-8'];
export const FORMATS: SourceFormat[] = ['ISO2709', 'MARCXML', 'IRBIS'];

/**
 * One stored bibliographic record of this member's catalogue (table `catalogue_record`). Written only
 * by `storage.ts` with set-based SQL; read through the ORM. The full-text `search` vector is kept by a
 * trigger (see the migration) and is not mapped here.
 */
@Entity({ tableName: 'catalogue_record' })
export class CatalogueRecordEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  /** Internal surrogate key (cheap joins and facet passes); the public id is `<member>:<controlNumber>`. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text', unique: true })
  controlNumber!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text', nullable: true })
  otherTitleInfo!: string | null;

  @Property({ type: 'text', nullable: true })
  statementOfResponsibility!: string | null;

  @Property({ type: 'json' })
  authors!: RecordAuthor[];

  @Property({ type: ArrayType, columnType: 'text[]' })
  corporateAuthors!: string[];

  @Property({ type: 'text', nullable: true })
  edition!: string | null;

  @Property({ type: 'text', nullable: true })
  place!: string | null;

  @Property({ type: 'text', nullable: true })
  publisher!: string | null;

  @Property({ type: 'integer', nullable: true })
  year!: number | null;

  @Property({ type: 'json' })
  isbns!: RecordIsbn[];

  /** Valid ISBN-13s of `isbns`, for exact lookups through a GIN index. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  isbn13!: string[];

  @Property({ type: 'text', nullable: true })
  issn!: string | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  languages!: string[];

  @Enum({ items: MATERIAL_TYPES })
  materialType!: MaterialType;

  @Property({ type: 'json' })
  relations!: RecordRelation[];

  @Property({ type: ArrayType, columnType: 'text[]' })
  subjects!: string[];

  @Property({ type: ArrayType, columnType: 'text[]' })
  bbk!: string[];

  @Property({ type: ArrayType, columnType: 'text[]' })
  udc!: string[];

  /** Every leading substring of every normalised BBK index, for indexed prefix filters. */
  @Property({ type: ArrayType, columnType: 'text[]', lazy: true })
  bbkPrefixes!: string[];

  /** Every leading substring of every normalised UDC index. */
  @Property({ type: ArrayType, columnType: 'text[]', lazy: true })
  udcPrefixes!: string[];

  /** Top-level BBK classes of `bbk` (facet values). */
  @Property({ type: ArrayType, columnType: 'text[]' })
  bbkClasses!: string[];

  @Property({ type: 'text', nullable: true })
  physicalDescription!: string | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  notes!: string[];

  @Property({ type: 'json' })
  holdings!: RecordHolding[];

  @Enum({ items: FLAVOURS })
  flavour!: MarcFlavour;

  @Enum({ items: ENCODINGS })
  encoding!: SourceEncoding;

  @Enum({ items: FORMATS })
  format!: SourceFormat;

  /** Groups the records of one edition across libraries (see edition-key.ts); null without ISBN and title. */
  @Property({ type: 'text', nullable: true })
  editionKey!: string | null;

  /** The original record; large, so loaded only when `marcXml` is asked for. */
  @Property({ type: 'text', lazy: true })
  marcXml!: string;

  /** SHA-256 of the normalised record: a re-import of an unchanged record writes nothing. */
  @Property({ type: 'text', lazy: true })
  contentHash!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
