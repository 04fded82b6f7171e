import { type GraphQLFormattedError, GraphQLError } from 'graphql';
import type { Logger } from './logger';

/**
 * Every `extensions.code` the API can return, in one registry clients can switch on (docs/GETTING-STARTED.md's
 * error table is checked against it, and so are the codes written in the sources). Some are raised by
 * Apollo Server itself (parse, validation, persisted queries); the rest by our code, through these names.
 */
export const ErrorCode = {
  // Input and data
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  // Who is asking
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  // The request itself (HTTP, Apollo Server and the gateway's limits)
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  PAGE_SIZE_LIMIT: 'PAGE_SIZE_LIMIT',
  ROOT_FIELDS_LIMIT: 'ROOT_FIELDS_LIMIT',
  QUERY_COST_LIMIT: 'QUERY_COST_LIMIT',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  // Load
  RATE_LIMITED: 'RATE_LIMITED',
  OVERLOADED: 'OVERLOADED',
  // Parts of the network that did not answer
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  CATALOGUE_NODE_UNAVAILABLE: 'CATALOGUE_NODE_UNAVAILABLE',
  CATALOGUE_NODE_UNKNOWN: 'CATALOGUE_NODE_UNKNOWN',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  // Anything else
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Invalid input: names the offending field (dotted path inside an input object). */
export function badUserInput(field: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field, ...extra } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${id} does not exist`, { extensions: { code: ErrorCode.NOT_FOUND, id } });
}

export function conflict(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, field } });
}

/** PostgreSQL unique violation (SQLSTATE 23505), as raised through MikroORM / knex / pg. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return (
    e?.code === '23505' || e?.cause?.code === '23505' || (error as Error)?.name === 'UniqueConstraintViolationException'
  );
}

/** SQLSTATEs and socket errors of a database that is down, restarting or unreachable (not of a bad query). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/**
 * Whether an error means the database cannot be reached now (as raised through MikroORM / knex / pg, at any
 * depth of `cause`): the request may well work in a moment, unlike a failing query.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|terminating connection|Timeout acquiring a connection|the database system is (starting|shutting) down/i.test(
        e.message,
      )
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** Hides unexpected errors from clients (they are logged with their stack) but keeps our own codes. */
export function errorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const code = formatted.extensions?.code;
    if (
      code === ErrorCode.INTERNAL_SERVER_ERROR &&
      !(original instanceof GraphQLError) &&
      isDatabaseUnavailable(original)
    ) {
      // Expected while the database restarts: said plainly to the client, not logged as a bug.
      logger.warn({ reason: (original as Error).message, path: formatted.path }, 'database unavailable');
      return {
        message: 'The database is unavailable right now; retry shortly',
        path: formatted.path,
        extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
      };
    }
    if (code === ErrorCode.INTERNAL_SERVER_ERROR && !(original instanceof GraphQLError)) {
      logger.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
      return { message: 'Internal server error', path: formatted.path, extensions: { code } };
    }
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };
}
