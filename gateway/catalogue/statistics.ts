import type { GraphQLFormattedError } from 'graphql';
import { decodeScope } from '../../lib/statistics-scope';
import {
  MOST_WIDELY_HELD,
  type EditionTitle,
  type NodeAnswer,
  type NodeContribution,
  type NodeFigures,
  catalogueStatistics,
  decodeDigest,
  mergeCatalogues,
} from '../../lib/catalogue-protocol';
import type { Identity } from '../../lib/identity';
import type { NodeCall, NodeCaller, Registry } from './nodes';
import { ErrorCode } from '../../lib/errors';

const FIGURES = `query NetworkStatisticsFigures($representations: [_Any!]!, $known: String) {
  _entities(representations: $representations) { ... on NetworkStatistics { _catalogueFigures(knownVersion: $known) } }
}`;

const EDITIONS = `query NetworkStatisticsEditions($representations: [_Any!]!, $hashes: [String!]!) {
  _entities(representations: $representations) { ... on NetworkStatistics { _catalogueEditions(hashes: $hashes) } }
}`;

export interface StatisticsOptions {
  /** How long merged figures are served again before the nodes are asked anew (complete answers only). */
  cacheMs: number;
  /** Time limit of one node call. */
  timeoutMs: number;
  /** Most nodes asked at once. */
  fanOut: number;
}

/** The merged figures as a subgraph would send them (dates as ISO strings), kept and served as they are. */
type Statistics = Record<string, unknown>;

interface Computed {
  value: Statistics;
  /** Calls that failed, for the errors of this answer. */
  failed: NodeCall[];
}

/**
 * `NetworkStatistics.catalogue` across the catalogue nodes of a scope: every covered node sends its figures
 * and, when its catalogue changed since the last time, its edition digest (lib/catalogue-protocol/statistics.ts); the
 * digests are kept here by catalogue version, merged, and the titles behind the most widely held editions
 * fetched from one holder each. Complete answers are kept `cacheMs`; the result says when it was computed.
 */
export class CatalogueStatisticsService {
  private readonly digests = new Map<string, { version: string; hashes: Float64Array }>();
  private readonly results = new Map<string, { at: number; computing: Promise<Computed> }>();

  constructor(
    private readonly registry: Registry,
    private readonly client: NodeCaller,
    private readonly options: StatisticsOptions,
  ) {}

  /** The catalogue statistics of a scope key, and one error per node missing from them. */
  async statistics(
    scopeKey: string,
    identity: Identity,
    path: Array<string | number>,
  ): Promise<{ value: Statistics | null; errors: GraphQLFormattedError[] }> {
    let scope;
    try {
      scope = decodeScope(scopeKey);
    } catch (error) {
      return {
        value: null,
        errors: [{ message: (error as Error).message, path, extensions: { code: ErrorCode.BAD_USER_INPUT } }],
      };
    }
    const now = Date.now();
    let entry = this.results.get(scopeKey);
    if (!entry || now - entry.at > this.options.cacheMs) {
      const computing = this.compute(scopeKey, scope.members?.map((m) => m.code) ?? null, identity);
      entry = { at: now, computing };
      this.results.set(scopeKey, entry);
      if (this.results.size > 256) this.results.delete(this.results.keys().next().value!);
      // Only complete answers are served again; a failed or partial one is asked anew next time.
      void computing.then(
        (c) => c.failed.length && this.results.get(scopeKey) === entry && this.results.delete(scopeKey),
        () => this.results.get(scopeKey) === entry && this.results.delete(scopeKey),
      );
    }
    const { value, failed } = await entry.computing;
    return {
      value,
      errors: failed.map((call) => ({
        message: `The catalogue node of ${call.member} is unavailable: ${call.error ?? call.status}; its catalogue is missing from the statistics`,
        path,
        extensions: { code: ErrorCode.CATALOGUE_NODE_UNAVAILABLE, member: call.member, status: call.status },
      })),
    };
  }

  private async compute(scopeKey: string, members: string[] | null, identity: Identity): Promise<Computed> {
    // Members without a catalogue node have no catalogue to count.
    const targets = (members ?? this.registry.all().map((n) => n.member)).filter((code) => this.registry.node(code));
    const representations = [{ __typename: 'NetworkStatistics', scope: scopeKey }];
    const failed: NodeCall[] = [];
    const knownBefore = new Map(targets.map((code) => [code, this.digests.get(code)]));
    const calls = await this.client.callMany(
      targets,
      FIGURES,
      (code) => ({ representations, known: knownBefore.get(code)?.version ?? null }),
      {
        operation: 'statistics',
        retry: true,
        timeoutMs: this.options.timeoutMs,
        identity,
        fanOut: this.options.fanOut,
      },
    );
    const answers = calls.map((call): NodeAnswer => {
      const code = call.member;
      const known = knownBefore.get(code);
      const raw = (call.body?.data?._entities as Array<{ _catalogueFigures?: string } | null> | undefined)?.[0]
        ?._catalogueFigures;
      if (call.status !== 'OK' || typeof raw !== 'string') {
        failed.push(call.status === 'OK' ? { ...call, status: 'ERROR', error: call.error ?? 'no figures' } : call);
        return {
          member: code,
          status: call.status === 'OK' ? 'ERROR' : call.status,
          tookMs: call.tookMs,
          contribution: null,
        };
      }
      const figures = JSON.parse(raw) as NodeFigures;
      let hashes: Float64Array;
      if (figures.digest !== null) {
        hashes = decodeDigest(figures.digest);
        this.digests.set(code, { version: figures.version, hashes });
      } else if (known && known.version === figures.version) {
        hashes = known.hashes;
      } else {
        failed.push({ ...call, status: 'ERROR', error: 'the node left its digest out for an unknown version' });
        return { member: code, status: 'ERROR', tookMs: call.tookMs, contribution: null };
      }
      return { member: code, status: 'OK', tookMs: call.tookMs, contribution: { figures, hashes } };
    });
    const contributions = answers.flatMap((a) => (a.contribution ? [a.contribution] : []));
    const merged = mergeCatalogues(contributions, MOST_WIDELY_HELD);
    const titles = await this.titles(merged.mostWidelyHeld, contributions, representations, identity);
    return {
      // Serialised once here, not for every request the cache serves.
      value: JSON.parse(
        JSON.stringify(catalogueStatistics(answers, merged, contributions, titles, new Date())),
      ) as Statistics,
      failed,
    };
  }

  /** One record per most widely held edition, from its first holder (one call per holder asked). */
  private async titles(
    widely: ReadonlyArray<{ hash: number; holders: number[] }>,
    contributions: readonly NodeContribution[],
    representations: unknown[],
    identity: Identity,
  ): Promise<Map<number, EditionTitle>> {
    const byHolder = new Map<string, string[]>();
    for (const w of widely) {
      const holder = contributions[w.holders[0]!]!.figures.member;
      byHolder.set(holder, [...(byHolder.get(holder) ?? []), String(w.hash)]);
    }
    const titles = new Map<number, EditionTitle>();
    const calls = await this.client.callMany(
      [...byHolder.keys()],
      EDITIONS,
      (code) => ({ representations, hashes: byHolder.get(code) }),
      {
        operation: 'statistics',
        retry: true,
        timeoutMs: this.options.timeoutMs,
        identity,
        fanOut: this.options.fanOut,
      },
    );
    for (const call of calls) {
      const raw = (call.body?.data?._entities as Array<{ _catalogueEditions?: string } | null> | undefined)?.[0]
        ?._catalogueEditions;
      // Without an answer the titles stay unnamed (counts and holders are known); nothing else is missing.
      if (call.status !== 'OK' || typeof raw !== 'string') continue;
      for (const title of JSON.parse(raw) as EditionTitle[]) titles.set(Number(title.hash), title);
    }
    return titles;
  }
}
