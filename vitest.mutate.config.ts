import { defineConfig } from 'vitest/config';

// The tests `npm run mutate` runs against each mutant of the engine (src/workflow, src/scheduler,
// src/executors): the tests that mirror those folders. The whole suite made one mutant of the hot
// path run ~1,200 tests, Chromium's and Redis's among them, about 16 hours for a full run on 2
// cores. Left out as well: tests whose child processes or pages load dist/, which Stryker does not
// mutate, so they cannot kill a mutant. A score from these alone is a floor: other folders' tests
// that would also kill a mutant are not asked.
export default defineConfig({
  test: {
    include: ['test/workflow/**/*.test.ts', 'test/scheduler/**/*.test.ts', 'test/executors/**/*.test.ts'],
    exclude: ['test/workflow/durable-crash.test.ts', 'test/workflow/run-drain-signals.test.ts', 'test/executors/web-worker-pool.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
