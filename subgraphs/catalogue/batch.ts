import type { GraphQLResponse } from '@apollo/server';
import type express from 'express';
import type { Logger } from '../../lib/logger';
import { BatchSearches, type Search, type SearchesAnswered } from './batch-search';

/** Most member requests one batch may carry (a hosted node serves tens of members, not thousands). */
export const MAX_BATCH_REQUESTS = 256;
/** Longest a batch may ask the node to work before answering with what it has. */
export const MAX_BATCH_DEADLINE_MS = 60_000;

/** One operation for several of this node's members: `POST /batch/graphql`. */
export interface BatchRequest {
  query: string;
  operationName?: string;
  requests: Array<{ member: string; variables?: Record<string, unknown> }>;
  /** Answer within this many milliseconds with what is done; the rest are reported as timed out. */
  deadlineMs?: number;
}

/** Each member's answer, in the order asked: its GraphQL response, or why there is none. */
export interface BatchAnswer {
  results: Array<
    | { member: string; status: number; body: { data?: unknown; errors?: readonly unknown[] } }
    | { member: string; timeout: true }
    | { member: string; unknown: true }
  >;
}

type Execute = (
  member: string,
  request: { query: string; operationName?: string; variables?: Record<string, unknown> },
  res: express.Response,
  /** The batch's gathered search, for the member's resolvers (see batch-search.ts). */
  search: Search,
) => Promise<GraphQLResponse>;

/** What is wrong with a batch body, or null. */
function invalid(body: unknown): string | null {
  const b = body as Partial<BatchRequest> | null;
  if (!b || typeof b !== 'object') return 'expected a JSON object';
  if (typeof b.query !== 'string' || !b.query) return 'query: expected a GraphQL document';
  if (b.operationName !== undefined && typeof b.operationName !== 'string') return 'operationName: expected a string';
  if (!Array.isArray(b.requests) || b.requests.length === 0) return 'requests: expected a non-empty list';
  if (b.requests.length > MAX_BATCH_REQUESTS) return `requests: at most ${MAX_BATCH_REQUESTS}`;
  for (const r of b.requests as unknown[]) {
    const request = r as { member?: unknown; variables?: unknown } | null;
    if (!request || typeof request.member !== 'string') return 'requests: each needs a member code';
    if (request.variables !== undefined && (typeof request.variables !== 'object' || request.variables === null))
      return 'requests: variables must be an object';
  }
  if (
    b.deadlineMs !== undefined &&
    (typeof b.deadlineMs !== 'number' || !(b.deadlineMs > 0) || b.deadlineMs > MAX_BATCH_DEADLINE_MS)
  )
    return `deadlineMs: expected 1 to ${MAX_BATCH_DEADLINE_MS}`;
  return null;
}

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
    const problem = invalid(req.body);
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
