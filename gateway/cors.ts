import cors from 'cors';
import type express from 'express';

/** Origins whose pages may call the API from the browser: a list (empty: none) or any (`*`). */
export type CorsOrigins = '*' | string[];

/**
 * CORS for the API routes (GATEWAY_CORS_ORIGINS): a page of an allowed origin may send the headers our
 * clients use — a key (`Authorization`, `X-Api-Key`), JSON, Apollo's CSRF-prevention and APQ headers —
 * and read `Retry-After` and a CSV's file name. A request from any other origin gets no CORS header at
 * all, so its browser keeps the answer from the page. None when no origin is configured.
 */
export function corsMiddleware(origins: CorsOrigins): express.RequestHandler | undefined {
  if (origins !== '*' && origins.length === 0) return undefined;
  const allowed = new Set(origins === '*' ? [] : origins);
  return cors({
    origin: origins === '*' ? '*' : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'content-type',
      'authorization',
      'x-api-key',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
    ],
    exposedHeaders: ['retry-after', 'content-disposition'],
    maxAge: 600,
  });
}
