import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { MapperKind, mapSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLObjectType, type GraphQLSchema, parse } from 'graphql';
import { buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@override", "@tag"])';

/**
 * Descriptions of the root types. type-graphql cannot describe them, so every subgraph gets the same text
 * here (composition would otherwise have to choose between differing ones).
 */
const ROOT_TYPE_DESCRIPTIONS = {
  query:
    'What the Kuzbass Libraries Graph answers: member organisations and their people, sections, events, the member libraries’ catalogues, reported figures, network statistics and the audit log. When a service is unavailable, its fields come back null with an error (code SUBGRAPH_UNAVAILABLE) and the rest of the answer is delivered; a library’s catalogue node that fails leaves its part out, with a CATALOGUE_NODE_UNAVAILABLE error.',
  mutation:
    'Changes to the partnership’s data. Every change needs a credential (an API key or token, `Authorization: Bearer …`): editors may change some of their own member’s data, coordinators everything; a refusal is an UNAUTHENTICATED or FORBIDDEN error. Every mutation made through the gateway is recorded in the audit log.',
  subscription:
    'Changes as they happen, over WebSocket at the gateway’s /graphql (the graphql-ws protocol; credentials in the connection_init payload as `authorization: Bearer …`). A subscription without the right to see what it follows is refused when it is made; each one starts with a SUBSCRIBED event.',
};

/** The schema with its root types described. */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.QUERY]: (type) =>
      new GraphQLObjectType({ ...type.toConfig(), description: ROOT_TYPE_DESCRIPTIONS.query }),
    [MapperKind.MUTATION]: (type) =>
      new GraphQLObjectType({ ...type.toConfig(), description: ROOT_TYPE_DESCRIPTIONS.mutation }),
    [MapperKind.SUBSCRIPTION]: (type) =>
      new GraphQLObjectType({ ...type.toConfig(), description: ROOT_TYPE_DESCRIPTIONS.subscription }),
  });
}

/**
 * type-graphql insists on a PubSub once there are subscriptions; ours bring their own event streams
 * (`@Subscription({ subscribe })`), so this one is never used.
 */
const NO_PUB_SUB = {
  publish: () => {
    throw new Error('subscriptions bring their own event streams');
  },
  subscribe: () => {
    throw new Error('subscriptions bring their own event streams');
  },
};

export type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/**
 * type-graphql classes → Apollo Federation 2 subgraph schema. type-graphql prints the `@key`
 * directives; `@apollo/subgraph` adds `_service`, `_entities` and calls `__resolveReference`.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // Parameter decorators run last-to-first; order arguments as they are written in the method.
  getMetadataStorage().params.sort((a, b) => a.index - b.index);
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false, pubSub: NO_PUB_SUB });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(describeRootTypes(schema))}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}
