import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { GraphQLFormattedError } from 'graphql';
import { type HttpAnswer, HttpPoster, HttpPostFailure } from '../lib/http-post';
import { ANONYMOUS, IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';

/*
 * Every HTTP call the gateway makes upstream — to the subgraphs, the catalogue nodes and the members
 * service — goes through one Upstream: keep-alive connections, a time limit on every call, the caller's
 * identity signed on every call, and one way of saying why a call got no answer.
 */

export type Json = Record<string, unknown>;

export interface GraphQLResponse<T = Json> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/** How a call reaches the network: node:http with keep-alive in the gateway (HttpPoster), a fake in unit tests. */
export interface Transport {
  post(url: string, payload: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer>;
  get(url: string, timeoutMs: number): Promise<HttpAnswer>;
  destroy?(): void;
}

/** Why an upstream call got no usable answer. */
export type UpstreamFailureKind = 'TIMEOUT' | 'UNREACHABLE' | 'HTTP' | 'NOT_GRAPHQL';

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    /** The HTTP status of an answer that was not a usable one; null when there was no answer. */
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }

  /** The service is down, overloaded or behind a failing proxy, rather than answering wrongly. */
  get unavailable(): boolean {
    return (
      this.kind === 'TIMEOUT' ||
      this.kind === 'UNREACHABLE' ||
      this.status === 502 ||
      this.status === 503 ||
      this.status === 504
    );
  }
}

/**
 * Who a data-source call is signed for, decided here once. A client's operation carries the client's identity
 * (the gateway's context). A call with no client behind it is the gateway's own — loading schemas
 * (introspection mode) or a health check, by Apollo's request kind — and goes as SERVICE. Anything else
 * without an identity goes as anonymous, so that a context lost on the way can never grant more than the
 * public API. The gateway's other own calls (registry, credential lookups, audit writes, schema checks) say
 * SERVICE explicitly.
 */
// Apollo's GraphQLDataSourceRequestKind values for its own calls (the enum is not exported).
const GATEWAYS_OWN = new Set<unknown>(['loading schema', 'health check']);

export function callerOf(options: { kind?: unknown; context?: unknown }): Identity {
  const identity = (options.context as { identity?: Identity } | undefined)?.identity;
  if (identity) return identity;
  return GATEWAYS_OWN.has(options.kind) ? SERVICE : ANONYMOUS;
}

export class Upstream {
  // For streamed calls (imports); posts reuse the transport's own agents.
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(
    /** Signs every call (lib/identity.ts); only the network's services hold it. */
    private readonly secret: string,
    private readonly transport: Transport = new HttpPoster(),
  ) {}

  /** The header that carries `identity` to a subgraph or node. */
  sign(identity: Identity): Record<string, string> {
    return { [IDENTITY_HEADER]: signIdentity(identity, this.secret) };
  }

  /**
   * POSTs a JSON payload signed for `identity`; rejects with an UpstreamFailure (TIMEOUT, UNREACHABLE) when no
   * complete answer comes within `timeoutMs`. `limitMs` is the limit named in the failure (when `timeoutMs` is
   * what is left of it after retries).
   */
  async post(
    url: string,
    payload: string,
    identity: Identity,
    timeoutMs: number,
    limitMs = timeoutMs,
  ): Promise<HttpAnswer> {
    try {
      return await this.transport.post(url, payload, this.sign(identity), timeoutMs);
    } catch (error) {
      throw upstreamFailureOf(error, limitMs);
    }
  }

  /**
   * A GraphQL request: the answer's status and body when the body is a GraphQL response (any status: a
   * subgraph refuses a bad query with 400 and errors); an UpstreamFailure when there is none.
   */
  async graphql<T = Json>(
    url: string,
    request: { query: string; variables?: unknown; operationName?: string; extensions?: unknown },
    identity: Identity,
    timeoutMs: number,
  ): Promise<{ status: number; body: GraphQLResponse<T> }> {
    const { status, text } = await this.post(url, JSON.stringify(request), identity, timeoutMs);
    return { status, body: graphQLResponse<T>(status, text) };
  }

  /**
   * The gateway's own GraphQL call (as SERVICE) that must succeed: its data, or an Error naming the first
   * GraphQL error, the HTTP status or the failure.
   */
  async serviceQuery<T = Json>(url: string, query: string, variables: Json, timeoutMs: number): Promise<T> {
    const { status, body } = await this.graphql<T>(url, { query, variables }, SERVICE, timeoutMs);
    if (body.errors?.length || !body.data) {
      throw new UpstreamFailure('HTTP', status, body.errors?.[0]?.message ?? `HTTP ${status}, no data`);
    }
    return body.data;
  }

  /**
   * Streams `body` to `url` and resolves with the answer as it starts (its body still streaming). `idleMs`
   * limits how long the exchange may go without a byte either way — an import may take minutes, but a node
   * that stops answering must not hold the client forever. Failures before the answer reject with an
   * UpstreamFailure; an idle answer is destroyed with one.
   */
  stream(
    url: URL,
    body: Readable,
    options: { identity: Identity; contentType: string; idleMs: number },
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { 'content-type': options.contentType, ...this.sign(options.identity) },
      });
      request.setTimeout(options.idleMs, () =>
        request.destroy(new UpstreamFailure('TIMEOUT', null, `nothing sent or received for ${options.idleMs} ms`)),
      );
      request.once('error', (error: Error & { code?: string }) =>
        reject(
          error instanceof UpstreamFailure
            ? error
            : new UpstreamFailure('UNREACHABLE', null, `cannot connect: ${error.code ?? error.message}`),
        ),
      );
      request.once('response', resolve);
      body.pipe(request);
    });
  }

  /** A GET (the services' `/health`): its status and body, or an UpstreamFailure within `timeoutMs`. */
  async get(url: string, timeoutMs: number): Promise<{ status: number; text: string }> {
    try {
      const { status, text } = await this.transport.get(url, timeoutMs);
      return { status, text };
    } catch (error) {
      throw upstreamFailureOf(error, timeoutMs);
    }
  }

  /** Closes the idle keep-alive connections. */
  destroy(): void {
    this.transport.destroy?.();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/** A transport's failure (lib/http-post.ts) as an UpstreamFailure naming the time limit `limitMs`. */
function upstreamFailureOf(error: unknown, limitMs: number): unknown {
  if (!(error instanceof HttpPostFailure)) return error;
  return error.kind === 'TIMEOUT'
    ? new UpstreamFailure('TIMEOUT', null, `no answer within ${Math.round(limitMs)} ms`)
    : new UpstreamFailure('UNREACHABLE', null, `cannot connect: ${error.reason}`);
}

/** A GraphQL response read from an answer's body, or an UpstreamFailure saying why it is not one. */
export function graphQLResponse<T = Json>(status: number, text: string): GraphQLResponse<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new UpstreamFailure('NOT_GRAPHQL', status, `HTTP ${status}, not a GraphQL answer`);
  }
  return body;
}
