import { type NodeContribution, type NodeFigures, decodeDigest, mergeCatalogues } from './statistics';

function figures(member: string, over: Partial<NodeFigures> = {}): NodeFigures {
  return {
    member,
    version: '1',
    computedAt: '2026-01-01T00:00:00.000Z',
    records: 0,
    addedInPeriod: 0,
    byMaterialType: [],
    byLanguage: [],
    byDecade: [],
    byBbkClass: [],
    additionsPerMonth: [],
    lastImportAt: null,
    lastImportStatus: null,
    editions: 0,
    unkeyed: 0,
    digest: null,
    ...over,
  };
}

const node = (member: string, hashes: number[], over: Partial<NodeFigures> = {}): NodeContribution => ({
  figures: figures(member, over),
  hashes: Float64Array.from(hashes).sort(),
});

describe('decodeDigest', () => {
  it('reads 8-byte big-endian hashes up to 52 bits exactly, sorted', () => {
    const values = [2 ** 52 - 1, 0, 4249795189020515, 5];
    const bytes = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => bytes.writeBigUInt64BE(BigInt(v), i * 8));
    expect([...decodeDigest(bytes.toString('base64'))]).toEqual([0, 5, 4249795189020515, 2 ** 52 - 1]);
    expect(decodeDigest('')).toHaveLength(0);
  });
});

describe('mergeCatalogues', () => {
  it('counts each edition once, how many libraries hold it and what only one holds', () => {
    const merged = mergeCatalogues(
      [
        node('a', [1, 2, 3, 10], {
          records: 5,
          unkeyed: 1,
          byLanguage: [
            ['rus', 4],
            ['eng', 1],
          ],
        }),
        node('b', [2, 3, 11], { records: 3, byLanguage: [['rus', 3]] }),
        node('c', [3, 12], { records: 2, byDecade: [['1990', 2]] }),
        node('d', [], { records: 0 }),
      ],
      2,
    );
    expect(merged).toMatchObject({
      records: 10,
      uniqueTitles: 6 + 1,
      heldByOne: 4 + 1,
      heldBySeveral: 2,
      holders: [
        [1, 5],
        [2, 1],
        [3, 1],
      ],
      byLanguage: [
        ['rus', 7],
        ['eng', 1],
      ],
      onlyHere: [3, 1, 1, 0],
      mostWidelyHeld: [
        { hash: 3, holders: [0, 1, 2] },
        { hash: 2, holders: [0, 1] },
      ],
    });
  });

  it('keeps the most widely held, ties in hash order, and nothing held by one library', () => {
    const merged = mergeCatalogues([node('a', [7, 8, 9, 1]), node('b', [9, 8, 7]), node('c', [5])], 2);
    expect(merged.mostWidelyHeld).toEqual([
      { hash: 7, holders: [0, 1] },
      { hash: 8, holders: [0, 1] },
    ]);
    expect(mergeCatalogues([node('a', [1, 2])], 5).mostWidelyHeld).toEqual([]);
    expect(mergeCatalogues([], 5)).toMatchObject({ records: 0, uniqueTitles: 0, holders: [] });
  });
});
