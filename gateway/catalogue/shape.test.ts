import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { entitiesQuery } from './plan';
import { fragmentsOf, included, preShaped, selectionsAt, shape, unionOf } from './shape';

const document = parse(`
  query Q($withYear: Boolean!, $unused: Int) {
    catalogueSearch(query: "x") {
      n: total
      hits { score ...Hit r2: record { title } }
      nodes { member { __typename code } status }
    }
  }
  fragment Hit on CatalogueHit { record { id year @include(if: $withYear) ...Owner } }
  fragment Owner on CatalogueRecord { owner { code } }
`);
const operation = document.definitions[0] as OperationDefinitionNode;
const field = operation.selectionSet.selections[0]!;
const selection = field.kind === Kind.FIELD ? field.selectionSet! : undefined!;
const fragments = fragmentsOf(document);

describe('shaping results by selection', () => {
  it('answers under aliases, follows fragments and keeps pre-shaped values as they are', () => {
    const record = preShaped({ id: 'a:1', year: 2015, owner: { code: 'a' }, extra: 'kept' });
    const value = {
      total: 3,
      hits: [{ score: 0.5, record }],
      nodes: [{ member: { __typename: 'Member', code: 'a' }, status: 'OK', tookMs: 4 }],
      facets: [],
    };
    expect(shape(selection, value, fragments)).toEqual({
      n: 3,
      hits: [{ score: 0.5, record, r2: record }],
      nodes: [{ member: { __typename: 'Member', code: 'a' }, status: 'OK' }],
    });
  });

  it('finds and unites the selections at a path, fragments included', () => {
    const records = selectionsAt(selection, ['hits', 'record'], fragments);
    expect(records).toHaveLength(2);
    const union = unionOf(records)!;
    const cut = { operation, fragments, variables: { withYear: true, unused: 1 } };
    const { query, variables } = entitiesQuery(cut, 'CatalogueRecord', union);
    // Only what the selection uses travels: $withYear and the Owner fragment, not $unused.
    expect(variables).toEqual({ withYear: true });
    expect(query).toContain('query ($representations: [_Any!]!, $withYear: Boolean!)');
    expect(query).toContain('fragment Owner on CatalogueRecord');
    expect(() => parse(query)).not.toThrow();
    expect(selectionsAt(selection, ['hits', 'heldBy'], fragments)).toEqual([]);
    // `year @include(if: $withYear)` sits in the Hit fragment's record: left out when the variable is false.
    const [inFragment] = selectionsAt(selection, ['hits', 'record'], fragments, { withYear: false });
    expect(inFragment!.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'year')).toBe(true);
    expect(
      included(
        inFragment!.selections.find((s) => s.kind === Kind.FIELD && s.name.value === 'year')!,
        { withYear: false },
      ),
    ).toBe(false);
  });
});
