import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type InlineFragmentNode,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
  type ValueNode,
  parse,
  print,
} from 'graphql';
import {
  DEFAULT_FIRST,
  EXACT_UP_TO,
  MAX_FACET_VALUES,
  MAX_FIRST,
  NETWORK_MAX_FIRST,
} from '../subgraphs/catalogue/limits';
import { ANONYMOUS, type Identity } from '../lib/identity';
import type { CatalogueRegistry } from './catalogue-registry';
import { CatalogueStatisticsService } from './catalogue-statistics';
import {
  type FacetList,
  type Grouping,
  type MergedHit,
  type NodeHit,
  type SortOrder,
  mergeFacets,
  mergeHits,
  nodeDepth,
} from './network-search';
import type { CatalogueNodeClient, GraphQLResponse, Json, NodeCall } from './node-client';
import { type Fragments, fragmentsOf, preShaped, selectionsAt, selectsField, shape, subQuery, unionOf } from './shape';

export const CATALOGUE_NODE_UNAVAILABLE = 'CATALOGUE_NODE_UNAVAILABLE';
export const CATALOGUE_NODE_UNKNOWN = 'CATALOGUE_NODE_UNKNOWN';

/** Deepest hit a network search reaches (`offset + first`): as deep as a node pages. */
const NETWORK_MAX_DEPTH = MAX_FIRST;

/** The member that owns a catalogue record id `<member code>:<control number>`. */
export const ownerOfRecord = (id: unknown): string | undefined =>
  typeof id === 'string' && id.includes(':') ? id.slice(0, id.indexOf(':')) : undefined;

export interface RouterOptions {
  /** Most nodes asked at once by one fan-out. */
  fanOut: number;
  /** How long complete catalogue statistics of a scope are served again. */
  statisticsCacheMs: number;
  /** Time limit of a node call for statistics. */
  statisticsTimeoutMs: number;
}

const badInput = (message: string, field: string, path: Array<string | number>): GraphQLFormattedError => ({
  message,
  path,
  extensions: { code: 'BAD_USER_INPUT', field },
});

function nodeError(call: NodeCall, path: Array<string | number>): GraphQLFormattedError {
  return {
    message: `The catalogue node of ${call.member} is unavailable: ${call.error ?? call.status}`,
    path,
    extensions: { code: CATALOGUE_NODE_UNAVAILABLE, member: call.member, status: call.status },
  };
}

function unknownOwner(owner: string | undefined, path: Array<string | number>): GraphQLFormattedError {
  return {
    message: owner
      ? `No catalogue node is registered for member ${owner}`
      : 'Catalogue record ids look like <member>:<number>',
    path,
    extensions: { code: CATALOGUE_NODE_UNKNOWN, ...(owner ? { member: owner } : {}) },
  };
}

const member = (code: string) => ({ __typename: 'Member', code });

/**
 * The data source of the `catalogue` subgraph: the supergraph has it once, but every member runs its own
 * node. Each fetch is split by owner — `_entities` representations by record id prefix or member code, root
 * fields by the record id they ask for — sent in parallel and put back together in the original order; a
 * network search goes to every node and is merged here (network-search.ts). Calls go through the node
 * client: time limit, retries of reads, circuit breaker, metrics.
 */
export class CatalogueRouter implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();
  private readonly statistics: CatalogueStatisticsService;

  constructor(
    private readonly registry: CatalogueRegistry,
    private readonly client: CatalogueNodeClient,
    private readonly options: RouterOptions,
  ) {
    this.statistics = new CatalogueStatisticsService(registry, client, {
      cacheMs: options.statisticsCacheMs,
      timeoutMs: options.statisticsTimeoutMs,
      fanOut: options.fanOut,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GraphQLResponse> {
    const { query = '', variables = {}, operationName } = options.request;
    const document = this.parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
    );
    if (!operation) return { errors: [{ message: 'No operation to route' }] };
    const context: RouteContext = {
      // Who the client's request is for: every node call carries it, signed.
      identity: (options.context as { identity?: Identity } | undefined)?.identity ?? ANONYMOUS,
      document,
      operation,
      fragments: fragmentsOf(document),
      variables: variables as Json,
      // Only reads are sent again after a connection failure.
      retry: operation.operation === OperationTypeNode.QUERY,
    };
    const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    if (fields.length === 1 && fields[0]!.name.value === '_entities') return this.entities(query, context);
    // Each root field may belong to another node: route them one by one and merge.
    const parts = await Promise.all(fields.map((field) => this.rootField(field, context)));
    const data: Json = {};
    const errors: GraphQLFormattedError[] = [];
    for (const part of parts) {
      Object.assign(data, part.data ?? {});
      errors.push(...(part.errors ?? []));
    }
    return errors.length ? { data, errors } : { data };
  }

  private parse(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      if (this.documents.size > 1000) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }

  private call(code: string, query: string, variables: Json, operation: string, context: RouteContext) {
    return this.client.call(code, query, variables, { operation, retry: context.retry, identity: context.identity });
  }

  /** The same operation on several members' nodes (one request per hosted node process), in their order. */
  private callMany(
    codes: string[],
    query: string,
    variables: Json | ((code: string) => Json),
    operation: string,
    context: RouteContext,
  ) {
    return this.client.callMany(codes, query, variables, {
      operation,
      retry: context.retry,
      identity: context.identity,
      fanOut: this.options.fanOut,
    });
  }

  /** Splits `_entities(representations:)` by owning member; members without a node get null. */
  private async entities(query: string, context: RouteContext): Promise<GraphQLResponse> {
    const representations = (context.variables.representations ?? []) as Array<Json & { __typename: string }>;
    const results: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = [];
    const byOwner = new Map<string, number[]>();
    const statistics: number[] = [];
    representations.forEach((rep, index) => {
      // Network statistics are not owned by one node: they go to every node of their scope.
      if (rep.__typename === 'NetworkStatistics') return void statistics.push(index);
      const owner = rep.__typename === 'Member' ? (rep.code as string | undefined) : ownerOfRecord(rep.id);
      if (!owner || !this.registry.node(owner)) {
        // A member without a catalogue node simply has no catalogue; an unknown record owner is an error.
        if (rep.__typename !== 'Member') errors.push(unknownOwner(owner, ['_entities', index]));
        return;
      }
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), index]);
    });
    await Promise.all([
      this.statisticsEntities(statistics, representations, results, errors, context),
      this.callMany(
        [...byOwner.keys()],
        query,
        (owner) => ({ ...context.variables, representations: byOwner.get(owner)!.map((i) => representations[i]) }),
        'entities',
        context,
      ).then((calls) => {
        for (const call of calls) {
          const indexes = byOwner.get(call.member)!;
          if (call.status !== 'OK') {
            indexes.forEach((i) => errors.push(nodeError(call, ['_entities', i])));
            continue;
          }
          const entities = (call.body?.data?._entities ?? []) as unknown[];
          indexes.forEach((original, i) => (results[original] = entities[i] ?? null));
          for (const error of call.body?.errors ?? []) {
            const path = error.path ? [...error.path] : undefined;
            if (path?.[0] === '_entities' && typeof path[1] === 'number') path[1] = indexes[path[1]] ?? path[1];
            errors.push({ ...error, ...(path ? { path } : {}) });
          }
        }
      }),
    ]);
    return errors.length ? { data: { _entities: results }, errors } : { data: { _entities: results } };
  }

  /** `NetworkStatistics` representations: their `catalogue` from every node of their scope, merged. */
  private async statisticsEntities(
    indexes: number[],
    representations: Array<Json & { __typename: string }>,
    results: unknown[],
    errors: GraphQLFormattedError[],
    context: RouteContext,
  ): Promise<void> {
    if (!indexes.length) return;
    const entitiesField = context.operation.selectionSet.selections.find(
      (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities',
    )!;
    const selection = entitiesField.selectionSet!;
    await Promise.all(
      indexes.map(async (index) => {
        const scope = representations[index]!.scope;
        const { value, errors: missing } = await this.statistics.statistics(String(scope), context.identity, [
          '_entities',
          index,
        ]);
        errors.push(...missing);
        const entity = {
          __typename: 'NetworkStatistics',
          scope,
          catalogue: value,
        };
        results[index] = value ? shape(selection, entity, context.fragments) : null;
      }),
    );
  }

  private async rootField(field: FieldNode, context: RouteContext): Promise<GraphQLResponse> {
    const key = field.alias?.value ?? field.name.value;
    if (field.name.value === 'catalogueSearch') return this.search(key, field, context);
    // The field as the planner wrote it (alias, arguments, directives) with what it uses, alone.
    const { query, variables } = subQuery({
      head: print({ ...field, selectionSet: undefined }),
      selection: field.selectionSet,
      declared: '',
      usesFrom: field,
      operation: context.operation,
      fragments: context.fragments,
      variables: context.variables,
    });
    if (field.name.value === 'catalogueRecord') {
      const owner = ownerOfRecord(argument(field, 'id', context.variables));
      if (!owner || !this.registry.node(owner)) {
        return { data: { [key]: null }, errors: [unknownOwner(owner, [key])] };
      }
      const call = await this.call(owner, query, variables, 'record', context);
      return call.status === 'OK' ? call.body! : { data: { [key]: null }, errors: [nodeError(call, [key])] };
    }
    // Anything else the catalogue subgraph answers the same on every node: ask any live one.
    const first = this.registry.all()[0];
    if (!first) return { data: { [key]: null }, errors: [{ message: 'No catalogue node is registered', path: [key] }] };
    const call = await this.call(first.member, query, variables, 'other', context);
    return call.status === 'OK' ? call.body! : { data: { [key]: null }, errors: [nodeError(call, [key])] };
  }

  /**
   * Network search: phase 1 asks every node (or those of `filter.libraries`) for its first hits (ids, scores,
   * edition keys), totals and facets; the hits are merged and paged here; phase 2 fetches the page's records
   * from their owners and, when `heldBy` is asked for, every node's holdings of the page's editions.
   */
  private async search(key: string, field: FieldNode, context: RouteContext): Promise<GraphQLResponse> {
    const args = (name: string) => argument(field, name, context.variables);
    const first = (args('first') as number | null | undefined) ?? DEFAULT_FIRST;
    const offset = (args('offset') as number | null | undefined) ?? 0;
    if (first < 0 || first > NETWORK_MAX_FIRST) {
      return fail(key, badInput(`first: must be between 0 and ${NETWORK_MAX_FIRST}`, 'first', [key]));
    }
    if (offset < 0 || offset + first > NETWORK_MAX_DEPTH) {
      return fail(
        key,
        badInput(
          `offset: offset + first must be between 0 and ${NETWORK_MAX_DEPTH} in a network search: refine the query or filter instead`,
          'offset',
          [key],
        ),
      );
    }
    const queryArg = args('query');
    const query = typeof queryArg === 'string' ? queryArg : '';
    const filter = (args('filter') as Json | null | undefined) ?? null;
    const sort = (args('sort') as SortOrder | null | undefined) ?? 'RELEVANCE';
    const exactUpTo = (args('exactUpTo') as number | null | undefined) ?? EXACT_UP_TO;
    if (!Number.isInteger(exactUpTo) || exactUpTo < 1 || exactUpTo > EXACT_UP_TO) {
      return fail(key, badInput(`exactUpTo: must be between 1 and ${EXACT_UP_TO}`, 'exactUpTo', [key]));
    }
    const grouping = (args('groupBy') as Grouping | null | undefined) ?? 'RECORD';
    const selection = field.selectionSet!;
    const wantsFacets = selectionsAt(selection, ['facets'], context.fragments, context.variables).length > 0;
    // Asked of the nodes only when the client asks, so that nodes older than the field still answer.
    const wantsApproximate = selectsField(selection, 'approximate', context.fragments, context.variables);

    const libraries = Array.isArray(filter?.libraries)
      ? [...new Set((filter.libraries as unknown[]).map((l) => String(l).trim().toLowerCase()))]
      : null;
    const targets = libraries && libraries.length ? libraries : this.registry.all().map((n) => n.member);
    const depth = nodeDepth(offset, first, grouping, NETWORK_MAX_DEPTH);
    // Exact counting is shared among the catalogues: the network counts exactly up to about `exactUpTo`
    // matches in all, so a broad search over 38 catalogues costs what it costs over one.
    const nodeExactUpTo = Math.max(1, Math.floor(exactUpTo / Math.max(1, targets.length)));
    // On a first page (the common case) the nodes send the client's record fields with their hits at once,
    // so no second round trip is needed for the page's records; deeper pages fetch only the page's records.
    const recordSelection = unionOf(selectionsAt(selection, ['hits', 'record'], context.fragments, context.variables));
    const eager = offset === 0 && recordSelection !== null;
    const phase1 = subQuery({
      head: `catalogueSearch(query: $kbgQuery, filter: $kbgFilter, first: $kbgFirst, offset: 0, sort: $kbgSort, exactUpTo: $kbgExactUpTo) {
        total
        ${wantsApproximate ? 'approximate' : ''}
        ${wantsFacets ? 'facets { field values { value count } }' : ''}
        hits { score record`,
      selection: mergeKeysSelection(eager ? recordSelection : null),
      tail: ' } }',
      declared:
        '$kbgQuery: String!, $kbgFilter: CatalogueFilter, $kbgFirst: Int, $kbgSort: CatalogueSort, $kbgExactUpTo: Int',
      operation: context.operation,
      fragments: context.fragments,
      variables: context.variables,
    });
    const calls = await this.callMany(
      targets,
      phase1.query,
      {
        ...phase1.variables,
        kbgQuery: query,
        kbgFilter: filter,
        kbgFirst: depth,
        kbgSort: sort,
        kbgExactUpTo: nodeExactUpTo,
      },
      'search',
      context,
    );
    // The query itself is wrong (too long, a bad filter): every node says so; answer once, with no data.
    const refusal = calls.flatMap((c) => c.body?.errors ?? []).find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    if (refusal) return fail(key, { ...refusal, path: [key] });

    const errors: GraphQLFormattedError[] = [];
    const answered: Array<{ call: NodeCall; result: SearchPart }> = [];
    for (const call of calls) {
      const result = call.body?.data?.catalogueSearch as SearchPart | null | undefined;
      if (call.status === 'OK' && result) answered.push({ call, result });
      else if (!this.registry.node(call.member)) errors.push(unknownOwner(call.member, [key]));
      else errors.push(nodeError(call, [key]));
    }
    const perNode = answered.map(({ call, result }) =>
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
    const textQuery = query.trim() !== '';
    const page = mergeHits(perNode, sort, textQuery, grouping).slice(offset, offset + first);

    const [records, holders] = await Promise.all([
      this.pageRecords(page, selection, context, errors, key),
      this.holders(
        page,
        answered.map((a) => a.call.member),
        selection,
        context,
        errors,
        key,
      ),
    ]);
    const hits = page.flatMap((hit) => {
      const record = records.get(hit.best.id);
      // A record that could not be fetched (its node failed since phase 1, or it was deleted) leaves the page.
      if (record === undefined) return [];
      return [
        {
          __typename: 'CatalogueHit',
          score: hit.best.score,
          record,
          heldBy: holders.get(hit.key) ?? [],
        },
      ];
    });
    const reports = calls.map((call) => {
      const answer = answered.find((a) => a.call === call);
      return {
        __typename: 'CatalogueNodeSearchReport',
        member: member(call.member),
        status: call.status === 'OK' && !answer ? 'ERROR' : call.status,
        tookMs: call.tookMs,
        total: answer?.result.total ?? null,
        error: answer ? null : (call.error ?? 'no result'),
      };
    });
    const merged = {
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
      nodes: reports,
    };
    const data = { [key]: shape(selection, merged, context.fragments) };
    return errors.length ? { data, errors } : { data };
  }

  /** The page's records as their owners return them for the client's `hits { record { … } }`, by id. */
  private async pageRecords(
    page: MergedHit[],
    selection: FieldNode['selectionSet'] & object,
    context: RouteContext,
    errors: GraphQLFormattedError[],
    key: string,
  ): Promise<Map<string, unknown>> {
    const records = new Map<string, unknown>();
    const wanted = unionOf(selectionsAt(selection, ['hits', 'record'], context.fragments, context.variables));
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
    const { query, variables } = entitiesQuery('CatalogueRecord', wanted, context);
    const calls = await this.callMany(
      [...byOwner.keys()],
      query,
      (owner) => ({
        ...variables,
        representations: byOwner.get(owner)!.map((id) => ({ __typename: 'CatalogueRecord', id })),
      }),
      'records',
      context,
    );
    for (const call of calls) {
      if (call.status !== 'OK') {
        errors.push(nodeError(call, [key]));
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
  private async holders(
    page: MergedHit[],
    nodes: string[],
    selection: FieldNode['selectionSet'] & object,
    context: RouteContext,
    errors: GraphQLFormattedError[],
    key: string,
  ): Promise<Map<string, unknown[]>> {
    const holders = new Map<string, Array<{ owner: boolean; code: string; value: unknown }>>();
    if (!page.length || selectionsAt(selection, ['hits', 'heldBy'], context.fragments, context.variables).length === 0)
      return new Map();
    const recordsSelection = unionOf(
      selectionsAt(selection, ['hits', 'heldBy', 'records'], context.fragments, context.variables),
    );
    const keys = [...new Set(page.map((h) => h.key))];
    const owners = new Map(page.map((h) => [h.key, h.best.member]));
    const { query, variables } = subQuery({
      head: 'catalogueHoldings(keys: $keys) { key holdingsCount records',
      selection: recordsSelection ?? { kind: Kind.SELECTION_SET, selections: [idField] },
      tail: ' }',
      declared: '$keys: [String!]!',
      operation: context.operation,
      fragments: context.fragments,
      variables: context.variables,
    });
    const calls = await this.callMany(nodes, query, { ...variables, keys }, 'holdings', context);
    for (const call of calls) {
      const code = call.member;
      if (call.status !== 'OK') {
        errors.push(nodeError(call, [key]));
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
            member: member(code),
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
}

interface RouteContext {
  identity: Identity;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Json;
  retry: boolean;
}

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

const idField = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } } as const;

// What the merge needs of every hit's record, under aliases of its own (the client may alias these names).
const MERGE_KEYS = (
  parse('{ _kbgId: id _kbgKey: editionKey _kbgYear: year _kbgTitle: title }').definitions[0] as OperationDefinitionNode
).selectionSet;

/** The merge keys, plus the client's record fields when they travel with the hits. */
function mergeKeysSelection(client: SelectionSetNode | null): SelectionSetNode {
  if (!client) return MERGE_KEYS;
  const fragment: InlineFragmentNode = {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'CatalogueRecord' } },
    selectionSet: client,
  };
  return { kind: Kind.SELECTION_SET, selections: [...MERGE_KEYS.selections, fragment] };
}

function fail(key: string, error: GraphQLFormattedError): GraphQLResponse {
  return { data: { [key]: null }, errors: [error] };
}

/** `_entities` of one type with a selection (and the variables and fragments it uses). */
function entitiesQuery(type: string, selection: NonNullable<FieldNode['selectionSet']>, context: RouteContext) {
  return subQuery({
    head: `_entities(representations: $representations) { ... on ${type}`,
    selection,
    tail: ' }',
    declared: '$representations: [_Any!]!',
    operation: context.operation,
    fragments: context.fragments,
    variables: context.variables,
  });
}

/** The value of a field argument, resolving variables. */
function argument(field: FieldNode, name: string, variables: Json): unknown {
  const node = field.arguments?.find((a) => a.name.value === name)?.value;
  return node ? valueOf(node, variables) : undefined;
}

function valueOf(node: ValueNode, variables: Json): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  }
}
