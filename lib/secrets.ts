import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** Reads a local secret file, creating it (mode 0600) with a random value when absent. */
export function localToken(file: string, create: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    if (!create) return undefined;
    mkdirSync(dirname(file), { recursive: true });
    const token = randomBytes(24).toString('base64url');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return token;
  }
}

/** Compares a presented bearer token with the expected one in constant time. */
export function tokenMatches(header: string | undefined, expected: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const internalSecretVars = {
  INTERNAL_AUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'Secret shared by the gateway, the subgraphs and the catalogue nodes: the gateway signs the caller’s identity with it (HMAC) and the services refuse requests without a valid signature; required in production, else kept in INTERNAL_AUTH_SECRET_FILE',
    ),
  INTERNAL_AUTH_SECRET_FILE: z
    .string()
    .default('.data/internal-secret')
    .describe(
      'Outside production, where the internal secret is kept when INTERNAL_AUTH_SECRET is unset (created on first use)',
    ),
};

export interface InternalSecretConfig {
  internalSecret: string | undefined;
  internalSecretFile: string;
  nodeEnv: 'development' | 'production' | 'test';
}

/**
 * The internal secret a service signs or checks identities with: the configured one, else (outside
 * production) the local file every process of `npm start` shares, created with a random secret.
 */
export function internalSecretOf(config: InternalSecretConfig): string {
  if (config.internalSecret) return config.internalSecret;
  if (config.nodeEnv === 'production') throw new Error('INTERNAL_AUTH_SECRET is required in production');
  return localToken(config.internalSecretFile, true)!;
}
