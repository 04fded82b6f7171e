import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { selects } from '../../lib/selections';
import { badUserInput, notFound } from '../../lib/errors';
import type { CatalogueContext } from './context';
import { CatalogueRecordEntity } from './record.entity';
import {
  CatalogueFilter,
  CatalogueHit,
  CatalogueHolder,
  CatalogueHolding,
  CatalogueRecord,
  CatalogueSearchResult,
  CatalogueSortEnum,
  SearchGroupingEnum,
  type SearchGrouping,
  MarcFlavourEnum,
  SourceEncodingEnum,
  SourceFormatEnum,
} from './record.types';
import { EXACT_UP_TO, parseRecordId, recordIdOf } from '../../lib/catalogue-protocol';
import {
  DEFAULT_FIRST,
  MAX_FIRST,
  MAX_OFFSET,
  NETWORK_MAX_FIRST,
  MAX_QUERY_LENGTH,
  parseQuery,
  searchCatalogue,
  type CatalogueSortOrder,
  type SearchResult,
} from './search';
import { readRecords, runSql, schemaOf } from './storage';
import { MemberRef } from './stubs';

/** The public id of a record of the request's member. */
export const recordId = (ctx: CatalogueContext, record: CatalogueRecordEntity): string =>
  recordIdOf(ctx.member.code, record.controlNumber);

/** Loads a record by its public id, batched per request; null for malformed, other members' or unknown ids. */
export function loadRecord(ctx: CatalogueContext, id: string): Promise<CatalogueRecordEntity | null> {
  const parsed = parseRecordId(id);
  if (!parsed || parsed.memberCode !== ctx.member.code) return Promise.resolve(null);
  return ctx.loaders
    .custom<CatalogueRecordEntity | null>('catalogue-record#controlNumber', async (controlNumbers) => {
      const rows = await readRecords(ctx.em, 'controlNumber', controlNumbers);
      const byNumber = new Map(rows.map((row) => [row.controlNumber, row]));
      return controlNumbers.map((n) => byNumber.get(n) ?? null);
    })
    .load(parsed.controlNumber);
}

/** The MARCXML of records by internal id, batched per request (the column is left out of every other read). */
function loadMarcXml(ctx: CatalogueContext, id: string): Promise<string> {
  return ctx.loaders
    .custom<string | null>('catalogue-record#marcXml', async (ids) => {
      const rows = await runSql<{ id: string; marc_xml: string }>(
        ctx.em,
        `select id::text as id, marc_xml from ${schemaOf(ctx.em)}.catalogue_record where id = any(?::bigint[])`,
        [[...ids]],
      );
      const byId = new Map(rows.map((row) => [row.id, row.marc_xml]));
      return ids.map((i) => byId.get(i) ?? null);
    })
    .load(id)
    .then((xml) => {
      // Only when an import deleted the record between the two reads of this request.
      if (xml === null) throw notFound('CatalogueRecord', id);
      return xml;
    });
}

/** Most member codes `filter.libraries` may list. */
const MAX_LIBRARIES = 100;

/** The result of a search this catalogue is not asked for (`filter.libraries` leaves it out). */
function emptyResult(query: string): SearchResult {
  parseQuery(query); // the same errors as a search would give
  return {
    total: 0,
    approximate: false,
    hits: [],
    facets: (['LANGUAGE', 'MATERIAL_TYPE', 'DECADE', 'BBK_CLASS'] as const).map((field) => ({ field, values: [] })),
  };
}

/** Copies of a record at all its locations. */
const copiesOf = (record: CatalogueRecordEntity) => record.holdings.reduce((sum, h) => sum + h.copies, 0);

/**
 * This catalogue's records under one key (an edition key, or `record:<record id>`) with their copies,
 * batched per request; null when it holds none.
 */
function loadHolding(ctx: CatalogueContext, key: string): Promise<CatalogueHolding | null> {
  return ctx.loaders
    .custom<CatalogueHolding | null>('catalogue-holding#key', async (keys) => {
      const editionKeys = keys.filter((k) => !k.startsWith('record:'));
      const recordIds = keys.flatMap((k) => (k.startsWith('record:') ? [k.slice('record:'.length)] : []));
      const byEdition = await readRecords(ctx.em, 'editionKey', editionKeys);
      const byRecord = await Promise.all(recordIds.map((id) => loadRecord(ctx, id)));
      return keys.map((k) => {
        const records = k.startsWith('record:')
          ? [byRecord[recordIds.indexOf(k.slice('record:'.length))]].filter((r): r is CatalogueRecordEntity => !!r)
          : byEdition.filter((r) => r.editionKey === k).sort((a, b) => a.controlNumber.localeCompare(b.controlNumber));
        if (!records.length) return null;
        return Object.assign(new CatalogueHolding(), {
          key: k,
          holdingsCount: records.reduce((sum, r) => sum + copiesOf(r), 0),
          records: records,
        });
      });
    })
    .load(key);
}

@Resolver(() => CatalogueHit)
export class CatalogueHitResolver {
  @FieldResolver(() => [CatalogueHolder], {
    description:
      'Every library that holds the hit’s edition (same edition key), with its records and copies — through the gateway, across the whole network (asked for the page’s editions only); the owner of `record` comes first.',
  })
  async heldBy(
    @Ctx() ctx: CatalogueContext,
    @Root() hit: { record: CatalogueRecordEntity },
  ): Promise<CatalogueHolder[]> {
    const record = hit.record;
    const holding = await loadHolding(ctx, record.editionKey ?? `record:${recordId(ctx, record)}`);
    if (!holding) return [];
    return [
      Object.assign(new CatalogueHolder(), {
        member: MemberRef.of(ctx.member.code),
        records: holding.records,
        holdingsCount: holding.holdingsCount,
      }),
    ];
  }
}

@Resolver(() => CatalogueRecord)
export class CatalogueRecordResolver {
  // Root fields are nullable so that one unavailable node nulls only its own fields (docs/ARCHITECTURE.md).
  @Query(() => CatalogueSearchResult, {
    nullable: true,
    description:
      'Searches the member’s catalogue: full text with Russian morphology (title weighs most, then authors, subjects, the rest), or an exact ISBN lookup when the query is an ISBN; with facets over all matches.',
  })
  async catalogueSearch(
    @Ctx() ctx: CatalogueContext,
    @Arg('query', {
      description: `Words as typed, web-search syntax ("phrase", or, -word); an ISBN in any form looks the ISBN up; empty lists by \`sort\`. At most ${MAX_QUERY_LENGTH} characters.`,
    })
    query: string,
    @Arg('filter', () => CatalogueFilter, { nullable: true, description: 'Conditions every hit must meet.' })
    filter?: CatalogueFilter | null,
    @Arg('first', () => Int, {
      nullable: true,
      description: `Page size (default ${DEFAULT_FIRST}): 0–${NETWORK_MAX_FIRST} through the gateway, which merges pages across libraries from up to ${MAX_FIRST} hits of each node; a node alone answers 0–${MAX_FIRST}.`,
    })
    first?: number | null,
    @Arg('offset', () => Int, {
      nullable: true,
      description: `Hits to skip (default 0): through the gateway \`offset + first\` is at most ${MAX_FIRST}; a node alone allows offsets up to ${MAX_OFFSET}.`,
    })
    offset?: number | null,
    @Arg('sort', () => CatalogueSortEnum, { nullable: true, description: 'Order of hits (default RELEVANCE).' })
    sort?: CatalogueSortOrder | null,
    @Arg('groupBy', () => SearchGroupingEnum, {
      nullable: true,
      description:
        'What a hit stands for (default RECORD). Grouping happens across libraries, in the gateway: a node alone returns its records one by one.',
    })
    _groupBy?: SearchGrouping | null,
    @Arg('exactUpTo', () => Int, {
      nullable: true,
      description: `Count \`total\` and the facets exactly while the matches are at most about this many (1–${EXACT_UP_TO}, default ${EXACT_UP_TO}; like Elasticsearch’s \`track_total_hits\`); beyond, they are estimated from a sample and \`approximate\` is true. A network search shares it among the catalogues it asks; lower it for faster broad searches.`,
    })
    exactUpTo?: number | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CatalogueSearchResult> {
    if (exactUpTo != null && (!Number.isInteger(exactUpTo) || exactUpTo < 1 || exactUpTo > EXACT_UP_TO)) {
      throw badUserInput('exactUpTo', `exactUpTo: must be between 1 and ${EXACT_UP_TO}`);
    }
    const started = performance.now();
    const code = ctx.member.code;
    const libraries = filter?.libraries ?? [];
    if (libraries.length > MAX_LIBRARIES) {
      throw badUserInput('filter.libraries', `filter.libraries: at most ${MAX_LIBRARIES} member codes`);
    }
    const result: SearchResult =
      libraries.length && !libraries.some((l) => l.trim().toLowerCase() === code)
        ? emptyResult(query)
        : await (ctx.search ?? searchCatalogue)(ctx.em, {
            query,
            filter,
            first,
            offset,
            sort,
            // Counting every match under four facets is half a search's work: only when they are asked for.
            facets: !info || selects(info, ['facets']),
            exactLimit: exactUpTo ?? EXACT_UP_TO,
          });
    return {
      ...result,
      facets: [
        ...result.facets,
        { field: 'LIBRARY', values: result.total ? [{ value: code, count: result.total }] : [] },
      ],
      nodes: [
        {
          member: MemberRef.of(code),
          status: 'OK',
          tookMs: Math.round(performance.now() - started),
          total: result.total,
          error: null,
        },
      ],
    } as unknown as CatalogueSearchResult;
  }

  @Query(() => [CatalogueHolding], {
    description:
      'Internal, for the gateway’s `heldBy`: this catalogue’s records under each key (edition keys, or `record:<record id>` for one record), with their copies.',
  })
  @Directive('@inaccessible')
  async catalogueHoldings(
    @Ctx() ctx: CatalogueContext,
    @Arg('keys', () => [String], { description: 'Edition keys or `record:<record id>`, at most 1000.' }) keys: string[],
  ): Promise<CatalogueHolding[]> {
    if (keys.length > 1000) throw badUserInput('keys', 'keys: at most 1000');
    const holdings = await Promise.all(keys.map((key) => loadHolding(ctx, key)));
    return holdings.filter((h): h is CatalogueHolding => h !== null);
  }

  @Query(() => CatalogueRecord, {
    nullable: true,
    description: 'One record by id; null when there is none (or the id belongs to another member’s catalogue).',
  })
  catalogueRecord(
    @Ctx() ctx: CatalogueContext,
    @Arg('id', () => ID, { description: 'Record id, `<memberCode>:<controlNumber>`.' }) id: string,
  ): Promise<CatalogueRecordEntity | null> {
    return loadRecord(ctx, id);
  }

  @FieldResolver(() => ID, { description: 'Network-wide id: `<memberCode>:<controlNumber>`, e.g. `kemrsl:000123`.' })
  id(@Ctx() ctx: CatalogueContext, @Root() record: CatalogueRecordEntity): string {
    return recordId(ctx, record);
  }

  @FieldResolver(() => Int, { description: 'Copies held at all locations.' })
  holdingsCount(@Root() record: CatalogueRecordEntity): number {
    return copiesOf(record);
  }

  @FieldResolver(() => MarcFlavourEnum, { description: 'MARC flavour the record came in.' })
  sourceFlavour(@Root() record: CatalogueRecordEntity): string {
    return record.flavour;
  }

  @FieldResolver(() => SourceEncodingEnum, { description: 'Character encoding the record came in.' })
  sourceEncoding(@Root() record: CatalogueRecordEntity): string {
    return record.encoding;
  }

  @FieldResolver(() => SourceFormatEnum, { description: 'File format the record came in.' })
  sourceFormat(@Root() record: CatalogueRecordEntity): string {
    return record.format;
  }

  @FieldResolver(() => String, { description: 'The original record as MARCXML (UTF-8); read only when asked for.' })
  marcXml(@Ctx() ctx: CatalogueContext, @Root() record: CatalogueRecordEntity): Promise<string> {
    return loadMarcXml(ctx, record.id);
  }

  @FieldResolver(() => MemberRef, { description: 'The member library whose catalogue holds the record.' })
  owner(@Ctx() ctx: CatalogueContext): MemberRef {
    return MemberRef.of(ctx.member.code);
  }
}
