import { z } from 'zod';
import { type Env, hostVar, logLevelVar, nodeEnvVar, parseEnv, portVar, schemaNameVar, urlVar } from './config';
import { internalSecretVars } from './secrets';

/** What every subgraph process needs, whatever its domain. */
export interface SubgraphConfig {
  service: string;
  host: string;
  port: number;
  /** Unset means: use the embedded PostgreSQL (PGlite) kept in `pgliteDataDir`. */
  databaseUrl: string | undefined;
  dbSchema: string;
  pgliteDataDir: string;
  logLevel: z.infer<typeof logLevelVar>;
  nodeEnv: z.infer<typeof nodeEnvVar>;
  /** Checks the gateway's signed identities (lib/identity.ts); from INTERNAL_AUTH_SECRET_FILE when unset. */
  internalSecret: string | undefined;
  internalSecretFile: string;
  /** The Redis a subgraph's replicas share, for those that use one (the reference desk's events). */
  redisUrl?: string | undefined;
}

export const pgliteDataDirVar = z
  .string()
  .default('.data/pglite')
  .describe('Data directory of the embedded PostgreSQL used when no database URL is set');
export const databaseUrlVar = urlVar('PostgreSQL URL used by every service that has no URL of its own');

/**
 * The environment schema of one subgraph: `<PREFIX>_PORT`, `<PREFIX>_DATABASE_URL` and
 * `<PREFIX>_DB_SCHEMA`, plus the variables all services share.
 */
export function subgraphEnvSchema(prefix: string, service: string, defaultPort: number) {
  return z.object({
    [`${prefix}_PORT`]: portVar(defaultPort, `HTTP port of the ${service} subgraph`),
    [`${prefix}_DATABASE_URL`]: urlVar(`PostgreSQL URL of the ${service} subgraph (falls back to DATABASE_URL)`),
    [`${prefix}_DB_SCHEMA`]: schemaNameVar(service),
    DATABASE_URL: databaseUrlVar,
    PGLITE_DATA_DIR: pgliteDataDirVar,
    HOST: hostVar,
    LOG_LEVEL: logLevelVar,
    NODE_ENV: nodeEnvVar,
    ...internalSecretVars,
  });
}

export function loadSubgraphConfig(
  service: string,
  prefix: string,
  schema: ReturnType<typeof subgraphEnvSchema>,
  env: Env,
): SubgraphConfig {
  const parsed = parseEnv(service, schema, env) as Record<string, unknown>;
  return {
    service,
    host: parsed.HOST as string,
    port: parsed[`${prefix}_PORT`] as number,
    databaseUrl: (parsed[`${prefix}_DATABASE_URL`] ?? parsed.DATABASE_URL) as string | undefined,
    dbSchema: parsed[`${prefix}_DB_SCHEMA`] as string,
    pgliteDataDir: parsed.PGLITE_DATA_DIR as string,
    logLevel: parsed.LOG_LEVEL as SubgraphConfig['logLevel'],
    nodeEnv: parsed.NODE_ENV as SubgraphConfig['nodeEnv'],
    internalSecret: parsed.INTERNAL_AUTH_SECRET as string | undefined,
    internalSecretFile: parsed.INTERNAL_AUTH_SECRET_FILE as string,
  };
}
