import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['catalogue', 'events', 'members', 'sections'];
const TESTS = { regex: '(^|/)test/', message: 'Product code never imports tests: move what both need to lib/.' };

function boundaries() {
  return [
    ...[
      { files: 'gateway', extra: [] },
      {
        files: 'lib',
        extra: [
          { regex: '(^|/)gateway(/|$)', message: 'lib/ is shared by every service: it imports no gateway code.' },
        ],
      },
    ].map(({ files, extra }) => ({
      files: [`${files}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: '(^|/)subgraphs(/|$)',
                message:
                  'The gateway and lib/ import nothing under subgraphs/: the gateway talks to them over HTTP; shared pieces live in lib/.',
              },
              ...extra,
              TESTS,
            ],
          },
        ],
      },
    })),
    ...SUBGRAPHS.map((name) => ({
      files: [`subgraphs/${name}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `(^|/)(subgraphs/|\\.\\./)+(${SUBGRAPHS.filter((s) => s !== name).join('|')})(/|$)`,
                message: `A subgraph never imports another (${name} is served on its own): share through lib/ or the graph.`,
              },
              { regex: '(^|/)gateway(/|$)', message: 'A subgraph never imports the gateway.' },
              TESTS,
            ],
          },
        ],
      },
    })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'jest.config.js', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Resolvers return promises that type-graphql awaits; Apollo plugins are async by contract.
      '@typescript-eslint/require-await': 'off',
      'no-process-env': 'off',
    },
  },
  {
    // process.env is read only by the config modules (and written by the test global setup).
    files: ['**/*.ts'],
    ignores: ['**/config.ts', 'test/testkit/global-setup.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through the service config module.' },
      ],
    },
  },
  // Boundaries that match deployment (docs/ARCHITECTURE.md): the gateway reaches subgraphs and nodes over
  // HTTP only, a subgraph never imports another, and product code never imports tests. What both sides of
  // a wire agree on lives in lib/ (lib/catalogue-protocol for the catalogue). test/boundaries.test.ts
  // shows these rules catch a planted violation.
  ...boundaries(),
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Node scripts that run before anything is built (scripts/built.js): plain CommonJS.
    files: ['scripts/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      parserOptions: { projectService: false, project: null },
      globals: { require: 'readonly', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard's and the explorer's browser scripts: plain JavaScript, no type information.
    files: ['gateway/dashboard/**/*.js', 'gateway/explorer/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false, project: null },
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        location: 'readonly',
        URLSearchParams: 'readonly',
        Chart: 'readonly',
        React: 'readonly',
        ReactDOM: 'readonly',
        GraphiQL: 'readonly',
        Option: 'readonly',
        sessionStorage: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
