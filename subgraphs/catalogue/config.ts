import { z } from 'zod';
import { type Env, hostVar, logLevelVar, nodeEnvVar, parseEnv, portVar, schemaNameVar, urlVar } from '../../lib/config';
import { internalSecretVars } from '../../lib/secrets';
import { databaseUrlVar, pgliteDataDirVar } from '../../lib/subgraph-config';

const memberCode = /^[a-z0-9][a-z0-9-]{1,31}$/;

export const catalogueEnv = z.object({
  CATALOGUE_MEMBERS: z
    .string()
    .default('kemrsl')
    .transform((v) =>
      v
        .split(',')
        .map((code) => code.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(memberCode, 'member codes are 2–32 lowercase Latin letters, digits or hyphens'))
        .min(1)
        .refine((codes) => new Set(codes).size === codes.length, 'member codes must not repeat'),
    )
    .describe(
      'Member code(s) whose catalogue this node serves, comma-separated; more than one runs the node in hosted mode',
    ),
  CATALOGUE_PORT: portVar(4010, 'HTTP port of the catalogue node'),
  CATALOGUE_DATABASE_URL: urlVar('PostgreSQL URL of the catalogue node (falls back to DATABASE_URL)'),
  CATALOGUE_DB_SCHEMA: schemaNameVar('catalogue').describe(
    'Prefix of the PostgreSQL schemas of the node: each member’s records live in `<prefix>_<member code>`',
  ),
  CATALOGUE_UPLOAD_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Bearer token that authorises imports and exports over HTTP; the HTTP endpoints are off when unset'),
  CATALOGUE_IMPORT_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1000)
    .describe('Records written per transaction during an import'),
  CATALOGUE_BATCH_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(64)
    .describe(
      'Hosted mode: members’ operations of one gateway batch run at once. Their searches reach the database together (one statement per step for all of them), so this bounds the other per-member work (holdings, records), one statement per member each',
    ),
  DATABASE_URL: databaseUrlVar,
  PGLITE_DATA_DIR: pgliteDataDirVar,
  HOST: hostVar,
  LOG_LEVEL: logLevelVar,
  NODE_ENV: nodeEnvVar,
  ...internalSecretVars,
});

export interface CatalogueConfig {
  members: string[];
  host: string;
  port: number;
  databaseUrl: string | undefined;
  schemaPrefix: string;
  uploadToken: string | undefined;
  batchSize: number;
  /** Members of one `/batch/graphql` request worked on at once. */
  batchConcurrency: number;
  pgliteDataDir: string;
  logLevel: z.infer<typeof logLevelVar>;
  nodeEnv: z.infer<typeof nodeEnvVar>;
  /** Checks the gateway's signed identities; from INTERNAL_AUTH_SECRET_FILE when unset. */
  internalSecret: string | undefined;
  internalSecretFile: string;
}

export function loadCatalogueConfig(env: Env = process.env): CatalogueConfig {
  const c = parseEnv('catalogue', catalogueEnv, env);
  return {
    members: c.CATALOGUE_MEMBERS,
    host: c.HOST,
    port: c.CATALOGUE_PORT,
    databaseUrl: c.CATALOGUE_DATABASE_URL ?? c.DATABASE_URL,
    schemaPrefix: c.CATALOGUE_DB_SCHEMA,
    uploadToken: c.CATALOGUE_UPLOAD_TOKEN,
    batchSize: c.CATALOGUE_IMPORT_BATCH_SIZE,
    batchConcurrency: c.CATALOGUE_BATCH_CONCURRENCY,
    pgliteDataDir: c.PGLITE_DATA_DIR,
    logLevel: c.LOG_LEVEL,
    nodeEnv: c.NODE_ENV,
    internalSecret: c.INTERNAL_AUTH_SECRET,
    internalSecretFile: c.INTERNAL_AUTH_SECRET_FILE,
  };
}

/** The PostgreSQL schema of one member's catalogue: hosted members are isolated from each other. */
export function memberSchema(prefix: string, code: string): string {
  return `${prefix}_${code.replace(/-/g, '_')}`;
}

export const catalogueCliEnv = z.object({
  CATALOGUE_NODE_URL: urlVar(
    '`npm run catalogue`: base URL of the catalogue node to talk to (e.g. http://127.0.0.1:4010); looked up in the member registry through the gateway when unset',
  ),
  GATEWAY_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:4000/graphql')
    .describe('`npm run catalogue`: the gateway, to find a member’s catalogue node in the registry'),
  CATALOGUE_UPLOAD_TOKEN: catalogueEnv.shape.CATALOGUE_UPLOAD_TOKEN,
  PGLITE_DATA_DIR: pgliteDataDirVar,
});

export function loadCatalogueCliConfig(env: Env = process.env) {
  const c = parseEnv('catalogue CLI', catalogueCliEnv, env);
  return {
    nodeUrl: c.CATALOGUE_NODE_URL,
    gatewayUrl: c.GATEWAY_URL,
    uploadToken: c.CATALOGUE_UPLOAD_TOKEN,
    pgliteDataDir: c.PGLITE_DATA_DIR,
  };
}
