import { apiSchema } from '../scripts/api-schema';
import {
  DEFAULT_DEPRECATION_REASON,
  type GraphQLArgument,
  type GraphQLSchema,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
} from 'graphql';

interface Element {
  description?: string | null;
  deprecationReason?: string | null;
}

/**
 * What clients would find undocumented in `schema`: every type, field, argument, input field, enum value and
 * directive without a description, and every deprecation without a reason (graphql-js reads a bare
 * `@deprecated` as "No longer supported", which is no reason either), each named by its schema coordinate.
 * Built-in scalars, introspection types and the specified directives are graphql's own.
 */
function undocumented(schema: GraphQLSchema): { undescribed: string[]; deprecatedWithoutReason: string[] } {
  const undescribed: string[] = [];
  const deprecatedWithoutReason: string[] = [];
  const check = (coordinate: string, element: Element) => {
    if (!element.description?.trim()) undescribed.push(coordinate);
    const reason = element.deprecationReason;
    if (reason != null && (!reason.trim() || reason === DEFAULT_DEPRECATION_REASON)) {
      deprecatedWithoutReason.push(coordinate);
    }
  };
  const checkArgs = (owner: string, args: readonly GraphQLArgument[]) => {
    for (const arg of args) check(`${owner}(${arg.name}:)`, arg);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field);
        checkArgs(`${type.name}.${field.name}`, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(`@${directive.name}`, directive);
    checkArgs(`@${directive.name}`, directive.args);
  }
  return { undescribed, deprecatedWithoutReason };
}

describe('the public API schema (schema/supergraph.graphql as clients see it)', () => {
  it('describes every type, field, argument, input field and enum value, and gives every deprecation a reason', () => {
    // The API schema leaves out @inaccessible elements and federation's own (join__*, link__*, _entities, _service).
    const api = apiSchema();
    // Describe them in the code (type-graphql `description` / `deprecationReason` options, `valuesConfig` of
    // registerEnumType), then `npm run compose`.
    expect(undocumented(api)).toEqual({ undescribed: [], deprecatedWithoutReason: [] });
  });

  it('finds, in a schema made for it, every undescribed element and every deprecation without a reason', () => {
    const schema = buildSchema(`
      """Described."""
      type Query {
        """Described."""
        plain(bare: Int, """Described.""" described: Int): Int
        bareField: Level
        """Described."""
        old: Int @deprecated
        """Described."""
        blank: Int @deprecated(reason: " ")
        """Described."""
        fine: Int @deprecated(reason: "Use plain.")
      }
      enum Level { LOW, """Described.""" HIGH @deprecated }
      input Filter { bare: Int }
      directive @bare(arg: Int) on FIELD
    `);
    expect(undocumented(schema)).toEqual({
      undescribed: [
        'Query.plain(bare:)',
        'Query.bareField',
        'Level',
        'Level.LOW',
        'Filter',
        'Filter.bare',
        '@bare',
        '@bare(arg:)',
      ],
      deprecatedWithoutReason: ['Query.old', 'Query.blank', 'Level.HIGH'],
    });
  });
});
