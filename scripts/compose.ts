import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SCHEMA_SOURCES } from './network';

export interface SchemaFiles {
  /** File name under `schema/` → content. */
  [file: string]: string;
}

/** Prints each subgraph's SDL from its code and composes the supergraph; throws listing composition errors. */
export async function buildSchemaFiles(): Promise<SchemaFiles> {
  const files: SchemaFiles = {};
  const services = [];
  for (const source of SCHEMA_SOURCES) {
    const sdl = `${printSubgraphSchema(await source.buildSchema()).trim()}\n`;
    files[`${source.name}.graphql`] = sdl;
    services.push({ name: source.name, url: source.defaultUrl, typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  files['supergraph.graphql'] = `${result.supergraphSdl.trim()}\n`;
  return files;
}

export function readSchemaFiles(dir: string, names: string[]): SchemaFiles {
  return Object.fromEntries(
    names.map((name) => {
      try {
        return [name, readFileSync(join(dir, name), 'utf8')];
      } catch {
        return [name, ''];
      }
    }),
  );
}

async function main(): Promise<void> {
  const dir = 'schema';
  mkdirSync(dir, { recursive: true });
  const files = await buildSchemaFiles();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  process.stdout.write(`composed ${Object.keys(files).join(', ')} into ${dir}/\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
