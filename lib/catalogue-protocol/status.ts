/** How one catalogue node took part in a network request (a search, statistics): the gateway reports it per node. */
export const NODE_SEARCH_STATUSES = ['OK', 'ERROR', 'TIMEOUT', 'UNAVAILABLE', 'SKIPPED'] as const;
export type NodeSearchStatus = (typeof NODE_SEARCH_STATUSES)[number];
