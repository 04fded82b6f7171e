import type { FieldNode, GraphQLFormattedError, SelectionSetNode } from 'graphql';
import { MAX_FACET_VALUES } from '../../lib/catalogue-protocol';
import { ErrorCode } from '../../lib/errors';
import { type FacetList, type MergedHit, type NodeHit, mergeFacets, mergeHits, nodeDepth } from './merge';
import {
  type GraphQLResponse,
  type Json,
  type NodeCall,
  type NodeCaller,
  type Registry,
  type RouteContext,
  badInput,
  fail,
  memberRef,
  nodeError,
  unknownOwner,
} from './nodes';
import {
  NETWORK_MAX_DEPTH,
  type SearchArguments,
  entitiesQuery,
  holdingsQuery,
  searchArguments,
  searchPlan,
} from './plan';
import { preShaped, selectionsAt, shape, unionOf } from './shape';

/*
 * Network search (`catalogueSearch` through the gateway), in named steps: phase one asks every node (or those
 * of `filter.libraries`) for its first hits (ids, scores, edition keys), totals and facets; the hits are
 * merged and paged (merge.ts); phase two fetches the page's records from their owners (unless they came with
 * the hits) and, when `heldBy` is asked for, every node's holdings of the page's editions.
 */

export interface SearchNetwork {
  registry: Registry;
  client: NodeCaller;
  /** Most nodes asked at once by one fan-out. */
  fanOut: number;
}

/** One node's phase-one answer. */
interface SearchPart {
  total: number;
  /** Only when the client asked for it. */
  approximate?: boolean;
  hits: Array<{
    score: number;
    /** The merge keys under their own aliases, and on first pages the client's fields too. */
    record: Json & { _kbgId: string; _kbgKey: string | null; _kbgYear: number | null; _kbgTitle: string };
  }>;
  facets?: FacetList[];
}

interface Answered {
  call: NodeCall;
  result: SearchPart;
}

/** What one search step needs: the network, the fetch, the client's field and where its errors go. */
interface Step {
  network: SearchNetwork;
  context: RouteContext;
  selection: SelectionSetNode;
  key: string;
  errors: GraphQLFormattedError[];
}

const callMany = (
  step: Step,
  members: string[],
  query: string,
  variables: Json | ((code: string) => Json),
  operation: string,
) =>
  step.network.client.callMany(members, query, variables, {
    operation,
    retry: step.context.retry,
    identity: step.context.identity,
    fanOut: step.network.fanOut,
  });

export async function networkSearch(
  network: SearchNetwork,
  key: string,
  field: FieldNode,
  context: RouteContext,
): Promise<GraphQLResponse> {
  const read = searchArguments(field, context.variables);
  if ('invalid' in read) return fail(key, badInput(read.invalid.message, read.invalid.field, [key]));
  const args = read.args;
  const step: Step = { network, context, selection: field.selectionSet!, key, errors: [] };

  const { calls, answered, refusal, eager } = await askEveryNode(step, field, args);
  // The query itself is wrong (too long, a bad filter): every node says so; answer once, with no data.
  if (refusal) return fail(key, { ...refusal, path: [key] });

  const page = mergeHits(hitsOf(answered, eager), args.sort, args.query.trim() !== '', args.grouping).slice(
    args.offset,
    args.offset + args.first,
  );
  const [records, holders] = await Promise.all([
    pageRecords(step, page),
    holdersOf(
      step,
      page,
      answered.map((a) => a.call.member),
    ),
  ]);
  const data = {
    [key]: shape(step.selection, searchResult(calls, answered, page, records, holders), context.fragments),
  };
  return step.errors.length ? { data, errors: step.errors } : { data };
}

/** Phase one: every target node's first hits, totals and facets; the nodes that failed become errors. */
async function askEveryNode(step: Step, field: FieldNode, args: SearchArguments) {
  const targets = args.libraries ?? step.network.registry.all().map((n) => n.member);
  const plan = searchPlan(step.context, field, args.offset);
  const calls = await callMany(
    step,
    targets,
    plan.query,
    {
      ...plan.variables,
      kbgQuery: args.query,
      kbgFilter: args.filter,
      kbgFirst: nodeDepth(args.offset, args.first, args.grouping, NETWORK_MAX_DEPTH),
      kbgSort: args.sort,
      // Exact counting is shared among the catalogues: the network counts exactly up to about `exactUpTo`
      // matches in all, so a broad search over 38 catalogues costs what it costs over one.
      kbgExactUpTo: Math.max(1, Math.floor(args.exactUpTo / Math.max(1, targets.length))),
    },
    'search',
  );
  const refusal = calls
    .flatMap((c) => c.body?.errors ?? [])
    .find((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT);
  const answered: Answered[] = [];
  for (const call of calls) {
    const result = call.body?.data?.catalogueSearch as SearchPart | null | undefined;
    if (call.status === 'OK' && result) answered.push({ call, result });
    else if (!step.network.registry.node(call.member)) step.errors.push(unknownOwner(call.member, [step.key]));
    else step.errors.push(nodeError(call, [step.key]));
  }
  return { calls, answered, refusal, eager: plan.eager };
}

/** Each node's hits in its own order, as the merge takes them (`eager`: the client's record fields came along). */
function hitsOf(answered: Answered[], eager: boolean): NodeHit[][] {
  return answered.map(({ call, result }) =>
    result.hits.map((hit, rank): NodeHit => ({
      member: call.member,
      rank,
      score: hit.score,
      id: hit.record._kbgId,
      editionKey: hit.record._kbgKey,
      year: hit.record._kbgYear,
      title: hit.record._kbgTitle,
      payload: eager ? hit.record : undefined,
    })),
  );
}

/** Phase two: the page's records as their owners return them for the client's `hits { record { … } }`, by id. */
async function pageRecords(step: Step, page: MergedHit[]): Promise<Map<string, unknown>> {
  const records = new Map<string, unknown>();
  const wanted = unionOf(
    selectionsAt(step.selection, ['hits', 'record'], step.context.fragments, step.context.variables),
  );
  if (!wanted) {
    for (const hit of page) records.set(hit.best.id, null);
    return records;
  }
  // Sent with the hits in phase one (first pages).
  if (page.every((hit) => hit.best.payload)) {
    for (const hit of page) records.set(hit.best.id, preShaped(hit.best.payload as object));
    return records;
  }
  const byOwner = new Map<string, string[]>();
  for (const hit of page) byOwner.set(hit.best.member, [...(byOwner.get(hit.best.member) ?? []), hit.best.id]);
  const { query, variables } = entitiesQuery(step.context, 'CatalogueRecord', wanted);
  const calls = await callMany(
    step,
    [...byOwner.keys()],
    query,
    (owner) => ({
      ...variables,
      representations: byOwner.get(owner)!.map((id) => ({ __typename: 'CatalogueRecord', id })),
    }),
    'records',
  );
  for (const call of calls) {
    if (call.status !== 'OK') {
      step.errors.push(nodeError(call, [step.key]));
      continue;
    }
    const entities = (call.body?.data?._entities ?? []) as Array<Json | null>;
    byOwner.get(call.member)!.forEach((id, i) => {
      const entity = entities[i];
      if (entity) records.set(id, preShaped(entity));
    });
  }
  return records;
}

/** `heldBy` of every hit of the page, by holding key: every answering node's records of those editions. */
async function holdersOf(step: Step, page: MergedHit[], nodes: string[]): Promise<Map<string, unknown[]>> {
  const { fragments, variables: values } = step.context;
  if (!page.length || selectionsAt(step.selection, ['hits', 'heldBy'], fragments, values).length === 0)
    return new Map();
  const recordsSelection = unionOf(selectionsAt(step.selection, ['hits', 'heldBy', 'records'], fragments, values));
  const keys = [...new Set(page.map((h) => h.key))];
  const owners = new Map(page.map((h) => [h.key, h.best.member]));
  const { query, variables } = holdingsQuery(step.context, recordsSelection);
  const calls = await callMany(step, nodes, query, { ...variables, keys }, 'holdings');
  const holders = new Map<string, Array<{ owner: boolean; code: string; value: unknown }>>();
  for (const call of calls) {
    const code = call.member;
    if (call.status !== 'OK') {
      step.errors.push(nodeError(call, [step.key]));
      continue;
    }
    const holdings = (call.body?.data?.catalogueHoldings ?? []) as Array<{
      key: string;
      holdingsCount: number;
      records: Json[];
    }>;
    for (const holding of holdings) {
      const list = holders.get(holding.key) ?? [];
      list.push({
        owner: owners.get(holding.key) === code,
        code,
        value: {
          __typename: 'CatalogueHolder',
          member: memberRef(code),
          records: holding.records.map((r) => preShaped(r)),
          holdingsCount: holding.holdingsCount,
        },
      });
      holders.set(holding.key, list);
    }
  }
  // The owner of the hit's record first, then by member code.
  return new Map(
    [...holders].map(([k, list]) => [
      k,
      list.sort((a, b) => Number(b.owner) - Number(a.owner) || a.code.localeCompare(b.code)).map((h) => h.value),
    ]),
  );
}

/** The merged `CatalogueSearchResult`, before it is shaped to the client's selection. */
function searchResult(
  calls: NodeCall[],
  answered: Answered[],
  page: MergedHit[],
  records: Map<string, unknown>,
  holders: Map<string, unknown[]>,
) {
  const hits = page.flatMap((hit) => {
    const record = records.get(hit.best.id);
    // A record that could not be fetched (its node failed since phase 1, or it was deleted) leaves the page.
    if (record === undefined) return [];
    return [{ __typename: 'CatalogueHit', score: hit.best.score, record, heldBy: holders.get(hit.key) ?? [] }];
  });
  const nodes = calls.map((call) => {
    const answer = answered.find((a) => a.call === call);
    return {
      __typename: 'CatalogueNodeSearchReport',
      member: memberRef(call.member),
      status: call.status === 'OK' && !answer ? 'ERROR' : call.status,
      tookMs: call.tookMs,
      total: answer?.result.total ?? null,
      error: answer ? null : (call.error ?? 'no result'),
    };
  });
  return {
    __typename: 'CatalogueSearchResult',
    total: answered.reduce((sum, a) => sum + a.result.total, 0),
    approximate: answered.some((a) => a.result.approximate === true),
    hits,
    facets: mergeFacets(
      answered.map((a) => a.result.facets ?? []),
      MAX_FACET_VALUES,
    ).map((f) => ({
      __typename: 'Facet',
      field: f.field,
      values: f.values.map((v) => ({ __typename: 'FacetValue', ...v })),
    })),
    nodes,
  };
}
