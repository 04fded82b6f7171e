import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { EXAMPLES_DIR, loadExamples } from '../../gateway/examples';

/**
 * Every GraphQL operation the documentation shows, as test/docs-examples.test.ts runs them against the
 * demo network. The conventions (docs/GETTING-STARTED.md, "Examples in these guides are tested"):
 *
 * - a ```graphql block in README.md or docs/*.md is one operation;
 * - a ```json block right after it (nothing but blank lines between) holds its variables;
 * - an HTML comment on the line before the block changes how it runs, e.g. `<!-- docs-test: coordinator -->`
 *   (sent with a coordinator's key; otherwise blocks run anonymously), `<!-- docs-test: validate-only -->`
 *   (checked against the schema, never run) or `<!-- docs-test: expect-error PAGE_SIZE_LIMIT -->` (must be
 *   refused with that code); several are separated by commas;
 * - in ```sh blocks, a curl command's JSON body (`-d '{"query": …}'`) or its GET parameters
 *   (`--data-urlencode 'query=…'`, `--data-urlencode 'variables=…'`) is an operation too, sent with a
 *   coordinator's key when the command has an `authorization` header;
 * - docs/examples/<name>.graphql with its docs/examples/<name>.variables.json.
 */
export interface DocOperation {
  /** Where it is written: `docs/COORDINATOR.md:42`. */
  source: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  /** Send a coordinator's key (else anonymous). */
  coordinator: boolean;
  /** Check against the schema only. */
  validateOnly: boolean;
  /** The error code it must be refused with, when it is an example of a refusal. */
  expectError: string | undefined;
  /** `query` or `mutation`. */
  operationType: string;
}

const ROOT = join(__dirname, '..', '..');
const DOCS_DIR = join(ROOT, 'docs');

/** The Markdown files whose examples are tested: README.md and docs/*.md. */
export function docFiles(): string[] {
  return [
    join(ROOT, 'README.md'),
    ...readdirSync(DOCS_DIR)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => join(DOCS_DIR, f)),
  ];
}

interface Block {
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** 1-based line of the closing fence. */
  end: number;
  text: string;
  /** The nearest non-blank line above the fence. */
  before: string;
}

function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```\s*([\w-]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) j++;
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    found.push({
      lang: open[1]!.toLowerCase(),
      line: i + 1,
      end: j + 1,
      text: lines.slice(i + 1, j).join('\n'),
      before: k >= 0 ? lines[k]!.trim() : '',
    });
    i = j;
  }
  return found;
}

function flags(before: string): Pick<DocOperation, 'coordinator' | 'validateOnly' | 'expectError'> {
  const marker = /^<!--\s*docs-test:\s*(.*?)\s*-->$/.exec(before)?.[1] ?? '';
  const parts = marker
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    if (!/^(coordinator|validate-only|expect-error [A-Z_]+)$/.test(part)) {
      throw new Error(`unknown docs-test flag "${part}"`);
    }
  }
  return {
    coordinator: parts.includes('coordinator'),
    validateOnly: parts.includes('validate-only'),
    expectError: parts.find((p) => p.startsWith('expect-error '))?.slice('expect-error '.length),
  };
}

function operationType(query: string): string {
  const operations = parse(query).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1) throw new Error('an example holds exactly one operation');
  return operations[0]!.operation;
}

/** The shell words of one single-quoted argument after `flag`, e.g. `-d '…'`. */
function quoted(command: string, flag: RegExp): string[] {
  const values: string[] = [];
  const pattern = new RegExp(`(?:^|\\s)(?:${flag.source})\\s+'([^']*)'`, 'g');
  for (const match of command.matchAll(pattern)) values.push(match[1]!);
  return values;
}

function curlOperations(block: Block, source: string): DocOperation[] {
  // Commands: continuation lines (ending in a backslash) joined.
  const commands = block.text.replace(/\\\n/g, ' ').split('\n');
  const operations: DocOperation[] = [];
  for (const command of commands) {
    if (!/\bcurl\b/.test(command) || !command.includes('/graphql')) continue;
    const coordinator = /authorization:/i.test(command);
    for (const body of quoted(command, /-d|--data|--data-raw/)) {
      const parsed = JSON.parse(body) as { query?: string; variables?: Record<string, unknown> };
      if (!parsed.query) continue; // a persisted query's hash alone
      operations.push({
        source,
        query: parsed.query,
        variables: parsed.variables,
        coordinator,
        validateOnly: false,
        expectError: undefined,
        operationType: operationType(parsed.query),
      });
    }
    const params = Object.fromEntries(
      quoted(command, /--data-urlencode/).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
    );
    if (params.query) {
      operations.push({
        source,
        query: params.query,
        variables: params.variables ? (JSON.parse(params.variables) as Record<string, unknown>) : undefined,
        coordinator,
        validateOnly: false,
        expectError: undefined,
        operationType: operationType(params.query),
      });
    }
  }
  return operations;
}

/** Every operation of README.md and docs/*.md, in the order they are written, then docs/examples. */
export function docOperations(): DocOperation[] {
  const operations: DocOperation[] = [];
  for (const file of docFiles()) {
    const markdown = readFileSync(file, 'utf8');
    const lines = markdown.split('\n');
    const all = blocks(markdown);
    all.forEach((block, index) => {
      const source = `${relative(ROOT, file)}:${block.line}`;
      if (block.lang === 'sh' || block.lang === 'bash' || block.lang === 'shell') {
        operations.push(...curlOperations(block, source));
        return;
      }
      if (block.lang !== 'graphql') return;
      const next = all[index + 1];
      const adjacent = next?.lang === 'json' && lines.slice(block.end, next.line - 1).every((l) => l.trim() === '');
      operations.push({
        source,
        query: block.text,
        variables: adjacent ? (JSON.parse(next.text) as Record<string, unknown>) : undefined,
        ...flags(block.before),
        operationType: operationType(block.text),
      });
    });
  }
  for (const example of loadExamples()) {
    operations.push({
      source: relative(ROOT, join(EXAMPLES_DIR, `${example.name}.graphql`)),
      query: example.query,
      variables: example.variables,
      coordinator: false,
      validateOnly: false,
      expectError: undefined,
      operationType: operationType(example.query),
    });
  }
  return operations;
}
