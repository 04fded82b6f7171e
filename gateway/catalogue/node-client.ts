import CircuitBreaker from 'opossum';
import { ErrorCode } from '../../lib/errors';
import { BATCH_PATH, type BatchAnswer, type BatchRequest, batchBase } from '../../lib/catalogue-protocol';
import type { Identity } from '../../lib/identity';
import type { Logger } from '../../lib/logger';
import type { CatalogueRegistry } from './registry';
import { mapLimit } from '../map-limit';
import type { GatewayMetrics } from '../metrics';
import { type GraphQLResponse, type Json, type Upstream, UpstreamFailure, graphQLResponse } from '../upstream';

export type { GraphQLResponse, Json };

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
  /** How many times a read is sent again after a connection failure (never after a timeout). */
  retries: number;
  /** How long an open circuit skips its node before letting one probe request through. */
  breakerResetMs: number;
}

export interface CallOptions {
  operation: string;
  retry: boolean;
  /** Instead of the configured limit. */
  timeoutMs?: number;
  /** Who the call is for: the client's identity (upstream.ts callerOf), or SERVICE for the gateway's own. */
  identity: Identity;
}

/** Most members one batch request carries; more go in several. */
const MAX_BATCH = 64;
/** How long a node process that does not answer batches is called member by member before trying again. */
const NO_BATCH_RETRY_MS = 10 * 60_000;
/**
 * How long a hosted node may take to answer a batch with what it has: the time left less a tenth of it (at
 * least 100 ms, at most a quarter). The margin is for the way back — the node's answer, a busy event loop on
 * either side — so that one stuck catalogue times out alone instead of the whole batch arriving too late and
 * taking its neighbours with it.
 */
export function batchDeadlineMs(remainingMs: number): number {
  const margin = Math.min(Math.max(100, remainingMs / 10), remainingMs / 4);
  return Math.max(1, Math.floor(remainingMs - margin));
}
const BATCH_UNSUPPORTED = 'the node does not answer batches';

class NodeFailure extends Error {
  constructor(
    readonly status: Exclude<NodeCallStatus, 'OK' | 'SKIPPED'>,
    message: string,
    readonly body: GraphQLResponse | null = null,
  ) {
    super(message);
  }
}

// Every circuit runs a job: one call of its own, or its member's share of a batch to a hosted node.
type Job = () => Promise<GraphQLResponse>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an answer is a failure of the node rather than of the request (bad input is the caller's). */
function failedAnswer(body: GraphQLResponse): boolean {
  if (!body.errors?.length) return false;
  if (body.errors.every((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT)) return false;
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
  private readonly breakers = new Map<string, { url: string; breaker: CircuitBreaker<[Job], GraphQLResponse> }>();
  // Node processes that answered `/batch/graphql` with 404 (an older node), until when to stop trying.
  private readonly noBatch = new Map<string, number>();

  constructor(
    private readonly registry: Pick<CatalogueRegistry, 'node' | 'all'>,
    /** Keep-alive connections, time limits and identity signing (shared with the gateway's other calls). */
    private readonly upstream: Upstream,
    private readonly options: NodeClientOptions,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {}

  async call(member: string, query: string, variables: Json, request: CallOptions): Promise<NodeCall> {
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
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const identity = request.identity;
    return this.run(member, node.url, request.operation, () =>
      this.send(request.retry, [member], timeoutMs, (remainingMs) =>
        this.post(node.url, { query, variables }, remainingMs, timeoutMs, identity),
      ),
    );
  }

  /**
   * The same operation for several members, answered in their order. Members served by one hosted node
   * process (endpoints `<base>/members/<code>/graphql`) share one request to its `/batch/graphql`; every
   * member keeps its own circuit, status, metrics and errors, as if it had been called alone. At most
   * `fanOut` requests are in flight. `variables` may differ per member.
   */
  async callMany(
    members: readonly string[],
    query: string,
    variables: Json | ((member: string) => Json),
    request: CallOptions & { fanOut: number },
  ): Promise<NodeCall[]> {
    const vars = typeof variables === 'function' ? variables : () => variables;
    const byBase = new Map<string, Array<{ index: number; member: string; url: string }>>();
    const singles: number[] = [];
    members.forEach((member, index) => {
      const node = this.registry.node(member);
      const base = node && batchBase(node.url, member);
      if (!base || (this.noBatch.get(base) ?? 0) > Date.now()) return void singles.push(index);
      byBase.set(base, [...(byBase.get(base) ?? []), { index, member, url: node.url }]);
    });
    const calls = new Array<NodeCall>(members.length);
    type Work = { base: string; parts: Array<{ index: number; member: string; url: string }> } | number;
    const work: Work[] = [...singles];
    for (const [base, parts] of byBase) {
      // One member alone gains nothing from a batch; big batches are split so that none grows unbounded.
      if (parts.length === 1) work.push(parts[0]!.index);
      else for (let i = 0; i < parts.length; i += MAX_BATCH) work.push({ base, parts: parts.slice(i, i + MAX_BATCH) });
    }
    await mapLimit(work, request.fanOut, async (item) => {
      if (typeof item === 'number') {
        const member = members[item]!;
        calls[item] = await this.call(member, query, vars(member), request);
        return;
      }
      const answers = await this.batch(item.base, item.parts, query, vars, request);
      item.parts.forEach((part, i) => (calls[part.index] = answers[i]!));
    });
    return calls;
  }

  /** One batch to a hosted node; each member's share runs through that member's circuit. */
  private async batch(
    base: string,
    parts: Array<{ member: string; url: string }>,
    query: string,
    variables: (member: string) => Json,
    request: CallOptions,
  ): Promise<NodeCall[]> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const identity = request.identity;
    // Members whose circuit is open are skipped as they would be alone, and not asked.
    const asked = parts.filter((p) => !this.breaker(p.member, p.url).opened);
    const started = performance.now();
    const outcome: { answers: Map<string, GraphQLResponse | NodeFailure> } | { failure: unknown } = asked.length
      ? await this.send(
          request.retry,
          asked.map((p) => p.member),
          timeoutMs,
          (remainingMs) => this.postBatch(base, query, asked, variables, remainingMs, timeoutMs, identity),
        ).then(
          (answers) => ({ answers }),
          (failure: unknown) => ({ failure }),
        )
      : { answers: new Map() };
    // A node that does not know batches (an older version) answers 404: call its members one by one for a while.
    if (
      'failure' in outcome &&
      outcome.failure instanceof NodeFailure &&
      outcome.failure.message === BATCH_UNSUPPORTED
    ) {
      this.noBatch.set(base, Date.now() + NO_BATCH_RETRY_MS);
      return Promise.all(parts.map((p) => this.call(p.member, query, variables(p.member), request)));
    }
    // Each member's share goes through its own circuit, counted as its own call from when the batch left.
    return Promise.all(
      parts.map((part) =>
        this.run(
          part.member,
          part.url,
          request.operation,
          async () => {
            if (!asked.includes(part)) throw new NodeFailure('UNAVAILABLE', 'not asked: its circuit was open');
            if ('failure' in outcome) throw outcome.failure;
            const answer = outcome.answers.get(part.member);
            if (!answer) throw new NodeFailure('ERROR', 'the node sent no answer for this member');
            if (answer instanceof NodeFailure) throw answer;
            return answer;
          },
          started,
        ),
      ),
    );
  }

  /** Runs a job through the member's circuit; turns every outcome into a NodeCall and counts it. */
  private async run(
    member: string,
    url: string,
    operation: string,
    job: Job,
    started = performance.now(),
  ): Promise<NodeCall> {
    const breaker = this.breaker(member, url);
    let call: NodeCall;
    try {
      const body = await breaker.fire(job);
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
    this.metrics.nodeRequests.inc({ member, operation, status: call.status });
    if (call.tookMs !== null) this.metrics.nodeDuration.observe({ member, operation }, call.tookMs / 1000);
    if (call.status !== 'OK' && call.status !== 'SKIPPED') {
      this.logger.warn(
        { member, url, status: call.status, reason: call.error, ms: call.tookMs },
        'catalogue node failed',
      );
    }
    return call;
  }

  /**
   * How a member's node is called: in batches with the other members of its node process, one by one
   * because that process refused batches (an older version; retried after a while), or alone.
   */
  calls(member: string, url: string): 'batched' | 'member by member' | 'alone' {
    const base = batchBase(url, member);
    const shared =
      base !== null && this.registry.all().some((n) => n.member !== member && batchBase(n.url, n.member) === base);
    if (!shared) return 'alone';
    return (this.noBatch.get(base) ?? 0) > Date.now() ? 'member by member' : 'batched';
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
  }

  private breaker(member: string, url: string) {
    const existing = this.breakers.get(member);
    // A node that moved is a new node: its old failures say nothing about it.
    if (existing?.url === url) return existing.breaker;
    existing?.breaker.shutdown();
    const breaker = new CircuitBreaker<[Job], GraphQLResponse>((job: Job) => job(), {
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

  /** Sends within `timeoutMs`, retries included; reads are sent again after a connection failure. */
  private async send<T>(
    retry: boolean,
    members: string[],
    timeoutMs: number,
    attempt: (remainingMs: number) => Promise<T>,
  ): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (let tries = 0; ; tries++) {
      try {
        return await attempt(deadline - performance.now());
      } catch (error) {
        const again =
          retry &&
          tries < this.options.retries &&
          error instanceof NodeFailure &&
          error.status === 'UNAVAILABLE' &&
          deadline - performance.now() > 100;
        if (!again) throw error;
        for (const member of members) this.metrics.nodeRetries.inc({ member });
        await sleep(50);
      }
    }
  }

  /** POSTs a JSON body; a missing answer becomes TIMEOUT or UNAVAILABLE. */
  private async exchange(url: string, body: unknown, remainingMs: number, limitMs: number, identity: Identity) {
    try {
      return await this.upstream.post(url, JSON.stringify(body), identity, remainingMs, limitMs);
    } catch (error) {
      throw nodeFailureOf(error);
    }
  }

  private async post(
    url: string,
    request: { query: string; variables: Json },
    remainingMs: number,
    limitMs: number,
    identity: Identity,
  ): Promise<GraphQLResponse> {
    const { status, text } = await this.exchange(url, request, remainingMs, limitMs, identity);
    return graphQLAnswer(status, text);
  }

  /**
   * One request for several members of a hosted node. The node is asked to answer a little before the time
   * limit with what it has, so one slow catalogue times out alone instead of taking its neighbours with it.
   */
  private async postBatch(
    base: string,
    query: string,
    parts: Array<{ member: string }>,
    variables: (member: string) => Json,
    remainingMs: number,
    limitMs: number,
    identity: Identity,
  ): Promise<Map<string, GraphQLResponse | NodeFailure>> {
    const body: BatchRequest = {
      query,
      requests: parts.map((p) => ({ member: p.member, variables: variables(p.member) })),
      deadlineMs: batchDeadlineMs(remainingMs),
    };
    const { status, text } = await this.exchange(`${base}${BATCH_PATH}`, body, remainingMs, limitMs, identity);
    if (status === 404) throw new NodeFailure('ERROR', BATCH_UNSUPPORTED);
    let answer: Partial<BatchAnswer> & GraphQLResponse;
    try {
      answer = JSON.parse(text) as Partial<BatchAnswer> & GraphQLResponse;
    } catch {
      answer = {};
    }
    if (status !== 200 || !Array.isArray(answer.results)) {
      // Not a batch answer: the node process failed as a whole, for every member alike.
      throw nodeFailureOf(
        new UpstreamFailure('HTTP', status, answer.errors?.[0]?.message ?? `HTTP ${status}, not a batch answer`),
      );
    }
    const results = new Map<string, GraphQLResponse | NodeFailure>();
    for (const r of answer.results) {
      if ('timeout' in r) results.set(r.member, new NodeFailure('TIMEOUT', `no answer within ${limitMs} ms`));
      else if ('unknown' in r) results.set(r.member, new NodeFailure('ERROR', 'the node does not serve this member'));
      else {
        const reply = r.body as GraphQLResponse | undefined;
        if (!reply) results.set(r.member, new NodeFailure('ERROR', `HTTP ${r.status ?? status}, no answer`));
        else if (failedAnswer(reply))
          results.set(r.member, new NodeFailure('ERROR', reply.errors?.[0]?.message ?? 'failed', reply));
        else results.set(r.member, reply);
      }
    }
    return results;
  }
}

/** A node's answer to one GraphQL request: the response, or a NodeFailure saying why it is not one. */
function graphQLAnswer(status: number, text: string): GraphQLResponse {
  let body: GraphQLResponse;
  try {
    body = graphQLResponse(status, text);
  } catch (error) {
    throw nodeFailureOf(error);
  }
  if (failedAnswer(body)) throw new NodeFailure('ERROR', body.errors?.[0]?.message ?? `HTTP ${status}`, body);
  return body;
}

/** An upstream failure as a node's status: no answer in time is TIMEOUT, a node down or overloaded UNAVAILABLE. */
function nodeFailureOf(error: unknown): NodeFailure {
  if (!(error instanceof UpstreamFailure)) return new NodeFailure('ERROR', (error as Error).message);
  if (error.kind === 'TIMEOUT') return new NodeFailure('TIMEOUT', error.message);
  return new NodeFailure(error.unavailable ? 'UNAVAILABLE' : 'ERROR', error.message);
}
