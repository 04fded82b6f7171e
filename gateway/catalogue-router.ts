import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type ValueNode,
  visit,
} from 'graphql';
import type { Logger } from '../lib/logger';
import type { CatalogueRegistry } from './catalogue-registry';

type Response = Awaited<ReturnType<GraphQLDataSource['process']>>;
type Json = Record<string, unknown>;

export const CATALOGUE_NODE_UNAVAILABLE = 'CATALOGUE_NODE_UNAVAILABLE';
export const CATALOGUE_NODE_UNKNOWN = 'CATALOGUE_NODE_UNKNOWN';

/** The member that owns a catalogue record id `<member code>:<control number>`. */
export const ownerOfRecord = (id: unknown): string | undefined =>
  typeof id === 'string' && id.includes(':') ? id.slice(0, id.indexOf(':')) : undefined;

/**
 * The data source of the `catalogue` subgraph: the supergraph has it once, but every member runs
 * its own node. Each fetch is split by owner — `_entities` representations by record id prefix or
 * member code, root fields by the record id they ask for, network search to every node — sent in
 * parallel, and put back together in the original order.
 */
export class CatalogueRouter implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly registry: CatalogueRegistry,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<Response> {
    const { query = '', variables = {}, operationName } = options.request;
    const document = this.parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
    );
    if (!operation) return { errors: [{ message: 'No operation to route' }] };
    const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    if (fields.length === 1 && fields[0]!.name.value === '_entities') {
      return this.entities(query, variables);
    }
    // Each root field may belong to another node: route them one by one and merge.
    const parts = await Promise.all(
      fields.map((field) => this.rootField(document, operation, field, variables as Json)),
    );
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

  /** Splits `_entities(representations:)` by owning member; members without a node get null. */
  private async entities(query: string, variables: Json): Promise<Response> {
    const representations = (variables.representations ?? []) as Array<Json & { __typename: string }>;
    const results: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = [];
    const byOwner = new Map<string, number[]>();
    representations.forEach((rep, index) => {
      const owner = rep.__typename === 'Member' ? (rep.code as string | undefined) : ownerOfRecord(rep.id);
      if (!owner || !this.registry.node(owner)) {
        // A member without a catalogue node simply has no catalogue; an unknown record owner is an error.
        if (rep.__typename !== 'Member') {
          errors.push(unknownOwner(owner, ['_entities', index]));
        }
        return;
      }
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), index]);
    });
    await Promise.all(
      [...byOwner].map(async ([owner, indexes]) => {
        const part = await this.send(owner, query, {
          ...variables,
          representations: indexes.map((i) => representations[i]),
        });
        const entities = ((part.data as Json | undefined)?._entities ?? []) as unknown[];
        indexes.forEach((original, i) => (results[original] = entities[i] ?? null));
        for (const error of part.errors ?? []) {
          const path = error.path ? [...error.path] : undefined;
          if (path?.[0] === '_entities' && typeof path[1] === 'number') path[1] = indexes[path[1]] ?? path[1];
          errors.push({ ...error, ...(path ? { path } : {}) });
        }
      }),
    );
    return errors.length ? { data: { _entities: results }, errors } : { data: { _entities: results } };
  }

  private async rootField(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    field: FieldNode,
    variables: Json,
  ): Promise<Response> {
    const key = field.alias?.value ?? field.name.value;
    const { query, variables: used } = singleFieldOperation(document, operation, field, variables);
    if (field.name.value === 'catalogueRecord') {
      const owner = ownerOfRecord(argument(field, 'id', variables));
      if (!owner || !this.registry.node(owner)) {
        return { data: { [key]: null }, errors: [unknownOwner(owner, [key])] };
      }
      return this.send(owner, query, used);
    }
    if (field.name.value === 'catalogueSearch') return this.search(key, query, used);
    // Anything else the catalogue subgraph answers the same on every node: ask any live one.
    const first = this.registry.all()[0];
    if (!first) return { data: { [key]: null }, errors: [{ message: 'No catalogue node is registered', path: [key] }] };
    return this.send(first.member, query, used);
  }

  /** Interim network search: every node, hits merged by score; issue #4 brings comparable scores and grouping. */
  private async search(key: string, query: string, variables: Json): Promise<Response> {
    const nodes = this.registry.all();
    const parts = await Promise.all(nodes.map((n) => this.send(n.member, query, variables)));
    const errors = parts.flatMap((p) => p.errors ?? []);
    const results = parts
      .map((p) => (p.data as Json | undefined)?.[key] as Json | null | undefined)
      .filter((r): r is Json => Boolean(r));
    if (results.length === 0) return { data: { [key]: null }, errors };
    const merged: Json = {};
    if (results.some((r) => 'total' in r)) merged.total = results.reduce((sum, r) => sum + Number(r.total ?? 0), 0);
    if (results.some((r) => 'hits' in r)) {
      const hits = results.flatMap((r) => (r.hits ?? []) as Json[]);
      hits.sort((a, b) => Number(b.score ?? 0) - Number(a.score ?? 0));
      merged.hits = hits.slice(0, Math.max(...results.map((r) => ((r.hits ?? []) as unknown[]).length)));
    }
    if (results.some((r) => 'facets' in r)) merged.facets = mergeFacets(results.map((r) => (r.facets ?? []) as Json[]));
    for (const r of results) for (const [k, v] of Object.entries(r)) if (!(k in merged)) merged[k] = v;
    return errors.length ? { data: { [key]: merged }, errors } : { data: { [key]: merged } };
  }

  private async send(member: string, query: string, variables: Json): Promise<Response> {
    const node = this.registry.node(member);
    const started = performance.now();
    try {
      const response = await fetch(node!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await response.json()) as Response;
      if (!response.ok && !body.data) throw new Error(`HTTP ${response.status}`);
      return body;
    } catch (error) {
      const e = error as Error;
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : e.message;
      this.logger.warn(
        { member, url: node?.url, reason, ms: Math.round(performance.now() - started) },
        'catalogue node failed',
      );
      return {
        errors: [
          {
            message: `The catalogue node of ${member} is unavailable: ${reason}`,
            extensions: { code: CATALOGUE_NODE_UNAVAILABLE, member },
          },
        ],
      };
    }
  }
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

function mergeFacets(lists: Json[][]): Json[] {
  const fields = new Map<string, Map<string, number>>();
  for (const list of lists) {
    for (const facet of list) {
      const counts = fields.get(String(facet.field)) ?? new Map<string, number>();
      for (const v of (facet.values ?? []) as Json[]) {
        counts.set(String(v.value), (counts.get(String(v.value)) ?? 0) + Number(v.count ?? 0));
      }
      fields.set(String(facet.field), counts);
    }
  }
  return [...fields].map(([field, counts]) => ({
    field,
    values: [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count })),
  }));
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

/** The operation reduced to one root field, with only the variables and fragments it uses. */
function singleFieldOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  variables: Json,
): { query: string; variables: Json } {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const collect = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (s) => {
        if (usedFragments.has(s.name.value)) return;
        usedFragments.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment);
      },
    });
  collect(field);
  const reduced: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation,
        variableDefinitions: operation.variableDefinitions?.filter((d) => usedVariables.has(d.variable.name.value)),
        selectionSet: { ...operation.selectionSet, selections: [field] },
      },
      ...[...usedFragments].flatMap((name) => (fragments.has(name) ? [fragments.get(name)!] : [])),
    ],
  };
  return {
    query: print(reduced),
    variables: Object.fromEntries(Object.entries(variables).filter(([name]) => usedVariables.has(name))),
  };
}
