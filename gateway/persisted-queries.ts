import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger';
import { closeRedis, openRedis, redisReady } from './redis';

type QueryCache = NonNullable<PersistedQueryOptions['cache']>;

export interface PersistedQueriesConfig {
  /** Where queries registered by hash are kept: one Redis for every replica, each gateway's memory, or nowhere. */
  cache: 'redis' | 'memory' | 'off';
  /** How long a registered query is kept after its registration, in seconds. */
  ttlSeconds: number;
  redisUrl: string | undefined;
}

/**
 * Registered queries in Redis, shared by every gateway replica. Keys are the queries' SHA-256 (a hash
 * names one text whatever the network, so gateways of several networks may share them). Redis failing
 * never fails a request: a lookup that fails is a miss (the client sends the query again), a registration
 * that fails is dropped.
 */
class RedisQueryCache implements QueryCache {
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {
    redis.on('error', (error: Error) => this.failed(error));
    redis.on('ready', () => (this.failing = false));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`kbg:${key}`)) ?? undefined;
    } catch (error) {
      this.failed(error as Error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      if (options?.ttl) await this.redis.set(`kbg:${key}`, value, 'EX', options.ttl);
      else await this.redis.set(`kbg:${key}`, value);
    } catch (error) {
      this.failed(error as Error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(`kbg:${key}`)) > 0;
    } catch (error) {
      this.failed(error as Error);
      return false;
    }
  }

  /** Logs once per outage, not for every request or reconnection attempt. */
  private failed(error: Error) {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ reason: error.message }, 'persisted query store unavailable: queries are sent in full');
  }
}

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option. */
  options: PersistedQueryOptions | false;
  /** Resolves once the shared store answers (or after `timeoutMs`), so that the first registrations are kept. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Automatic persisted queries (Apollo's APQ): a client sends a query's SHA-256 alone and, when the gateway
 * does not know it (`PERSISTED_QUERY_NOT_FOUND`), the hash with the query, which registers it. A query
 * arriving by hash goes through the same parsing limits, validation, cost checks, rate limits and audit
 * as one sent in full; Apollo refuses a hash that does not match its query and registers nothing refused.
 */
export function persistedQueries(config: PersistedQueriesConfig, logger: Logger): PersistedQueries {
  const nothing = async () => undefined;
  if (config.cache === 'off') return { options: false, ready: nothing, close: nothing };
  if (config.cache === 'memory' || !config.redisUrl) {
    // Apollo Server's own bounded in-memory LRU cache.
    return { options: { ttl: config.ttlSeconds }, ready: nothing, close: nothing };
  }
  const redis = openRedis(config.redisUrl);
  return {
    options: { cache: new RedisQueryCache(redis, logger), ttl: config.ttlSeconds },
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    close: () => closeRedis(redis),
  };
}
