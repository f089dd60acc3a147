import { defineConfig } from 'vitest/config';

// The tests `npm run mutate` runs against each mutant of the engine (src/workflow, src/scheduler,
// src/executors): the tests that mirror those folders, in worker threads that keep their modules
// between files. With the whole suite in isolated forks, one mutant of the hot path ran ~1,200
// tests, Chromium's and Redis's among them, and most of each run was starting processes and
// loading modules again: a full run of src/workflow projected to 16 hours on 2 cores. Left out:
// tests whose child processes or pages load dist/, which Stryker does not mutate, so they cannot
// kill a mutant, and task-pool.test.ts, which checks process-wide state (no default pool before
// Node's pool module loads) that shared modules cannot give it. A score from these tests alone is a
// floor: other folders' tests are not asked.
export default defineConfig({
  test: {
    include: ['test/workflow/**/*.test.ts', 'test/scheduler/**/*.test.ts', 'test/executors/**/*.test.ts'],
    exclude: ['test/workflow/durable-crash.test.ts', 'test/workflow/run-drain-signals.test.ts', 'test/executors/web-worker-pool.test.ts', 'test/executors/task-pool.test.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    isolate: false,
  },
});
