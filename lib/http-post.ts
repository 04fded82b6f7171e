import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Why a POST got no answer: none within the time limit, or no connection at all. */
export class HttpPostFailure extends Error {
  constructor(
    readonly kind: 'TIMEOUT' | 'UNREACHABLE',
    /** The socket error's code (ECONNREFUSED, ECONNRESET…) or the time limit. */
    readonly reason: string,
  ) {
    super(kind === 'TIMEOUT' ? `no answer within ${reason} ms` : `cannot connect: ${reason}`);
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * POSTs (and GETs) over node:http with keep-alive agents and one timer per call. The gateway calls its subgraphs and
 * nodes many times per client request; fetch (undici with web streams and an AbortSignal per call) costs
 * several times node:http's CPU per call, which showed as the gateway's largest cost in its profile.
 */
export class HttpPoster {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  /** Sends `payload`; rejects with an HttpPostFailure when there is no complete answer within `timeoutMs`. */
  post(url: string, payload: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
    return this.send('POST', url, payload, headers, timeoutMs);
  }

  /** A GET (a service's `/health`), with the same time limit and failures as `post`. */
  get(url: string, timeoutMs: number): Promise<HttpAnswer> {
    return this.send('GET', url, undefined, {}, timeoutMs);
  }

  private send(
    method: 'GET' | 'POST',
    url: string,
    payload: string | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method,
        agent: secure ? this.https : this.http,
        headers:
          payload === undefined
            ? headers
            : { 'content-type': 'application/json', ...headers, 'content-length': Buffer.byteLength(payload) },
      });
      const timer = setTimeout(
        () => request.destroy(new HttpPostFailure('TIMEOUT', String(timeoutMs))),
        Math.max(1, Math.round(timeoutMs)),
      );
      const fail = (error: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          error instanceof HttpPostFailure ? error : new HttpPostFailure('UNREACHABLE', error.code ?? error.message),
        );
      };
      request.once('error', fail);
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', fail);
        response.once('end', () => {
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.end(payload);
    });
  }

  /** Closes the idle keep-alive connections. */
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
