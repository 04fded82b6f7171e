import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  print,
  visit,
} from 'graphql';

type Json = Record<string, unknown>;

/** Values the router puts into a result as a node returned them (already shaped by the same selection). */
const SHAPED = new WeakSet<object>();

export function preShaped<T extends object>(value: T): T {
  SHAPED.add(value);
  return value;
}

export type Fragments = Map<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Fragments {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
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

/** Whether `@skip` / `@include` leave a selection in, given the operation's variables. */
export function included(selection: SelectionNode, variables: Json): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    const value =
      arg?.kind === Kind.BOOLEAN ? arg.value : arg?.kind === Kind.VARIABLE ? Boolean(variables[arg.name.value]) : false;
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}

/**
 * Every selection set of fields at `path` (field names, any alias) below `set`, fragments followed and
 * selections `@skip` / `@include` leave out ignored.
 */
export function selectionsAt(
  set: SelectionSetNode,
  path: readonly string[],
  fragments: Fragments,
  variables: Json = {},
): SelectionSetNode[] {
  if (path.length === 0) return [set];
  const [head, ...rest] = path;
  const found: SelectionSetNode[] = [];
  const walk = (s: SelectionSetNode) => {
    for (const selection of s.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === head && selection.selectionSet) {
          found.push(...selectionsAt(selection.selectionSet, rest, fragments, variables));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(set);
  return found;
}

/** Several selection sets as one (GraphQL merges repeated fields). */
export function unionOf(sets: readonly SelectionSetNode[]): SelectionSetNode | null {
  const selections: SelectionNode[] = sets.flatMap((s) => s.selections);
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : null;
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
