import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../lib/errors';
import type { Identity } from '../../lib/identity';
import type { CatalogueRegistry } from './registry';
import type { CatalogueNodeClient, GraphQLResponse, NodeCall } from './node-client';
import type { Cut, Json } from './plan';

/*
 * What routing needs of the network of catalogue nodes — who has a node (the registry) and a way to call
 * them (the node client: time limits, retries, circuits, batches to hosted nodes) — and the errors a node
 * that did not answer becomes. Unit tests pass fakes of the two (router.test.ts).
 */

export type Registry = Pick<CatalogueRegistry, 'node' | 'all'>;
export type NodeCaller = Pick<CatalogueNodeClient, 'call' | 'callMany'>;
export type { GraphQLResponse, Json, NodeCall };

/** One fetch being routed: the operation it was cut from, who it is for, whether reads may be retried. */
export interface RouteContext extends Cut {
  identity: Identity;
  document: DocumentNode;
  retry: boolean;
}

export const badInput = (message: string, field: string, path: Array<string | number>): GraphQLFormattedError => ({
  message,
  path,
  extensions: { code: ErrorCode.BAD_USER_INPUT, field },
});

export function nodeError(call: NodeCall, path: Array<string | number>): GraphQLFormattedError {
  return {
    message: `The catalogue node of ${call.member} is unavailable: ${call.error ?? call.status}`,
    path,
    extensions: { code: ErrorCode.CATALOGUE_NODE_UNAVAILABLE, member: call.member, status: call.status },
  };
}

export function unknownOwner(owner: string | undefined, path: Array<string | number>): GraphQLFormattedError {
  return {
    message: owner
      ? `No catalogue node is registered for member ${owner}`
      : 'Catalogue record ids look like <member>:<number>',
    path,
    extensions: { code: ErrorCode.CATALOGUE_NODE_UNKNOWN, ...(owner ? { member: owner } : {}) },
  };
}

/** The field `key` as null, with why. */
export const fail = (key: string, error: GraphQLFormattedError): GraphQLResponse => ({
  data: { [key]: null },
  errors: [error],
});

export const memberRef = (code: string) => ({ __typename: 'Member', code });
