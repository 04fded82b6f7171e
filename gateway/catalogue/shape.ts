import { Kind, type SelectionSetNode } from 'graphql';

import { type Fragments, fragmentsOf, included, selectionsAt, selectsField, unionOf } from '../../lib/selections';

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
