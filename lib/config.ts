import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Thrown when a service's environment is invalid; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against a zod object whose keys are the variable names. Empty strings count as
 * unset, so `FOO=` in a compose file falls back to the default instead of failing validation.
 */
export function parseEnv<S extends z.ZodObject>(service: string, schema: S, env: Env): z.infer<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** For entry points: print every configuration problem and exit instead of a stack trace. */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

// Building blocks shared by the services' schemas, each carrying the description the docs table shows.
export const portVar = (fallback: number, what: string) =>
  z.coerce.number().int().min(0).max(65535).default(fallback).describe(what);

export const urlVar = (what: string) =>
  z
    .url({ protocol: /^(postgres|postgresql|https?)$/ })
    .optional()
    .describe(what);

export const booleanVar = (fallback: boolean, what: string) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1')
    .describe(what);

export const hostVar = z
  .string()
  .default('127.0.0.1')
  .describe('Interface to bind HTTP servers to (0.0.0.0 in containers)');

export const logLevelVar = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
  .describe('pino log level');

export const nodeEnvVar = z.enum(['development', 'production', 'test']).default('development').describe('Runtime mode');

export const schemaNameVar = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier')
    .default(fallback)
    .describe('PostgreSQL schema that holds this service’s tables');

/** Every variable a schema reads, with its description and default, for the docs table. */
export function describeEnv(schema: z.ZodObject): Array<{ name: string; description: string; default?: string }> {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    // A default followed by a transform (the booleans) is a pipe whose input carries the default.
    let inner = type;
    while (inner instanceof z.ZodPipe) inner = inner.def.in as z.ZodType;
    const def = inner instanceof z.ZodDefault ? String(inner.def.defaultValue) : undefined;
    return { name, description: type.description ?? '', ...(def === undefined ? {} : { default: def }) };
  });
}
