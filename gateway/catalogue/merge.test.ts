import { type NodeHit, compareHits, mergeFacets, mergeHits, nodeDepth } from './merge';

const hit = (member: string, rank: number, score: number, fields: Partial<NodeHit> = {}): NodeHit => ({
  member,
  rank,
  score,
  id: `${member}:${rank}`,
  editionKey: null,
  year: null,
  title: `${member} ${rank}`,
  ...fields,
});

describe('merging network search hits', () => {
  it('orders by score across nodes, ties by rank on their node, then member', () => {
    const big = [hit('big', 0, 0.5), hit('big', 1, 0.5), hit('big', 2, 0.5), hit('big', 3, 0.2)];
    const small = [hit('small', 0, 0.5), hit('small', 1, 0.4)];
    const merged = mergeHits([big, small], 'RELEVANCE', true, 'RECORD').map((m) => m.best.id);
    // Equal scores interleave by position: the big catalogue does not fill the page with its ties.
    expect(merged).toEqual(['big:0', 'small:0', 'big:1', 'big:2', 'small:1', 'big:3']);
  });

  it('orders by title without a text query, and by year with nulls last either way', () => {
    const a = [hit('a', 0, 0, { title: 'Ёлка', year: 2001 }), hit('a', 1, 0, { title: 'яблоко', year: null })];
    const b = [hit('b', 0, 0, { title: 'Аз', year: 1999 }), hit('b', 1, 0, { title: 'елка', year: 2020 })];
    expect(mergeHits([a, b], 'RELEVANCE', false, 'RECORD').map((m) => m.best.title)).toEqual([
      'Аз',
      'Ёлка',
      'елка',
      'яблоко',
    ]);
    expect(mergeHits([a, b], 'YEAR_DESC', true, 'RECORD').map((m) => m.best.year)).toEqual([2020, 2001, 1999, null]);
    expect(mergeHits([a, b], 'YEAR_ASC', true, 'RECORD').map((m) => m.best.year)).toEqual([1999, 2001, 2020, null]);
    expect(compareHits('TITLE', true)(a[0]!, b[0]!)).toBeGreaterThan(0);
  });

  it('groups one edition where its best hit is, keeping every copy of it', () => {
    const a = [hit('a', 0, 0.9, { editionKey: 'isbn:1' }), hit('a', 1, 0.3, { editionKey: 'isbn:2' })];
    const b = [
      hit('b', 0, 0.6, { editionKey: 'isbn:2' }),
      hit('b', 1, 0.5, { editionKey: 'isbn:1' }),
      hit('b', 2, 0.1),
    ];
    const grouped = mergeHits([a, b], 'RELEVANCE', true, 'EDITION');
    expect(grouped.map((g) => [g.key, g.best.id, g.hits.map((h) => h.id)])).toEqual([
      ['isbn:1', 'a:0', ['a:0', 'b:1']],
      ['isbn:2', 'b:0', ['b:0', 'a:1']],
      ['record:b:2', 'b:2', ['b:2']],
    ]);
  });

  it('asks nodes deep enough for the page, more when grouping, never past the cap', () => {
    expect(nodeDepth(0, 20, 'RECORD', 1000)).toBe(20);
    expect(nodeDepth(40, 20, 'RECORD', 1000)).toBe(60);
    expect(nodeDepth(40, 20, 'EDITION', 1000)).toBe(120);
    expect(nodeDepth(900, 100, 'EDITION', 1000)).toBe(1000);
  });

  it('sums facet counts per value and keeps the most frequent', () => {
    const merged = mergeFacets(
      [
        [
          {
            field: 'LANGUAGE',
            values: [
              { value: 'rus', count: 5 },
              { value: 'eng', count: 1 },
            ],
          },
        ],
        [
          {
            field: 'LANGUAGE',
            values: [
              { value: 'eng', count: 2 },
              { value: 'ger', count: 2 },
            ],
          },
        ],
        [{ field: 'LIBRARY', values: [{ value: 'kemrsl', count: 8 }] }],
      ],
      2,
    );
    expect(merged).toEqual([
      {
        field: 'LANGUAGE',
        values: [
          { value: 'rus', count: 5 },
          { value: 'eng', count: 3 },
        ],
      },
      { field: 'LIBRARY', values: [{ value: 'kemrsl', count: 8 }] },
    ]);
  });
});
