import { badUserInput } from '../../lib/errors';
import type { EntityManager } from '../../lib/orm';
import { normaliseIsbn } from './isbn';
import { DEFAULT_FIRST, MAX_FACET_VALUES, MAX_FIRST } from './limits';
import type { MaterialType } from './record-data';
import type { CatalogueRecordEntity } from './record.entity';
import { MAX_CLASSIFICATION_PREFIX, findRecordsByIds, normaliseClassification, runSql, schemaOf } from './storage';

/** Longest accepted query, in characters; longer ones are BAD_USER_INPUT. */
export const MAX_QUERY_LENGTH = 1000;
export { DEFAULT_FIRST, MAX_FACET_VALUES, MAX_FIRST, NETWORK_MAX_FIRST } from './limits';
/** Deepest reachable offset: deeper pages are BAD_USER_INPUT (refine the query instead). */
export const MAX_OFFSET = 10_000;
const MAX_FILTER_VALUES = 20;
/** Longest a search may run before it is cancelled and reported as too broad (a guard, far above normal times). */
export const SEARCH_TIMEOUT_MS = 5000;

/** PostgreSQL cancelled the statement (SQLSTATE 57014), here because of `statement_timeout`. */
function isQueryCanceled(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '57014' || e?.cause?.code === '57014';
}

export type CatalogueSortOrder = 'RELEVANCE' | 'YEAR_DESC' | 'YEAR_ASC' | 'TITLE';
export type FacetFieldName = 'LANGUAGE' | 'MATERIAL_TYPE' | 'DECADE' | 'BBK_CLASS' | 'LIBRARY';

export interface CatalogueFilterInput {
  /** Any of these languages (ISO 639-2/B codes). */
  languages?: string[] | null;
  /** Any of these material types. */
  materialTypes?: MaterialType[] | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  /** BBK index prefix, e.g. «63.3» matches «63.3(2Рос-4Кем)». */
  bbk?: string | null;
  /** UDC index prefix, e.g. «02» matches «02:004». */
  udc?: string | null;
  /** An ISBN in any form. */
  isbn?: string | null;
}

export interface SearchArgs {
  query: string;
  filter?: CatalogueFilterInput | null;
  first?: number | null;
  offset?: number | null;
  sort?: CatalogueSortOrder | null;
  /** Statement timeout in milliseconds (default `SEARCH_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Whether to count the matches under each facet (default true); without, `facets` lists no values. */
  facets?: boolean;
}

export interface SearchHit {
  /** Relevance in [0, 1): ts_rank_cd normalised as rank / (rank + 1); 1 for an exact ISBN match, 0 without a query. */
  score: number;
  record: CatalogueRecordEntity;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Array<{ field: FacetFieldName; values: FacetCount[] }>;
}

/** What the query asks for once cleaned: nothing, one ISBN, or words for full-text search. */
type ParsedQuery = { kind: 'none' } | { kind: 'isbn'; isbn13: string } | { kind: 'text'; text: string };

/**
 * Cleans a query: control characters (NUL included, which PostgreSQL text cannot hold) become spaces and
 * «ё» becomes «е» as in the index. An ISBN in any form becomes an exact ISBN lookup.
 */
export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw badUserInput('query', `query: must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const text = query
    .replace(/\p{Cc}/gu, ' ')
    .replace(/ё/g, 'е')
    .replace(/Ё/g, 'Е')
    .trim();
  if (!text) return { kind: 'none' };
  const isbn13 = normaliseIsbn(text);
  return isbn13 ? { kind: 'isbn', isbn13 } : { kind: 'text', text };
}

function pageArgs(first: number | null | undefined, offset: number | null | undefined) {
  const size = first ?? DEFAULT_FIRST;
  if (!Number.isInteger(size) || size < 0 || size > MAX_FIRST) {
    throw badUserInput('first', `first: must be between 0 and ${MAX_FIRST}`);
  }
  const skip = offset ?? 0;
  if (!Number.isInteger(skip) || skip < 0 || skip > MAX_OFFSET) {
    throw badUserInput('offset', `offset: must be between 0 and ${MAX_OFFSET}`);
  }
  return { size, skip };
}

function classificationPrefix(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  const prefix = normaliseClassification(value);
  if (prefix.length > MAX_CLASSIFICATION_PREFIX) {
    throw badUserInput(field, `${field}: must be at most ${MAX_CLASSIFICATION_PREFIX} characters`);
  }
  return prefix || null;
}

function list<T>(values: T[] | null | undefined, field: string): T[] {
  if (!values?.length) return [];
  if (values.length > MAX_FILTER_VALUES) {
    throw badUserInput(field, `${field}: at most ${MAX_FILTER_VALUES} values`);
  }
  return values;
}

/** A piece of SQL with its `?` parameters in text order; pieces join without losing that order. */
interface Sql {
  text: string;
  params: unknown[];
}

const isSql = (value: unknown): value is Sql =>
  typeof value === 'object' && value !== null && 'text' in value && 'params' in value;

/** Builds SQL: interpolated `Sql` pieces are inlined, any other value becomes a `?` parameter. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1]!;
  });
  return { text, params };
}

/** Trusted SQL text without parameters (identifiers, fixed clauses). */
const raw = (text: string): Sql => ({ text, params: [] });

function joinSql(pieces: Sql[], separator: string): Sql {
  return { text: pieces.map((p) => p.text).join(separator), params: pieces.flatMap((p) => p.params) };
}

// The vector's configuration: Russian stems, Latin-script words by the English stemmer, numbers as typed.
// A query of stop words or punctuation alone is empty and matches nothing.
const tsquery = (text: string) => sql`websearch_to_tsquery('russian', ${text}::text)`;

/** The conditions of a query and a filter on the record alias `r`; null when there are none. */
function conditions(parsed: ParsedQuery, filter: CatalogueFilterInput | null | undefined): Sql | null {
  const where: Sql[] = [];
  if (parsed.kind === 'isbn') where.push(sql`r.isbn13 @> array[${parsed.isbn13}::text]`);
  if (parsed.kind === 'text') where.push(sql`r.search @@ ${tsquery(parsed.text)}`);
  const f = filter ?? {};
  if (f.yearFrom != null && f.yearTo != null && f.yearFrom > f.yearTo) {
    throw badUserInput('filter.yearFrom', 'filter.yearFrom: must not be after filter.yearTo');
  }
  if (f.yearFrom != null) where.push(sql`r.year >= ${f.yearFrom}`);
  if (f.yearTo != null) where.push(sql`r.year <= ${f.yearTo}`);
  const languages = list(f.languages, 'filter.languages')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  if (languages.some((l) => l.length > 8)) {
    throw badUserInput('filter.languages', 'filter.languages: expected ISO 639-2 codes such as `rus`');
  }
  if (languages.length) where.push(sql`r.languages && ${languages}::text[]`);
  const materialTypes = list(f.materialTypes, 'filter.materialTypes');
  if (materialTypes.length) where.push(sql`r.material_type = any(${materialTypes}::text[])`);
  const bbk = classificationPrefix(f.bbk, 'filter.bbk');
  if (bbk) where.push(sql`r.bbk_prefixes @> array[${bbk}::text]`);
  const udc = classificationPrefix(f.udc, 'filter.udc');
  if (udc) where.push(sql`r.udc_prefixes @> array[${udc}::text]`);
  if (f.isbn != null && f.isbn.trim() !== '') {
    const isbn13 = normaliseIsbn(f.isbn);
    if (!isbn13) throw badUserInput('filter.isbn', 'filter.isbn: not a valid ISBN-10 or ISBN-13');
    where.push(sql`r.isbn13 @> array[${isbn13}::text]`);
  }
  return where.length ? joinSql(where, ' and ') : null;
}

// Order of the page. Ranked relevance breaks ties by record, so titles need not travel through the whole
// matching set; the other orders break them by title.
const ORDER: Record<CatalogueSortOrder | 'UNRANKED', string> = {
  RELEVANCE: 'score desc, id',
  UNRANKED: 'title_key, id',
  YEAR_DESC: 'year desc nulls last, title_key, id',
  YEAR_ASC: 'year asc nulls last, title_key, id',
  TITLE: 'title_key, id',
};

// The counts of the whole catalogue, kept by triggers (see the migration), for browsing without conditions.
const storedFacet = (table: string, field: FacetFieldName) => `(
  select coalesce(json_agg(json_build_array(value, count::int) order by count desc, value), '[]'::json)
  from (select value, count from ${table} where field = '${field}' and count > 0
    order by count desc, value limit ${MAX_FACET_VALUES}) f
)`;

// A facet left out: no values.
const NONE = `'[]'::json`;

const facet = (valueSql: string, from: string) => `(
  select coalesce(json_agg(json_build_array(v, n) order by n desc, v), '[]'::json)
  from (select ${valueSql} as v, count(*)::int as n from ${from} group by 1 order by 2 desc, 1 limit ${MAX_FACET_VALUES}) f
)`;

/**
 * Searches the catalogue in one statement: the matching set is materialised once (ids, facet columns and,
 * for relevance order, the rank), then counted, faceted and cut to the page from that one pass; the page's
 * records are loaded after (without MARCXML). The text query runs as websearch_to_tsquery('russian'),
 * so any string is a valid query. Without query and filter it browses instead.
 */
export async function searchCatalogue(em: EntityManager, args: SearchArgs): Promise<SearchResult> {
  const parsed = parseQuery(args.query);
  const { size, skip } = pageArgs(args.first, args.offset);
  const where = conditions(parsed, args.filter);
  const facets = args.facets ?? true;
  if (!where) return browse(em, args.sort ?? 'RELEVANCE', size, skip, facets);
  const sort = args.sort ?? 'RELEVANCE';
  const rankAll = parsed.kind === 'text' && sort === 'RELEVANCE';
  const order = ORDER[sort === 'RELEVANCE' && !rankAll ? 'UNRANKED' : sort];
  const table = raw(`${schemaOf(em)}.catalogue_record`);
  // ts_rank_cd with the default weights {D 0.1, C 0.2, B 0.4, A 1.0}; flag 32 maps rank r to r / (r + 1).
  const score =
    parsed.kind === 'text'
      ? sql`ts_rank_cd(r.search, ${tsquery(parsed.text)}, 32)::float8`
      : raw(parsed.kind === 'isbn' ? '1::float8' : '0::float8');
  // Every match is ranked only when relevance orders the page; otherwise only the page's rows are.
  const page = rankAll
    ? sql`select id, score from m order by ${raw(order)} limit ${size} offset ${skip}`
    : parsed.kind === 'text'
      ? sql`select q.*, ${score} as score
          from (select * from m order by ${raw(order)} limit ${size} offset ${skip}) q
          join ${table} r on r.id = q.id`
      : sql`select *, ${score} as score from m order by ${raw(order)} limit ${size} offset ${skip}`;
  const query = sql`
    with m as materialized (
      select r.id
        ${raw(facets ? ', r.year, r.material_type, r.languages, r.bbk_classes' : order.includes('year') ? ', r.year' : '')}
        ${raw(order.includes('title_key') ? ', lower(r.title) as title_key' : '')}
        ${rankAll ? sql`, ${score} as score` : raw('')}
      from ${table} r
      where ${where}
    )
    select
      (select count(*)::int from m) as total,
      (select coalesce(json_agg(json_build_array(p.id::text, p.score) order by ${raw(order)}), '[]'::json)
        from (${page}) p) as hits,
      ${raw(facets ? facet('l', 'm, unnest(m.languages) l') : NONE)} as language,
      ${raw(facets ? facet('material_type', 'm') : NONE)} as material_type,
      ${raw(facets ? facet('(year / 10 * 10)::text', 'm where year is not null') : NONE)} as decade,
      ${raw(facets ? facet('c', 'm, unnest(m.bbk_classes) c') : NONE)} as bbk_class`;
  const [row] = await em
    .transactional(async (tx) => {
      // Local to this transaction (PGlite shares one session between connections), in one round trip:
      // the time limit; no JIT (compiling a one-shot query costs more than it saves); the matching set in memory.
      await runSql(
        tx,
        `select set_config('statement_timeout', ?, true), set_config('jit', 'off', true),
        set_config('work_mem', '32MB', true)`,
        [String(Math.max(1, Math.floor(args.timeoutMs ?? SEARCH_TIMEOUT_MS)))],
      );
      return runSql<Row>(tx, query.text, query.params);
    })
    .catch((error: unknown) => {
      if (isQueryCanceled(error)) {
        throw badUserInput('query', 'The search matches too much to answer in time: add words or filters');
      }
      throw error;
    });
  return toResult(em, row);
}

type Row = {
  total: number;
  hits: Array<[string, number]>;
  language: Array<[string, number]>;
  material_type: Array<[string, number]>;
  decade: Array<[string, number]>;
  bbk_class: Array<[string, number]>;
};

/**
 * The whole catalogue, without query or filter: the page comes from an index in sort order and the total
 * and facets from the counts the triggers keep, so a million records cost no more than a hundred.
 */
async function browse(em: EntityManager, sort: CatalogueSortOrder, size: number, skip: number, facets: boolean) {
  const schema = schemaOf(em);
  const order = ORDER[sort === 'RELEVANCE' ? 'UNRANKED' : sort];
  const counts = `${schema}.catalogue_facet_count`;
  const query = sql`
    select
      (select coalesce(sum(count), 0)::int from ${raw(counts)} where field = 'MATERIAL_TYPE') as total,
      (select coalesce(json_agg(json_build_array(p.id::text, 0::float8) order by ${raw(order)}), '[]'::json)
        from (select r.id, r.year, lower(r.title) as title_key from ${raw(`${schema}.catalogue_record`)} r
          order by ${raw(order)} limit ${size} offset ${skip}) p) as hits,
      ${raw(facets ? storedFacet(counts, 'LANGUAGE') : NONE)} as language,
      ${raw(facets ? storedFacet(counts, 'MATERIAL_TYPE') : NONE)} as material_type,
      ${raw(facets ? storedFacet(counts, 'DECADE') : NONE)} as decade,
      ${raw(facets ? storedFacet(counts, 'BBK_CLASS') : NONE)} as bbk_class`;
  const [row] = await runSql<Row>(em, query.text, query.params);
  return toResult(em, row);
}

/** The result a query row describes, with the page's records loaded (without MARCXML), in page order. */
async function toResult(em: EntityManager, row: Row | undefined): Promise<SearchResult> {
  if (!row) throw new Error('search returned no row');
  const records = new Map(
    (
      await findRecordsByIds(
        em,
        row.hits.map(([id]) => id),
      )
    ).map((r) => [r.id, r]),
  );
  const values = (pairs: Array<[string, number]>) => pairs.map(([value, count]) => ({ value, count }));
  return {
    total: row.total,
    hits: row.hits.flatMap(([id, hitScore]) => {
      const record = records.get(id);
      return record ? [{ score: hitScore, record }] : [];
    }),
    facets: [
      { field: 'LANGUAGE', values: values(row.language) },
      { field: 'MATERIAL_TYPE', values: values(row.material_type) },
      { field: 'DECADE', values: values(row.decade) },
      { field: 'BBK_CLASS', values: values(row.bbk_class) },
    ],
  };
}
