// The tests `npm run mutate` runs against each mutant (stryker.config.mjs): those that exercise
// the pure core (src/engine, src/domain) and the dispatcher's and queue's decisions, on SQLite.
// The PostgreSQL variants repeat the same decisions on another driver, so they are left out
// here (LINKA_TEST_SKIP_PG); `npm test` runs them.
import { defineConfig } from 'vitest/config';

export const MUTATION_TESTS = [
  'test/engine.test.ts',
  'test/billing.test.ts',
  'test/business-time.test.ts',
  'test/sms-domain.test.ts',
  'test/messages.test.ts',
  'test/hours.test.ts',
  'test/runtime.test.ts',
  'test/queue.test.ts',
  'test/callout.test.ts',
  'test/sla-watch.test.ts',
  'test/outages.test.ts',
  'test/payments.test.ts',
  'test/maintenance.test.ts',
  'test/statement.test.ts',
];

export default defineConfig({
  test: {
    include: MUTATION_TESTS,
    setupFiles: ['test/setup/loopback-only.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1', LINKA_TEST_SKIP_PG: '1' },
  },
});
