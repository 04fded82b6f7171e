import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

// Walking the selections of a GraphQL operation (the gateway's router, and resolvers that skip unasked work).

type Json = Record<string, unknown>;

export type Fragments = Map<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Fragments {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
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

/** The fields called `name` (any alias) directly in `set`, fragments followed, `@skip` / `@include` honoured. */
function fieldsNamed(set: SelectionSetNode, name: string, fragments: Fragments, variables: Json): FieldNode[] {
  const found: FieldNode[] = [];
  const walk = (s: SelectionSetNode) => {
    for (const selection of s.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
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
  return fieldsNamed(set, head!, fragments, variables).flatMap((field) =>
    field.selectionSet ? selectionsAt(field.selectionSet, rest, fragments, variables) : [],
  );
}

/** Whether `set` selects the field `name` (a leaf or not) directly, any alias, fragments followed. */
export function selectsField(set: SelectionSetNode, name: string, fragments: Fragments, variables: Json = {}): boolean {
  return fieldsNamed(set, name, fragments, variables).length > 0;
}

/** Several selection sets as one (GraphQL merges repeated fields). */
export function unionOf(sets: readonly SelectionSetNode[]): SelectionSetNode | null {
  const selections: SelectionNode[] = sets.flatMap((s) => s.selections);
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : null;
}

/** Whether a resolver's field selects `path` below it (e.g. `['facets']`), so work for it can be left out. */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const set: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: info.fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []),
  };
  const fragments: Fragments = new Map(Object.entries(info.fragments));
  return selectionsAt(set, path, fragments, info.variableValues).length > 0;
}
