import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one logger per service; credentials, identity headers and secrets never reach the
 * output (`destination` lets a test read what would be written).
 */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers["x-kbg-identity"]',
          'req.headers.cookie',
          '*.password',
          '*.token',
          '*.secret',
          '*.internalSecret',
          '*.uploadToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
