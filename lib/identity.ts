import { createHmac, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors';

/**
 * Who a request is for, as the gateway established it and every service behind it trusts it.
 *
 * - ANONYMOUS: no credential — public data only, no changes.
 * - EDITOR: an API key or token bound to one member — may change that member's profile, people, reports,
 *   catalogue, events it hosts and its registrations.
 * - COORDINATOR: the partnership's coordinators — everything, personal data and exports included.
 * - SERVICE: the network's own processes (the gateway's registry, the local admin CLI) — internal fields.
 */
export type Role = 'ANONYMOUS' | 'EDITOR' | 'COORDINATOR' | 'SERVICE';

export interface Identity {
  role: Role;
  /** The member an editor acts for. */
  memberId?: string;
  memberCode?: string;
  /** The credential the caller presented (for the audit log); never the secret. */
  credentialId?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ role: 'ANONYMOUS' });
export const SERVICE: Identity = Object.freeze({ role: 'SERVICE' });

/** The header the gateway sends to subgraphs and catalogue nodes: `<payload>.<signature>`, base64url. */
export const IDENTITY_HEADER = 'x-kbg-identity';
/** How long a signed identity is accepted after it was signed. */
export const IDENTITY_TTL_MS = 60_000;

const ROLES = new Set<Role>(['ANONYMOUS', 'EDITOR', 'COORDINATOR', 'SERVICE']);

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** The header value for an identity: HMAC-SHA256 over the payload, which carries its own expiry. */
export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({
      r: identity.role,
      ...(identity.memberId ? { m: identity.memberId } : {}),
      ...(identity.memberCode ? { mc: identity.memberCode } : {}),
      ...(identity.credentialId ? { c: identity.credentialId } : {}),
      exp: now + IDENTITY_TTL_MS,
    }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export type Verified = { ok: true; identity: Identity } | { ok: false; reason: string };

/** Checks a header value: signature (constant time), expiry, shape. */
export function verifyIdentity(header: string | undefined, secret: string, now = Date.now()): Verified {
  if (!header) return { ok: false, reason: 'no signed identity' };
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed identity' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad signature' };
  }
  let claims: { r?: unknown; m?: unknown; mc?: unknown; c?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { ok: false, reason: 'malformed identity' };
  }
  if (typeof claims.exp !== 'number' || claims.exp < now) return { ok: false, reason: 'expired identity' };
  // A signature from the future would mean a clock far ahead: refuse it as well.
  if (claims.exp > now + 2 * IDENTITY_TTL_MS) return { ok: false, reason: 'identity not yet valid' };
  if (typeof claims.r !== 'string' || !ROLES.has(claims.r as Role)) return { ok: false, reason: 'unknown role' };
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const identity: Identity = { role: claims.r as Role };
  if (text(claims.m)) identity.memberId = text(claims.m);
  if (text(claims.mc)) identity.memberCode = text(claims.mc);
  if (text(claims.c)) identity.credentialId = text(claims.c);
  if (identity.role === 'EDITOR' && !identity.memberId) return { ok: false, reason: 'editor without a member' };
  return { ok: true, identity };
}

/**
 * Express middleware of every subgraph and catalogue node: requests must carry an identity the gateway
 * signed (no way around the gateway); it is left in `res.locals.identity`. Refusals are HTTP 401 with a
 * GraphQL-shaped body.
 */
export function requireSignedIdentity(secret: string): express.RequestHandler {
  return (req, res, next) => {
    const verified = verifyIdentity(req.header(IDENTITY_HEADER), secret);
    if (verified.ok) {
      res.locals.identity = verified.identity;
      return next();
    }
    res.status(401).json({
      errors: [
        {
          message: `This service answers the gateway only (${verified.reason})`,
          extensions: { code: ErrorCode.UNAUTHENTICATED, reason: verified.reason },
        },
      ],
    });
  };
}

/** The identity `requireSignedIdentity` left for this request. */
export function identityOf(res: express.Response): Identity {
  return (res.locals.identity as Identity | undefined) ?? ANONYMOUS;
}

export const isCoordinator = (identity: Identity): boolean => identity.role === 'COORDINATOR';

/** Whether the caller may act for a member: a coordinator, or an editor of that very member. */
export const actsFor = (identity: Identity, memberId: string | null | undefined): boolean =>
  isCoordinator(identity) || (identity.role === 'EDITOR' && !!memberId && identity.memberId === memberId);

/** The same rule by member code (the catalogue's routes and the gateway's import proxy name members by code). */
export const actsForCode = (identity: Identity, memberCode: string | null | undefined): boolean =>
  isCoordinator(identity) || (identity.role === 'EDITOR' && !!memberCode && identity.memberCode === memberCode);

/** A caller without (valid) credentials; `httpStatus` where the whole request is refused (the gateway: 401). */
export function unauthenticated(
  message = 'Sign in: this needs an API key or token',
  httpStatus?: number,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/** Refuses anonymous callers (UNAUTHENTICATED) and those `allowed` says no to (FORBIDDEN). */
export function authorise(identity: Identity, allowed: boolean, what: string): void {
  if (allowed) return;
  if (identity.role === 'ANONYMOUS') throw unauthenticated(`Sign in to ${what}`);
  throw forbidden(`Your credential does not allow you to ${what}`);
}
