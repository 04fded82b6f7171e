import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { ErrorCode } from './errors';
import type { Logger } from './logger';

/**
 * Listens on `port` (0 picks a free one) and resolves with the server and its real port. `requestTimeoutMs`
 * limits how long receiving one whole request may take (Node's default: 5 minutes; 0: no limit).
 *
 * Every app of the project listens through here, so each ends with the same last handlers: unknown paths
 * and the errors express and its body parsers raise (a body over the limit, malformed JSON) are answered as
 * JSON with a stable code — GraphQL-style `errors` on a `/graphql` path — never express's HTML page, which
 * shows the stack trace outside production.
 */
export function listen(
  app: express.Express,
  port: number,
  host: string,
  options: { requestTimeoutMs?: number; logger?: Logger } = {},
): Promise<{ server: Server; port: number }> {
  app.use(answerUnknownPaths);
  app.use(answerErrors(options.logger));
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
    server.keepAliveTimeout = 65_000;
    if (options.requestTimeoutMs !== undefined) server.requestTimeout = options.requestTimeoutMs;
  });
}

/** An error as JSON: `{ errors: [{ message, extensions: { code } }] }` on a GraphQL path, else `{ error, code }`. */
function sendJsonError(
  req: express.Request,
  res: express.Response,
  status: number,
  code: ErrorCode,
  message: string,
): void {
  res.status(status);
  if (/\/graphql\/?$/.test(req.path)) res.json({ errors: [{ message, extensions: { code } }] });
  else res.json({ error: message, code });
}

const answerUnknownPaths: express.RequestHandler = (req, res) =>
  sendJsonError(req, res, 404, ErrorCode.NOT_FOUND, `Nothing is served at ${req.method} ${req.path}`);

/** What body-parser and express raise (http-errors): a status, whether the message is for clients, a type. */
interface HttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  limit?: number;
  message?: string;
}

function answerErrors(logger: Logger | undefined): express.ErrorRequestHandler {
  return (error: HttpError, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (error.type === 'entity.too.large') {
      return sendJsonError(
        req,
        res,
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The request body is over this service's limit of ${error.limit ?? '?'} bytes`,
      );
    }
    if (error.type === 'entity.parse.failed')
      return sendJsonError(req, res, 400, ErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
    if (status >= 400 && status < 500) {
      const message = error.expose && error.message ? error.message : 'The request cannot be read';
      return sendJsonError(req, res, status, ErrorCode.BAD_REQUEST, message);
    }
    logger?.error({ err: error, path: req.path }, 'request failed');
    sendJsonError(req, res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Formats a host for a URL that a client on this machine can use (0.0.0.0 is not connectable). */
export function publicHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
