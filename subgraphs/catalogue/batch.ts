import type { GraphQLResponse } from '@apollo/server';
import type express from 'express';
import {
  type BatchAnswer,
  type BatchRequest,
  MAX_BATCH_DEADLINE_MS,
  invalidBatchRequest,
} from '../../lib/catalogue-protocol';
import type { Logger } from '../../lib/logger';
import { BatchSearches, type Search, type SearchesAnswered } from './batch-search';

type Execute = (
  member: string,
  request: { query: string; operationName?: string; variables?: Record<string, unknown> },
  res: express.Response,
  /** The batch's gathered search, for the member's resolvers (see batch-search.ts). */
  search: Search,
) => Promise<GraphQLResponse>;

/**
 * Runs one operation for several of the node's members, each in its own catalogue with its own context,
 * through Apollo's whole request pipeline (validation, error formatting), `concurrency` at a time. At the deadline
 * it answers at once: members whose work is not done are reported as timed out (their statements still end
 * by their own time limits), so one slow catalogue costs the gateway that member, not the whole node.
 */
export function batchHandler(options: {
  members: readonly string[];
  /**
   * Member requests worked on at once. Each is one search or lookup in its own catalogue's schema; a few
   * per database core keep PostgreSQL busy without every member's statement competing at once.
   */
  concurrency: number;
  execute: Execute;
  logger: Logger;
  /** The node's count of batched searches, by how they were answered (see batch-search.ts). */
  searches?: SearchesAnswered;
}): express.RequestHandler {
  const served = new Set(options.members);
  return async (req, res) => {
    const problem = invalidBatchRequest(req.body);
    if (problem) {
      res.status(400).json({ error: `Invalid batch: ${problem}` });
      return;
    }
    const batch = req.body as BatchRequest;
    const results: BatchAnswer['results'] = batch.requests.map(({ member }) => ({ member, timeout: true }));
    const searches = new BatchSearches(options.searches);
    let next = 0;
    let expired = false;
    const worker = async () => {
      while (!expired && next < batch.requests.length) {
        const index = next++;
        const { member, variables } = batch.requests[index]!;
        if (!served.has(member)) {
          results[index] = { member, unknown: true };
          continue;
        }
        const operation = searches.begin();
        let response: GraphQLResponse;
        try {
          response = await options.execute(
            member,
            { query: batch.query, operationName: batch.operationName, variables },
            res,
            operation.search,
          );
        } finally {
          operation.end();
        }
        if (expired) return;
        const body =
          response.body.kind === 'single'
            ? response.body.singleResult
            : { errors: [{ message: 'Incremental delivery is not supported in a batch' }] };
        results[index] = { member, status: response.http.status ?? 200, body };
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, batch.deadlineMs ?? MAX_BATCH_DEADLINE_MS);
    });
    try {
      await Promise.race([
        Promise.all(Array.from({ length: Math.min(options.concurrency, batch.requests.length) }, worker)),
        deadline,
      ]);
    } catch (error) {
      options.logger.error({ err: error }, 'batch failed');
      res.status(500).json({ error: 'The batch failed on the node' });
      return;
    } finally {
      clearTimeout(timer);
    }
    if (expired) {
      const late = results.filter((r) => 'timeout' in r).map((r) => r.member);
      options.logger.warn(
        { late, deadlineMs: batch.deadlineMs },
        'batch answered at its deadline without some members',
      );
    }
    res.json({ results } satisfies BatchAnswer);
  };
}
