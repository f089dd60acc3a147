import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests over 100K-element inputs and child processes need more than 5 s on 2 cores.
    testTimeout: 60_000,
    pool: 'forks',
  },
});
