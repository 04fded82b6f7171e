import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Identity } from '../lib/identity';
import type { Logger } from '../lib/logger';
import { closeRedis, openRedis, redisReady } from './redis';
import { ErrorCode } from '../lib/errors';

export interface RateLimitConfig {
  /** Requests a minute per caller: anonymous callers by IP address, others by credential. */
  perMinute: { anonymous: number; editor: number; coordinator: number };
  /** Questions an anonymous caller (by IP address) may ask the reference desk in an hour. */
  anonymousAsksPerHour: number;
  /** Shared by every gateway replica when set: one limit however many gateways serve. */
  redisUrl: string | undefined;
  /** Prefix of the counters' keys (one network's gateways share it). */
  keyPrefix?: string;
}

/**
 * Per-client rate limits (rate-limiter-flexible): in memory, or in Redis when a URL is configured so that
 * several gateway replicas enforce one limit. Should Redis fail, each gateway falls back to its own memory
 * rather than refusing everyone or letting everyone through.
 */
export class RateLimits {
  private readonly redis: Redis | undefined;
  private readonly limiters: Record<'anonymous' | 'editor' | 'coordinator' | 'asks', RateLimiterAbstract>;

  constructor(config: RateLimitConfig, logger: Logger) {
    this.redis = config.redisUrl ? openRedis(config.redisUrl) : undefined;
    this.redis?.on('error', (error: Error) => logger.warn({ reason: error.message }, 'rate limit store unavailable'));
    const prefix = config.keyPrefix ?? 'kbg-rl';
    const limiter = (name: string, points: number, duration = 60): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `${prefix}-${name}`, points, duration });
      return this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${prefix}-${name}`,
            points,
            duration,
            insuranceLimiter: memory,
          })
        : memory;
    };
    this.limiters = {
      anonymous: limiter('anonymous', config.perMinute.anonymous),
      editor: limiter('editor', config.perMinute.editor),
      coordinator: limiter('coordinator', config.perMinute.coordinator),
      asks: limiter('anonymous-asks', config.anonymousAsksPerHour, 3600),
    };
  }

  /**
   * Resolves once the shared store answers (or after `timeoutMs`, counting in memory meanwhile), so that a
   * gateway that has just started counts in Redis from its first request.
   */
  ready(timeoutMs = 3000): Promise<void> {
    return redisReady(this.redis, timeoutMs);
  }

  /** Counts one request; refuses it (429, RATE_LIMITED, Retry-After) when the caller is over its limit. */
  async admit(identity: Identity, ip: string | undefined): Promise<void> {
    const role = identity.role === 'EDITOR' ? 'editor' : identity.role === 'COORDINATOR' ? 'coordinator' : 'anonymous';
    await consume(this.limiters[role], identity.credentialId ?? `ip:${ip ?? 'unknown'}`, 1);
  }

  /**
   * Counts the questions an anonymous caller asks the reference desk in one request (by IP address), over
   * the hour; refuses the request as `admit` does when they are too many. Callers with a key are not counted.
   */
  async admitAnonymousAsks(identity: Identity, ip: string | undefined, asks: number): Promise<void> {
    if (asks === 0 || identity.role !== 'ANONYMOUS') return;
    // A refused request asks nothing, so it counts nothing: its questions are given back.
    await consume(this.limiters.asks, `ip:${ip ?? 'unknown'}`, asks, true);
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, points: number, refund = false): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    if (refund) await limiter.reward(key, points);
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new GraphQLError(`Too many requests: try again in ${seconds} s`, {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds: seconds,
        // Apollo Server reads response headers from a Map (typed as a record by graphql-yoga's augmentation).
        http: {
          status: 429,
          headers: new Map([['retry-after', String(seconds)]]) as unknown as Record<string, string>,
        },
      },
    });
  }
}

/** Counts the reference desk questions of each mutation against their anonymous caller's hourly limit. */
export function askLimitPlugin(
  limits: RateLimits,
): ApolloServerPlugin<{ identity: Identity; ip?: string | undefined }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          const asks = operation.selectionSet.selections.filter(
            (s) => s.kind === Kind.FIELD && s.name.value === 'askReferenceQuestion',
          ).length;
          await limits.admitAnonymousAsks(contextValue.identity, contextValue.ip, asks);
        },
      };
    },
  };
}
