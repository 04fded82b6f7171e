import type { Server } from 'node:http';
import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  OperationTypeNode,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode } from './errors';
import { IDENTITY_HEADER, type Identity, verifyIdentity } from './identity';
import type { Logger } from './logger';

/*
 * GraphQL subscriptions of a subgraph, over WebSocket (the graphql-ws protocol) at its /graphql. Only the
 * gateway reaches it, as over HTTP: the connection carries a signed identity, and so does every
 * subscription (the gateway multiplexes many callers over one connection, each with their own identity).
 */

/** The graphql-ws close code for a connection that is not the gateway's. */
export const FORBIDDEN_CLOSE = 4403;

export interface SubscriptionServerOptions<C> {
  schema: GraphQLSchema;
  secret: string;
  logger: Logger;
  /**
   * The context of one event's execution: made afresh for every event (a new EntityManager each time, so
   * nothing is served from an earlier event's identity map).
   */
  contextFor(identity: Identity): C;
}

/** Serves the schema's subscriptions on `server`'s /graphql upgrades; returns how to stop it. */
export function serveSubscriptions<C extends object>(
  server: Server,
  options: SubscriptionServerOptions<C>,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const identities = new WeakMap<object, Identity>();
  const disposable = useServer(
    {
      schema: options.schema,
      onConnect: (ctx) => verifyIdentity(ctx.connectionParams?.[IDENTITY_HEADER] as string, options.secret).ok,
      onSubscribe: (_ctx, _id, payload) => {
        const verified = verifyIdentity(payload.extensions?.[IDENTITY_HEADER] as string | undefined, options.secret);
        if (!verified.ok) {
          return [
            new GraphQLError(`This service answers the gateway only (${verified.reason})`, {
              extensions: { code: ErrorCode.UNAUTHENTICATED },
            }),
          ];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(options.schema, document);
        if (errors.length) return errors;
        const contextValue = options.contextFor(verified.identity);
        identities.set(contextValue, verified.identity);
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        } satisfies ExecutionArgs;
      },
      // graphql-js would execute every event with the subscription's one context; each event gets its own.
      subscribe: async (args) => {
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return execute(args) as Promise<ExecutionResult>;
        const stream = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in stream)) return stream;
        const identity = identities.get(args.contextValue as object)!;
        return mapEvents(
          stream,
          (event) =>
            execute({
              ...args,
              rootValue: event,
              contextValue: options.contextFor(identity),
            }) as Promise<ExecutionResult>,
        );
      },
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.debug({ errors: errors.map((e) => e.message) }, 'subscription refused');
      },
    },
    wss,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The events of `source`, each mapped; returning (the subscriber left) ends the source too. */
async function* mapEvents<T, R>(source: AsyncIterable<T>, map: (event: T) => Promise<R>): AsyncGenerator<R> {
  for await (const event of source) yield await map(event);
}
