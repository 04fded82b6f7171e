import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../lib/ids';
import type { MarcFlavour, SourceEncoding, SourceFormat } from './record-data';
import { ENCODINGS, FLAVOURS, FORMATS } from './record.entity';

export type ImportStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** A record that could not be imported, where it sat in the source file and why. */
export interface ImportRejection {
  /** 1-based number of the record in the file. */
  index: number;
  /** Byte offset of the record in the file. */
  offset: number;
  reason: string;
}

/** One import of a source file into this member's catalogue (table `catalogue_import`). */
@Entity({ tableName: 'catalogue_import' })
export class ImportRun {
  [OptionalProps]?:
    | 'startedAt'
    | 'finishedAt'
    | 'format'
    | 'flavour'
    | 'encoding'
    | 'status'
    | 'read'
    | 'created'
    | 'updated'
    | 'unchanged'
    | 'deleted'
    | 'rejected'
    | 'rejections'
    | 'rejectionsTruncated'
    | 'error';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'datetime' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  /** File name, or `upload` for an HTTP upload. */
  @Property({ type: 'text' })
  source!: string;

  @Enum({ items: FORMATS, nullable: true })
  format: SourceFormat | null = null;

  @Enum({ items: FLAVOURS, nullable: true })
  flavour: MarcFlavour | null = null;

  @Enum({ items: ENCODINGS, nullable: true })
  encoding: SourceEncoding | null = null;

  @Enum({ items: ['RUNNING', 'SUCCEEDED', 'FAILED'] })
  status: ImportStatus = 'RUNNING';

  @Property({ type: 'integer' })
  read = 0;

  @Property({ type: 'integer' })
  created = 0;

  @Property({ type: 'integer' })
  updated = 0;

  @Property({ type: 'integer' })
  unchanged = 0;

  @Property({ type: 'integer' })
  deleted = 0;

  /** How many records were rejected (all of them, even beyond the kept `rejections`). */
  @Property({ type: 'integer' })
  rejected = 0;

  /** The first rejected records (at most `MAX_KEPT_REJECTIONS`). */
  @Property({ type: 'json', fieldName: 'rejections' })
  rejections: ImportRejection[] = [];

  /** True when more records were rejected than `rejections` keeps. */
  @Property({ type: 'boolean' })
  rejectionsTruncated = false;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}

/** How many records of the whole catalogue count under one facet value (kept by triggers; read-only here). */
@Entity({ tableName: 'catalogue_facet_count' })
export class CatalogueFacetCount {
  @PrimaryKey({ type: 'text' })
  field!: 'LANGUAGE' | 'MATERIAL_TYPE' | 'DECADE' | 'BBK_CLASS';

  @PrimaryKey({ type: 'text' })
  value!: string;

  @Property({ type: 'bigint' })
  count!: string;
}
