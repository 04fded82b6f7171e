import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { type Upstream, callerOf } from './upstream';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * One subgraph as the gateway calls it: a POST through the gateway's Upstream (keep-alive node:http, a
 * time limit, the caller's identity signed on every call), and failures turned into a GraphQL error that names
 * the subgraph, so the rest of the answer still reaches the client.
 *
 * It implements the gateway's data source interface itself rather than extending RemoteGraphQLDataSource:
 * sending subgraph requests was the largest item in the profiles (`npm run bench:gateway -- --profile`) —
 * Node's fetch in ours (our earlier fetcher), node-fetch Requests and make-fetch-happen in the vanilla
 * gateway's. What we leave out of that class: APQ to subgraphs and subgraph cache-control hints, neither of
 * which we use.
 */
export class SubgraphDataSource implements GraphQLDataSource {
  constructor(
    readonly subgraph: string,
    readonly url: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    /** The gateway's upstream calls: keep-alive connections shared by its subgraphs, identity signing. */
    private readonly upstream: Upstream,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const identity = callerOf(options);
    let reason: string;
    try {
      const { status, body } = await this.upstream.graphql(
        this.url,
        {
          query: request.query,
          variables: request.variables,
          operationName: request.operationName,
          extensions: request.extensions,
        },
        identity,
        this.timeoutMs,
      );
      if (status >= 200 && status < 300) return body;
      reason = `HTTP ${status}`;
    } catch (error) {
      reason = (error as Error).message;
    }
    this.logger.warn({ subgraph: this.subgraph, url: this.url, reason }, 'subgraph request failed');
    throw new GraphQLError(`The ${this.subgraph} subgraph is unavailable: ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraph },
    });
  }
}
