import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { projectRoot } from '../lib/paths';

/**
 * The example operations of the API, one `<name>.graphql` file each in docs/examples with its variables
 * beside it in `<name>.variables.json`: the explorer's preset tabs, checked against the schema and run
 * against the demo network by test/explorer.test.ts (and ready for docs and code generation).
 */
export const EXAMPLES_DIR = join(projectRoot(__dirname), 'docs', 'examples');

export interface ExampleOperation {
  /** The file's name without `.graphql`, e.g. `catalogue-search`. */
  name: string;
  /** The name of the file's one operation, e.g. `CatalogueSearch`. */
  operationName: string;
  /** The comment lines the file opens with. */
  description: string;
  /** The whole file, comments included. */
  query: string;
  variables: Record<string, unknown> | undefined;
}

/** Every example in `dir`, by file name; a file that is not one named operation is an error naming it. */
export function loadExamples(dir: string = EXAMPLES_DIR): ExampleOperation[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.graphql'.length);
      const query = readFileSync(join(dir, file), 'utf8');
      const operations = parse(query).definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      const operationName = operations.length === 1 ? operations[0]!.name?.value : undefined;
      if (!operationName) throw new Error(`${join(dir, file)}: an example is exactly one named operation`);
      const description = (/^(?:#.*\n)+/.exec(query)?.[0] ?? '')
        .split('\n')
        .map((line) => line.replace(/^#\s?/, '').trim())
        .filter(Boolean)
        .join(' ');
      const variablesFile = join(dir, `${name}.variables.json`);
      const variables = existsSync(variablesFile)
        ? (JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>)
        : undefined;
      return { name, operationName, description, query, variables };
    });
}
