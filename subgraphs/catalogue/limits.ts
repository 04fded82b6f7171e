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
