/**
 * Merging one network search from the answers of many catalogue nodes: comparable ordering, grouping of
 * the same edition held by several libraries, and paging. Pure functions; the router does the I/O.
 *
 * Ordering by relevance. A node scores a hit with ts_rank_cd normalised to r / (r + 1): it depends only on
 * the record and the query, never on the rest of the catalogue — no collection statistics such as the IDF of
 * tf-idf or BM25, which a small catalogue would inflate for its rare words and a big one would dampen. The
 * scores of different nodes are therefore already on one scale: merging by score gives the order one
 * database holding every library's records would give, and a big catalogue gains nothing from its size
 * beyond having more good matches. Ties (equal scores) go by position on their own node, then member code
 * and id, so equally good hits of several libraries interleave rather than one library's coming first.
 * The other orders (year, title) merge by the same keys the nodes sort by; titles compare with Russian
 * collation (case-insensitive), which may differ from a node's database collation in rare ties.
 */

export type SortOrder = 'RELEVANCE' | 'YEAR_DESC' | 'YEAR_ASC' | 'TITLE';
export type Grouping = 'RECORD' | 'EDITION';

/** One hit as a node returned it, with its position there. */
export interface NodeHit {
  member: string;
  /** 0-based position in the node's own order. */
  rank: number;
  score: number;
  id: string;
  editionKey: string | null;
  year: number | null;
  title: string;
  /** The record as the client asked for it, when the node sent it with the hit. */
  payload?: unknown;
}

/** One hit of the network result: a record, or an edition with every hit of it that was fetched. */
export interface MergedHit {
  /** What `heldBy` is looked up by: the edition key, or `record:<id>` for a record without one. */
  key: string;
  /** The hit whose record the result shows (the best of the group). */
  best: NodeHit;
  /** Every fetched hit in the group, best first (one without grouping). */
  hits: NodeHit[];
}

const collator = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });

function compareYear(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === b) return 0;
  if (a === null) return 1; // without a year: last in both directions
  if (b === null) return -1;
  return (a - b) * direction;
}

/** The order of two hits from any nodes. `textQuery`: whether relevance has a text query to rank by. */
export function compareHits(sort: SortOrder, textQuery: boolean): (a: NodeHit, b: NodeHit) => number {
  const byTitle = (a: NodeHit, b: NodeHit) => collator.compare(a.title, b.title) || a.id.localeCompare(b.id);
  switch (sort) {
    case 'YEAR_DESC':
      return (a, b) => compareYear(a.year, b.year, -1) || byTitle(a, b);
    case 'YEAR_ASC':
      return (a, b) => compareYear(a.year, b.year, 1) || byTitle(a, b);
    case 'TITLE':
      return byTitle;
    case 'RELEVANCE':
      // Without words to rank by, nodes list by title (an ISBN lookup scores every hit 1).
      if (!textQuery) return (a, b) => b.score - a.score || byTitle(a, b);
      return (a, b) =>
        b.score - a.score || a.rank - b.rank || a.member.localeCompare(b.member) || a.id.localeCompare(b.id);
  }
}

/** The key a hit is grouped and `heldBy` is looked up by. */
export const holdingKey = (hit: NodeHit): string => hit.editionKey ?? `record:${hit.id}`;

/** All nodes' hits in one order, grouped by edition when asked (a group sits where its best hit does). */
export function mergeHits(perNode: NodeHit[][], sort: SortOrder, textQuery: boolean, grouping: Grouping): MergedHit[] {
  const all = perNode.flat().sort(compareHits(sort, textQuery));
  if (grouping === 'RECORD') return all.map((hit) => ({ key: holdingKey(hit), best: hit, hits: [hit] }));
  const groups = new Map<string, MergedHit>();
  for (const hit of all) {
    const key = holdingKey(hit);
    const group = groups.get(key);
    if (group) group.hits.push(hit);
    else groups.set(key, { key, best: hit, hits: [hit] });
  }
  return [...groups.values()];
}

/**
 * How many hits to ask each node for, to merge hits `offset` to `offset + first`: every one of the network's
 * first `offset + first` hits is among the first that many of its own node. Grouped, more: a library may
 * hold an edition twice, and then a node's first hits hold fewer editions than hits.
 */
export function nodeDepth(offset: number, first: number, grouping: Grouping, max: number): number {
  const depth = offset + first;
  return Math.min(max, grouping === 'EDITION' ? depth * 2 : depth);
}

export interface FacetList {
  field: string;
  values: Array<{ value: string; count: number }>;
}

/** Facets of several nodes as one: counts summed per value, most frequent first (ties by value), top `limit`. */
export function mergeFacets(lists: FacetList[][], limit: number): FacetList[] {
  const fields = new Map<string, Map<string, number>>();
  for (const list of lists) {
    for (const facet of list) {
      const counts = fields.get(facet.field) ?? new Map<string, number>();
      for (const v of facet.values) counts.set(v.value, (counts.get(v.value) ?? 0) + v.count);
      fields.set(facet.field, counts);
    }
  }
  return [...fields].map(([field, counts]) => ({
    field,
    values: [...counts]
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0]))
      .slice(0, limit)
      .map(([value, count]) => ({ value, count })),
  }));
}
