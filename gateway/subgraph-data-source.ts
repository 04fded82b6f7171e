import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
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
  ) {
    super({ url });
    this.fetcher = ((input: string, init: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) })) as unknown as typeof this.fetcher;
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
