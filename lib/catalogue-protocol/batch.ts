import { MAX_BATCH_DEADLINE_MS, MAX_BATCH_REQUESTS } from './limits';

/** One operation for several of a hosted node's members: `POST /batch/graphql`. */
export interface BatchRequest {
  query: string;
  operationName?: string;
  requests: Array<{ member: string; variables?: Record<string, unknown> }>;
  /** Answer within this many milliseconds with what is done; the rest are reported as timed out. */
  deadlineMs?: number;
}

/** One member's part of a batch answer: its GraphQL response, or why there is none. */
export type BatchResult =
  | { member: string; status: number; body: { data?: unknown; errors?: readonly unknown[] } }
  | { member: string; timeout: true }
  | { member: string; unknown: true };

/** Each member's answer, in the order asked. */
export interface BatchAnswer {
  results: BatchResult[];
}

/** What is wrong with a batch body, or null: the node refuses it whole with this reason. */
export function invalidBatchRequest(body: unknown): string | null {
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
