import { createHash } from 'node:crypto';
import type { EntityManager } from '../../lib/orm';
import { runSql, schemaOf } from '../../lib/sql';
import { editionKey } from './edition-key';
import { type ImportRejection, ImportRun, type ImportStatus } from './import-run.entity';
import type { CatalogueRecordData, MarcFlavour, SourceEncoding, SourceFormat } from './record-data';
import { CatalogueRecordEntity } from './record.entity';

/** Rejections an import run keeps (the count covers all of them). */
export const MAX_KEPT_REJECTIONS = 1000;

// Longest BBK/UDC prefix kept in the prefix arrays (and accepted as a filter).
export const MAX_CLASSIFICATION_PREFIX = 64;

export { runSql, schemaOf };

// Bumped when the derived columns change, so that the next import rewrites every record.
const HASH_VERSION = '2';

/** A classification index as compared: no whitespace, upper case («63.3 (2рос)» → «63.3(2РОС)»). */
export function normaliseClassification(index: string): string {
  return index.replace(/\s+/g, '').toUpperCase();
}

/** Every leading substring of every index (normalised, capped length), for `@>` prefix lookups on a GIN index. */
export function classificationPrefixes(indexes: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const index of indexes) {
    const normal = normaliseClassification(index).slice(0, MAX_CLASSIFICATION_PREFIX);
    for (let i = 1; i <= normal.length; i++) prefixes.add(normal.slice(0, i));
  }
  return [...prefixes];
}

/**
 * Top-level class of a BBK index: its leading number («78.3» → 78, «63.3(2Рос-4Кем)» → 63, «84(2Рос=Рус)6» → 84)
 * or, in the lettered tables, its leading letter («Ч736.8» → Ч); null when it starts with neither.
 */
export function bbkClass(index: string): string | null {
  const normal = normaliseClassification(index);
  return /^\d+/.exec(normal)?.[0] ?? /^[A-ZА-ЯЁ]/.exec(normal)?.[0] ?? null;
}

/**
 * Hash of a record's content: equal hashes mean a re-import would change nothing. The file format and
 * encoding are left out: the same record exported as MARCXML and imported back is unchanged (and keeps
 * the format and encoding it first came in); the MARCXML is in, so any change to the original shows.
 */
export function contentHash(r: CatalogueRecordData): string {
  // Fields by position, not by key: independent of the order keys were set in, and cheap to build.
  const fields = [
    r.controlNumber,
    r.title,
    r.otherTitleInfo,
    r.statementOfResponsibility,
    r.authors.map((a) => [a.name, a.role]),
    r.corporateAuthors,
    r.edition,
    r.place,
    r.publisher,
    r.year,
    r.isbns.map((i) => [i.raw, i.isbn13, i.qualifier]),
    r.issn,
    r.languages,
    r.materialType,
    r.relations.map((l) => [l.kind, l.title, l.volume, l.controlNumber]),
    r.subjects,
    r.bbk,
    r.udc,
    r.physicalDescription,
    r.notes,
    r.holdings.map((h) => [h.location, h.shelfmark, h.inventoryNumbers, h.copies, h.availability]),
    r.flavour,
    r.marcXml,
  ];
  return createHash('sha256').update(HASH_VERSION).update('\0').update(JSON.stringify(fields)).digest('base64');
}

/** A PostgreSQL array literal of strings (`{"a","b"}`), cast to text[] in SQL. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

type ColumnKind = 'text' | 'int' | 'text[]' | 'jsonb';

/** A record about to be written, with its content hash (computed once). */
interface Pending {
  record: CatalogueRecordData;
  hash: string;
}

// Every written column, how it travels and how it is read. Each column is sent as one array parameter
// and the batch is rebuilt row by row with unnest(): json_to_recordset took ~250 ms to decode a batch of
// 1000, unnest ~15 ms. Arrays and JSON travel as text and are cast in SQL.
const COLUMNS: Array<[string, ColumnKind, (p: Pending) => unknown]> = [
  ['control_number', 'text', (p) => p.record.controlNumber],
  ['title', 'text', (p) => p.record.title],
  ['other_title_info', 'text', (p) => p.record.otherTitleInfo],
  ['statement_of_responsibility', 'text', (p) => p.record.statementOfResponsibility],
  ['authors', 'jsonb', (p) => p.record.authors],
  ['corporate_authors', 'text[]', (p) => p.record.corporateAuthors],
  ['edition', 'text', (p) => p.record.edition],
  ['place', 'text', (p) => p.record.place],
  ['publisher', 'text', (p) => p.record.publisher],
  ['year', 'int', (p) => p.record.year],
  ['isbns', 'jsonb', (p) => p.record.isbns],
  ['isbn13', 'text[]', (p) => [...new Set(p.record.isbns.map((i) => i.isbn13).filter((i): i is string => !!i))]],
  ['issn', 'text', (p) => p.record.issn],
  ['languages', 'text[]', (p) => p.record.languages],
  ['material_type', 'text', (p) => p.record.materialType],
  ['relations', 'jsonb', (p) => p.record.relations],
  ['subjects', 'text[]', (p) => p.record.subjects],
  ['bbk', 'text[]', (p) => p.record.bbk],
  ['udc', 'text[]', (p) => p.record.udc],
  ['bbk_prefixes', 'text[]', (p) => classificationPrefixes(p.record.bbk)],
  ['udc_prefixes', 'text[]', (p) => classificationPrefixes(p.record.udc)],
  ['bbk_classes', 'text[]', (p) => [...new Set(p.record.bbk.map(bbkClass).filter((c): c is string => c !== null))]],
  ['physical_description', 'text', (p) => p.record.physicalDescription],
  ['notes', 'text[]', (p) => p.record.notes],
  ['holdings', 'jsonb', (p) => p.record.holdings],
  ['flavour', 'text', (p) => p.record.flavour],
  ['encoding', 'text', (p) => p.record.encoding],
  ['format', 'text', (p) => p.record.format],
  ['marc_xml', 'text', (p) => p.record.marcXml],
  ['edition_key', 'text', (p) => editionKey(p.record)],
  ['content_hash', 'text', (p) => p.hash],
];

// Separators of the packed column parameters: MARCXML cannot hold C0 controls and JSON escapes them, so
// they practically never occur; a column where one does travels as an array literal instead.
const SEPARATOR = '\x01';
const NULL_MARK = '\x02';

/** The batch as one parameter per column (in `COLUMNS` order) and the `unnest(…)` that rebuilds its rows. */
function columnParams(rows: readonly Pending[]): { params: unknown[]; unnest: string } {
  const sources: string[] = [];
  const params = COLUMNS.map(([, kind, read]) => {
    const values = rows.map((row) => {
      const value = read(row);
      if (kind === 'text[]') return arrayLiteral(value as string[]);
      if (kind === 'jsonb') return JSON.stringify(value);
      return typeof value === 'number' ? String(value) : (value as string | null); // int and text columns
    });
    // One string split by string_to_array: an array literal of long MARCXML texts full of quotes cost
    // PostgreSQL 45 µs a record to unescape, the packed string 5 µs.
    if (values.every((v) => v === null || (!v.includes(SEPARATOR) && !v.includes(NULL_MARK)))) {
      sources.push(`string_to_array(?::text, E'\\x01', E'\\x02')`);
      return values.map((v) => v ?? NULL_MARK).join(SEPARATOR);
    }
    sources.push('?::text[]');
    return values;
  });
  return { params, unnest: `unnest(${sources.join(', ')}) as x(${NAMES.join(', ')})` };
}

const NAMES = COLUMNS.map(([c]) => c);
const cast = (c: string, kind: ColumnKind) => (kind === 'text' ? `x.${c}` : `x.${c}::${kind}`);

// New rows. ON CONFLICT covers a concurrent import that inserted the same record meanwhile.
const insertSql = (schema: string, unnest: string) => `
  insert into ${schema}.catalogue_record as r (${NAMES.join(', ')})
  select ${COLUMNS.map(([c, kind]) => cast(c, kind)).join(', ')} from ${unnest}
  on conflict (control_number) do update set
    ${NAMES.filter((c) => c !== 'control_number')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')},
    updated_at = now()
  where r.content_hash is distinct from excluded.content_hash
  returning (r.xmax = 0) as inserted`;

// Changed rows: a plain UPDATE, so the search trigger runs once per row (an upsert would run it for the
// attempted insert too).
const updateSql = (schema: string, unnest: string) => `
  update ${schema}.catalogue_record as r set
    ${COLUMNS.filter(([c]) => c !== 'control_number')
      .map(([c, kind]) => `${c} = ${cast(c, kind)}`)
      .join(', ')},
    updated_at = now()
  from ${unnest}
  where r.control_number = x.control_number and r.content_hash is distinct from x.content_hash
  returning r.id`;

/** What one batch did to the catalogue. */
export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Stores one batch of records in one transaction, with set-based statements: records marked `deleted` are
 * removed; the stored content hashes of the others are read first, so unchanged records are neither sent
 * nor written (`updated_at` stays), new ones are inserted and changed ones updated. When a control number
 * occurs twice in a batch the last occurrence wins.
 */
export async function upsertRecords(em: EntityManager, records: CatalogueRecordData[]): Promise<UpsertCounts> {
  const last = new Map<string, CatalogueRecordData>();
  for (const record of records) {
    last.delete(record.controlNumber);
    last.set(record.controlNumber, record);
  }
  const toDelete: string[] = [];
  const rows: Pending[] = [];
  for (const record of last.values()) {
    if (record.deleted) toDelete.push(record.controlNumber);
    else rows.push({ record, hash: contentHash(record) });
  }
  const schema = schemaOf(em);
  return em.transactional(async (tx) => {
    const deleted = toDelete.length ? await deleteRecords(tx, toDelete) : 0;
    if (!rows.length) return { created: 0, updated: 0, unchanged: 0, deleted };
    const stored = await runSql<{ control_number: string; content_hash: string }>(
      tx,
      `select control_number, content_hash from ${schema}.catalogue_record where control_number = any(?::text[])`,
      [rows.map((r) => r.record.controlNumber)],
    );
    const hashes = new Map(stored.map((s) => [s.control_number, s.content_hash]));
    const fresh = rows.filter((r) => !hashes.has(r.record.controlNumber));
    const changed = rows.filter(
      (r) => hashes.has(r.record.controlNumber) && hashes.get(r.record.controlNumber) !== r.hash,
    );
    let created = 0;
    let updated = 0;
    if (fresh.length) {
      const { params, unnest } = columnParams(fresh);
      const result = await runSql<{ inserted: boolean }>(tx, insertSql(schema, unnest), params);
      created = result.filter((r) => r.inserted).length;
      updated += result.length - created;
    }
    if (changed.length) {
      const { params, unnest } = columnParams(changed);
      updated += (await runSql(tx, updateSql(schema, unnest), params)).length;
    }
    return { created, updated, unchanged: rows.length - created - updated, deleted };
  });
}

/** Removes records by control number; returns how many existed. */
export async function deleteRecords(em: EntityManager, controlNumbers: string[]): Promise<number> {
  if (controlNumbers.length === 0) return 0;
  const rows = await runSql<{ id: string }>(
    em,
    `delete from ${schemaOf(em)}.catalogue_record where control_number = any(?::text[]) returning id`,
    [controlNumbers],
  );
  return rows.length;
}

/** What is known about an import when it starts. */
export interface ImportRunMeta {
  /** File name, or `upload`. */
  source: string;
  format?: SourceFormat | null;
  flavour?: MarcFlavour | null;
  encoding?: SourceEncoding | null;
}

/** How an import ended, as `finishImportRun` records it. */
export interface ImportRunReport {
  status: Exclude<ImportStatus, 'RUNNING'>;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** How many records were rejected (may exceed `rejections.length` when the caller kept fewer). */
  rejected: number;
  /** The rejected records; the run keeps the first `MAX_KEPT_REJECTIONS`. */
  rejections: ImportRejection[];
  /** Format, flavour and encoding as detected during the run (kept from the start when omitted). */
  format?: SourceFormat | null;
  flavour?: MarcFlavour | null;
  encoding?: SourceEncoding | null;
  error?: string | null;
}

/** Records the start of an import run (status RUNNING) and returns its id. */
export async function startImportRun(em: EntityManager, meta: ImportRunMeta): Promise<string> {
  return em.transactional(async (tx) => {
    const run = tx.create(ImportRun, {
      source: meta.source,
      format: meta.format ?? null,
      flavour: meta.flavour ?? null,
      encoding: meta.encoding ?? null,
    });
    await tx.flush();
    return run.id;
  });
}

/** Records how an import run ended: its counts, the first rejections and any error. */
export async function finishImportRun(em: EntityManager, id: string, report: ImportRunReport): Promise<ImportRun> {
  return em.transactional(async (tx) => {
    const run = await tx.findOneOrFail(ImportRun, { id });
    const rejected = Math.max(report.rejected, report.rejections.length);
    tx.assign(run, {
      finishedAt: new Date(),
      status: report.status,
      read: report.read,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      deleted: report.deleted,
      rejected,
      rejections: report.rejections.slice(0, MAX_KEPT_REJECTIONS),
      rejectionsTruncated: rejected > MAX_KEPT_REJECTIONS,
      error: report.error ?? null,
      ...(report.format !== undefined ? { format: report.format } : {}),
      ...(report.flavour !== undefined ? { flavour: report.flavour } : {}),
      ...(report.encoding !== undefined ? { encoding: report.encoding } : {}),
    });
    await tx.flush();
    return run;
  });
}

/** How many records the catalogue holds and its most recently started import run. */
export async function catalogueSummary(
  em: EntityManager,
): Promise<{ recordCount: number; lastImport: ImportRun | null }> {
  const fork = em.fork();
  const [count, lastImport] = await Promise.all([
    // Every record has exactly one material type: their counts add up to the record count.
    runSql<{ count: number }>(
      fork,
      `select coalesce(sum(count), 0)::int as count from ${schemaOf(fork)}.catalogue_facet_count where field = 'MATERIAL_TYPE'`,
    ),
    fork.find(ImportRun, {}, { orderBy: { startedAt: 'desc', id: 'desc' }, limit: 1 }),
  ]);
  return { recordCount: count[0]?.count ?? 0, lastImport: lastImport[0] ?? null };
}

/** A record's eagerly read columns as a `select` list under their property names, and its date properties. */
interface RecordColumns {
  list: string;
  dates: string[];
}
const recordColumnsByMetadata = new WeakMap<object, RecordColumns>();
function recordColumns(em: EntityManager): RecordColumns {
  const metadata = em.getMetadata().get(CatalogueRecordEntity.name);
  let columns = recordColumnsByMetadata.get(metadata);
  if (!columns) {
    const props = metadata.props.filter((p) => !p.lazy && p.fieldNames?.length === 1);
    columns = {
      list: props.map((p) => `r.${p.fieldNames[0]!} as "${p.name}"`).join(', '),
      dates: props.filter((p) => p.runtimeType === 'Date').map((p) => p.name),
    };
    recordColumnsByMetadata.set(metadata, columns);
  }
  return columns;
}

/**
 * Stored records (without the lazy MARCXML and hash) by internal id or control number, in no particular
 * order, as plain read-only objects with the values MikroORM would give them: the driver already parses
 * json, text[] and bigint (as a string) the same way, so the rows are only renamed and their timestamps
 * (text under MikroORM's type parsers) made Dates. Hydrating managed entities cost ≈ 75 µs a record —
 * most of a small search's CPU, paid by every node of a network search. Nothing read here is written back.
 */
export async function readRecords(
  em: EntityManager,
  by: 'id' | 'controlNumber' | 'editionKey',
  keys: readonly string[],
): Promise<CatalogueRecordEntity[]> {
  if (!keys.length) return [];
  const { list, dates } = recordColumns(em);
  const where = {
    id: 'r.id = any(?::bigint[])',
    controlNumber: 'r.control_number = any(?::text[])',
    editionKey: 'r.edition_key = any(?::text[])',
  }[by];
  // The entity class has no methods, so a row with its properties is one.
  const rows = await runSql<Record<string, unknown>>(
    em,
    `select ${list} from ${schemaOf(em)}.catalogue_record r where ${where}`,
    [[...keys]],
  );
  for (const row of rows) for (const name of dates) if (row[name] != null) row[name] = new Date(row[name] as string);
  return rows as unknown as CatalogueRecordEntity[];
}

/**
 * The records with these ids in each of several catalogues of this node (schemas of one database), in one
 * statement: one list per catalogue, in no particular order, as `readRecords` gives them.
 */
export async function readRecordsIn(
  em: EntityManager,
  parts: ReadonlyArray<{ schema: string; ids: readonly string[] }>,
): Promise<CatalogueRecordEntity[][]> {
  const found = parts.map((): CatalogueRecordEntity[] => []);
  const asked = parts.map((part, k) => ({ ...part, k })).filter((part) => part.ids.length);
  if (!asked.length) return found;
  const { list, dates } = recordColumns(em);
  const rows = await runSql<Record<string, unknown> & { _k: number }>(
    em,
    asked
      .map((p) => `select ${p.k} as "_k", ${list} from ${p.schema}.catalogue_record r where r.id = any(?::bigint[])`)
      .join(' union all '),
    asked.map((p) => [...p.ids]),
  );
  for (const { _k: k, ...row } of rows) {
    for (const name of dates) if (row[name] != null) row[name] = new Date(row[name] as string);
    found[k]!.push(row as unknown as CatalogueRecordEntity);
  }
  return found;
}

/** The stored records with these ids, in no particular order (without the MARCXML). */
export function findRecordsByIds(em: EntityManager, ids: readonly string[]): Promise<CatalogueRecordEntity[]> {
  return readRecords(em, 'id', ids);
}
