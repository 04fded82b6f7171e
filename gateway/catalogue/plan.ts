import {
  type ASTNode,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  parseType,
  print,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import { DEFAULT_FIRST, EXACT_UP_TO, MAX_FIRST, NETWORK_MAX_FIRST } from '../../lib/catalogue-protocol';
import type { Grouping, SortOrder } from './merge';
import { type Fragments, selectionsAt, selectsField, unionOf } from './shape';

/*
 * The catalogue planner: pure functions from the gateway's fetch for the catalogue subgraph (an operation
 * Apollo's query planner wrote) to the queries the nodes are sent. Every node query is built as a graphql-js
 * document and printed once; arguments are read with `valueFromASTUntyped`. No I/O here (router.ts and
 * search.ts send what this builds), so the wire shape is unit-tested as plain values (plan.test.ts).
 */

export type Json = Record<string, unknown>;

/** The operation a node query is cut from: its variable definitions, fragments and variable values. */
export interface Cut {
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Json;
}

/** A query for a node and the client's variables it uses (the planner's own are added by the caller). */
export interface NodeQuery {
  query: string;
  variables: Json;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const variable = (value: string) => ({ kind: Kind.VARIABLE, name: name(value) }) as const;

function field(
  fieldName: string,
  options: { alias?: string; args?: Record<string, ArgumentNode['value']>; selections?: readonly SelectionNode[] } = {},
): FieldNode {
  return {
    kind: Kind.FIELD,
    name: name(fieldName),
    ...(options.alias ? { alias: name(options.alias) } : {}),
    arguments: Object.entries(options.args ?? {}).map(([arg, value]) => ({
      kind: Kind.ARGUMENT,
      name: name(arg),
      value,
    })),
    ...(options.selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections: options.selections } } : {}),
  };
}

const inlineFragment = (type: string, selectionSet: SelectionSetNode): SelectionNode => ({
  kind: Kind.INLINE_FRAGMENT,
  typeCondition: { kind: Kind.NAMED_TYPE, name: name(type) },
  selectionSet,
});

/** Variable definitions of the planner's own, e.g. `{ kbgQuery: 'String!' }`. */
function declare(types: Record<string, string>): VariableDefinitionNode[] {
  return Object.entries(types).map(([v, type]) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: variable(v),
    type: parseType(type),
  }));
}

/**
 * One root field as an operation of its own, with the client's variables and fragments that `root` uses
 * (taken from the operation it was cut from) and the planner's `declared` variables.
 */
export function nodeQuery(cut: Cut, root: FieldNode, declared: readonly VariableDefinitionNode[] = []): NodeQuery {
  const ours = new Set(declared.map((d) => d.variable.name.value));
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (s) => {
        if (usedFragments.has(s.name.value)) return;
        usedFragments.add(s.name.value);
        const fragment = cut.fragments.get(s.name.value);
        if (fragment) collect(fragment);
      },
    });
  collect(root);
  const clients = (cut.operation.variableDefinitions ?? []).filter(
    (d) => usedVariables.has(d.variable.name.value) && !ours.has(d.variable.name.value),
  );
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: cut.operation.operation,
    variableDefinitions: [...declared, ...clients],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [root] },
  };
  const fragments = [...usedFragments].flatMap((f): FragmentDefinitionNode[] => {
    const fragment = cut.fragments.get(f);
    return fragment ? [fragment] : [];
  });
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  const clientNames = new Set(clients.map((d) => d.variable.name.value));
  return {
    query: print(document),
    variables: Object.fromEntries(Object.entries(cut.variables).filter(([v]) => clientNames.has(v))),
  };
}

/** The value of a field argument, variables resolved; undefined when it is not given. */
export function argument(node: FieldNode, arg: string, variables: Json): unknown {
  const value = node.arguments?.find((a) => a.name.value === arg)?.value;
  return value ? valueFromASTUntyped(value, variables) : undefined;
}

/** `_entities` of one type with the client's selection on it. */
export function entitiesQuery(cut: Cut, type: string, selection: SelectionSetNode): NodeQuery {
  const root = field('_entities', {
    args: { representations: variable('representations') },
    selections: [inlineFragment(type, selection)],
  });
  return nodeQuery(cut, root, declare({ representations: '[_Any!]!' }));
}

/** `catalogueHoldings(keys:)` with the client's `heldBy { records { … } }` selection (or just ids). */
export function holdingsQuery(cut: Cut, records: SelectionSetNode | null): NodeQuery {
  const root = field('catalogueHoldings', {
    args: { keys: variable('keys') },
    selections: [
      field('key'),
      field('holdingsCount'),
      field('records', { selections: records ? records.selections : [field('id')] }),
    ],
  });
  return nodeQuery(cut, root, declare({ keys: '[String!]!' }));
}

/** What a network search asks, read from the client's `catalogueSearch` field and checked. */
export interface SearchArguments {
  query: string;
  filter: Json | null;
  first: number;
  offset: number;
  sort: SortOrder;
  exactUpTo: number;
  grouping: Grouping;
  /** `filter.libraries`, normalised; null for every library. */
  libraries: string[] | null;
}

/** Deepest hit a network search reaches (`offset + first`): as deep as a node pages. */
export const NETWORK_MAX_DEPTH = MAX_FIRST;

/** The search's arguments, or the argument that is wrong and why. */
export function searchArguments(
  node: FieldNode,
  variables: Json,
): { args: SearchArguments } | { invalid: { field: string; message: string } } {
  const arg = (n: string) => argument(node, n, variables);
  const first = (arg('first') as number | null | undefined) ?? DEFAULT_FIRST;
  const offset = (arg('offset') as number | null | undefined) ?? 0;
  if (first < 0 || first > NETWORK_MAX_FIRST)
    return { invalid: { field: 'first', message: `first: must be between 0 and ${NETWORK_MAX_FIRST}` } };
  if (offset < 0 || offset + first > NETWORK_MAX_DEPTH)
    return {
      invalid: {
        field: 'offset',
        message: `offset: offset + first must be between 0 and ${NETWORK_MAX_DEPTH} in a network search: refine the query or filter instead`,
      },
    };
  const exactUpTo = (arg('exactUpTo') as number | null | undefined) ?? EXACT_UP_TO;
  if (!Number.isInteger(exactUpTo) || exactUpTo < 1 || exactUpTo > EXACT_UP_TO)
    return { invalid: { field: 'exactUpTo', message: `exactUpTo: must be between 1 and ${EXACT_UP_TO}` } };
  const query = arg('query');
  const filter = (arg('filter') as Json | null | undefined) ?? null;
  const libraries = Array.isArray(filter?.libraries)
    ? [...new Set((filter.libraries as unknown[]).map((l) => String(l).trim().toLowerCase()))]
    : null;
  return {
    args: {
      query: typeof query === 'string' ? query : '',
      filter,
      first,
      offset,
      sort: (arg('sort') as SortOrder | null | undefined) ?? 'RELEVANCE',
      exactUpTo,
      grouping: (arg('groupBy') as Grouping | null | undefined) ?? 'RECORD',
      libraries: libraries && libraries.length ? libraries : null,
    },
  };
}

/** What the merge needs of every hit's record, under aliases of its own (the client may alias these names). */
const MERGE_KEYS: readonly SelectionNode[] = [
  field('id', { alias: '_kbgId' }),
  field('editionKey', { alias: '_kbgKey' }),
  field('year', { alias: '_kbgYear' }),
  field('title', { alias: '_kbgTitle' }),
];

/** Phase one of a network search: the query every node gets, and what the answer will carry. */
export interface SearchPlan extends NodeQuery {
  /** The client's record fields travel with the hits (a first page), so no second round trip is needed. */
  eager: boolean;
  /** The client's `hits { record { … } }` selection, merged; null when it asks for none. */
  records: SelectionSetNode | null;
}

/**
 * Phase one: each node's first `depth` hits with the merge keys, its total (and `approximate`, facets when
 * the client asks: nodes older than a field still answer the rest), and on a first page the client's record
 * fields. Variables `$kbgQuery`, `$kbgFilter`, `$kbgFirst`, `$kbgSort`, `$kbgExactUpTo` are the caller's.
 */
export function searchPlan(cut: Cut, search: FieldNode, offset: number): SearchPlan {
  const selection = search.selectionSet!;
  const records = unionOf(selectionsAt(selection, ['hits', 'record'], cut.fragments, cut.variables));
  const eager = offset === 0 && records !== null;
  const wants = (path: string[]) => selectionsAt(selection, path, cut.fragments, cut.variables).length > 0;
  const root = field('catalogueSearch', {
    args: {
      query: variable('kbgQuery'),
      filter: variable('kbgFilter'),
      first: variable('kbgFirst'),
      offset: { kind: Kind.INT, value: '0' },
      sort: variable('kbgSort'),
      exactUpTo: variable('kbgExactUpTo'),
    },
    selections: [
      field('total'),
      ...(selectsField(selection, 'approximate', cut.fragments, cut.variables) ? [field('approximate')] : []),
      ...(wants(['facets'])
        ? [
            field('facets', {
              selections: [field('field'), field('values', { selections: [field('value'), field('count')] })],
            }),
          ]
        : []),
      field('hits', {
        selections: [
          field('score'),
          field('record', {
            selections: eager && records ? [...MERGE_KEYS, inlineFragment('CatalogueRecord', records)] : MERGE_KEYS,
          }),
        ],
      }),
    ],
  });
  const declared = declare({
    kbgQuery: 'String!',
    kbgFilter: 'CatalogueFilter',
    kbgFirst: 'Int',
    kbgSort: 'CatalogueSort',
    kbgExactUpTo: 'Int',
  });
  return { ...nodeQuery(cut, root, declared), eager, records };
}
