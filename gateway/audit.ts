import type { ApolloServerPlugin } from '@apollo/server';
import { type FieldNode, Kind, OperationTypeNode, valueFromASTUntyped } from 'graphql';
import { IDENTITY_HEADER, type Identity, SERVICE, signIdentity } from '../lib/identity';
import type { Logger } from '../lib/logger';

const RECORD = `mutation RecordAudit($entries: [AuditEntryInput!]!) { _recordAudit(entries: $entries) }`;
const SECRET_NAME = /secret|token|password|key/i;

/** Arguments as the audit log keeps them: secrets left out, long strings cut. */
export function auditArguments(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => auditArguments(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 5) return '…';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_NAME.test(k) ? '[redacted]' : auditArguments(v, depth + 1)]),
    );
  }
  return value;
}

/** What a mutation acted on: the id, member or event it named. */
function targetOf(args: Record<string, unknown>): string | null {
  for (const name of ['id', 'memberId', 'eventId', 'sectionId', 'personId']) {
    if (typeof args[name] === 'string') return args[name];
  }
  const input = args.input as Record<string, unknown> | undefined;
  return typeof input?.code === 'string' ? input.code : null;
}

/**
 * The audit log: after every mutation the gateway answers, one entry per root field — who (role,
 * credential id, member), what (the field and its arguments), when, on what, and how it ended — stored
 * by the members subgraph, where coordinators read it (`auditLog`). Recording never delays or fails the
 * answer; a failed write is logged as an error.
 */
export function auditPlugin(options: {
  membersUrl: string | undefined;
  secret: string;
  logger: Logger;
}): ApolloServerPlugin<{
  identity: Identity;
}> {
  const record = async (entries: unknown[]) => {
    if (!options.membersUrl) throw new Error('no members service');
    const response = await fetch(options.membersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SERVICE, options.secret) },
      body: JSON.stringify({ query: RECORD, variables: { entries } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors[0]!.message);
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, request, contextValue, response }) {
          if (!operation || operation.operation !== OperationTypeNode.MUTATION) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors ?? [];
          const variables = (request.variables ?? {}) as Record<string, unknown>;
          const identity = contextValue.identity;
          const at = new Date().toISOString();
          const entries = operation.selectionSet.selections
            .filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename')
            .map((field) => {
              const key = field.alias?.value ?? field.name.value;
              const args = Object.fromEntries(
                (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]),
              ) as Record<string, unknown>;
              const error = errors.find((e) => e.path?.[0] === key) ?? (result?.data ? undefined : errors[0]);
              return {
                at,
                role: identity.role,
                credentialId: identity.credentialId ?? null,
                memberCode: identity.memberCode ?? null,
                operation: field.name.value,
                target: targetOf(args),
                arguments: JSON.stringify(auditArguments(args)),
                outcome: error ? (typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR') : 'OK',
              };
            });
          if (!entries.length) return;
          void record(entries).catch((error: unknown) =>
            options.logger.error(
              { reason: (error as Error).message, operations: entries.map((e) => e.operation) },
              'audit entries not recorded',
            ),
          );
        },
      };
    },
  };
}
