import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors';
import { type HttpPoster, HttpPostFailure } from '../lib/http-post';
import { IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';
import type { Logger } from '../lib/logger';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * One subgraph as the gateway calls it: a POST over keep-alive node:http (lib/http-post.ts) with a time
 * limit, the caller's identity signed on every call, and failures turned into a GraphQL error that names
 * the subgraph, so the rest of the answer still reaches the client.
 *
 * It implements the gateway's data source interface itself rather than extending RemoteGraphQLDataSource:
 * sending subgraph requests was the largest item in the profiles (`npm run bench:gateway -- --profile`) —
 * Node's fetch in ours (our earlier fetcher), node-fetch Requests and make-fetch-happen in the vanilla
 * gateway's. What we leave out of that class: APQ to subgraphs and subgraph cache-control hints, neither of
 * which we use.
 */
export class SubgraphDataSource implements GraphQLDataSource<{ identity?: Identity }> {
  constructor(
    readonly subgraph: string,
    readonly url: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly secret: string,
    /** The gateway's keep-alive connections, shared by its subgraphs. */
    private readonly poster: HttpPoster,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<{ identity?: Identity }>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // A client request always has an identity (the gateway's context); the gateway's own calls
    // (introspection, health) go as the service.
    const context = 'context' in options ? (options.context as { identity?: Identity } | undefined) : undefined;
    const identity = context?.identity ?? SERVICE;
    const payload = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions: request.extensions,
    });
    let reason: string;
    try {
      const answer = await this.poster.post(
        this.url,
        payload,
        { [IDENTITY_HEADER]: signIdentity(identity, this.secret) },
        this.timeoutMs,
      );
      if (answer.status >= 200 && answer.status < 300) {
        const body = JSON.parse(answer.text) as unknown;
        if (body && typeof body === 'object' && !Array.isArray(body)) return body;
        reason = 'not a GraphQL answer';
      } else reason = `HTTP ${answer.status}`;
    } catch (error) {
      reason =
        error instanceof HttpPostFailure
          ? error.kind === 'TIMEOUT'
            ? `no answer within ${this.timeoutMs} ms`
            : error.reason
          : error instanceof SyntaxError
            ? 'not a GraphQL answer'
            : (error as Error).message;
    }
    this.logger.warn({ subgraph: this.subgraph, url: this.url, reason }, 'subgraph request failed');
    throw new GraphQLError(`The ${this.subgraph} subgraph is unavailable: ${reason}`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.subgraph },
    });
  }
}
