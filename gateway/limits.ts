import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  GraphQLError,
  type GraphQLOutputType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
} from 'graphql';
import { ErrorCode } from '../lib/errors';

/** The gateway's limits on one request (GATEWAY_MAX_* in gateway/config.ts; docs/SECURITY.md). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxRootFields: number;
  maxCost: number;
  maxPageSize: number;
}

/** What a list field is assumed to return when the query does not say (`first`), for the cost estimate. */
const DEFAULT_LIST_SIZE = 5;

export function refusal(
  message: string,
  code: ErrorCode,
  limit: number,
  found: number,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, found, ...extra, http: { status: 400 } } });
}

/**
 * Depth, aliases and directives are counted by graphql-armor while the query is validated (refused as
 * GRAPHQL_VALIDATION_FAILED with the limit in the message).
 */
export function armor(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    // Tokens are counted by graphql-js's own parser (parseOptions.maxTokens): a parse error, as it should be.
    maxTokens: { enabled: false },
    // Our own estimate below multiplies list sizes; armor's does not.
    costLimit: { enabled: false },
    // Suggestions ("did you mean …") stay: the schema is public.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

function numberOf(value: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

/**
 * The estimated cost of an operation: every field costs 1, and what a list field selects costs as many
 * times as the list may hold (its `first`, else 5) — so nested lists multiply, as their results do.
 * Also refuses a page size above the limit anywhere in the query.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  maxPageSize: number,
): number {
  const root = schema.getRootType(operation.operation);
  const visit = (
    set: SelectionSetNode | undefined,
    type: GraphQLOutputType | null | undefined,
    seen: Set<string>,
  ): number => {
    if (!set) return 0;
    const named = type ? getNamedType(type) : undefined;
    const fields = named && (isObjectType(named) || isInterfaceType(named)) ? named.getFields() : undefined;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : named;
        cost += visit(selection.selectionSet, (inner as GraphQLOutputType | undefined) ?? named, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread inside itself is refused by validation; counted once here.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const inner = schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType | undefined;
        cost += visit(fragment.selectionSet, inner, new Set([...seen, fragment.name.value]));
        continue;
      }
      cost += fieldCost(selection, fields?.[selection.name.value]?.type, seen);
    }
    return cost;
  };
  const fieldCost = (field: FieldNode, type: GraphQLOutputType | undefined, seen: Set<string>): number => {
    const first = numberOf(field.arguments?.find((a) => a.name.value === 'first')?.value, variables);
    if (first !== undefined && first > maxPageSize) {
      throw refusal(
        `${field.name.value}(first: ${first}): pages hold at most ${maxPageSize} items`,
        ErrorCode.PAGE_SIZE_LIMIT,
        maxPageSize,
        first,
        { field: 'first' },
      );
    }
    const list = type ? isListType(getNullableType(type)) : false;
    // A connection's items are counted by its `first` too: `edges` under it are a list of that size.
    const size = first ?? (list ? DEFAULT_LIST_SIZE : 1);
    return 1 + size * visit(field.selectionSet, type, seen);
  };
  return visit(operation.selectionSet, root, new Set());
}

/**
 * Root fields, page sizes and the estimated cost of an operation (variables included): each refusal is a
 * GraphQL error with its own code, the limit and what was found. Queries over HTTP and subscriptions over
 * WebSocket are held to the same.
 */
export function checkLimits(
  limits: QueryLimits,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown>,
): void {
  const roots = operation.selectionSet.selections.filter(
    (s) => s.kind !== Kind.FIELD || s.name.value !== '__typename',
  ).length;
  if (roots > limits.maxRootFields) {
    throw refusal(
      `An operation may ask for at most ${limits.maxRootFields} root fields; this one asks for ${roots}`,
      ErrorCode.ROOT_FIELDS_LIMIT,
      limits.maxRootFields,
      roots,
    );
  }
  const cost = operationCost(schema, operation, fragmentsOf(document), variables, limits.maxPageSize);
  if (cost > limits.maxCost) {
    throw refusal(
      `The query is too expensive: estimated cost ${cost} (list sizes multiplied) exceeds ${limits.maxCost}; ask for smaller pages or fewer nested lists`,
      ErrorCode.QUERY_COST_LIMIT,
      limits.maxCost,
      cost,
    );
  }
}

/** `checkLimits` on every request, once its operation is known. */
export function limitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (operation) checkLimits(limits, schema, operation, document, request.variables ?? {});
        },
      };
    },
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}
