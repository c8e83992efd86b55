/**
 * Two projects: unit tests beside the code (*.spec.ts), and end-to-end and integration tests
 * under test/ (*.e2e-spec.ts, *.integration-spec.ts) against the real PostgreSQL and Redis.
 * Each e2e file gets a database cloned from a template migrated once per run
 * (test/support/global-setup.ts).
 */
const moduleNameMapper = {
  '^@app/(auth|common|config|db|queue|search|testing)(|/.*)$': '<rootDir>/libs/$1/src$2',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  // content-disposition 3 (under @fastify/static, for Swagger UI) ships ESM only; node loads it
  // with require(esm), jest's CommonJS runtime does not, so it is compiled to CommonJS here.
  '^.+/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];

module.exports = {
  // Read from the top level only (a project's own testTimeout is ignored); e2e set-up boots apps
  // and clones databases, which takes seconds on a loaded two-core machine.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.integration-spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
