import { SERVICE } from '../../lib/identity';
import { Supergraph, buildSubgraph } from '@apollo/federation-internals';
import { type GraphQLSchema, findBreakingChanges } from 'graphql';
import type { Upstream } from '../upstream';

/** The catalogue subgraph's schema as the supergraph composed it: what every catalogue node must serve. */
export function expectedCatalogueSchema(supergraphSdl: string, name: string): GraphQLSchema | undefined {
  const subgraph = Supergraph.build(supergraphSdl).subgraphs().get(name);
  return subgraph?.schema.toGraphQLJSSchema();
}

// Federation's own definitions differ between federation versions without changing what a node serves.
const FEDERATION_NAME = /^(federation__|link__|join__|_)/;

/**
 * What in `expected` a node serving `sdl` (its `_service { sdl }`) would break: removed or changed types,
 * fields, arguments and enum values the supergraph's query plans may use. Additions are fine (a newer
 * node may serve more), and so are differences in federation's own directives and types.
 */
export function schemaIncompatibilities(expected: GraphQLSchema, sdl: string): string[] {
  const actual = buildSubgraph('catalogue', 'http://node', sdl).schema.toGraphQLJSSchema();
  return findBreakingChanges(expected, actual)
    .filter((change) => !change.type.startsWith('DIRECTIVE_'))
    .filter((change) => !FEDERATION_NAME.test(change.description))
    .map((change) => change.description);
}

/** Asks a node for its SDL and checks it; throws when the node cannot be asked (unreachable, not a subgraph). */
export async function checkNodeSchema(
  expected: GraphQLSchema,
  url: string,
  upstream: Upstream,
  timeoutMs: number,
): Promise<string[]> {
  const { status, body } = await upstream.graphql<{ _service?: { sdl?: string } }>(
    url,
    { query: '{ _service { sdl } }' },
    SERVICE,
    timeoutMs,
  );
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`no _service SDL (HTTP ${status})`);
  try {
    return schemaIncompatibilities(expected, sdl);
  } catch (error) {
    return [`its SDL does not build: ${(error as Error).message}`];
  }
}
