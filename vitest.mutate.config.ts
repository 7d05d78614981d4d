// The tests `npm run mutate` runs against each mutant (stryker.config.mjs): the unit tests of the
// pure core (src/engine, src/domain) and of the dispatcher's and queue's decisions. They take
// milliseconds, so some 3,000 mutants fit in minutes on two cores; the conversation tests on a
// database (seconds each) would make it hours, so a mutant they alone would notice counts here
// as surviving: the score is what the core's own tests pin down.
import { defineConfig } from 'vitest/config';

export const MUTATION_TESTS = [
  'test/engine.test.ts',
  'test/billing.test.ts',
  'test/business-time.test.ts',
  'test/service-hours.test.ts',
  'test/sms-domain.test.ts',
  'test/messages.test.ts',
  'test/sms-adapter.test.ts',
  'test/ticket-actions.test.ts',
  'test/domain-rules.test.ts',
  'test/engine-steps.test.ts',
  'test/team-commands.test.ts',
  'test/domain-inputs.test.ts',
  'test/price-list.test.ts',
  'test/terms-core.test.ts',
  'test/restriction-engine.test.ts',
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
