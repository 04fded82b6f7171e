import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLRequestContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';
import type { Logger } from '../lib/logger';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/**
 * One subgraph as the gateway calls it: Node's own fetch (keep-alive pooling), a time limit per call,
 * and failures turned into a GraphQL error that names the subgraph, so the rest of the answer still
 * reaches the client.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly secret: string,
  ) {
    super({ url });
    this.fetcher = ((input: string, init: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) })) as unknown as typeof this.fetcher;
  }

  /**
   * Every call carries who it is for, signed: the subgraphs refuse anything else. A client request always
   * has an identity (the gateway's context); the gateway's own calls (introspection) go as the service.
   */
  override willSendRequest({
    request,
    context,
  }: {
    request: { http?: { headers: { set(name: string, value: string): void } } };
    context: Partial<GraphQLRequestContext<{ identity?: Identity }>['contextValue']>;
  }): void {
    request.http?.headers.set(IDENTITY_HEADER, signIdentity(context.identity ?? SERVICE, this.secret));
  }

  override async process(options: GraphQLDataSourceProcessOptions): ReturnType<RemoteGraphQLDataSource['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code !== undefined && error.extensions.subgraph)
        throw error;
      const reason = describe(error, this.timeoutMs);
      this.logger.warn({ subgraph: this.subgraph, url: this.url, reason }, 'subgraph request failed');
      throw new GraphQLError(`The ${this.subgraph} subgraph is unavailable: ${reason}`, {
        extensions: { code: SUBGRAPH_UNAVAILABLE, subgraph: this.subgraph },
      });
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e?.cause?.code) return e.cause.code;
  return e?.message ?? String(error);
}
