import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../lib/errors';
import type { CatalogueContext } from './context';
import { CatalogueRecordEntity } from './record.entity';
import {
  CatalogueFilter,
  CatalogueRecord,
  CatalogueSearchResult,
  CatalogueSortEnum,
  MarcFlavourEnum,
  SourceEncodingEnum,
  SourceFormatEnum,
} from './record.types';
import {
  DEFAULT_FIRST,
  MAX_FIRST,
  MAX_OFFSET,
  MAX_QUERY_LENGTH,
  searchCatalogue,
  type CatalogueSortOrder,
  type SearchResult,
} from './search';
import { runSql, schemaOf } from './storage';
import { MemberRef } from './stubs';

/** Splits a public record id `<memberCode>:<controlNumber>`; null when malformed. */
export function parseRecordId(id: string): { memberCode: string; controlNumber: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return { memberCode: id.slice(0, colon), controlNumber: id.slice(colon + 1) };
}

/** The public id of a record of the request's member. */
export const recordId = (ctx: CatalogueContext, record: CatalogueRecordEntity): string =>
  `${ctx.member.code}:${record.controlNumber}`;

/** Loads a record by its public id, batched per request; null for malformed, other members' or unknown ids. */
export function loadRecord(ctx: CatalogueContext, id: string): Promise<CatalogueRecordEntity | null> {
  const parsed = parseRecordId(id);
  if (!parsed || parsed.memberCode !== ctx.member.code) return Promise.resolve(null);
  return ctx.loaders
    .custom<CatalogueRecordEntity | null>('catalogue-record#controlNumber', async (controlNumbers) => {
      const rows = await ctx.em.find(CatalogueRecordEntity, { controlNumber: { $in: [...controlNumbers] } });
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

@Resolver(() => CatalogueRecord)
export class CatalogueRecordResolver {
  // Root fields are nullable so that one unavailable node nulls only its own fields (docs/ARCHITECTURE.md).
  @Query(() => CatalogueSearchResult, {
    nullable: true,
    description:
      'Searches the member’s catalogue: full text with Russian morphology (title weighs most, then authors, subjects, the rest), or an exact ISBN lookup when the query is an ISBN; with facets over all matches.',
  })
  catalogueSearch(
    @Ctx() ctx: CatalogueContext,
    @Arg('query', {
      description: `Words as typed, web-search syntax ("phrase", or, -word); an ISBN in any form looks the ISBN up; empty lists by \`sort\`. At most ${MAX_QUERY_LENGTH} characters.`,
    })
    query: string,
    @Arg('filter', () => CatalogueFilter, { nullable: true, description: 'Conditions every hit must meet.' })
    filter?: CatalogueFilter | null,
    @Arg('first', () => Int, { nullable: true, description: `Page size, 0–${MAX_FIRST} (default ${DEFAULT_FIRST}).` })
    first?: number | null,
    @Arg('offset', () => Int, { nullable: true, description: `Hits to skip, 0–${MAX_OFFSET} (default 0).` })
    offset?: number | null,
    @Arg('sort', () => CatalogueSortEnum, { nullable: true, description: 'Order of hits (default RELEVANCE).' })
    sort?: CatalogueSortOrder | null,
  ): Promise<SearchResult> {
    return searchCatalogue(ctx.em, { query, filter, first, offset, sort });
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
    return record.holdings.reduce((sum, h) => sum + h.copies, 0);
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
