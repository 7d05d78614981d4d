/**
 * A fake Bot API in a process of its own (forked by bench/fanout.ts), like a real platform is:
 * its requests do not compete with Linka's worker for the event loop. Tells the parent its URL,
 * and on "report" sends back every arrival it saw.
 */
import { startFlakyTelegram } from '../../test/fakes/flaky-platforms.js';

const latencyMs = Number(process.env.FAKE_LATENCY_MS ?? 0);
const fake = await startFlakyTelegram({ latencyMs });
process.send?.({ url: fake.url });
process.on('message', (msg: { report?: boolean }) => {
  if (!msg.report) return;
  process.send?.({ arrivals: fake.arrivals, accepted: fake.accepted.size }, () => {
    void fake.close().then(() => process.exit(0));
  });
});
