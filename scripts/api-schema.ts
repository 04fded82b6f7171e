import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { type GraphQLSchema, printSchema } from 'graphql';
import { projectRoot } from '../lib/paths';

/** The composed supergraph the gateway serves (`npm run compose`). */
export const SUPERGRAPH_FILE = join(projectRoot(__dirname), 'schema', 'supergraph.graphql');

/**
 * The public API schema of the supergraph: what clients may ask. The supergraph itself also holds the
 * `@inaccessible` fields (internal to the network) and the `join__` / `link__` machinery of federation,
 * which a client never sees; this is the schema the gateway validates requests against.
 */
export function apiSchema(supergraphSdl: string = readFileSync(SUPERGRAPH_FILE, 'utf8')): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** `npm run schema:api`: prints the public API schema as SDL (the same as the explorer's /explorer/schema.graphql). */
if (require.main === module) {
  process.stdout.write(`${printSchema(apiSchema())}\n`);
}
