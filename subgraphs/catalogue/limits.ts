/**
 * Paging and facet limits of catalogue search, shared by the nodes (search.ts) and the gateway's network
 * search (gateway/catalogue-router.ts), which merges nodes' pages and so must agree with them.
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
