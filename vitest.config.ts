import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-teardown.ts'],
    setupFiles: ['test/helpers/terminal-env.ts'],
    // Generous: an end-to-end test spawns dozens of commands, and a busy machine (CI's, or one shared
    // with other jobs) can take several times as long as a calm one. A hang still fails.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn many processes; two cores are shared by everything.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
