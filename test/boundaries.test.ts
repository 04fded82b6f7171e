import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/*
 * The boundaries of docs/ARCHITECTURE.md as the build enforces them: ESLint's no-restricted-imports refuses
 * gateway → subgraphs/, subgraph → another subgraph, lib/ → gateway and product code → test/ (eslint.config.mjs), and the
 * gateway's process loads none of the subgraphs' machinery.
 */

const root = join(__dirname, '..');

/**
 * The no-restricted-imports messages the project's ESLint configuration gives planted files (linted as text in
 * a child process run in the project root, never written; type-aware rules are off for them, as the files are in no tsconfig). One ESLint for all.
 */
function lintPlanted(files: Array<[path: string, source: string]>): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const tseslint = require('typescript-eslint');
    const untyped = { ...tseslint.configs.disableTypeChecked, files: ['**/planted*.ts'] };
    untyped.languageOptions = { parserOptions: { projectService: false, project: null } };
    const files = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const eslint = new ESLint({ cwd: ${JSON.stringify(root)}, overrideConfig: [untyped] });
    Promise.all(files.map(([path, text]) => eslint.lintText(text, { filePath: path }))).then((results) =>
      process.stdout.write(JSON.stringify(results.map(([r]) => r.messages))));
  `;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    input: JSON.stringify(files),
    encoding: 'utf8',
  });
  const messages = JSON.parse(run.stdout || 'null') as Array<Array<{ ruleId: string | null; message: string }>> | null;
  if (!messages) throw new Error(`ESLint did not answer: ${run.stderr}`);
  return messages.map((m) => {
    const fatal = m.find((x) => x.ruleId === null);
    if (fatal) throw new Error(fatal.message);
    return m.filter((x) => x.ruleId === 'no-restricted-imports').map((x) => x.message);
  });
}

function newestSource(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir).map((name) => {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) return newestSource(path);
      return name.endsWith('.ts') && !name.endsWith('.test.ts') ? stat.mtimeMs : 0;
    }),
  );
}

describe('boundaries', () => {
  const refused: Array<[path: string, source: string, message: RegExp]> = [
    ['gateway/planted.ts', "import { MAX_FIRST } from '../subgraphs/catalogue/search';", /subgraphs/],
    ['lib/planted.ts', "import { MemberEntity } from '../subgraphs/members/member.entity';", /subgraphs/],
    [
      'subgraphs/events/planted.ts',
      "import { MemberEntity } from '../members/member.entity';",
      /never imports another/,
    ],
    [
      'subgraphs/catalogue/marc/planted.ts',
      "import { SectionEntity } from '../../sections/section.entity';",
      /never imports another/,
    ],
    [
      'subgraphs/members/planted.ts',
      "import { EventEntity } from '../../subgraphs/events/event.entity';",
      /never imports another/,
    ],
    ['subgraphs/sections/planted.ts', "import { startGateway } from '../../gateway';", /never imports the gateway/],
    ['subgraphs/catalogue/planted.ts', "import { testEnv } from '../../test/testkit/config';", /never imports tests/],
    ['gateway/planted.ts', "import { testEnv } from '../test/testkit/config';", /never imports tests/],
    ['lib/planted.ts', "import { startGateway } from '../gateway';", /imports no gateway code/],
  ];
  const allowed: Array<[path: string, source: string]> = [
    ['gateway/planted.ts', "import { MAX_FIRST } from '../lib/catalogue-protocol';"],
    ['subgraphs/catalogue/planted.ts', "import { MAX_FIRST } from '../../lib/catalogue-protocol';"],
    ['subgraphs/catalogue/marc/planted.ts', "import { emptyRecord } from '../record-data';"],
    ['subgraphs/catalogue/planted.test.ts', "import { testEnv } from '../../test/testkit/config';"],
  ];

  it('ESLint refuses planted imports across each boundary and lets those within pass', () => {
    const messages = lintPlanted(
      [...refused, ...allowed].map(([path, source]) => [path, `${source}\nexport {};\n`] as [string, string]),
    );
    refused.forEach(([path, , message], i) =>
      expect([path, messages[i]]).toEqual([path, [expect.stringMatching(message)]]),
    );
    allowed.forEach(([path], i) => expect([path, messages[refused.length + i]]).toEqual([path, []]));
  });

  it("the gateway's process loads no MikroORM, PGlite or type-graphql", () => {
    const main = join(root, 'dist/gateway/main.js');
    const built = (() => {
      try {
        return statSync(main).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if (built < Math.max(newestSource(join(root, 'gateway')), newestSource(join(root, 'lib')))) {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noCheck'],
        {
          cwd: root,
        },
      );
    }
    // Loads main.js's whole module graph, then stops at the configuration check (an invalid port) before
    // anything listens, and reports every module loaded.
    const hook = join(mkdtempSync(join(tmpdir(), 'boundaries-')), 'hook.js');
    writeFileSync(
      hook,
      `process.on('exit', () => process.stdout.write('\\nMODULES ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));`,
    );
    const run = spawnSync(process.execPath, ['-r', hook, main], {
      cwd: root,
      encoding: 'utf8',
      env: { GATEWAY_PORT: 'not-a-port' },
    });
    expect(run.stderr).toMatch(/GATEWAY_PORT/);
    const modules = (JSON.parse(/^MODULES (.*)$/m.exec(run.stdout)![1]!) as string[]).map((m) => relative(root, m));
    expect(modules).toContain(join('dist', 'gateway', 'index.js'));
    expect(modules.filter((m) => /node_modules\/@apollo\/gateway\//.test(m)).length).toBeGreaterThan(0);
    const forbidden = modules.filter((m) =>
      /(^|\/)(node_modules\/(@mikro-orm|@electric-sql\/pglite|type-graphql|reflect-metadata)\/|dist\/subgraphs\/|dist\/test\/)/.test(
        m,
      ),
    );
    expect(forbidden).toEqual([]);
  });
});
