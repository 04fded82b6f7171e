import type { Search } from './batch-search';
import type { SubgraphContext } from '../../lib/subgraph';

/**
 * What a catalogue resolver gets: the entity manager and loaders of the one member the request is for
 * (a hosted node serves several members, each from its own schema) and that member's code.
 */
export interface CatalogueContext extends SubgraphContext {
  member: { code: string };
  /** In a batch of several members' operations: the batch's search, which runs theirs together. */
  search?: Search;
}
