'use strict';
/*
 * Runs one of the project's commands from its build: `node scripts/built.js <script in dist> [args…]`.
 * The sources are compiled (tsc, without type checks: `npm test` and CI check types) only when one of them
 * is newer than the last build, so a second `npm run catalogue -- --help` starts at once instead of
 * compiling the whole project first. Plain JavaScript: it must run before anything is built.
 */
const { spawnSync } = require('node:child_process');
const { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const SOURCES = ['lib', 'gateway', 'subgraphs', 'scripts'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const STAMP = join(root, 'dist', '.built');

/** The newest modification time among the sources the build reads (tests excluded), in ms. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json|graphql)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(join(root, dir));
  for (const file of CONFIGS)
    newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

function builtAt() {
  return statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/built.js <path of a script under dist, without .js> [arguments]');
  process.exit(2);
}
if (newestSource() > builtAt()) {
  const started = Date.now();
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(join(root, 'dist'), { recursive: true });
  // Stamped with the time the build started: a source saved during the build is built next time.
  writeFileSync(STAMP, new Date(started).toISOString());
  utimesSync(STAMP, new Date(started), new Date(started));
}
process.argv = [process.argv[0], join(root, 'dist', `${script}.js`), ...args];
require(join(root, 'dist', `${script}.js`));
