import { Redis } from 'ioredis';

/**
 * Resolves once `redis` answers, or after `timeoutMs` whatever its state: a gateway that has just started
 * uses its shared store from the first request, and one whose Redis is down starts all the same.
 */
export function redisReady(redis: Redis | undefined, timeoutMs = 3000): Promise<void> {
  if (!redis || redis.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A connection to the Redis the gateway replicas share (rate limits, persisted queries): commands fail at
 * once while it is down (no offline queue, one retry) so that callers fall back instead of waiting.
 */
export function openRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // ioredis waits this long for a stream that never opened before it lets the process exit (default 2 s).
    disconnectTimeout: 200,
  });
}

/** Closes a connection; one to a Redis that never answered takes no QUIT, so it stops reconnecting instead. */
export async function closeRedis(redis: Redis | undefined): Promise<void> {
  await redis?.quit().catch(() => redis.disconnect());
}
