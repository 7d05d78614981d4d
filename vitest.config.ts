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
    // The PostgreSQL reporter prints, after the summary, a banner when those suites were skipped.
    reporters: [
      'default',
      './test/setup/postgres-reporter.ts',
      ...(process.env.CI ? [['json', { outputFile: '.ci/results/vitest.json' }] as ['json', { outputFile: string }]] : []),
    ],
  },
});
