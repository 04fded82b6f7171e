import type { EntityManager } from '../../lib/orm';
import { searchCatalogue, searchCatalogues, type SearchArgs, type SearchResult } from './search';

/** A catalogue search as a resolver runs it: alone, or gathered with its batch's others. */
export type Search = (em: EntityManager, args: SearchArgs) => Promise<SearchResult>;

/** How a node's batched searches were answered: together with the batch's others, or alone. */
export interface SearchesAnswered {
  together: number;
  alone: number;
}

interface Pending {
  em: EntityManager;
  args: SearchArgs;
  key: string;
  resolve: (result: SearchResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The searches of one batch (`POST /batch/graphql`), gathered so that a hosted node answers a network search
 * for all its members in one go (`searchCatalogues`: one statement per step for every member instead of a
 * transaction each). Each member's operation still runs through Apollo's pipeline in its own context; its
 * `catalogueSearch` hands the search here and waits. When every operation of the batch that is still running
 * waits here, the gathered searches run: those with the same arguments together, any other alone. No timer is
 * involved: an operation that has ended, or waits on something else, is not waited for.
 */
export class BatchSearches {
  private running = 0;
  private readonly waiting = new Set<object>();
  private pending: Pending[] = [];
  /**
   * @param answered searches answered so far, together with others and alone: this batch's own counts by
   *   default, or the node's (its `/health` reports them).
   */
  constructor(readonly answered: SearchesAnswered = { together: 0, alone: 0 }) {}

  /** One operation of the batch begins: its search function, and `end` to call once it has ended. */
  begin(): { search: Search; end: () => void } {
    const operation = {};
    this.running++;
    return {
      search: (em, args) =>
        new Promise<SearchResult>((resolve, reject) => {
          this.pending.push({ em, args, key: JSON.stringify(args), resolve, reject });
          this.waiting.add(operation);
          this.runIfAllWait();
        }),
      end: () => {
        this.running--;
        this.waiting.delete(operation);
        this.runIfAllWait();
      },
    };
  }

  private runIfAllWait(): void {
    if (!this.pending.length || this.waiting.size < this.running) return;
    const pending = this.pending;
    this.pending = [];
    this.waiting.clear();
    const groups = new Map<string, Pending[]>();
    for (const p of pending) groups.set(p.key, [...(groups.get(p.key) ?? []), p]);
    for (const group of groups.values()) {
      const alone = (p: Pending) => {
        this.answered.alone++;
        return searchCatalogue(p.em, p.args).then(p.resolve, p.reject);
      };
      if (group.length === 1) {
        void alone(group[0]!);
        continue;
      }
      searchCatalogues(
        group.map((p) => p.em),
        group[0]!.args,
      ).then(
        // Null: one by one, each member answered as soon as its own search is done.
        (results) => {
          if (!results) {
            for (const p of group) void alone(p);
            return;
          }
          this.answered.together += group.length;
          group.forEach((p, i) => p.resolve(results[i]!));
        },
        (error: unknown) => group.forEach((p) => p.reject(error)),
      );
    }
  }
}
