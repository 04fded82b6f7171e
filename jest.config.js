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

module.exports = {
  testEnvironment: 'node',
  // GraphQL Code Generator (test/codegen.test.ts) requires auto-bind, an ES module Jest cannot require as is.
  transform: { '^.+\\.ts$': swc, '/node_modules/auto-bind/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!auto-bind/)'],
  roots: ['<rootDir>/lib', '<rootDir>/gateway', '<rootDir>/subgraphs', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/testkit/global-setup.ts',
  globalTeardown: '<rootDir>/test/testkit/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: one worker per core; the embedded database serialises queries anyway.
  maxWorkers: 2,
};
