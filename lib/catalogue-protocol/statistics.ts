import type { NodeSearchStatus } from './status';

/**
 * Catalogue statistics of many nodes merged into the network's figures — by the gateway over every node of
 * a scope, and by a node over itself alone (so one node answers the same shape it contributes).
 *
 * Titles are counted across libraries without moving records: each node sends a digest of its catalogue,
 * the sorted 52-bit hashes of its distinct edition keys (edition-key.ts; 8 bytes an edition, cached by the
 * gateway until the node's catalogue changes). Merging the sorted digests counts every edition once and
 * tells how many libraries hold it. The counts are exact unless two different editions share a hash:
 * with n editions network-wide the expected number of such pairs is n² / 2⁵³ (0.0004 at two million).
 * Records without an edition key (no ISBN and no title) cannot match another library's: each is a title
 * of its own, held by one library.
 */

/** What one node reports for a scope (the wire format of `_catalogueFigures`, JSON). */
export interface NodeFigures {
  member: string;
  /** Changes whenever the catalogue may have changed (an import finished, records were added or removed). */
  version: string;
  computedAt: string;
  records: number;
  addedInPeriod: number;
  byMaterialType: Array<[string, number]>;
  byLanguage: Array<[string, number]>;
  byDecade: Array<[string, number]>;
  byBbkClass: Array<[string, number]>;
  /** `YYYY-MM` (the network's time zone) → records first imported that month, within the period. */
  additionsPerMonth: Array<[string, number]>;
  lastImportAt: string | null;
  lastImportStatus: string | null;
  /** Distinct edition keys. */
  editions: number;
  /** Records without an edition key. */
  unkeyed: number;
  /** Base64 of the sorted edition hashes, 8 bytes each (big-endian); null when the caller holds this version. */
  digest: string | null;
}

/** A node's sorted edition hashes as numbers (52 bits: exact in a double). */
export function decodeDigest(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  const hashes = new Float64Array(bytes.length / 8);
  for (let i = 0; i < hashes.length; i++) {
    hashes[i] = bytes.readUInt32BE(i * 8) * 2 ** 32 + bytes.readUInt32BE(i * 8 + 4);
  }
  // The database sorts them already; sorting again costs little and guards the merge.
  return hashes.sort();
}

export interface NodeContribution {
  figures: NodeFigures;
  hashes: Float64Array;
}

export interface WidelyHeld {
  hash: number;
  /** Indexes into the contributions of the libraries holding it. */
  holders: number[];
}

export interface MergedCatalogue {
  records: number;
  addedInPeriod: number;
  uniqueTitles: number;
  heldByOne: number;
  heldBySeveral: number;
  /** libraries → titles held by exactly that many libraries. */
  holders: Array<[number, number]>;
  byMaterialType: Array<[string, number]>;
  byLanguage: Array<[string, number]>;
  byDecade: Array<[string, number]>;
  byBbkClass: Array<[string, number]>;
  additionsPerMonth: Array<[string, number]>;
  /** Per contribution: titles no other covered library holds. */
  onlyHere: number[];
  mostWidelyHeld: WidelyHeld[];
}

function sumPairs(lists: Array<Array<[string, number]>>, order: 'count' | 'key'): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const list of lists) for (const [key, n] of list) sums.set(key, (sums.get(key) ?? 0) + n);
  return [...sums].sort(
    order === 'count' ? (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]) : (a, b) => a[0].localeCompare(b[0]),
  );
}

/** Min-heap of (hash, contribution) heads for the k-way merge. */
class Heads {
  private readonly hash: number[] = [];
  private readonly from: number[] = [];
  get size(): number {
    return this.hash.length;
  }
  push(hash: number, from: number): void {
    let i = this.hash.length;
    this.hash.push(hash);
    this.from.push(from);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.hash[parent]! <= hash) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  peekHash(): number {
    return this.hash[0]!;
  }
  pop(): number {
    const from = this.from[0]!;
    const lastHash = this.hash.pop()!;
    const lastFrom = this.from.pop()!;
    if (this.hash.length) {
      this.hash[0] = lastHash;
      this.from[0] = lastFrom;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < this.hash.length && this.hash[l]! < this.hash[smallest]!) smallest = l;
        if (r < this.hash.length && this.hash[r]! < this.hash[smallest]!) smallest = r;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return from;
  }
  private swap(a: number, b: number): void {
    [this.hash[a], this.hash[b]] = [this.hash[b]!, this.hash[a]!];
    [this.from[a], this.from[b]] = [this.from[b]!, this.from[a]!];
  }
}

/**
 * Merges the contributions of the nodes of a scope. `top` is how many of the most widely held editions to
 * keep (held by at least two libraries; most holders first, ties by hash for a stable order).
 */
export function mergeCatalogues(contributions: readonly NodeContribution[], top: number): MergedCatalogue {
  const holdersByCount = new Map<number, number>();
  const onlyHere = contributions.map((c) => c.figures.unkeyed);
  let unique = 0;
  let one = 0;
  // The most widely held so far, kept small: a sorted array of at most `top`.
  const best: WidelyHeld[] = [];
  const heads = new Heads();
  const position = contributions.map(() => 0);
  contributions.forEach((c, i) => c.hashes.length && heads.push(c.hashes[0]!, i));
  while (heads.size) {
    const hash = heads.peekHash();
    const holders: number[] = [];
    while (heads.size && heads.peekHash() === hash) {
      const from = heads.pop();
      // A node's digest has each hash once; skip duplicates should a digest repeat one.
      if (holders[holders.length - 1] !== from) holders.push(from);
      const next = ++position[from]!;
      const hashes = contributions[from]!.hashes;
      if (next < hashes.length) heads.push(hashes[next]!, from);
    }
    unique++;
    holdersByCount.set(holders.length, (holdersByCount.get(holders.length) ?? 0) + 1);
    if (holders.length === 1) {
      one++;
      onlyHere[holders[0]!]!++;
    } else if (top > 0 && (best.length < top || holders.length > best[best.length - 1]!.holders.length)) {
      let at = best.length;
      while (at > 0 && best[at - 1]!.holders.length < holders.length) at--;
      best.splice(at, 0, { hash, holders: holders.sort((a, b) => a - b) });
      if (best.length > top) best.pop();
    }
  }
  const unkeyed = contributions.reduce((sum, c) => sum + c.figures.unkeyed, 0);
  if (unkeyed) holdersByCount.set(1, (holdersByCount.get(1) ?? 0) + unkeyed);
  // A breakdown summed over the nodes, ordered by count or by key.
  const summed = (
    field: 'byMaterialType' | 'byLanguage' | 'byDecade' | 'byBbkClass' | 'additionsPerMonth',
    by: 'count' | 'key',
  ) =>
    sumPairs(
      contributions.map((c) => c.figures[field]),
      by,
    );
  return {
    records: contributions.reduce((sum, c) => sum + c.figures.records, 0),
    addedInPeriod: contributions.reduce((sum, c) => sum + c.figures.addedInPeriod, 0),
    uniqueTitles: unique + unkeyed,
    heldByOne: one + unkeyed,
    heldBySeveral: unique - one,
    holders: [...holdersByCount].sort((a, b) => a[0] - b[0]),
    byMaterialType: summed('byMaterialType', 'count'),
    byLanguage: summed('byLanguage', 'count'),
    byDecade: summed('byDecade', 'key'),
    byBbkClass: summed('byBbkClass', 'count'),
    additionsPerMonth: summed('additionsPerMonth', 'key'),
    onlyHere,
    mostWidelyHeld: best,
  };
}

export const TITLES_METHOD =
  'Titles are editions after de-duplication (same ISBN, else same normalised title, first author and year). Each catalogue node sends the sorted 52-bit hashes of its distinct edition keys, never its records; merging them counts each edition once and how many libraries hold it. Counts are exact unless two editions share a hash: about n² / 2⁵³ such pairs are expected among n editions (0.0004 at two million). Records without an edition key count as titles of their own, held by one library.';

/** A record behind an edition hash, as `_catalogueEditions` reports it. */
export interface EditionTitle {
  hash: string;
  title: string | null;
  authors: string[];
  year: number | null;
  isbn: string | null;
}

/** How one node of a scope answered (the gateway's call, or the node itself). */
export interface NodeAnswer {
  member: string;
  status: NodeSearchStatus;
  tookMs: number | null;
  contribution: NodeContribution | null;
}

/**
 * The public `CatalogueStatistics` of merged figures (plain objects with `__typename`, as the gateway
 * shapes them to a selection; members as `{ __typename: 'Member', code }` references).
 */
export function catalogueStatistics(
  answers: readonly NodeAnswer[],
  merged: MergedCatalogue,
  contributions: readonly NodeContribution[],
  titles: ReadonlyMap<number, EditionTitle>,
  computedAt: Date,
) {
  const member = (code: string) => ({ __typename: 'Member' as const, code });
  const counts = (pairs: Array<[string, number]>) =>
    pairs.map(([key, count]) => ({ __typename: 'StatisticsCount', key, count }));
  const index = new Map(contributions.map((c, i) => [c, i]));
  return {
    __typename: 'CatalogueStatistics',
    computedAt,
    complete: answers.every((a) => a.status === 'OK'),
    records: merged.records,
    addedInPeriod: merged.addedInPeriod,
    uniqueTitles: merged.uniqueTitles,
    heldByOneLibrary: merged.heldByOne,
    heldBySeveralLibraries: merged.heldBySeveral,
    titlesByHolders: merged.holders.map(([libraries, n]) => ({ __typename: 'HolderCount', libraries, titles: n })),
    method: TITLES_METHOD,
    byMaterialType: counts(merged.byMaterialType),
    byLanguage: counts(merged.byLanguage),
    byDecade: counts(merged.byDecade),
    byBbkClass: counts(merged.byBbkClass),
    additionsPerMonth: merged.additionsPerMonth.map(([month, count]) => ({ __typename: 'MonthCount', month, count })),
    byLibrary: answers.map((a) => {
      const f = a.contribution?.figures;
      const i = a.contribution ? index.get(a.contribution) : undefined;
      return {
        __typename: 'LibraryCatalogueFigures',
        member: member(a.member),
        status: a.status,
        tookMs: a.tookMs,
        records: f?.records ?? null,
        addedInPeriod: f?.addedInPeriod ?? null,
        titles: f ? f.editions + f.unkeyed : null,
        uniqueTitles: i === undefined ? null : merged.onlyHere[i]!,
        lastImportAt: f?.lastImportAt ? new Date(f.lastImportAt) : null,
        lastImportStatus: f?.lastImportStatus ?? null,
        computedAt: f ? new Date(f.computedAt) : null,
      };
    }),
    mostWidelyHeld: merged.mostWidelyHeld.map((w) => {
      const title = titles.get(w.hash);
      return {
        __typename: 'WidelyHeldTitle',
        title: title?.title ?? null,
        authors: title?.authors ?? [],
        year: title?.year ?? null,
        isbn: title?.isbn ?? null,
        libraries: w.holders.length,
        heldBy: w.holders.map((h) => member(contributions[h]!.figures.member)),
      };
    }),
  };
}
