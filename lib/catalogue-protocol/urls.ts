/**
 * The URL scheme of a catalogue node: every node serves each of its members at `<base>/members/<code>/…`
 * (a single-member node also answers `<base>/graphql`), and a hosted node takes several members' requests
 * at once at `<base>/batch/graphql`.
 */

const memberPath = (code: string, what: 'graphql' | 'import' | 'export'): string =>
  `/members/${encodeURIComponent(code)}/${what}`;

/** A member's GraphQL endpoint on the node at `base`. */
export const memberEndpoint = (base: string, code: string): string => `${base}${memberPath(code, 'graphql')}`;
export const memberImportPath = (code: string): string => memberPath(code, 'import');
export const memberExportPath = (code: string): string => memberPath(code, 'export');

/** Path of a hosted node's batch endpoint (see batch.ts). */
export const BATCH_PATH = '/batch/graphql';

/**
 * The base URL of the node process behind a member's endpoint `<base>/members/<code>/graphql`, where several
 * members' requests can go as one; null for other endpoints.
 */
export function batchBase(url: string, member: string): string | null {
  const suffix = memberPath(member, 'graphql');
  return url.endsWith(suffix) ? url.slice(0, -suffix.length) : null;
}
