import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { selects, selectsField } from './selections';

/** What a resolver of the operation's first root field sees of its selection. */
function infoOf(query: string, variables: Record<string, unknown> = {}): GraphQLResolveInfo {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const field = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [field], fragments, variableValues: variables } as unknown as GraphQLResolveInfo;
}

describe('selects', () => {
  it('finds a field asked for directly, under an alias, in fragments, and kept by @include', () => {
    expect(selects(infoOf('{ s { total facets { field } } }'), ['facets'])).toBe(true);
    expect(selects(infoOf('{ s { counts: facets { field } } }'), ['facets'])).toBe(true);
    expect(selects(infoOf('{ s { ... on R { facets { field } } } }'), ['facets'])).toBe(true);
    expect(selects(infoOf('{ s { ...F } } fragment F on R { facets { field } }'), ['facets'])).toBe(true);
    expect(
      selects(infoOf('query($on: Boolean!) { s { facets @include(if: $on) { field } } }', { on: true }), ['facets']),
    ).toBe(true);
  });

  it('does not find a field left out, skipped, or only named as an alias', () => {
    expect(selects(infoOf('{ s { total hits { score } } }'), ['facets'])).toBe(false);
    expect(
      selects(infoOf('query($on: Boolean!) { s { facets @include(if: $on) { field } } }', { on: false }), ['facets']),
    ).toBe(false);
    expect(selects(infoOf('{ s { facets @skip(if: true) { field } } }'), ['facets'])).toBe(false);
    expect(selects(infoOf('{ s { facets: total } }'), ['facets'])).toBe(false);
  });
});

describe('selectsField', () => {
  const at = (query: string, variables: Record<string, unknown> = {}) => {
    const info = infoOf(query, variables);
    const set = info.fieldNodes[0]!.selectionSet!;
    return selectsField(set, 'approximate', new Map(Object.entries(info.fragments)), variables);
  };

  it('finds a leaf field directly, under an alias and in fragments, and not when it is left out or skipped', () => {
    expect(at('{ s { total approximate } }')).toBe(true);
    expect(at('{ s { estimated: approximate } }')).toBe(true);
    expect(at('{ s { ...F } } fragment F on R { approximate }')).toBe(true);
    expect(at('{ s { total approximate: total } }')).toBe(false);
    expect(at('query($on: Boolean!) { s { approximate @include(if: $on) } }', { on: false })).toBe(false);
    expect(at('{ s { facets { approximate } } }')).toBe(false); // only directly below
  });
});
