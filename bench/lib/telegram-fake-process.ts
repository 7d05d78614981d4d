/**
 * The fake Bot API of the tests (test/fakes/telegram-fake.ts) in its own process, so its work
 * does not share the load generator's event loop. Parent <-> child over IPC:
 * { url } once listening; { cmd: 'stats' } -> { calls: { method: count } }; { cmd: 'reset' }.
 */
import { startTelegramFake } from '../../test/fakes/telegram-fake.js';

const fake = await startTelegramFake();
const methodOf = (p: string) => /^\/bot[^/]+\/(\w+)/.exec(p)?.[1] ?? '?';
let counts = new Map<string, number>();
let seen = 0;
function count(): Record<string, number> {
  // Fold the recorded requests into counts and drop them (a long run would hold them all).
  for (; seen < fake.requests.length; seen++) {
    const m = methodOf((fake.requests[seen] as { path: string }).path);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  fake.requests.length = 0;
  seen = 0;
  return Object.fromEntries(counts);
}
setInterval(count, 1000).unref();
process.on('message', (msg: { cmd: string; id: number }) => {
  if (msg.cmd === 'stats') process.send?.({ id: msg.id, calls: count() });
  if (msg.cmd === 'reset') {
    count();
    counts = new Map();
    process.send?.({ id: msg.id, ok: true });
  }
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
process.send?.({ url: fake.url });
