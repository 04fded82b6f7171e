import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * scripts/built.js, the launcher of `npm start`, `npm run catalogue`, `npm run auth` and the benchmarks: it
 * compiles only when a source is newer than the last build. Run here on a project of two files of its own
 * (a copy of the launcher, this project's TypeScript), so the real dist/ other tests run from is not rebuilt.
 */
const root = join(__dirname, '..');

describe('scripts/built.js', () => {
  let project: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(project, 'scripts', 'built.js'), ...args], { encoding: 'utf8' });
    return { status: result.status, out: result.stdout.trim(), err: result.stderr };
  };
  const stamp = () => statSync(join(project, 'dist', '.built')).mtimeMs;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'kbg-built-'));
    for (const dir of ['scripts', 'lib', 'gateway', 'subgraphs']) mkdirSync(join(project, dir));
    copyFileSync(join(root, 'scripts', 'built.js'), join(project, 'scripts', 'built.js'));
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { outDir: 'dist', rootDir: '.', module: 'commonjs', target: 'es2022', types: [] },
      }),
    );
    writeFileSync(
      join(project, 'tsconfig.build.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['lib', 'scripts'] }),
    );
    writeFileSync(join(project, 'lib', 'greeting.ts'), "export const greeting = 'здравствуйте';\n");
    writeFileSync(
      join(project, 'scripts', 'hello.ts'),
      "import { greeting } from '../lib/greeting';\nconsole.log(greeting, process.argv.slice(2).join(' '));\n",
    );
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('builds once, runs the built script with its arguments, and builds again only after a source changed', () => {
    expect(run('scripts/hello', '--help')).toMatchObject({ status: 0, out: 'здравствуйте --help' });
    const first = stamp();
    // Nothing changed: no build (the stamp stays), the same answer.
    expect(run('scripts/hello', 'again')).toMatchObject({ status: 0, out: 'здравствуйте again' });
    expect(stamp()).toBe(first);
    // A source saved after the build is compiled before the next run.
    writeFileSync(join(project, 'lib', 'greeting.ts'), "export const greeting = 'добрый день';\n");
    const later = new Date(first + 5000);
    utimesSync(join(project, 'lib', 'greeting.ts'), later, later);
    expect(run('scripts/hello')).toMatchObject({ status: 0, out: 'добрый день' });
    expect(stamp()).toBeGreaterThan(first);
    expect(readFileSync(join(project, 'dist', 'lib', 'greeting.js'), 'utf8')).toContain('добрый день');
  });

  it('stops with the compiler’s status when the build fails, running nothing', () => {
    writeFileSync(join(project, 'scripts', 'hello.ts'), 'console.log(;\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(project, 'scripts', 'hello.ts'), later, later);
    const result = run('scripts/hello');
    expect(result.status).not.toBe(0);
    expect(result.out).not.toContain('добрый день');
  });

  it('is what the commands that run a built script use', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const name of ['start', 'catalogue', 'auth']) expect(scripts[name]).toMatch(/^node scripts\/built\.js /);
  });
});
