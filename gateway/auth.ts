import type express from 'express';
import { GraphQLError } from 'graphql';
import { checkToken, looksLikeToken, secretHash } from '../lib/credentials';
import { ErrorCode } from '../lib/errors';
import { ANONYMOUS, type Identity, SERVICE, unauthenticated } from '../lib/identity';
import type { Logger } from '../lib/logger';
import type { GraphQLResponse, Upstream } from './upstream';

/** How long the gateway trusts what it learnt of a credential: a revocation takes effect within this. */
export const CREDENTIAL_CACHE_MS = 30_000;
const MAX_CACHED = 10_000;

const LOOKUP = `query Credential($hash: String!) {
  _credential(secretHash: $hash) { id role memberId memberCode expiresAt revokedAt }
}`;

interface CredentialInfo {
  id: string;
  role: 'EDITOR' | 'COORDINATOR';
  memberId: string | null;
  memberCode: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A refused credential refuses the whole request: HTTP 401. */
const refused = (message: string) => unauthenticated(message, 401);

/** The secret a request presents: `Authorization: Bearer <key or token>` or `X-Api-Key: <key>`. */
export function presentedSecret(req: express.Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '')?.[1];
  const key = req.header('x-api-key')?.trim();
  return bearer ?? (key || undefined);
}

/**
 * Who a request to the gateway is for: anonymous without a credential; else the credential's role and
 * member, looked up by the hash of the secret in the members subgraph (cached briefly). A credential that
 * is unknown, revoked, expired or forged is refused outright (401), never treated as anonymous.
 */
export class Authenticator {
  private readonly cache = new Map<string, { at: number; info: Promise<CredentialInfo | null> }>();

  constructor(
    private readonly options: {
      membersUrl: string | undefined;
      /** Verifies tokens (JWT) the gateway signed. */
      secret: string;
      upstream: Upstream;
      timeoutMs: number;
      logger: Logger;
    },
  ) {}

  identify(req: express.Request): Promise<Identity> {
    return this.identifySecret(presentedSecret(req));
  }

  /** The same for a secret presented otherwise (a WebSocket's connection parameters). */
  async identifySecret(secret: string | undefined): Promise<Identity> {
    if (!secret) return ANONYMOUS;
    if (secret.length > 4096) throw refused('That is not a credential of this network');
    if (looksLikeToken(secret)) {
      const problem = await checkToken(secret, this.options.secret);
      if (problem) throw refused(`Refused: ${problem}`);
    }
    const info = await this.lookup(secretHash(secret));
    if (!info) throw refused('Refused: unknown credential');
    if (info.revokedAt) throw refused('Refused: the credential was revoked');
    if (info.expiresAt && Date.parse(info.expiresAt) <= Date.now()) throw refused('Refused: the credential expired');
    return {
      role: info.role,
      ...(info.memberId ? { memberId: info.memberId } : {}),
      ...(info.memberCode ? { memberCode: info.memberCode } : {}),
      credentialId: info.id,
    };
  }

  private lookup(hash: string): Promise<CredentialInfo | null> {
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && now - cached.at < CREDENTIAL_CACHE_MS) return cached.info;
    const info = this.fetch(hash);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(hash, { at: now, info });
    // A failed lookup is not remembered: the next request asks again.
    info.catch(() => this.cache.delete(hash));
    return info;
  }

  private async fetch(hash: string): Promise<CredentialInfo | null> {
    if (!this.options.membersUrl) throw refused('Credentials cannot be checked: no members service');
    let body: GraphQLResponse<{ _credential?: CredentialInfo | null }>;
    try {
      ({ body } = await this.options.upstream.graphql<{ _credential?: CredentialInfo | null }>(
        this.options.membersUrl,
        { query: LOOKUP, variables: { hash } },
        SERVICE,
        this.options.timeoutMs,
      ));
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'credential lookup failed');
      throw new GraphQLError('Credentials cannot be checked now: the members service is unavailable', {
        extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: 'members', http: { status: 503 } },
      });
    }
    if (body.errors?.length || !body.data) {
      this.options.logger.warn({ errors: body.errors }, 'credential lookup refused');
      throw new GraphQLError('Credentials cannot be checked now', {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, http: { status: 503 } },
      });
    }
    return body.data._credential ?? null;
  }
}

/**
 * Answers a refused admission on a plain HTTP route (CSV export, catalogue import) as GraphQL would: the
 * status the error carries (401 for a bad credential, 429 over the rate limit) and its headers (Retry-After).
 */
export function refuseAdmission(res: express.Response, error: unknown, format: 'json' | 'text'): void {
  const http = (error as { extensions?: { http?: { status?: number; headers?: Map<string, string> } } }).extensions
    ?.http;
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  res.status(http?.status ?? 401);
  const message = error instanceof Error ? error.message : String(error);
  if (format === 'json') res.json({ error: message });
  else res.type('text/plain').send(`${message}\n`);
}
