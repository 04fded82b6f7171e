import type { FormattedExecutionResult } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';

/** One subscription as a client holds it: its results in order, awaited one by one. */
export interface LiveSubscription<T = Record<string, any>> {
  /** The next result (waits for it; fails after `timeoutMs`). */
  next(timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** Results received and not yet taken by `next`. */
  pending(): number;
  /** Resolves when the server completed the subscription (or it failed). */
  ended: Promise<unknown>;
  close(): void;
}

/** A graphql-ws client of the gateway's /graphql, presenting `headers` as connection parameters. */
export function liveClient(httpUrl: string, headers: Record<string, string> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: headers,
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): LiveSubscription<T> {
  const results: Array<FormattedExecutionResult<T, unknown>> = [];
  const waiting: Array<(r: FormattedExecutionResult<T, unknown>) => void> = [];
  let finish!: (value: unknown) => void;
  const ended = new Promise((resolve) => (finish = resolve));
  const push = (result: FormattedExecutionResult<T, unknown>) => {
    const waiter = waiting.shift();
    if (waiter) waiter(result);
    else results.push(result);
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => push(result),
      // A refusal by the server (graphql-ws `error`) arrives as errors, like a refused result.
      error: (error) => {
        const errors = Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }];
        push({ errors });
        finish(error);
      },
      complete: () => finish(undefined),
    },
  );
  return {
    next: (timeoutMs = 20_000) => {
      const ready = results.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no subscription result within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      });
    },
    pending: () => results.length,
    ended,
    close: unsubscribe,
  };
}
