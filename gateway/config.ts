import { z } from 'zod';
import { internalSecretVars } from '../lib/secrets';
import type { CorsOrigins } from './cors';
import type { QueryLimits } from './limits';
import type { PersistedQueriesConfig } from './persisted-queries';
import type { RateLimitConfig } from './rate-limit';
import type { AdmissionConfig } from './admission';
import {
  type Env,
  ConfigError,
  booleanVar,
  hostVar,
  logLevelVar,
  nodeEnvVar,
  parseEnv,
  portVar,
  urlVar,
} from '../lib/config';

export const gatewayEnv = z.object({
  GATEWAY_PORT: portVar(4000, 'HTTP port of the gateway'),
  HOST: hostVar,
  SUPERGRAPH_PATH: z
    .string()
    .default('schema/supergraph.graphql')
    .describe('Composed supergraph SDL the gateway serves (made by `npm run compose`)'),
  MEMBERS_URL: urlVar('GraphQL URL of the members subgraph (overrides the URL in the supergraph)'),
  SECTIONS_URL: urlVar('GraphQL URL of the sections subgraph (overrides the URL in the supergraph)'),
  EVENTS_URL: urlVar('GraphQL URL of the events subgraph (overrides the URL in the supergraph)'),
  REFERENCE_URL: urlVar('GraphQL URL of the reference subgraph (overrides the URL in the supergraph)'),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(10_000)
    .describe('Time limit of one request from the gateway to a subgraph, in milliseconds'),
  CATALOGUE_NODES_FILE: z
    .string()
    .optional()
    .describe(
      'JSON file `{ "<member code>": "<node GraphQL URL>" }` of catalogue nodes, besides (and overriding) the registrations in the members subgraph',
    ),
  GATEWAY_REGISTRY_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe('How often the gateway re-reads the catalogue node registrations, in milliseconds'),
  CATALOGUE_NODE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(2000)
    .describe(
      'Time limit of one request from the gateway to a catalogue node (retries included), in milliseconds: a slower node’s part of a network search is reported missing',
    ),
  CATALOGUE_IMPORT_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(120_000)
    .describe(
      'How long a catalogue import through the gateway may go without a byte between gateway and node (upload or progress), in milliseconds; then it is cut off',
    ),
  CATALOGUE_NODE_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(1)
    .describe(
      'How many times a read is sent again to a catalogue node that could not be reached (never after a timeout)',
    ),
  CATALOGUE_BREAKER_RESET_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe(
      'How long a catalogue node that keeps failing (half of 3 or more requests in 10 s) is skipped before one request probes it again, in milliseconds',
    ),
  CATALOGUE_FANOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(16)
    .describe('Most catalogue nodes one request talks to at once (network search fans out in waves of this size)'),
  CATALOGUE_STATISTICS_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400_000)
    .default(60_000)
    .describe(
      'How long the catalogue statistics of one scope, once every node answered, are served again before the nodes are asked anew, in milliseconds (the result shows when it was computed)',
    ),
  CATALOGUE_STATISTICS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(15_000)
    .describe(
      'Time limit of one catalogue node call for network statistics, in milliseconds (longer than a search: a node may have to read its whole catalogue once after a change)',
    ),
  GATEWAY_MAX_DEPTH: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(12)
    .describe('Deepest selection a query may have (fields inside fields)'),
  GATEWAY_MAX_ALIASES: z.coerce.number().int().min(1).max(1000).default(30).describe('Most aliases in one query'),
  GATEWAY_MAX_DIRECTIVES: z.coerce.number().int().min(1).max(1000).default(50).describe('Most directives in one query'),
  GATEWAY_MAX_TOKENS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(5000)
    .describe('Most tokens (names, punctuation, values) in one query document'),
  GATEWAY_MAX_ROOT_FIELDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('Most root fields in one operation'),
  GATEWAY_MAX_COST: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .default(1_000_000)
    .describe(
      'Highest estimated cost of one operation: every field costs 1 and what a list selects counts as many times as the list may hold (its `first`, else 5)',
    ),
  GATEWAY_MAX_PAGE_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(100)
    .describe('Largest `first` anywhere in a query'),
  GATEWAY_MAX_CONCURRENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(8)
    .describe(
      'GraphQL requests the gateway works on at once (about 4 a CPU core of the network); more wait their turn in order instead of all slowing down past the subgraph and node time limits',
    ),
  GATEWAY_MAX_QUEUED: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(2000)
    .describe('Requests that may wait for their turn; beyond that a request is refused at once (503, OVERLOADED)'),
  GATEWAY_QUEUE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(30_000)
    .describe(
      'How long a request may wait for its turn before it is refused (503 with Retry-After, OVERLOADED), in milliseconds',
    ),
  GATEWAY_MAX_BODY_KB: z.coerce.number().int().min(1).max(10000).default(100).describe('Largest request body, in KiB'),
  GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe('Subscriptions one WebSocket connection to /graphql may hold at once'),
  GATEWAY_RATE_LIMIT_ANONYMOUS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000000)
    .default(300)
    .describe('Requests a minute one anonymous caller (by IP address) may make'),
  GATEWAY_RATE_LIMIT_EDITOR: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000000)
    .default(1200)
    .describe('Requests a minute one editor credential may make'),
  GATEWAY_RATE_LIMIT_COORDINATOR: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000000)
    .default(3000)
    .describe('Requests a minute one coordinator credential may make'),
  GATEWAY_ANONYMOUS_ASKS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(10)
    .describe('Questions one anonymous caller (by IP address) may ask the reference desk in an hour'),
  GATEWAY_RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('kbg-rl')
    .describe(
      'Prefix of the rate-limit counters in Redis: gateways of one network share it, another network sharing the Redis uses its own',
    ),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe(
      'Redis for the rate limits and persisted queries, shared by every gateway replica (each gateway counts and keeps them in its own memory when unset)',
    ),
  GATEWAY_PERSISTED_QUERIES: z
    .enum(['redis', 'memory', 'off'])
    .optional()
    .describe(
      'Automatic persisted queries (a client sends a query’s SHA-256 instead of its text once registered): kept in Redis (`redis`, REDIS_URL, shared by every replica), in each gateway’s memory (`memory`) or not accepted (`off`); default `redis` when REDIS_URL is set, else `memory`',
    ),
  GATEWAY_PERSISTED_QUERIES_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(2_592_000)
    .default(86_400)
    .describe('How long a persisted query is kept after it was registered, in seconds'),
  GATEWAY_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => corsOrigins(value, ctx))
    .describe(
      'Web origins (`https://host[:port]`, comma-separated) whose pages may call /graphql and /statistics from the browser (CORS), or `*` for any; unset: none (same origin only)',
    ),
  GATEWAY_EXPLORER: booleanVar(
    true,
    'Serve the GraphiQL explorer at /explorer, with the example operations of docs/examples and the public schema (/explorer/schema.graphql, also when introspection is off)',
  ),
  GATEWAY_INTROSPECTION: z
    .enum(['true', 'false'])
    .optional()
    .describe('Whether clients may introspect the schema (default: yes, except when NODE_ENV is production)'),
  GATEWAY_INTROSPECT: booleanVar(
    false,
    'Development only: compose the supergraph at start by introspecting the running subgraphs instead of reading SUPERGRAPH_PATH',
  ),
  LOG_LEVEL: logLevelVar,
  NODE_ENV: nodeEnvVar,
  ...internalSecretVars,
});

/** `*` alone, or a list of origins exactly as browsers send them (scheme, host, port; no path). */
function corsOrigins(value: string | undefined, ctx: z.RefinementCtx): CorsOrigins {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.includes('*')) {
    if (entries.length > 1) ctx.addIssue({ code: 'custom', message: '`*` (any origin) must stand alone' });
    return '*';
  }
  for (const entry of entries) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // Reported below.
    }
    if (origin !== entry) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin: scheme, host and port as the browser sends them (https://library.example, no path or trailing slash)`,
      });
    }
  }
  return entries;
}

export interface GatewayConfig {
  host: string;
  port: number;
  supergraphPath: string;
  /** Subgraph name → URL, for the subgraphs whose URL is overridden. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  catalogueNodesFile: string | undefined;
  registryRefreshMs: number;
  nodeTimeoutMs: number;
  importIdleMs: number;
  nodeRetries: number;
  breakerResetMs: number;
  fanOut: number;
  statisticsCacheMs: number;
  statisticsTimeoutMs: number;
  limits: QueryLimits;
  maxBodyKb: number;
  maxSubscriptionsPerConnection: number;
  /** Requests worked on at once, waiting, and how long they may wait (gateway/admission.ts). */
  admission: AdmissionConfig;
  rateLimits: RateLimitConfig;
  persistedQueries: PersistedQueriesConfig;
  /** Origins whose pages may call the API from the browser: none (empty), a list, or any (`*`). */
  corsOrigins: CorsOrigins;
  /** Whether the GraphiQL explorer is served at /explorer. */
  explorer: boolean;
  /** Whether clients may introspect the schema. */
  introspection: boolean;
  introspect: boolean;
  logLevel: z.infer<typeof logLevelVar>;
  nodeEnv: z.infer<typeof nodeEnvVar>;
  /** Signs the caller's identity for the services behind the gateway; from INTERNAL_AUTH_SECRET_FILE when unset. */
  internalSecret: string | undefined;
  internalSecretFile: string;
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const c = parseEnv('gateway', gatewayEnv, env);
  if (c.GATEWAY_PERSISTED_QUERIES === 'redis' && !c.REDIS_URL) {
    throw new ConfigError('gateway', ['GATEWAY_PERSISTED_QUERIES: `redis` needs REDIS_URL']);
  }
  const subgraphUrls: Record<string, string> = {};
  if (c.MEMBERS_URL) subgraphUrls.members = c.MEMBERS_URL;
  if (c.SECTIONS_URL) subgraphUrls.sections = c.SECTIONS_URL;
  if (c.EVENTS_URL) subgraphUrls.events = c.EVENTS_URL;
  if (c.REFERENCE_URL) subgraphUrls.reference = c.REFERENCE_URL;
  return {
    host: c.HOST,
    port: c.GATEWAY_PORT,
    supergraphPath: c.SUPERGRAPH_PATH,
    subgraphUrls,
    subgraphTimeoutMs: c.GATEWAY_SUBGRAPH_TIMEOUT_MS,
    catalogueNodesFile: c.CATALOGUE_NODES_FILE,
    registryRefreshMs: c.GATEWAY_REGISTRY_REFRESH_MS,
    nodeTimeoutMs: c.CATALOGUE_NODE_TIMEOUT_MS,
    importIdleMs: c.CATALOGUE_IMPORT_IDLE_MS,
    nodeRetries: c.CATALOGUE_NODE_RETRIES,
    breakerResetMs: c.CATALOGUE_BREAKER_RESET_MS,
    fanOut: c.CATALOGUE_FANOUT,
    statisticsCacheMs: c.CATALOGUE_STATISTICS_CACHE_MS,
    statisticsTimeoutMs: c.CATALOGUE_STATISTICS_TIMEOUT_MS,
    limits: {
      maxDepth: c.GATEWAY_MAX_DEPTH,
      maxAliases: c.GATEWAY_MAX_ALIASES,
      maxDirectives: c.GATEWAY_MAX_DIRECTIVES,
      maxTokens: c.GATEWAY_MAX_TOKENS,
      maxRootFields: c.GATEWAY_MAX_ROOT_FIELDS,
      maxCost: c.GATEWAY_MAX_COST,
      maxPageSize: c.GATEWAY_MAX_PAGE_SIZE,
    },
    maxBodyKb: c.GATEWAY_MAX_BODY_KB,
    maxSubscriptionsPerConnection: c.GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    admission: {
      maxConcurrent: c.GATEWAY_MAX_CONCURRENT,
      maxQueued: c.GATEWAY_MAX_QUEUED,
      queueTimeoutMs: c.GATEWAY_QUEUE_TIMEOUT_MS,
    },
    rateLimits: {
      perMinute: {
        anonymous: c.GATEWAY_RATE_LIMIT_ANONYMOUS,
        editor: c.GATEWAY_RATE_LIMIT_EDITOR,
        coordinator: c.GATEWAY_RATE_LIMIT_COORDINATOR,
      },
      anonymousAsksPerHour: c.GATEWAY_ANONYMOUS_ASKS_PER_HOUR,
      redisUrl: c.REDIS_URL,
      keyPrefix: c.GATEWAY_RATE_LIMIT_PREFIX,
    },
    persistedQueries: {
      cache: c.GATEWAY_PERSISTED_QUERIES ?? (c.REDIS_URL ? 'redis' : 'memory'),
      ttlSeconds: c.GATEWAY_PERSISTED_QUERIES_TTL_S,
      redisUrl: c.REDIS_URL,
    },
    corsOrigins: c.GATEWAY_CORS_ORIGINS,
    explorer: c.GATEWAY_EXPLORER,
    introspection: c.GATEWAY_INTROSPECTION ? c.GATEWAY_INTROSPECTION === 'true' : c.NODE_ENV !== 'production',
    introspect: c.GATEWAY_INTROSPECT,
    logLevel: c.LOG_LEVEL,
    nodeEnv: c.NODE_ENV,
    internalSecret: c.INTERNAL_AUTH_SECRET,
    internalSecretFile: c.INTERNAL_AUTH_SECRET_FILE,
  };
}
