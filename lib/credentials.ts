import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

/**
 * API keys and tokens. The admin CLI makes the secret and the members subgraph stores only its SHA-256:
 * no service ever keeps a secret. A key is `kbg_` + 32 random bytes; a token is a JWT (HS256, signed with a
 * key derived from the internal secret) whose `jti` is the credential id — the gateway checks its
 * signature and expiry itself and then, like a key, looks it up by hash (revocation).
 */
export const KEY_PREFIX = 'kbg_';
export const TOKEN_ISSUER = 'kuzbass-libraries-graph';

export type CredentialKind = 'KEY' | 'TOKEN';
export type CredentialRole = 'EDITOR' | 'COORDINATOR';

export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const tokenKey = (internalSecret: string): Uint8Array =>
  createHash('sha256').update(`kbg-token-v1:${internalSecret}`).digest();

export const newKey = (): string => `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;

export function signToken(
  claims: { id: string; role: CredentialRole; memberCode?: string | null; expiresAt: Date },
  internalSecret: string,
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.memberCode ? { member: claims.memberCode } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(claims.id)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(claims.expiresAt)
    .sign(tokenKey(internalSecret));
}

export const looksLikeToken = (secret: string): boolean => secret.split('.').length === 3;

/** Checks a token's signature, issuer and expiry; the reason when it fails. */
export async function checkToken(token: string, internalSecret: string): Promise<string | null> {
  try {
    await jwtVerify(token, tokenKey(internalSecret), { issuer: TOKEN_ISSUER, algorithms: ['HS256'] });
    return null;
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired token' : 'invalid token';
  }
}
