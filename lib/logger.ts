import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one logger per service; secrets in headers never reach the output. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
