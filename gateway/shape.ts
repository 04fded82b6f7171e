import {
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  print,
  visit,
} from 'graphql';

import { type Fragments, fragmentsOf, included, selectionsAt, selectsField, unionOf } from '../lib/selections';

export { type Fragments, fragmentsOf, included, selectionsAt, selectsField, unionOf };

type Json = Record<string, unknown>;

/** Values the router puts into a result as a node returned them (already shaped by the same selection). */
const SHAPED = new WeakSet<object>();

export function preShaped<T extends object>(value: T): T {
  SHAPED.add(value);
  return value;
}

/**
 * The part of `value` a selection asks for, under the selection's response keys (aliases): what a GraphQL
 * server would answer. `__typename` comes from the value. Fragments are flattened (the router's types are
 * concrete).
 */
export function shape(selectionSet: SelectionSetNode, value: unknown, fragments: Fragments): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => shape(selectionSet, v, fragments));
  if (typeof value !== 'object' || SHAPED.has(value)) return value;
  const source = value as Json;
  const out: Json = {};
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const v = source[selection.name.value];
        out[key] = selection.selectionSet ? shape(selection.selectionSet, v, fragments) : (v ?? null);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return out;
}

/**
 * A query for one root field whose result the selection `selection` shapes, carrying the variables and
 * fragments the selection uses (from the operation it was cut from) besides `declared` ones of its own.
 * `head` is the field with its arguments, e.g. `_entities(representations: $representations) { ... on X`.
 */
export function subQuery(options: {
  head: string;
  /** What follows `head`; none for a leaf field. */
  selection?: SelectionSetNode;
  tail?: string;
  declared: string;
  /** Where the used variables and fragments are looked for, when more than `selection` (a whole field). */
  usesFrom?: FieldNode;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Json;
}): { query: string; variables: Json } {
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const collect = (node: FieldNode | SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (s) => {
        if (usedFragments.has(s.name.value)) return;
        usedFragments.add(s.name.value);
        const fragment = options.fragments.get(s.name.value);
        if (fragment) collect(fragment);
      },
    });
  const source = options.usesFrom ?? options.selection;
  if (source) collect(source);
  const definitions = (options.operation.variableDefinitions ?? []).filter((d: VariableDefinitionNode) =>
    usedVariables.has(d.variable.name.value),
  );
  const declarations = [options.declared, ...definitions.map((d) => print(d))].filter(Boolean).join(', ');
  const fragments = [...usedFragments].flatMap((name) => {
    const fragment = options.fragments.get(name);
    return fragment ? [print(fragment)] : [];
  });
  const query = [
    `${options.operation.operation}${declarations ? `(${declarations})` : ''} { ${options.head} ${
      options.selection ? print(options.selection) : ''
    }${options.tail ?? ''} }`,
    ...fragments,
  ].join('\n');
  return {
    query,
    variables: Object.fromEntries(Object.entries(options.variables).filter(([name]) => usedVariables.has(name))),
  };
}
