/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/*
 * Unit tests: no database, no browser, no child process; in-process code and at most an HTTP server on port
 * 0. `npm run test:unit` runs them alone, in seconds. Everything else is an integration test (real
 * PostgreSQL, every service, Chromium) and runs with them in `npm test`.
 */
const UNIT = [
  '**/gateway/**/*.test.ts',
  '**/lib/!(embedded-postgres).test.ts',
  '**/lib/*/**/*.test.ts',
  '**/subgraphs/catalogue/marc/**/*.test.ts',
  '**/subgraphs/catalogue/edition-key.test.ts',
  '**/scripts/catalogue-generator/!(generator).test.ts',
  '**/test/{codegen,compose-file,docs,error-codes,schema,schema-descriptions}.test.ts',
];

const common = {
  testEnvironment: 'node',
  // GraphQL Code Generator (test/codegen.test.ts) requires auto-bind, an ES module Jest cannot require as is.
  transform: { '^.+\\.ts$': swc, '/node_modules/auto-bind/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!auto-bind/)'],
  roots: ['<rootDir>/lib', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/scripts', '<rootDir>/test'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: UNIT },
    {
      ...common,
      displayName: 'integration',
      // Whatever is not a unit test (a new test file is an integration test until it is listed above).
      testMatch: ['**/*.test.ts', ...UNIT.map((glob) => `!${glob}`)],
      globalSetup: '<rootDir>/test/testkit/global-setup.ts',
      globalTeardown: '<rootDir>/test/testkit/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  // Two cores: one worker per core; the embedded database serialises queries anyway.
  maxWorkers: 2,
};
