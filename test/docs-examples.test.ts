import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { Kind, type OperationDefinitionNode, getVariableValues, parse, validate } from 'graphql';
import { describeEnv } from '../lib/config';
import { apiSchema } from '../scripts/api-schema';
import { catalogueEnv } from '../subgraphs/catalogue/config';
import { createClient, whoHolds } from '../examples/client/client';
import { generatedCatalogue, uploadBytes } from './testkit/catalogue';
import { type DocOperation, docOperations } from './testkit/doc-operations';
import { graphql } from './testkit/graphql';
import { UNSIGNED } from './testkit/identity';
import { startTestNetwork, type TestNetwork } from './testkit/network';

/**
 * Every GraphQL operation in README.md, docs/*.md and docs/examples, validated against the public API
 * schema and run against a network seeded like the demo (`npm start`): the demo members, sections and
 * events, kemrsl's catalogue on a node of its own and three small libraries' on a hosted node. Queries run
 * first, then the mutations in the order the docs show them. The conventions are in
 * test/testkit/doc-operations.ts and docs/GETTING-STARTED.md.
 */

const execFileAsync = promisify(execFile);
const operations = docOperations();
const schema = apiSchema();
let network: TestNetwork;

beforeAll(async () => {
  network = await startTestNetwork('docs-examples', {
    catalogueNodes: [['kemrsl'], ['tyazhin-mkuk', 'lnk-branch5', 'kem-lyceum23']],
    beforeGateway: async ({ catalogueNodes }) => {
      const hosted = catalogueNodes['tyazhin-mkuk']!;
      await uploadBytes(catalogueNodes.kemrsl!, 'kemrsl', generatedCatalogue('kemrsl', 300, 1));
      await uploadBytes(hosted, 'tyazhin-mkuk', generatedCatalogue('tyazhin-mkuk', 100, 2));
      await uploadBytes(hosted, 'lnk-branch5', generatedCatalogue('lnk-branch5', 100, 3));
      await uploadBytes(hosted, 'kem-lyceum23', generatedCatalogue('kem-lyceum23', 100, 4));
    },
  });
}, 180_000);

afterAll(async () => {
  await network?.stop();
});

/** Sends an operation as the docs do: anonymously (no identity at all) or with a coordinator's key. */
async function run(operation: DocOperation) {
  const headers = operation.coordinator ? { ...UNSIGNED, ...network.coordinator } : UNSIGNED;
  const result = await graphql(network.gateway.url, operation.query, operation.variables, headers);
  return {
    source: operation.source,
    errors: (result.errors ?? []).map((e) => `${String(e.extensions?.code)}: ${e.message}`),
    codes: (result.errors ?? []).map((e) => e.extensions?.code),
    data: result.data,
  };
}

const runnable = (type: string) => operations.filter((o) => o.operationType === type && !o.validateOnly);

describe('the example operations of the docs', () => {
  it('are found in README.md, the guides and docs/examples', () => {
    const sources = new Set(operations.map((o) => o.source.replace(/:\d+$/, '')));
    expect([...sources]).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/CATALOGUE.md',
        'docs/CATALOGUE-NODE.md',
        'docs/COORDINATOR.md',
        'docs/GETTING-STARTED.md',
        'docs/examples/catalogue-search.graphql',
        'docs/examples/member.graphql',
        'docs/examples/event-programme.graphql',
        'docs/examples/network-statistics.graphql',
      ]),
    );
    expect(operations.length).toBeGreaterThan(20);
  });

  it('are valid against the public API schema, with variables of the declared types', () => {
    const problems = operations.flatMap((operation) => {
      const document = parse(operation.query);
      const errors = validate(schema, document).map((e) => e.message);
      const definition = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], operation.variables ?? {});
      errors.push(...(coerced.errors ?? []).map((e) => e.message));
      return errors.length ? [{ source: operation.source, errors }] : [];
    });
    expect(problems).toEqual([]);
  });

  it('answer every query without errors (or with the error they show)', async () => {
    const results = await Promise.all(runnable('query').map(run));
    const queries = runnable('query');
    const problems = results.flatMap((result, i) => {
      const expected = queries[i]!.expectError;
      if (expected) return result.codes.includes(expected) ? [] : [{ expected, ...result }];
      return result.errors.length || !result.data ? [{ source: result.source, errors: result.errors }] : [];
    });
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(15);
  });

  it('include the typed client (examples/client), whose operations answer in the shapes of their types', async () => {
    const client = createClient({ url: network.gateway.url });
    const member = await client.member({ code: 'kemrsl' });
    expect(member.errors).toEqual([]);
    expect(member.data.memberByCode?.catalogue?.recordCount).toBe(300);
    const statistics = await client.networkStatistics();
    expect(statistics.data.networkStatistics?.catalogue.records).toBe(600);
    const lines = await whoHolds(client, 'история');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/not searched|ERROR/);
    // A refusal without data is an exception carrying the codes.
    await expect(client.request('{ members(first: 1000) { totalCount } }', {})).rejects.toMatchObject({
      status: 400,
      codes: ['PAGE_SIZE_LIMIT'],
    });
    const keyed = createClient({ url: network.gateway.url, apiKey: network.coordinator.authorization!.slice(7) });
    const audit = await keyed.request<{ auditLog: unknown[] }, Record<string, never>>(
      '{ auditLog(first: 1) { at } }',
      {},
    );
    expect(audit.errors).toEqual([]);
  });

  it('carry out every mutation, in the order the docs show them', async () => {
    const problems: unknown[] = [];
    for (const operation of runnable('mutation')) {
      const result = await run(operation);
      const expected = operation.expectError;
      if (expected ? !result.codes.includes(expected) : result.errors.length > 0) problems.push(result);
    }
    expect(problems).toEqual([]);
  });
});

describe('docs/CATALOGUE-NODE.md', () => {
  it("runs the node from the image's entry point with only variables the node reads", () => {
    const markdown = readFileSync(join(__dirname, '../docs/CATALOGUE-NODE.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(markdown)![1]!;
    const compose = parseYaml(yaml) as {
      services: Record<string, { command?: string[]; environment?: Record<string, unknown> }>;
    };
    const node = compose.services.catalogue!;
    expect(node.command).toEqual(['node', 'dist/subgraphs/catalogue/main.js']);
    const known = new Set(describeEnv(catalogueEnv).map((v) => v.name));
    expect(Object.keys(node.environment ?? {}).filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('docs/GETTING-STARTED.md', () => {
  it('has an Apollo Client example that type-checks against @apollo/client and runs as written', async () => {
    const doc = readFileSync(join(__dirname, '../docs/GETTING-STARTED.md'), 'utf8');
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const snippet = blocks.find((b) => b.includes("from '@apollo/client'"));
    expect(snippet).toBeDefined();
    // Under node_modules, so that its imports resolve to the project's packages; an ES module, as in a bundler
    // project (the snippet awaits at top level).
    const dir = join(__dirname, '../node_modules/.cache/docs-snippets');
    mkdirSync(dir, { recursive: true });
    const source = join(dir, 'apollo-client.mts');
    writeFileSync(source, snippet!.replace('http://127.0.0.1:4000/graphql', network.gateway.url));
    const program = ts.createProgram([source], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    const compiled = join(dir, 'apollo-client.mjs');
    writeFileSync(
      compiled,
      ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText,
    );
    const { stdout, stderr } = await execFileAsync(process.execPath, [compiled], { timeout: 60_000 });
    expect(stderr).toBe('');
    // It prints the member card and no error.
    expect(stdout).toContain("shortName: 'КОНБ им. В. Д. Федорова'");
    expect(stdout).toContain("status: 'ONLINE'");
    expect(stdout.trim()).toMatch(/undefined$/);
  });
});
