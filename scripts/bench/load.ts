import autocannon from 'autocannon';
import { percentile } from './report';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Connection errors, timeouts and answers other than 200, and 200 answers carrying GraphQL errors. */
  errors: number;
  /** Of those: no answer, or not 200. */
  httpErrors: number;
  /** Of those: 200 answers carrying `errors` (partial answers). */
  graphqlErrors: number;
  /** The first few failures, for the log. */
  samples: string[];
}

/**
 * `connections` clients posting the GraphQL `bodies` in turn for `seconds` (autocannon). Latency
 * percentiles are exact (every response's time kept; autocannon's own histogram has no p95), and an
 * answer counts as an error when it is not 200 or when it carries `errors` (`checkBodies`).
 */
export async function runLoad(options: {
  url: string;
  seconds: number;
  connections: number;
  bodies: string[];
  headers?: Record<string, string>;
  checkBodies?: boolean;
  /** How long a client waits for an answer before it gives up (counted as an error); autocannon's 10 s by default. */
  timeoutSeconds?: number;
}): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const samples: string[] = [];
  let httpErrors = 0;
  let graphqlErrors = 0;
  const sample = (what: string) => void (samples.length < 5 && samples.push(what.slice(0, 300)));
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: options.timeoutSeconds ?? 10,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: options.bodies[next++ % options.bodies.length] }),
        onResponse: (status, body) => {
          if (status !== 200) {
            httpErrors++;
            sample(`HTTP ${status}: ${body}`);
          } else if (options.checkBodies && body.includes('"errors"')) {
            // A 200 with `errors` is a failure too: a subgraph down gives partial data and errors, not a 5xx.
            graphqlErrors++;
            sample(body);
          }
        },
      },
    ],
  });
  // Without a callback autocannon returns an event emitter that is also a promise; its types say only the latter.
  (instance as unknown as autocannon.Instance).on(
    'response',
    (_client, _status, _bytes, ms) => void latencies.push(ms),
  );
  const result = await instance;
  // Connection errors and clients that gave up waiting never got an answer.
  httpErrors += result.errors + result.timeouts;
  return {
    requests: latencies.length,
    rps: latencies.length / options.seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: percentile(latencies, 1),
    errors: httpErrors + graphqlErrors,
    httpErrors,
    graphqlErrors,
    samples,
  };
}
