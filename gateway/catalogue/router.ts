import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
} from 'graphql';
import { ownerOfRecord } from '../../lib/catalogue-protocol';
import {
  type GraphQLResponse,
  type Json,
  type NodeCaller,
  type Registry,
  type RouteContext,
  fail,
  nodeError,
  unknownOwner,
} from './nodes';
import { callerOf } from '../upstream';
import { argument, nodeQuery } from './plan';
import { networkSearch } from './search';
import { fragmentsOf, shape } from './shape';
import { CatalogueStatisticsService } from './statistics';

export interface RouterOptions {
  /** Most nodes asked at once by one fan-out. */
  fanOut: number;
  /** How long complete catalogue statistics of a scope are served again. */
  statisticsCacheMs: number;
  /** Time limit of a node call for statistics. */
  statisticsTimeoutMs: number;
}

/**
 * The data source of the `catalogue` subgraph: the supergraph has it once, but every member runs its own
 * node. Each fetch is split by owner — `_entities` representations by record id prefix or member code, root
 * fields by the record id they ask for — sent in parallel and put back together in the original order; a
 * network search goes to every node and is merged (search.ts). The node queries are built by plan.ts; calls go
 * through the node client: time limit, retries of reads, circuit breaker, metrics.
 */
export class CatalogueRouter implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();
  private readonly statistics: CatalogueStatisticsService;

  constructor(
    private readonly registry: Registry,
    private readonly client: NodeCaller,
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
      identity: callerOf(options),
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
    if (field.name.value === 'catalogueSearch') {
      const network = { registry: this.registry, client: this.client, fanOut: this.options.fanOut };
      return networkSearch(network, key, field, context);
    }
    // The field as Apollo's planner wrote it (alias, arguments, directives) with what it uses, alone.
    const { query, variables } = nodeQuery(context, field);
    if (field.name.value === 'catalogueRecord') {
      const owner = ownerOfRecord(argument(field, 'id', context.variables));
      if (!owner || !this.registry.node(owner)) {
        return fail(key, unknownOwner(owner, [key]));
      }
      const call = await this.call(owner, query, variables, 'record', context);
      return call.status === 'OK' ? call.body! : fail(key, nodeError(call, [key]));
    }
    // Anything else the catalogue subgraph answers the same on every node: ask any live one.
    const first = this.registry.all()[0];
    if (!first) return fail(key, { message: 'No catalogue node is registered', path: [key] });
    const call = await this.call(first.member, query, variables, 'other', context);
    return call.status === 'OK' ? call.body! : fail(key, nodeError(call, [key]));
  }
}
