/**
 * A typed client of the Kuzbass Libraries Graph with nothing but `fetch`: each example operation of
 * docs/examples is a function whose variables and result are the types GraphQL Code Generator wrote into
 * ./generated.ts (`npm run codegen`). Copy it into your project with the operations you need; the types
 * change when the operations or the schema do, and `tsc` tells you where your code must follow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CatalogueSearchQuery,
  CatalogueSearchQueryVariables,
  EventProgrammeQuery,
  EventProgrammeQueryVariables,
  MemberQuery,
  MemberQueryVariables,
  NetworkStatisticsQuery,
  NetworkStatisticsQueryVariables,
} from './generated';

/** One GraphQL error as the gateway sends it; `extensions.code` is the stable part to switch on. */
export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** An answer: `data` can be partial — a subgraph or catalogue node that failed leaves its fields null. */
export interface Result<TData> {
  data: TData;
  errors: GraphQLError[];
}

/** A request the gateway answered without data (refused: bad key, limits, overload, invalid query). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLError[],
    /** Seconds to wait before trying again (`Retry-After` of RATE_LIMITED and OVERLOADED answers). */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${status}: ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ')}`);
  }

  /** The `extensions.code` of every error, e.g. `['RATE_LIMITED']`. */
  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code ?? 'ERROR');
  }
}

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** An API key or token (`npm run auth -- issue …`); reading needs none. */
  apiKey?: string;
}

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'examples');
const operation = (name: string): string => readFileSync(join(EXAMPLES, `${name}.graphql`), 'utf8');

/** The client: one typed function per operation. */
export function createClient(options: ClientOptions) {
  async function request<TData, TVariables>(query: string, variables: TVariables): Promise<Result<TData>> {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: TData | null; errors?: GraphQLError[] };
    if (body.data == null) {
      const retryAfter = response.headers.get('retry-after');
      throw new GraphQLRequestError(
        response.status,
        body.errors ?? [{ message: `HTTP ${response.status} without a GraphQL answer` }],
        retryAfter ? Number(retryAfter) : undefined,
      );
    }
    return { data: body.data, errors: body.errors ?? [] };
  }

  return {
    request,
    catalogueSearch: (variables: CatalogueSearchQueryVariables) =>
      request<CatalogueSearchQuery, CatalogueSearchQueryVariables>(operation('catalogue-search'), variables),
    member: (variables: MemberQueryVariables) =>
      request<MemberQuery, MemberQueryVariables>(operation('member'), variables),
    eventProgramme: (variables: EventProgrammeQueryVariables) =>
      request<EventProgrammeQuery, EventProgrammeQueryVariables>(operation('event-programme'), variables),
    networkStatistics: (variables: NetworkStatisticsQueryVariables = {}) =>
      request<NetworkStatisticsQuery, NetworkStatisticsQueryVariables>(operation('network-statistics'), variables),
  };
}

export type Client = ReturnType<typeof createClient>;

/**
 * What a page of a library's site might do with it: the libraries that hold editions matching a query.
 * Every name below is typed — a field the operation does not select, or a misspelt one, does not compile.
 */
export async function whoHolds(client: Client, query: string): Promise<string[]> {
  const { data, errors } = await client.catalogueSearch({ query, first: 5 });
  const lines = (data.catalogueSearch?.hits ?? []).map(
    (hit) =>
      `${hit.record.title} (${hit.record.year ?? 'n.d.'}): ${hit.heldBy.map((h) => `${h.member.shortName} ×${h.holdingsCount}`).join(', ')}`,
  );
  // A catalogue node that did not answer is listed with its status, never silently missing.
  const missing = (data.catalogueSearch?.nodes ?? []).filter((n) => n.status !== 'OK').map((n) => n.member.code);
  if (missing.length) lines.push(`not searched: ${missing.join(', ')}`);
  for (const error of errors) lines.push(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  return lines;
}
