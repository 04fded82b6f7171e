/**
 * Limits both sides of the wire between the gateway and the catalogue nodes must agree on: paging and facets
 * of search (a network search merges nodes' pages), batches to a hosted node, statistics.
 */

export const DEFAULT_FIRST = 20;
/** Largest page a node answers: the gateway asks each node for up to this many hits to merge a network page. */
export const MAX_FIRST = 1000;
/** Largest page of a network search through the gateway (offset + first there is capped at MAX_FIRST). */
export const NETWORK_MAX_FIRST = 100;
/** Values returned per facet, most frequent first. */
export const MAX_FACET_VALUES = 50;
/**
 * Matches (as the node's sample estimates them) up to which a search counts its total and facets exactly, and
 * the largest `exactUpTo`; beyond, they are estimated from the sample. Counting a match costs ≈ 8 µs on the
 * packaged PostgreSQL settings (its row is read from outside `shared_buffers`): 5 000 keep a search near
 * 40 ms. A network search shares it among the catalogues it asks.
 */
export const EXACT_UP_TO = 5000;

/** Most member requests one batch may carry (a hosted node serves tens of members, not thousands). */
export const MAX_BATCH_REQUESTS = 256;
/** Longest a batch may ask the node to work before answering with what it has. */
export const MAX_BATCH_DEADLINE_MS = 60_000;

/** How many of the most widely held titles statistics list. */
export const MOST_WIDELY_HELD = 20;
