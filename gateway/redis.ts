import type { Redis } from 'ioredis';

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
