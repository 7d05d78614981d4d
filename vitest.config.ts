import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/loopback-only.ts'],
    pool: 'forks',
    // The machine has 2 cores: two test files at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results/vitest.json' }]] : ['default'],
  },
});
