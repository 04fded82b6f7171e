import CircuitBreaker from 'opossum';
import type { GraphQLFormattedError } from 'graphql';
import { type HttpAnswer, HttpPoster, HttpPostFailure } from '../lib/http-post';
import { IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';
import type { Logger } from '../lib/logger';
import type { CatalogueRegistry } from './catalogue-registry';
import type { GatewayMetrics } from './metrics';

export type Json = Record<string, unknown>;

export interface GraphQLResponse {
  data?: Json | null;
  errors?: GraphQLFormattedError[];
}

/** How one request to a catalogue node went. */
export type NodeCallStatus = 'OK' | 'ERROR' | 'TIMEOUT' | 'UNAVAILABLE' | 'SKIPPED';

export interface NodeCall {
  member: string;
  status: NodeCallStatus;
  /** Milliseconds from sending to the answer (retries included); null when the node was not asked. */
  tookMs: number | null;
  /** The node's answer: always for OK, sometimes for ERROR (GraphQL errors without data). */
  body: GraphQLResponse | null;
  /** Why the call failed; null for OK. */
  error: string | null;
}

export interface NodeClientOptions {
  /** Time limit of one call, retries included. */
  timeoutMs: number;
  /** Signs the caller's identity on every call (lib/identity.ts). */
  secret: string;
  /** How many times a read is sent again after a connection failure (never after a timeout). */
  retries: number;
  /** How long an open circuit skips its node before letting one probe request through. */
  breakerResetMs: number;
}

class NodeFailure extends Error {
  constructor(
    readonly status: Exclude<NodeCallStatus, 'OK' | 'SKIPPED'>,
    message: string,
    readonly body: GraphQLResponse | null = null,
  ) {
    super(message);
  }
}

type Action = (
  url: string,
  query: string,
  variables: Json,
  retry: boolean,
  member: string,
  timeoutMs: number,
  identity: string,
) => Promise<GraphQLResponse>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an answer is a failure of the node rather than of the request (bad input is the caller's). */
function failedAnswer(body: GraphQLResponse): boolean {
  if (!body.errors?.length) return false;
  if (body.errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) return false;
  const roots = body.data ? Object.values(body.data) : [];
  return roots.length === 0 || roots.every((v) => v === null);
}

/**
 * Sends GraphQL requests to catalogue nodes with a time limit, retries of reads after connection failures,
 * and a circuit breaker per node (opossum): a node failing at least half of its requests (of three or more
 * in ten seconds) is skipped for `breakerResetMs`, then one request probes it and a success closes the
 * circuit again. Never throws: every outcome is a NodeCall, counted in the metrics.
 */
export class CatalogueNodeClient {
  private readonly breakers = new Map<
    string,
    { url: string; breaker: CircuitBreaker<Parameters<Action>, GraphQLResponse> }
  >();

  // Connections to nodes are reused; a fan-out opens at most this many to one node at once.
  private readonly poster = new HttpPoster();

  constructor(
    private readonly registry: CatalogueRegistry,
    private readonly options: NodeClientOptions,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {}

  async call(
    member: string,
    query: string,
    variables: Json,
    request: {
      operation: string;
      retry: boolean;
      /** Instead of the configured limit. */
      timeoutMs?: number;
      /** Who the call is for (default: the gateway itself). */
      identity?: Identity;
    },
  ): Promise<NodeCall> {
    const node = this.registry.node(member);
    if (!node) {
      return {
        member,
        status: 'UNAVAILABLE',
        tookMs: null,
        body: null,
        error: `no catalogue node is registered for ${member}`,
      };
    }
    const breaker = this.breaker(member, node.url);
    const started = performance.now();
    let call: NodeCall;
    try {
      const body = await breaker.fire(
        node.url,
        query,
        variables,
        request.retry,
        member,
        request.timeoutMs ?? this.options.timeoutMs,
        signIdentity(request.identity ?? SERVICE, this.options.secret),
      );
      call = { member, status: 'OK', tookMs: Math.round(performance.now() - started), body, error: null };
    } catch (error) {
      if (error instanceof NodeFailure) {
        call = {
          member,
          status: error.status,
          tookMs: Math.round(performance.now() - started),
          body: error.body,
          error: error.message,
        };
      } else if (breaker.opened || CircuitBreaker.isOurError(error as Error)) {
        call = {
          member,
          status: 'SKIPPED',
          tookMs: null,
          body: null,
          error: 'skipped: the node kept failing (circuit open); it is probed again shortly',
        };
      } else {
        call = {
          member,
          status: 'ERROR',
          tookMs: Math.round(performance.now() - started),
          body: null,
          error: (error as Error).message,
        };
      }
    }
    this.metrics.nodeRequests.inc({ member, operation: request.operation, status: call.status });
    if (call.tookMs !== null)
      this.metrics.nodeDuration.observe({ member, operation: request.operation }, call.tookMs / 1000);
    if (call.status !== 'OK' && call.status !== 'SKIPPED') {
      this.logger.warn(
        { member, url: node.url, status: call.status, reason: call.error, ms: call.tookMs },
        'catalogue node failed',
      );
    }
    return call;
  }

  /** Circuit state of each node asked so far. */
  circuits(): Record<string, 'closed' | 'open' | 'half-open'> {
    return Object.fromEntries(
      [...this.breakers].map(([member, { breaker }]) => [
        member,
        breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed',
      ]),
    );
  }

  shutdown(): void {
    for (const { breaker } of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
    this.poster.destroy();
  }

  private breaker(member: string, url: string) {
    const existing = this.breakers.get(member);
    // A node that moved is a new node: its old failures say nothing about it.
    if (existing?.url === url) return existing.breaker;
    existing?.breaker.shutdown();
    const breaker = new CircuitBreaker<Parameters<Action>, GraphQLResponse>(this.send, {
      timeout: false, // send() keeps its own time limit, retries included
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      rollingCountTimeout: 10_000,
      resetTimeout: this.options.breakerResetMs,
      name: member,
    });
    const gauge = (value: number) => () => this.metrics.circuitState.set({ member }, value);
    breaker.on('open', () => {
      gauge(1)();
      this.logger.warn(
        { member, url, resetMs: this.options.breakerResetMs },
        'catalogue node circuit opened: skipping it',
      );
    });
    breaker.on('halfOpen', gauge(0.5));
    breaker.on('close', () => {
      gauge(0)();
      this.logger.info({ member, url }, 'catalogue node circuit closed: it answers again');
    });
    gauge(0)();
    this.breakers.set(member, { url, breaker });
    return breaker;
  }

  private readonly send: Action = async (url, query, variables, retry, member, timeoutMs, identity) => {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.post(url, query, variables, deadline - performance.now(), timeoutMs, identity);
      } catch (error) {
        const again =
          retry &&
          attempt < this.options.retries &&
          error instanceof NodeFailure &&
          error.status === 'UNAVAILABLE' &&
          deadline - performance.now() > 100;
        if (!again) throw error;
        this.metrics.nodeRetries.inc({ member });
        await sleep(50);
      }
    }
  };

  private async post(
    url: string,
    query: string,
    variables: Json,
    remainingMs: number,
    limitMs: number,
    identity: string,
  ): Promise<GraphQLResponse> {
    let answer: HttpAnswer;
    try {
      answer = await this.poster.post(
        url,
        JSON.stringify({ query, variables }),
        { [IDENTITY_HEADER]: identity },
        remainingMs,
      );
    } catch (error) {
      if (!(error instanceof HttpPostFailure)) throw error;
      throw error.kind === 'TIMEOUT'
        ? new NodeFailure('TIMEOUT', `no answer within ${limitMs} ms`)
        : new NodeFailure('UNAVAILABLE', `cannot reach the node: ${error.reason}`);
    }
    const { status, text } = answer;
    let body: GraphQLResponse;
    try {
      body = JSON.parse(text) as GraphQLResponse;
    } catch {
      throw new NodeFailure(
        status === 502 || status === 503 || status === 504 ? 'UNAVAILABLE' : 'ERROR',
        `HTTP ${status}, not a GraphQL answer`,
      );
    }
    if (failedAnswer(body)) throw new NodeFailure('ERROR', body.errors?.[0]?.message ?? `HTTP ${status}`, body);
    return body;
  }
}
