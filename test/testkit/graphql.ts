import type { GraphQLFormattedError } from 'graphql';
import { signedAs } from './identity';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/**
 * POSTs an operation the way a client does and returns the parsed body (whatever the HTTP status). Requests
 * carry a coordinator's identity signed as the gateway would (subgraphs and nodes refuse unsigned ones; the
 * gateway ignores it and authenticates the caller itself); `headers` may replace it.
 */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedAs({ role: 'COORDINATOR' }), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`Non-JSON response (${response.status}) from ${url}: ${text.slice(0, 500)}`);
  }
}

/** Like `graphql` but fails the test on any error, returning `data`. */
export async function graphqlOk<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  const result = await graphql<T>(url, query, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  }
  return result.data;
}
