import { randomUUID } from 'node:crypto';
import { type CredentialKind, type CredentialRole, newKey, secretHash, signToken } from '../../lib/credentials';
import { IDENTITY_HEADER, SERVICE, signIdentity } from '../../lib/identity';

/** A credential as the members subgraph lists it (never its secret). */
export interface CredentialInfo {
  id: string;
  kind: CredentialKind;
  role: CredentialRole;
  memberId: string | null;
  memberCode: string | null;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const FIELDS = 'id kind role memberId memberCode label createdAt expiresAt revokedAt lastUsedAt';

/** One internal call to the members subgraph as the network's own service (only it may manage credentials). */
async function call<T>(membersUrl: string, internalSecret: string, query: string, variables: object): Promise<T> {
  const response = await fetch(membersUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SERVICE, internalSecret) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

export interface IssueOptions {
  role: CredentialRole;
  label: string;
  /** The member an editor acts for. */
  memberCode?: string;
  /** KEY (default) or TOKEN (a JWT). */
  kind?: CredentialKind;
  expiresAt?: Date;
}

/**
 * Makes a key or token here and has the members subgraph store its hash: the secret exists only in what
 * this returns, shown once. Tokens without an expiry last a year.
 */
export async function issueCredential(
  membersUrl: string,
  internalSecret: string,
  options: IssueOptions,
): Promise<{ credential: CredentialInfo; secret: string }> {
  const id = randomUUID();
  const kind = options.kind ?? 'KEY';
  const expiresAt = options.expiresAt ?? (kind === 'TOKEN' ? new Date(Date.now() + 365 * 86_400_000) : undefined);
  const secret =
    kind === 'KEY'
      ? newKey()
      : await signToken(
          { id, role: options.role, memberCode: options.memberCode, expiresAt: expiresAt! },
          internalSecret,
        );
  const data = await call<{ _issueCredential: CredentialInfo }>(
    membersUrl,
    internalSecret,
    `mutation($id: ID!, $kind: String!, $role: String!, $label: String!, $hash: String!, $member: String, $expiresAt: DateTimeISO) {
      _issueCredential(id: $id, kind: $kind, role: $role, label: $label, secretHash: $hash, memberCode: $member, expiresAt: $expiresAt) { ${FIELDS} }
    }`,
    {
      id,
      kind,
      role: options.role,
      label: options.label,
      hash: secretHash(secret),
      member: options.memberCode ?? null,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  );
  return { credential: data._issueCredential, secret };
}

export async function listCredentials(membersUrl: string, internalSecret: string): Promise<CredentialInfo[]> {
  return (
    await call<{ _credentials: CredentialInfo[] }>(membersUrl, internalSecret, `{ _credentials { ${FIELDS} } }`, {})
  )._credentials;
}

export async function revokeCredential(
  membersUrl: string,
  internalSecret: string,
  id: string,
): Promise<CredentialInfo> {
  return (
    await call<{ _revokeCredential: CredentialInfo }>(
      membersUrl,
      internalSecret,
      `mutation($id: ID!) { _revokeCredential(id: $id) { ${FIELDS} } }`,
      { id },
    )
  )._revokeCredential;
}
