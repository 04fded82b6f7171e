import type { IncomingMessage, Server } from 'node:http';
import type { GraphQLDataSource } from '@apollo/gateway';
import { executeQueryPlan } from '@apollo/gateway/dist/executeQueryPlan';
import { buildOperationContext } from '@apollo/gateway/dist/operationContext';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { type FetchNode, type PlanNode, QueryPlanner, type SubscriptionNode } from '@apollo/query-planner';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  valueFromASTUntyped,
} from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode, errorFormatter } from '../lib/errors';
import { IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';
import type { Logger } from '../lib/logger';
import { type AuditRecorder, auditEntry } from './audit';
import type { Authenticator } from './auth';
import { type QueryLimits, armor, checkLimits } from './limits';
import type { RateLimits } from './rate-limit';
import type { SubgraphEndpoint } from './supergraph';

/*
 * GraphQL subscriptions at the gateway's /graphql, over WebSocket (the graphql-ws protocol). Apollo's gateway
 * executes none, so the gateway carries them as federation routers do: Apollo's query planner splits the
 * operation into the subscription at its owning subgraph (the "primary" fetch) and the rest; the gateway
 * subscribes there (one WebSocket per subgraph, each subscription with its caller's identity signed), and
 * completes every event through Apollo's own plan executor and our data sources — the library's name from
 * the members subgraph, linked records from their catalogue nodes — exactly as a query would be.
 */

export interface SubscriptionOptions {
  composedSupergraph: string;
  subgraphs: SubgraphEndpoint[];
  /** The gateway's data sources by subgraph name, as its queries use them. */
  services: Record<string, GraphQLDataSource>;
  secret: string;
  authenticator: Authenticator;
  rateLimits: RateLimits;
  limits: QueryLimits;
  record: AuditRecorder;
  logger: Logger;
  /** At most this many subscriptions on one connection (GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION). */
  maxPerConnection: number;
}

interface Caller {
  identity: Identity;
  ip: string | undefined;
  active: number;
}

interface Planned {
  document: DocumentNode;
  operationName: string | undefined;
  node: SubscriptionNode;
}

const MAX_PLANS = 500;

/** Several refusals at once (validation finds every problem of a document). */
class Refusals extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const refusal = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

/** The credential a WebSocket presents: `authorization` (Bearer …) or `x-api-key` in connection_init's payload, else in the upgrade request's headers. */
function presentedSecret(params: Record<string, unknown> | undefined, request: IncomingMessage): string | undefined {
  const header = (name: string) => {
    const fromParams = Object.entries(params ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    const value = typeof fromParams === 'string' ? fromParams : request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header('authorization') ?? '')?.[1];
  return bearer ?? (header('x-api-key')?.trim() || undefined);
}

export class GatewaySubscriptions {
  private readonly supergraph: Supergraph;
  private readonly apiSchema: ReturnType<Supergraph['apiSchema']>;
  /** The public schema (what clients validate against), in graphql-js. */
  readonly schema: GraphQLSchema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly plans = new Map<string, Planned>();
  private readonly upstreams = new Map<string, Client>();
  private readonly rules;
  private readonly format;
  private wss: WebSocketServer | undefined;
  private dispose: (() => Promise<void>) | undefined;
  /** Subscriptions delivering now, for /health and the benchmarks. */
  active = 0;

  constructor(private readonly options: SubscriptionOptions) {
    this.supergraph = Supergraph.build(options.composedSupergraph);
    this.apiSchema = this.supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = this.supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(this.supergraph);
    this.rules = [...specifiedRules, ...armor(options.limits).validationRules];
    this.format = errorFormatter(options.logger);
  }

  /** Serves subscriptions on `server`'s /graphql upgrades (HTTP requests there go to Apollo Server as before). */
  attach(server: Server): void {
    this.wss = new WebSocketServer({ server, path: '/graphql' });
    const callers = new WeakMap<object, Caller>();
    const disposable = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
      {
        onConnect: async (ctx) => {
          try {
            const identity = await this.options.authenticator.identifySecret(
              presentedSecret(ctx.connectionParams, ctx.extra.request),
            );
            const ip = ctx.extra.request.socket.remoteAddress;
            await this.options.rateLimits.admit(identity, ip);
            callers.set(ctx.extra, { identity, ip, active: 0 });
            return true;
          } catch (error) {
            this.options.logger.info({ reason: (error as Error).message }, 'subscription connection refused');
            // graphql-ws closes with 4403 Forbidden; the reason is the credential's refusal.
            return false;
          }
        },
        onSubscribe: async (ctx, _id, payload) => {
          const caller = callers.get(ctx.extra)!;
          try {
            if (caller.active >= this.options.maxPerConnection) {
              throw refusal(
                `A connection may hold at most ${this.options.maxPerConnection} subscriptions`,
                ErrorCode.RATE_LIMITED,
              );
            }
            await this.options.rateLimits.admit(caller.identity, caller.ip);
            const planned = this.plan(payload.query, payload.operationName ?? undefined);
            const variables = payload.variables ?? {};
            const operation = getOperationAST(planned.document, planned.operationName)!;
            checkLimits(this.options.limits, this.schema, operation, planned.document, variables);
            return {
              schema: this.schema,
              document: planned.document,
              operationName: planned.operationName,
              variableValues: variables,
              contextValue: { caller, planned },
            } satisfies ExecutionArgs;
          } catch (error) {
            if (error instanceof GraphQLError) return [error];
            if (error instanceof Refusals) return error.errors;
            throw error;
          }
        },
        subscribe: (args) => {
          const { caller, planned } = args.contextValue as { caller: Caller; planned: Planned };
          return this.deliver(caller, planned, args.variableValues ?? {});
        },
        onNext: (_ctx, _id, _payload, _args, result) => this.formatted(result),
        onError: (_ctx, _id, _payload, errors) => {
          this.options.logger.debug({ errors: errors.map((e) => e.message) }, 'subscription refused');
        },
      },
      this.wss,
    );
    this.dispose = async () => {
      await disposable.dispose();
    };
  }

  /** Parses, validates and plans an operation (plans kept by its text, as Apollo's gateway keeps its own). */
  private plan(query: string, operationName: string | undefined): Planned {
    const key = `${operationName ?? ''}\n${query}`;
    const known = this.plans.get(key);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.limits.maxTokens });
    } catch (error) {
      throw refusal((error as Error).message, ErrorCode.GRAPHQL_PARSE_FAILED);
    }
    const errors = validate(this.schema, document, this.rules);
    if (errors.length) {
      throw new Refusals(
        errors.map((e) =>
          e.extensions.code
            ? e
            : new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
              }),
        ),
      );
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) throw refusal('No operation to run: name one of the document’s operations', ErrorCode.BAD_REQUEST);
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      throw refusal(
        'Over WebSocket the gateway carries subscriptions; send queries and mutations as HTTP POST to /graphql',
        ErrorCode.BAD_REQUEST,
      );
    }
    const plan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName }));
    if (plan.node?.kind !== 'Subscription') throw refusal('Nothing to subscribe to', ErrorCode.BAD_REQUEST);
    const planned = { document, operationName, node: plan.node };
    if (this.plans.size >= MAX_PLANS) this.plans.clear();
    this.plans.set(key, planned);
    return planned;
  }

  /** The caller's subscription at the owning subgraph, each event completed by the rest of the plan. */
  private async *deliver(
    caller: Caller,
    planned: Planned,
    variables: Record<string, unknown>,
  ): AsyncGenerator<ExecutionResult> {
    const { primary, rest } = planned.node;
    const upstream = this.upstream(primary.serviceName).iterate({
      query: primary.operation,
      operationName: primary.operationName,
      variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
      extensions: { [IDENTITY_HEADER]: signIdentity(caller.identity, this.options.secret) },
    });
    caller.active += 1;
    this.active += 1;
    let first = true;
    try {
      for await (const event of upstream) {
        const result = await this.complete(caller, planned, variables, primary, rest, event as ExecutionResult);
        if (first) {
          first = false;
          this.audit(caller, planned, variables, result);
          // A refusal at the owning subgraph (no right to follow this) ends the subscription before any event.
          if (!result.data && result.errors?.length) {
            yield result;
            return;
          }
        }
        yield result;
      }
    } catch (error) {
      // The subgraph refused the subscription outright (graphql-ws `error`), or its connection failed.
      yield {
        errors: Array.isArray(error)
          ? (error as Array<{ message: string; extensions?: Record<string, unknown> }>).map(
              (e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} }),
            )
          : [this.unavailable(primary.serviceName, error)],
      };
    } finally {
      caller.active -= 1;
      this.active -= 1;
      await upstream.return?.(undefined);
    }
  }

  /** One event: the primary's data as it came, then the rest of the plan through the gateway's data sources. */
  private async complete(
    caller: Caller,
    planned: Planned,
    variables: Record<string, unknown>,
    primary: FetchNode,
    rest: PlanNode | undefined,
    event: ExecutionResult,
  ): Promise<ExecutionResult> {
    const owner = this.options.services[primary.serviceName]!;
    // The owning subgraph's data source answers the primary fetch with the event; any later fetch there goes out.
    const eventSource: GraphQLDataSource = {
      process: (request) =>
        request.request.query === primary.operation
          ? Promise.resolve({ data: event.data ?? null, ...(event.errors ? { errors: event.errors } : {}) })
          : owner.process(request),
    };
    const serviceMap = { ...this.options.services, [primary.serviceName]: eventSource };
    const node: PlanNode = rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary;
    const operationContext = buildOperationContext({
      schema: this.schema,
      operationDocument: planned.document,
      operationName: planned.operationName,
    });
    const context = { identity: caller.identity, ip: caller.ip };
    const requestContext = {
      request: { query: primary.operation, variables, operationName: planned.operationName },
      context,
      logger: this.options.logger,
      metrics: {},
      document: planned.document,
      operationName: planned.operationName ?? null,
      operation: operationContext.operation,
      schema: this.schema,
    } as unknown as Parameters<typeof executeQueryPlan>[2];
    return executeQueryPlan(
      { kind: 'QueryPlan', node },
      serviceMap,
      requestContext,
      operationContext,
      this.supergraphSchema,
      this.apiSchema,
    ) as Promise<ExecutionResult>;
  }

  /** One WebSocket per subgraph, opened when a subscription needs it and closed when none does. */
  private upstream(name: string): Client {
    let client = this.upstreams.get(name);
    if (client) return client;
    const endpoint = this.options.subgraphs.find((s) => s.name === name);
    if (!endpoint) throw refusal(`No ${name} subgraph to subscribe at`, ErrorCode.SUBGRAPH_UNAVAILABLE);
    const url = endpoint.url.replace(/^http/, 'ws');
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      // The connection itself is the gateway's; each subscription carries its caller's identity.
      connectionParams: () => ({ [IDENTITY_HEADER]: signIdentity(SERVICE, this.options.secret) }),
      retryAttempts: 3,
      keepAlive: 15_000,
      on: {
        closed: (event) =>
          this.options.logger.debug(
            { subgraph: name, code: (event as { code?: number }).code },
            'subgraph subscriptions closed',
          ),
      },
    });
    this.upstreams.set(name, client);
    return client;
  }

  private unavailable(subgraph: string, error: unknown): GraphQLError {
    const reason =
      error instanceof Error
        ? error.message
        : typeof (error as { code?: unknown })?.code === 'number'
          ? `connection closed (${(error as { code: number }).code})`
          : String(error);
    this.options.logger.warn({ subgraph, reason }, 'subscription upstream failed');
    return refusal(`The ${subgraph} subgraph is unavailable: ${reason}`, ErrorCode.SUBGRAPH_UNAVAILABLE, { subgraph });
  }

  /** Errors as HTTP answers show them: our codes kept, anything unexpected hidden. */
  private formatted(result: ExecutionResult): FormattedExecutionResult {
    if (!result.errors?.length) return { data: result.data };
    return {
      ...(result.data !== undefined ? { data: result.data } : {}),
      errors: result.errors.map((error) => this.format(error.toJSON(), error)),
    };
  }

  /** The audit log gets every subscription started, as it gets every mutation: who, what, on what, how it ended. */
  private audit(caller: Caller, planned: Planned, variables: Record<string, unknown>, first: ExecutionResult): void {
    const operation = getOperationAST(planned.document, planned.operationName)!;
    const code = first.data ? undefined : first.errors?.[0]?.extensions?.code;
    const entries = operation.selectionSet.selections
      .filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename')
      .map((field) => {
        const args = Object.fromEntries(
          (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]),
        ) as Record<string, unknown>;
        return auditEntry(
          caller.identity,
          field.name.value,
          args,
          first.data ? 'OK' : typeof code === 'string' ? code : 'ERROR',
        );
      });
    void this.options.record(entries);
  }

  async close(): Promise<void> {
    await this.dispose?.();
    for (const client of this.upstreams.values()) await client.dispose();
    this.upstreams.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }
}
