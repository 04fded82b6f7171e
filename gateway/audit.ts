import type { ApolloServerPlugin } from '@apollo/server';
import { type FieldNode, Kind, OperationTypeNode, valueFromASTUntyped } from 'graphql';
import type { Identity } from '../lib/identity';
import type { Logger } from '../lib/logger';
import type { Upstream } from './upstream';

const RECORD = `mutation RecordAudit($entries: [AuditEntryInput!]!) { _recordAudit(entries: $entries) }`;
// Secrets, and the personal data of the reference desk's readers (readerName, readerContact).
const SECRET_NAME = /secret|token|password|key|reader/i;

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
  for (const name of ['id', 'memberId', 'eventId', 'sectionId', 'personId', 'member']) {
    if (typeof args[name] === 'string') return args[name];
  }
  const input = args.input as Record<string, unknown> | undefined;
  return typeof input?.code === 'string' ? input.code : null;
}

export interface AuditEntry {
  at: string;
  role: string;
  credentialId: string | null;
  memberCode: string | null;
  operation: string;
  target: string | null;
  arguments: string;
  outcome: string;
}

/** An entry for one act of a caller. */
export function auditEntry(
  identity: Identity,
  operation: string,
  args: Record<string, unknown>,
  outcome: string,
): AuditEntry {
  return {
    at: new Date().toISOString(),
    role: identity.role,
    credentialId: identity.credentialId ?? null,
    memberCode: identity.memberCode ?? null,
    operation,
    target: targetOf(args),
    arguments: JSON.stringify(auditArguments(args)),
    outcome,
  };
}

export type AuditRecorder = (entries: AuditEntry[]) => Promise<void>;

/**
 * Writes audit entries to the members subgraph (coordinators read them with `auditLog`). Never throws:
 * recording never fails an answer, and a write that fails is logged as an error.
 */
export function auditRecorder(options: {
  membersUrl: string | undefined;
  upstream: Upstream;
  /** The members service's time limit (GATEWAY_SUBGRAPH_TIMEOUT_MS), as for every call to it. */
  timeoutMs: number;
  logger: Logger;
}): AuditRecorder {
  const write = async (entries: AuditEntry[]) => {
    if (!options.membersUrl) throw new Error('no members service');
    await options.upstream.serviceQuery(options.membersUrl, RECORD, { entries }, options.timeoutMs);
  };
  return (entries) =>
    write(entries).catch((error: unknown) =>
      options.logger.error(
        { reason: (error as Error).message, operations: entries.map((e) => e.operation) },
        'audit entries not recorded',
      ),
    );
}

/**
 * The audit log of GraphQL mutations: after every mutation the gateway answers, one entry per root field —
 * who (role, credential id, member), what (the field and its arguments), when, on what, and how it ended.
 */
export function auditPlugin(record: AuditRecorder): ApolloServerPlugin<{ identity: Identity }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, request, contextValue, response }) {
          if (!operation || operation.operation !== OperationTypeNode.MUTATION) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors ?? [];
          const variables = (request.variables ?? {}) as Record<string, unknown>;
          const entries = operation.selectionSet.selections
            .filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename')
            .map((field) => {
              const key = field.alias?.value ?? field.name.value;
              const args = Object.fromEntries(
                (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]),
              ) as Record<string, unknown>;
              const error = errors.find((e) => e.path?.[0] === key) ?? (result?.data ? undefined : errors[0]);
              const code = error?.extensions?.code;
              return auditEntry(
                contextValue.identity,
                field.name.value,
                args,
                error ? (typeof code === 'string' ? code : 'ERROR') : 'OK',
              );
            });
          if (entries.length) void record(entries);
        },
      };
    },
  };
}
