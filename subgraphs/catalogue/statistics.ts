import { Arg, Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '../../lib/orm';
import { runSql, schemaOf } from '../../lib/sql';
import {
  NETWORK_STATISTICS_DESCRIPTION,
  NETWORK_TIME_ZONE,
  StatisticsCount,
  StatisticsEntity,
  type StatisticsScope,
  scopeCovers,
  statisticsEntity,
} from '../../lib/statistics';
import type { CatalogueContext } from './context';
import { ImportStatusEnum, type NodeSearchStatus, NodeSearchStatusEnum } from './record.types';
import {
  type EditionTitle,
  MOST_WIDELY_HELD,
  type NodeAnswer,
  type NodeFigures,
  catalogueStatistics,
  decodeDigest,
  mergeCatalogues,
} from '../../lib/catalogue-protocol';
import { MemberRef } from './stubs';

/** Most edition hashes one `_catalogueEditions` call looks up. */
const MAX_EDITION_LOOKUP = 100;

/** The 52-bit edition hash (the expression of the index in Migration20261205000000_edition_hash). */
const EDITION_HASH = `('x' || left(md5(edition_key), 13))::bit(52)::bigint`;

@ObjectType('NetworkStatistics', { description: NETWORK_STATISTICS_DESCRIPTION })
@Directive('@key(fields: "scope")')
export class CatalogueStatisticsPart extends StatisticsEntity {
  static of(scope: StatisticsScope | string): CatalogueStatisticsPart {
    return statisticsEntity(CatalogueStatisticsPart, scope);
  }
}

@ObjectType({ description: 'Titles held by exactly this many of the covered libraries.' })
export class HolderCount {
  @Field(() => Int, { description: 'Libraries holding each of these titles.' })
  libraries!: number;

  @Field(() => Int, { description: 'Titles.' })
  titles!: number;
}

@ObjectType({ description: 'Records added to the covered catalogues in one month.' })
export class MonthCount {
  @Field({ description: 'The month, `YYYY-MM` (in the network’s time zone).' })
  month!: string;

  @Field(() => Int, { description: 'Records first imported that month.' })
  count!: number;
}

@ObjectType({ description: 'One covered library’s catalogue in the statistics, and how its node answered.' })
export class LibraryCatalogueFigures {
  @Field(() => MemberRef, { description: 'The member library.' })
  member!: MemberRef;

  @Field(() => NodeSearchStatusEnum, { description: 'Whether its node answered (its figures are missing unless OK).' })
  status!: NodeSearchStatus;

  @Field(() => Int, { nullable: true, description: 'Milliseconds its node took; null when it was not asked.' })
  tookMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'Records in its catalogue.' })
  records!: number | null;

  @Field(() => Int, { nullable: true, description: 'Records it added in the period.' })
  addedInPeriod!: number | null;

  @Field(() => Int, { nullable: true, description: 'Titles after de-duplication.' })
  titles!: number | null;

  @Field(() => Int, { nullable: true, description: 'Titles no other covered library holds.' })
  uniqueTitles!: number | null;

  @Field(() => Date, { nullable: true, description: 'When its last import finished (freshness).' })
  lastImportAt!: Date | null;

  @Field(() => ImportStatusEnum, { nullable: true, description: 'How its last import ended.' })
  lastImportStatus!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When its node computed its figures (nodes keep them until the catalogue changes).',
  })
  computedAt!: Date | null;
}

@ObjectType({ description: 'A title several covered libraries hold.' })
export class WidelyHeldTitle {
  @Field(() => String, { nullable: true, description: 'Title of the edition (from one holder’s record).' })
  title!: string | null;

  @Field(() => [String], { description: 'Authors as catalogued.' })
  authors!: string[];

  @Field(() => Int, { nullable: true, description: 'Year of publication.' })
  year!: number | null;

  @Field(() => String, { nullable: true, description: 'ISBN-13, when the edition has one.' })
  isbn!: string | null;

  @Field(() => Int, { description: 'How many covered libraries hold it.' })
  libraries!: number;

  @Field(() => [MemberRef], { description: 'The libraries holding it.' })
  heldBy!: MemberRef[];
}

@ObjectType({
  description:
    'The covered libraries’ catalogues, counted across the network. Totals and breakdowns describe the catalogues as they are now; `addedInPeriod` and `additionsPerMonth` count records first imported in the period.',
})
export class CatalogueStatistics {
  @Field(() => Date, {
    description: 'When these figures were put together (they may be served from a cache for a short while).',
  })
  computedAt!: Date;

  @Field({ description: 'Whether every covered library’s node answered; see `byLibrary` for those missing.' })
  complete!: boolean;

  @Field(() => Int, { description: 'Records in the covered catalogues.' })
  records!: number;

  @Field(() => Int, { description: 'Records first imported in the period.' })
  addedInPeriod!: number;

  @Field(() => Int, {
    description: 'Titles across the covered catalogues, each counted once however many libraries hold it.',
  })
  uniqueTitles!: number;

  @Field(() => Int, { description: 'Titles only one covered library holds.' })
  heldByOneLibrary!: number;

  @Field(() => Int, { description: 'Titles two or more covered libraries hold.' })
  heldBySeveralLibraries!: number;

  @Field(() => [HolderCount], { description: 'Titles by how many libraries hold them.' })
  titlesByHolders!: HolderCount[];

  @Field({ description: 'How titles are counted across libraries, and the error.' })
  method!: string;

  @Field(() => [StatisticsCount], { description: 'Records by material type (MaterialType values), most first.' })
  byMaterialType!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description: 'Records by language (ISO 639-2/B); a record in two languages counts in both.',
  })
  byLanguage!: StatisticsCount[];

  @Field(() => [StatisticsCount], {
    description: 'Records by decade of publication (`1990` for 1990–1999), oldest first.',
  })
  byDecade!: StatisticsCount[];

  @Field(() => [StatisticsCount], { description: 'Records by top-level BBK class, most first.' })
  byBbkClass!: StatisticsCount[];

  @Field(() => [MonthCount], { description: 'Records first imported per month in the period, oldest first.' })
  additionsPerMonth!: MonthCount[];

  @Field(() => [LibraryCatalogueFigures], {
    description: 'Each covered library with a catalogue node: its figures and freshness.',
  })
  byLibrary!: LibraryCatalogueFigures[];

  @Field(() => [WidelyHeldTitle], {
    description: `The titles most covered libraries hold (held by two or more; at most ${MOST_WIDELY_HELD}).`,
  })
  mostWidelyHeld!: WidelyHeldTitle[];
}

interface CachedFigures {
  version: string;
  digest: string;
  editions: number;
  unkeyed: number;
  byPeriod: Map<string, Omit<NodeFigures, 'digest' | 'version' | 'editions' | 'unkeyed'>>;
}

/** Per member schema: the figures computed for its current catalogue version (periods and digest). */
const cache = new Map<string, CachedFigures>();

/** Changes whenever the catalogue may have changed; a running import is never cached. */
async function catalogueVersion(em: EntityManager): Promise<string> {
  const s = schemaOf(em);
  const [row] = await runSql<{ run: string | null; status: string | null; finished: string | null; records: number }>(
    em,
    `select r.id::text as run, r.status, r.finished_at::text as finished,
       (select coalesce(sum(count), 0)::int from ${s}.catalogue_facet_count where field = 'MATERIAL_TYPE') as records
     from (select 1) one left join lateral (select id, status, finished_at from ${s}.catalogue_import
       order by started_at desc, id desc limit 1) r on true`,
  );
  const version = `${row?.run ?? '-'}:${row?.status ?? '-'}:${row?.finished ?? '-'}:${row?.records ?? 0}`;
  return row?.status === 'RUNNING' ? `${version}:${Date.now()}` : version;
}

/**
 * This node's figures for a member and period, from the cache while the catalogue is unchanged. The
 * queries run one after another on one connection: a hosted node answers for dozens of members at once.
 */
export async function nodeFigures(
  em: EntityManager,
  member: string,
  scope: Pick<StatisticsScope, 'from' | 'to'>,
  knownVersion: string | null,
): Promise<NodeFigures> {
  const s = schemaOf(em);
  const version = await catalogueVersion(em);
  let cached = cache.get(s);
  if (!cached || cached.version !== version) {
    // One pass: the distinct edition hashes, sorted and packed, and the records without a key.
    const [digest] = await runSql<{ digest: string; editions: number; unkeyed: number }>(
      em,
      `select coalesce(encode(string_agg(int8send(h), ''::bytea order by h), 'base64'), '') as digest,
         count(h)::int as editions,
         (select count(*)::int from ${s}.catalogue_record where edition_key is null) as unkeyed
       from (select distinct ${EDITION_HASH} as h from ${s}.catalogue_record where edition_key is not null) d`,
    );
    cached = {
      version,
      digest: digest?.digest ?? '',
      editions: digest?.editions ?? 0,
      unkeyed: digest?.unkeyed ?? 0,
      byPeriod: new Map(),
    };
    cache.set(s, cached);
  }
  const period = `${scope.from ?? ''}/${scope.to ?? ''}`;
  let figures = cached.byPeriod.get(period);
  if (!figures) {
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (scope.from) {
      conditions.push(`created_at >= (?::date)::timestamp at time zone ?`);
      params.push(scope.from, NETWORK_TIME_ZONE);
    }
    if (scope.to) {
      conditions.push(`created_at < (?::date + 1)::timestamp at time zone ?`);
      params.push(scope.to, NETWORK_TIME_ZONE);
    }
    const facets = await runSql<{ field: string; value: string; count: number }>(
      em,
      `select field, value, count::int as count from ${s}.catalogue_facet_count where count > 0`,
    );
    const months = await runSql<{ month: string; count: number }>(
      em,
      `select to_char(created_at at time zone '${NETWORK_TIME_ZONE}', 'YYYY-MM') as month, count(*)::int as count
       from ${s}.catalogue_record ${conditions.length ? `where ${conditions.join(' and ')}` : ''} group by 1 order by 1`,
      params,
    );
    const [lastRun] = await runSql<{ finished: Date | string | null; status: string }>(
      em,
      `select finished_at as finished, status from ${s}.catalogue_import order by started_at desc, id desc limit 1`,
    );
    const of = (field: string) =>
      facets.filter((f) => f.field === field).map((f): [string, number] => [f.value, f.count]);
    figures = {
      member,
      computedAt: new Date().toISOString(),
      records: of('MATERIAL_TYPE').reduce((sum, [, n]) => sum + n, 0),
      addedInPeriod: months.reduce((sum, m) => sum + m.count, 0),
      byMaterialType: of('MATERIAL_TYPE'),
      byLanguage: of('LANGUAGE'),
      byDecade: of('DECADE'),
      byBbkClass: of('BBK_CLASS'),
      additionsPerMonth: months.map((m): [string, number] => [m.month, m.count]),
      lastImportAt: lastRun?.finished ? new Date(lastRun.finished).toISOString() : null,
      lastImportStatus: lastRun?.status ?? null,
    };
    if (cached.byPeriod.size >= 64) cached.byPeriod.clear();
    cached.byPeriod.set(period, figures);
  }
  return {
    ...figures,
    version,
    editions: cached.editions,
    unkeyed: cached.unkeyed,
    digest: knownVersion === version ? null : cached.digest,
  };
}

/**
 * Computes a catalogue's figures ahead of the first statistics request that needs them (after the node
 * starts and after each import), so that request answers from the cache instead of scanning the catalogue.
 */
export async function warmStatistics(em: EntityManager, member: string): Promise<void> {
  await nodeFigures(em, member, { from: null, to: null }, null);
}

/** One representative record (lowest control number) per edition hash. */
export async function editionTitles(em: EntityManager, hashes: readonly string[]): Promise<EditionTitle[]> {
  const wanted = hashes.filter((h) => /^\d{1,16}$/.test(h)).slice(0, MAX_EDITION_LOOKUP);
  if (!wanted.length) return [];
  return runSql<EditionTitle>(
    em,
    `select distinct on (h) h::text as hash, title, year, isbn13[1] as isbn,
       coalesce((select array_agg(a->>'name') from jsonb_array_elements(authors::jsonb) a), '{}') as authors
     from (select ${EDITION_HASH} as h, * from ${schemaOf(em)}.catalogue_record
       where edition_key is not null and ${EDITION_HASH} = any(?::bigint[])) r
     order by h, control_number`,
    [wanted],
  );
}

@Resolver(() => CatalogueStatisticsPart)
export class CatalogueStatisticsResolver {
  @FieldResolver(() => CatalogueStatistics, {
    description:
      'The covered libraries’ catalogues, counted across the network from every covered catalogue node (through the gateway; a node asked directly counts its own).',
  })
  async catalogue(@Ctx() ctx: CatalogueContext, @Root() statistics: CatalogueStatisticsPart) {
    const scope = statistics.resolved;
    if (!scopeCovers(scope, { code: ctx.member.code })) {
      return catalogueStatistics([], mergeCatalogues([], 0), [], new Map(), new Date());
    }
    const started = performance.now();
    const figures = await nodeFigures(ctx.em, ctx.member.code, scope, null);
    const contribution = { figures, hashes: decodeDigest(figures.digest ?? '') };
    const merged = mergeCatalogues([contribution], MOST_WIDELY_HELD);
    const answer: NodeAnswer = {
      member: ctx.member.code,
      status: 'OK',
      tookMs: Math.round(performance.now() - started),
      contribution,
    };
    return catalogueStatistics([answer], merged, [contribution], new Map(), new Date());
  }

  @FieldResolver(() => String, {
    description: 'This node’s figures for the scope, JSON (NodeFigures of lib/catalogue-protocol), for the gateway.',
  })
  @Directive('@inaccessible')
  async _catalogueFigures(
    @Ctx() ctx: CatalogueContext,
    @Root() statistics: CatalogueStatisticsPart,
    @Arg('knownVersion', () => String, {
      nullable: true,
      description: 'The catalogue version whose digest the caller already holds (the digest is then left out).',
    })
    knownVersion?: string | null,
  ): Promise<string> {
    return JSON.stringify(await nodeFigures(ctx.em, ctx.member.code, statistics.resolved, knownVersion ?? null));
  }

  @FieldResolver(() => String, {
    description: 'One record per edition hash (decimal strings), JSON (EditionTitle[]), for the gateway.',
  })
  @Directive('@inaccessible')
  async _catalogueEditions(
    @Ctx() ctx: CatalogueContext,
    @Arg('hashes', () => [String], { description: 'Edition hashes as decimal strings (at most 100).' })
    hashes: string[],
  ): Promise<string> {
    return JSON.stringify(await editionTitles(ctx.em, hashes));
  }
}
