/** Jest runs TypeScript through SWC (transpile only); `npm run typecheck` does the type checking. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  // One `osls package` per run, shared by the test files that read it (test/helpers/packaged-stack.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // A bound for a test that hangs, not a speed check: a test of a few seconds takes several times as
  // long on a loaded 2-core machine (CI, or several suites at once), and must not fail for it.
  testTimeout: 120000,
  maxWorkers: 2,
  // How long a worker may take to exit after its last file before jest kills it and reports "failed to
  // exit gracefully". Jest's 500 ms is too short on a loaded machine even for workers that hold nothing
  // (three pure-function test files at a load average of 24 were killed three times in three; no handle
  // was left 1.5 s after any file of the suite): a worker that leaks still is killed, after 5 s.
  workerGracefulExitTimeout: 5000,
};
