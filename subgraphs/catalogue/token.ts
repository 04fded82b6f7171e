import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where a node without a configured upload token keeps the one it generated, so the import CLI on
 * the same machine finds it (the demo works with no setup). Production sets CATALOGUE_UPLOAD_TOKEN.
 */
export function tokenFile(pgliteDataDir: string): string {
  return join(dirname(pgliteDataDir), 'catalogue-upload-token');
}

/** Reads the local token file, creating it (mode 0600) with a random token when absent. */
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
