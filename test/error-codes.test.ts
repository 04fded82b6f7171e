import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ErrorCode } from '../lib/errors';

const root = join(__dirname, '..');
const registry = new Set<string>(Object.values(ErrorCode));

/** The codes in the first column of a doc's error table (the table whose header starts with `extensions.code`). */
function documentedCodes(doc: string): string[] {
  const lines = doc.split('\n');
  const header = lines.findIndex((l) => /^\|\s*`extensions\.code`/.test(l));
  if (header < 0) return [];
  const codes: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const code = /^\|\s*`([A-Z_]+)`/.exec(line)?.[1];
    if (code) codes.push(code);
  }
  return codes;
}

function productSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return productSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Lines of a source file that write an error code as a literal instead of through `ErrorCode`. */
function literalCodes(rel: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const literal = /\bcode:\s*'[A-Z_]+'/.exec(line)?.[0];
    const registered = [...line.matchAll(/'([A-Z][A-Z_]+)'/g)].find((m) => registry.has(m[1]!))?.[0];
    const found = literal ?? registered;
    return found ? [`${rel}:${i + 1}: ${found}`] : [];
  });
}

describe('error codes', () => {
  it('docs/GETTING-STARTED.md lists every code of the registry in lib/errors.ts, and no other', () => {
    const codes = documentedCodes(readFileSync(join(root, 'docs/GETTING-STARTED.md'), 'utf8'));
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...registry].sort());
  });

  it('docs/ARCHITECTURE.md names only registered codes', () => {
    const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
    const named = [...doc.matchAll(/`([A-Z][A-Z_]{3,})`/g)].map((m) => m[1]!);
    const codeLike = named.filter((n) => /_(UNAVAILABLE|UNKNOWN|LIMIT|LIMITED|FAILED|INPUT)$/.test(n));
    expect(codeLike.filter((c) => !registry.has(c))).toEqual([]);
  });

  it('product code names codes through the registry, never as literals', () => {
    const offences: string[] = [];
    for (const dir of ['gateway', 'lib', 'subgraphs', 'scripts']) {
      for (const file of productSources(join(root, dir))) {
        const rel = relative(root, file);
        if (rel === join('lib', 'errors.ts')) continue;
        offences.push(...literalCodes(rel, readFileSync(file, 'utf8')));
      }
    }
    expect(offences).toEqual([]);
  });

  it('catches planted literals, registered or not', () => {
    const planted = [
      "extensions: { code: 'SOMETHING_NEW' }",
      "if (code === 'NOT_FOUND') return;",
      'code: ErrorCode.CONFLICT',
    ];
    expect(literalCodes('planted.ts', planted.join('\n'))).toEqual([
      "planted.ts:1: code: 'SOMETHING_NEW'",
      "planted.ts:2: 'NOT_FOUND'",
    ]);
  });
});
