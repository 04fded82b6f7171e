import { badUserInput } from '../../lib/errors';
import type { EntityManager } from '../../lib/orm';
import { normaliseIsbn } from './isbn';
import { DEFAULT_FIRST, EXACT_UP_TO, MAX_FACET_VALUES, MAX_FIRST } from '../../lib/catalogue-protocol';
import type { MaterialType } from './record-data';
import type { CatalogueRecordEntity } from './record.entity';
import {
  MAX_CLASSIFICATION_PREFIX,
  findRecordsByIds,
  normaliseClassification,
  readRecordsIn,
  runSql,
  schemaOf,
} from './storage';

/** Longest accepted query, in characters; longer ones are BAD_USER_INPUT. */
export const MAX_QUERY_LENGTH = 1000;
export { DEFAULT_FIRST, MAX_FACET_VALUES, MAX_FIRST, NETWORK_MAX_FIRST } from '../../lib/catalogue-protocol';
/** Deepest reachable offset: deeper pages are BAD_USER_INPUT (refine the query instead). */
export const MAX_OFFSET = 10_000;
const MAX_FILTER_VALUES = 20;
/** Longest a search may run before it is cancelled and reported as too broad (a guard, far above normal times). */
export const SEARCH_TIMEOUT_MS = 5000;
/** One record in this many is in `catalogue_search_sample`, and in its `coarse` part (as the migration sets). */
export const SAMPLE_ONE_IN = 16;
export const COARSE_ONE_IN = 64;
/**
 * Matches (as the coarse sample estimates them) beyond which the coarse sample alone estimates: ≈ 600 of its
 * matches or more, a relative error of ≈ 4 %, at a quarter of the sample's work.
 */
const COARSE_LIMIT = 40_000;
/** Records whose title is exactly the query's words, ranked with the sample's matches in an estimated search. */
const TITLE_CANDIDATES = 200;

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
  /** Estimated matches above which counts are estimated (default `EXACT_UP_TO`; tests set it low). */
  exactLimit?: number;
}

export interface SearchHit {
  /**
   * Relevance in [0, 1): ts_rank_cd normalised as rank / (rank + 1), halved, plus 0.5 when the title is exactly
   * the query's words; 1 for an exact ISBN match, 0 without a query.
   */
  score: number;
  record: CatalogueRecordEntity;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  /** Whether `total` and the facet counts are estimated from the sample (a search matching very many records). */
  approximate: boolean;
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

/**
 * What a query and a filter require, apart from each other: the text condition (on the search table only),
 * the ISBN-13s a record must carry (looked up in the record table first: one or two records), and the
 * column conditions both tables can check, for any alias.
 */
interface Conditions {
  text: Sql | null;
  isbns: string[];
  columns: (alias: string) => Sql[];
}

function conditions(parsed: ParsedQuery, filter: CatalogueFilterInput | null | undefined): Conditions {
  const f = filter ?? {};
  if (f.yearFrom != null && f.yearTo != null && f.yearFrom > f.yearTo) {
    throw badUserInput('filter.yearFrom', 'filter.yearFrom: must not be after filter.yearTo');
  }
  const languages = list(f.languages, 'filter.languages')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  if (languages.some((l) => l.length > 8)) {
    throw badUserInput('filter.languages', 'filter.languages: expected ISO 639-2 codes such as `rus`');
  }
  const materialTypes = list(f.materialTypes, 'filter.materialTypes');
  const bbk = classificationPrefix(f.bbk, 'filter.bbk');
  const udc = classificationPrefix(f.udc, 'filter.udc');
  const isbns = parsed.kind === 'isbn' ? [parsed.isbn13] : [];
  if (f.isbn != null && f.isbn.trim() !== '') {
    const isbn13 = normaliseIsbn(f.isbn);
    if (!isbn13) throw badUserInput('filter.isbn', 'filter.isbn: not a valid ISBN-10 or ISBN-13');
    isbns.push(isbn13);
  }
  const columns = (a: string): Sql[] => {
    const where: Sql[] = [];
    if (f.yearFrom != null) where.push(sql`${raw(a)}.year >= ${f.yearFrom}`);
    if (f.yearTo != null) where.push(sql`${raw(a)}.year <= ${f.yearTo}`);
    if (languages.length) where.push(sql`${raw(a)}.languages && ${languages}::text[]`);
    if (materialTypes.length) where.push(sql`${raw(a)}.material_type = any(${materialTypes}::text[])`);
    if (bbk) where.push(sql`${raw(a)}.bbk_prefixes @> array[${bbk}::text]`);
    if (udc) where.push(sql`${raw(a)}.udc_prefixes @> array[${udc}::text]`);
    return where;
  };
  return { text: parsed.kind === 'text' ? sql`r.search @@ ${tsquery(parsed.text)}` : null, isbns, columns };
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
 * Searches the catalogue's narrow search table (`catalogue_search`, see the migration), in three steps:
 *
 * 1. the sample (one record in 16, a table small enough to stay in PostgreSQL's cache) is searched with the
 *    same conditions: matches, facets and, for relevance order, its best-ranked matches;
 * 2. when the sample says at most `exactLimit` records match, the whole table is searched as before: the
 *    matching set is materialised once, then counted, faceted and cut to the page, all exact;
 * 3. beyond that, total and facets are the sample's times 16 (`approximate`), and a relevance page ranks the
 *    sample's best matches together with the records whose title is exactly the query's words, so that
 *    work stays bounded however much a query matches. Other orders page through the record table's sort
 *    indexes, which the planner walks until the page is full.
 *
 * The text query runs as websearch_to_tsquery('russian'), so any string is a valid query. Without query and
 * filter it browses instead. ISBN lookups skip the sample: they match one or two records.
 */
export async function searchCatalogue(em: EntityManager, args: SearchArgs): Promise<SearchResult> {
  const parsed = parseQuery(args.query);
  const { size, skip } = pageArgs(args.first, args.offset);
  const schema = schemaOf(em);
  const records = raw(`${schema}.catalogue_record`);
  const conds = conditions(parsed, args.filter);
  const facets = args.facets ?? true;
  if (!conds.text && !conds.isbns.length && !conds.columns('r').length) {
    return browse(em, args.sort ?? 'RELEVANCE', size, skip, facets);
  }
  const exactLimit = args.exactLimit ?? EXACT_UP_TO;
  const row = await refusingTimeouts(
    em.transactional(async (tx) => {
      await searchSettings(tx, args.timeoutMs);
      // The records with the ISBNs asked for, as ids: the planner then knows it is one or two rows.
      const ids = conds.isbns.length
        ? (
            await runSql<{ id: string }>(tx, `select id::text as id from ${records.text} where isbn13 @> ?::text[]`, [
              conds.isbns,
            ])
          ).map((r) => r.id)
        : null;
      const byId = (a: string) => (ids ? [sql`${raw(a)}.id = any(${ids}::bigint[])`] : []);
      const plan: Plan = {
        parsed,
        where: joinSql([...(conds.text ? [conds.text] : []), ...byId('r'), ...conds.columns('r')], ' and '),
        recordWhere: joinSql(
          [
            ...byId('c'),
            ...conds.columns('c'),
            ...(conds.text
              ? [sql`exists (select from ${raw(`${schema}.catalogue_search`)} r where r.id = c.id and ${conds.text})`]
              : []),
          ],
          ' and ',
        ),
        sort: args.sort ?? 'RELEVANCE',
        size,
        skip,
        facets,
        table: raw(`${schema}.catalogue_search`),
        sample: raw(`${schema}.catalogue_search_sample`),
        records,
      };
      // An ISBN matches one or two records: nothing to estimate.
      const sampled = ids ? null : await sample(tx, plan, exactLimit);
      return sampled ? estimated(tx, plan, sampled.row, sampled.scale) : one<Row>(tx, matchSql(plan, 'exact'));
    }),
  );
  return toResult(em, row);
}

/**
 * A search's settings, local to its transaction (PGlite shares one session between connections), in one round
 * trip: the time limit; no JIT (compiling a one-shot query costs more than it saves); no parallel workers
 * (starting them costs more than a search's work); the matching set in memory.
 */
async function searchSettings(tx: EntityManager, timeoutMs: number | undefined): Promise<void> {
  await runSql(
    tx,
    `select set_config('statement_timeout', ?, true), set_config('jit', 'off', true),
    set_config('max_parallel_workers_per_gather', '0', true), set_config('work_mem', '32MB', true)`,
    [String(Math.max(1, Math.floor(timeoutMs ?? SEARCH_TIMEOUT_MS)))],
  );
}

/** A search cancelled by its time limit is the query's fault: BAD_USER_INPUT, not a server error. */
function refusingTimeouts<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (isQueryCanceled(error)) {
      throw badUserInput('query', 'The search matches too much to answer in time: add words or filters');
    }
    throw error;
  });
}

/**
 * The same search over several catalogues of this node at once (a hosted node's members, each in its own schema
 * of one database), as a network search asks it: `searchCatalogue`'s steps, each one statement for all the
 * catalogues that take it instead of a transaction per catalogue. Planning, round trips and per-statement work
 * were most of what a network search cost a hosted node (issue #15). Each catalogue's answer is the one
 * `searchCatalogue` gives it alone (the tests compare them). Null when they are to be searched one by one:
 * a search other than a ranked text search, or a member's tables locked (so that one member's maintenance
 * transaction holds up only that member).
 */
export async function searchCatalogues(
  ems: readonly EntityManager[],
  args: SearchArgs,
): Promise<SearchResult[] | null> {
  const parsed = parseQuery(args.query);
  const { size, skip } = pageArgs(args.first, args.offset);
  const conds = conditions(parsed, args.filter);
  if (
    ems.length < 2 ||
    parsed.kind !== 'text' ||
    !conds.text ||
    (args.sort ?? 'RELEVANCE') !== 'RELEVANCE' ||
    conds.isbns.length
  ) {
    return null;
  }
  const exactLimit = args.exactLimit ?? EXACT_UP_TO;
  const many: Many = {
    parsed,
    where: joinSql([conds.text, ...conds.columns('r')], ' and '),
    size,
    skip,
    facets: args.facets ?? true,
  };
  const schemas = ems.map(schemaOf);
  const all = schemas.map((_, k) => k);
  const together = await refusingTimeouts(
    ems[0]!.transactional(async (tx) => {
      await searchSettings(tx, args.timeoutMs);
      // A member's tables locked (a maintenance transaction, a migration) must not hold up the others: the
      // statement gives up at once and each member is searched alone.
      await runSql(tx, `select set_config('lock_timeout', ?, true)`, [String(TOGETHER_LOCK_TIMEOUT_MS)]);
      const rows = new Map<number, Row>();
      const estimates = new Map<number, { row: Row; scale: number }>();
      const coarse = await matchMany(tx, schemas, all, many, 'coarse');
      const toSample: number[] = [];
      const toCount: number[] = [];
      for (const k of all) {
        const next = afterCoarse(coarse.get(k)!, exactLimit);
        if (next === 'coarse') estimates.set(k, { row: coarse.get(k)!, scale: COARSE_ONE_IN });
        else (next === 'sample' ? toSample : toCount).push(k);
      }
      const fine = await matchMany(tx, schemas, toSample, many, 'sample');
      for (const k of toSample) {
        if (estimatesFromSample(fine.get(k)!, exactLimit))
          estimates.set(k, { row: fine.get(k)!, scale: SAMPLE_ONE_IN });
        else toCount.push(k);
      }
      for (const [k, row] of await matchMany(tx, schemas, toCount, many, 'exact')) rows.set(k, row);
      // Estimated: the sample's best matches with the exactly titled records (one statement for all); a page
      // deeper than the sample reaches ranks every match of its catalogue (slow, and rare).
      const shallow = [...estimates.keys()].filter((k) => estimates.get(k)!.row.hits.length >= skip + size);
      const titled = await titledMany(tx, schemas, shallow, many);
      for (const [k, { row, scale }] of estimates) {
        const table = raw(`${schemas[k]!}.catalogue_search`);
        const hits = shallow.includes(k)
          ? withTitled(row.hits, titled.get(k) ?? [], skip, size)
          : await rankedPage(tx, { ...many, table });
        rows.set(k, { ...scaled(row, scale), hits });
      }
      const found = await readRecordsIn(
        tx,
        all.map((k) => ({ schema: schemas[k]!, ids: rows.get(k)!.hits.map(([id]) => id) })),
      );
      return all.map((k) => resultOf(rows.get(k)!, found[k]!));
    }),
  ).catch((error: unknown) => {
    if (isLockNotAvailable(error)) return null;
    throw error;
  });
  return together;
}

/** How long a search of several catalogues waits for a lock before searching them one by one. */
const TOGETHER_LOCK_TIMEOUT_MS = 100;

/** PostgreSQL gave up waiting for a lock (SQLSTATE 55P03), here because of `lock_timeout`. */
function isLockNotAvailable(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '55P03' || e?.cause?.code === '55P03';
}

/** A search over several catalogues: its conditions (alias `r`, the same in every catalogue) and page. */
interface Many {
  parsed: ParsedQuery;
  where: Sql;
  size: number;
  skip: number;
  facets: boolean;
}

/**
 * `matchSql`'s pass for a ranked text search, over the catalogues `ks` (indexes into `schemas`) in one statement:
 * every catalogue's matches in one materialised set, counted, faceted and cut to each catalogue's page by
 * window functions; answers each catalogue's row as `matchSql` would.
 */
async function matchMany(
  em: EntityManager,
  schemas: readonly string[],
  ks: readonly number[],
  many: Many,
  over: 'exact' | 'sample' | 'coarse',
): Promise<Map<number, Row>> {
  const rows = new Map<number, Row>(
    ks.map((k) => [k, { total: 0, hits: [], language: [], material_type: [], decade: [], bbk_class: [] }]),
  );
  if (!ks.length) return rows;
  const { parsed, facets, skip, size } = many;
  const table = over === 'exact' ? 'catalogue_search' : 'catalogue_search_sample';
  const branches = ks.map(
    (k) => sql`select ${raw(String(k))} as k, r.id, r.year
      ${raw(facets ? ', r.material_type, r.languages, r.bbk_classes' : '')}, ${rank(parsed)} as score
      from ${raw(`${schemas[k]!}.${table}`)} r
      where ${many.where}${raw(over === 'coarse' ? ' and r.coarse' : '')}`,
  );
  // Each facet's values by count, then value, as `facet` orders them; `rn` orders every list.
  const counted = (field: string, value: string, from: string) => `
    union all select k, '${field}', v, n, rn from (
      select k, ${value} as v, count(*)::float8 as n, row_number() over (partition by k order by count(*) desc, ${value}) as rn
      from ${from} group by k, ${value}) x
    where rn <= ${MAX_FACET_VALUES}`;
  // The sample's page is its best-ranked `skip + size` matches, for the estimate to merge.
  const from = over === 'exact' ? skip : 0;
  const query = sql`
    with m as materialized (${joinSql(branches, ' union all ')})
    select k, 'total' as f, null::text as v, count(*)::float8 as n, 0::bigint as rn from m group by k
    union all select k, 'hits', id::text, score, rn from (
      select k, id, score, row_number() over (partition by k order by ${raw(ORDER.RELEVANCE)}) as rn from m) h
    where rn > ${from} and rn <= ${skip + size}
    ${raw(
      facets
        ? counted('language', 'l', 'm, unnest(m.languages) l') +
            counted('material_type', 'material_type', 'm') +
            counted('decade', '(year / 10 * 10)::text', 'm where year is not null') +
            counted('bbk_class', 'c', 'm, unnest(m.bbk_classes) c')
        : '',
    )}`;
  const found = await runSql<{ k: number; f: keyof Row; v: string | null; n: number; rn: string | number }>(
    em,
    ...spread(query),
  );
  found.sort((a, b) => Number(a.rn) - Number(b.rn));
  for (const { k, f, v, n } of found) {
    const row = rows.get(k)!;
    if (f === 'total') row.total = n;
    else (row[f] as Array<[string, number]>).push([v!, n]);
  }
  return rows;
}

/** `titledSql` over the catalogues `ks` in one statement. */
async function titledMany(
  em: EntityManager,
  schemas: readonly string[],
  ks: readonly number[],
  many: Many,
): Promise<Map<number, Array<{ id: string; score: number }>>> {
  const titled = new Map<number, Array<{ id: string; score: number }>>();
  if (!ks.length) return titled;
  const query = joinSql(
    ks.map(
      (k) =>
        sql`(select ${raw(String(k))} as k, t.* from (${titledSql(raw(`${schemas[k]!}.catalogue_search`), many)}) t)`,
    ),
    ' union all ',
  );
  for (const { k, id, score } of await runSql<{ k: number; id: string; score: number }>(em, ...spread(query))) {
    titled.set(k, [...(titled.get(k) ?? []), { id, score }]);
  }
  return titled;
}

/** What one search asks, with the tables it reads. */
interface Plan {
  parsed: ParsedQuery;
  /** The conditions on the search table (alias `r`). */
  where: Sql;
  /** The same on the record table (alias `c`), the text condition as a lookup of the search row. */
  recordWhere: Sql;
  sort: CatalogueSortOrder;
  size: number;
  skip: number;
  facets: boolean;
  table: Sql;
  sample: Sql;
  records: Sql;
}

/**
 * The sample's answer when the search matches too much to count exactly, with the factor its counts are
 * scaled by; null when the whole table is to be searched. The coarse sample (one record in 64) answers
 * first; the sample (one in 16) when the coarse one finds too few matches to estimate well.
 */
async function sample(em: EntityManager, plan: Plan, exactLimit: number): Promise<{ row: Row; scale: number } | null> {
  const coarse = await one<Row>(em, matchSql(plan, 'coarse'));
  const next = afterCoarse(coarse, exactLimit);
  if (next !== 'sample') return next === 'coarse' ? { row: coarse, scale: COARSE_ONE_IN } : null;
  const fine = await one<Row>(em, matchSql(plan, 'sample'));
  return estimatesFromSample(fine, exactLimit) ? { row: fine, scale: SAMPLE_ONE_IN } : null;
}

/** After the coarse pass: estimate from it, count exactly, or ask the sample (one record in 16) first. */
function afterCoarse(coarse: Row, exactLimit: number): 'coarse' | 'exact' | 'sample' {
  const estimate = coarse.total * COARSE_ONE_IN;
  if (estimate > Math.max(COARSE_LIMIT, exactLimit)) return 'coarse';
  // Counted exactly at once only when even one more coarse match would stay within the limit: a coarse
  // sample that found nothing says little about a small limit (a network's share of it, a test's).
  return estimate + COARSE_ONE_IN <= exactLimit ? 'exact' : 'sample';
}

const estimatesFromSample = (fine: Row, exactLimit: number) => fine.total * SAMPLE_ONE_IN > exactLimit;

/** The single row a statement returns. */
async function one<T>(em: EntityManager, query: Sql): Promise<T> {
  const [row] = await runSql<T>(em, query.text, query.params);
  if (!row) throw new Error('search returned no row');
  return row;
}

/** The query's words as a title key (sorted lexemes, as the migration keys titles); immutable, so planned once. */
const titleKey = (text: string) =>
  sql`left(array_to_string(tsvector_to_array(to_tsvector('russian', ${text}::text)), ' '), 200)`;

// ts_rank_cd with the default weights {D 0.1, C 0.2, B 0.4, A 1.0}; flag 32 maps rank r to r / (r + 1). A record
// titled exactly by the query's words scores in [0.5, 1), above every other, in [0, 0.5): more covers in
// subjects and notes must not lift a longer title over the exact one.
const rank = (parsed: ParsedQuery) =>
  parsed.kind === 'text'
    ? sql`((case when r.title_key = ${titleKey(parsed.text)} then 0.5 else 0 end)
        + 0.5 * ts_rank_cd(r.search, ${tsquery(parsed.text)}, 32))::float8`
    : raw(parsed.kind === 'isbn' ? '1::float8' : '0::float8');

/**
 * One pass over the matches of the whole table (`exact`) or of the sample: the matching set is materialised
 * once (ids, facet columns and, for relevance order, the rank), then counted, faceted and cut to the page.
 * The sample's page is its best-ranked `skip + size` matches, for an estimated search to merge.
 */
function matchSql(plan: Plan, over: 'exact' | 'sample' | 'coarse'): Sql {
  const { parsed, sort, size, skip, facets } = plan;
  const rankAll = parsed.kind === 'text' && sort === 'RELEVANCE';
  const order = ORDER[sort === 'RELEVANCE' && !rankAll ? 'UNRANKED' : sort];
  const byTitle = order.includes('title_key');
  const score = rank(parsed);
  // The page: every match ranked when relevance orders it, otherwise only the page's rows; titles to sort by
  // come from the record table.
  const sampled = over !== 'exact';
  const page = sampled
    ? sql`select id, score from m order by ${raw(order)} limit ${skip + size}`
    : rankAll
      ? sql`select id, score from m order by ${raw(order)} limit ${size} offset ${skip}`
      : sql`select q.*, ${score} as score
          from (select m.id${raw(byTitle ? ', m.year, lower(c.title) as title_key' : ', m.year')}
            from m${raw(byTitle ? ` join ${plan.records.text} c on c.id = m.id` : '')}
            order by ${raw(order)} limit ${size} offset ${skip}) q
          join ${plan.table} r on r.id = q.id`;
  return sql`
    with m as materialized (
      select r.id, r.year
        ${raw(facets ? ', r.material_type, r.languages, r.bbk_classes' : '')}
        ${rankAll ? sql`, ${score} as score` : raw('')}
      from ${sampled ? plan.sample : plan.table} r
      where ${plan.where}${raw(over === 'coarse' ? ' and r.coarse' : '')}
    )
    select
      (select count(*)::int from m) as total,
      ${
        sampled && !rankAll
          ? raw(NONE)
          : sql`(select coalesce(json_agg(json_build_array(p.id::text, p.score) order by ${raw(order)}), '[]'::json)
        from (${page}) p)`
      } as hits,
      ${raw(facets ? facet('l', 'm, unnest(m.languages) l') : NONE)} as language,
      ${raw(facets ? facet('material_type', 'm') : NONE)} as material_type,
      ${raw(facets ? facet('(year / 10 * 10)::text', 'm where year is not null') : NONE)} as decade,
      ${raw(facets ? facet('c', 'm, unnest(m.bbk_classes) c') : NONE)} as bbk_class`;
}

/** A search the sample says is too broad to count: its counts scaled from the sample, its page bounded. */
async function estimated(em: EntityManager, plan: Plan, sampled: Row, factor: number): Promise<Row> {
  const { parsed, sort, size, skip } = plan;
  const counts = scaled(sampled, factor);
  if (parsed.kind === 'text' && sort === 'RELEVANCE') {
    // Deeper than the sample reaches: rank every match for this page (slow, and rare).
    if (sampled.hits.length < skip + size) return { ...counts, hits: await rankedPage(em, plan) };
    const titled = await runSql<{ id: string; score: number }>(em, ...spread(titledSql(plan.table, plan)));
    return { ...counts, hits: withTitled(sampled.hits, titled, skip, size) };
  }
  // Sorted by year or title (or unranked): the record table's sort index, walked by the planner.
  const order = ORDER[sort === 'RELEVANCE' ? 'UNRANKED' : sort];
  const [row] = await runSql<{ hits: Array<[string, number]> }>(
    em,
    ...spread(sql`
      select coalesce(json_agg(json_build_array(p.id::text, p.score) order by ${raw(order)}), '[]'::json) as hits
      from (select q.*, ${rank(parsed)} as score
        from (select c.id, c.year, lower(c.title) as title_key from ${plan.records} c
          where ${plan.recordWhere}
          order by ${raw(order.replace(/\b(year|id)\b/g, 'c.$1').replace('title_key', 'lower(c.title)'))}
          limit ${size} offset ${skip}) q
        join ${plan.table} r on r.id = q.id) p`),
  );
  return { ...counts, hits: row?.hits ?? [] };
}

/** An estimate's counts: the sample's, scaled. */
function scaled(sampled: Row, factor: number): Omit<Row, 'hits'> {
  const scale = (pairs: Array<[string, number]>) => pairs.map(([v, n]): [string, number] => [v, n * factor]);
  return {
    total: sampled.total * factor,
    approximate: true,
    language: scale(sampled.language),
    material_type: scale(sampled.material_type),
    decade: scale(sampled.decade),
    bbk_class: scale(sampled.bbk_class),
  };
}

/** The records of a table titled exactly by the query's words that match it, with their scores (at most 200). */
function titledSql(table: Sql, plan: Pick<Plan, 'parsed' | 'where'>): Sql {
  const { parsed } = plan;
  if (parsed.kind !== 'text') throw new Error('titled records need a text query');
  return sql`
    select r.id::text as id, ${rank(parsed)} as score
    -- OFFSET 0 keeps the planner from intersecting the title's btree group with the whole text index
    -- (a full scan of a broad query's posting lists): the group is read, then filtered.
    from (select * from ${table}
      where title_key = ${titleKey(parsed.text)}
      offset 0) r
    where ${plan.where}
    limit ${TITLE_CANDIDATES}`;
}

/** An estimated relevance page: the sample's best matches and the exactly titled records, ranked together. */
function withTitled(
  sampled: Array<[string, number]>,
  titled: ReadonlyArray<{ id: string; score: number }>,
  skip: number,
  size: number,
): Array<[string, number]> {
  const candidates = new Map<string, number>(sampled);
  for (const t of titled) candidates.set(t.id, t.score);
  return [...candidates].sort(([a, x], [b, y]) => y - x || compareIds(a, b)).slice(skip, skip + size);
}

/** One page of the whole match set by rank. */
async function rankedPage(
  em: EntityManager,
  plan: Pick<Plan, 'parsed' | 'where' | 'table' | 'size' | 'skip'>,
): Promise<Array<[string, number]>> {
  const rows = await runSql<{ id: string; score: number }>(
    em,
    ...spread(sql`
      select id::text as id, score from (select r.id, ${rank(plan.parsed)} as score from ${plan.table} r where ${plan.where}) m
      order by ${raw(ORDER.RELEVANCE)} limit ${plan.size} offset ${plan.skip}`),
  );
  return rows.map((r) => [r.id, r.score]);
}

const spread = (query: Sql): [string, unknown[]] => [query.text, query.params];

/** Internal ids (bigint as text) in numeric order. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

type Row = {
  total: number;
  approximate?: boolean;
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
  return toResult(em, await one<Row>(em, query));
}

/** The result a query row describes, with the page's records loaded (without MARCXML), in page order. */
async function toResult(em: EntityManager, row: Row): Promise<SearchResult> {
  return resultOf(
    row,
    await findRecordsByIds(
      em,
      row.hits.map(([id]) => id),
    ),
  );
}

/** The result a query row describes, with its hits' records (in any order). */
function resultOf(row: Row, found: readonly CatalogueRecordEntity[]): SearchResult {
  const records = new Map(found.map((r) => [r.id, r]));
  const values = (pairs: Array<[string, number]>) => pairs.map(([value, count]) => ({ value, count }));
  return {
    total: row.total,
    approximate: row.approximate ?? false,
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
