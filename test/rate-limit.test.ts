// The rate limiter on a simulated clock: never more than N sends in any window, wherever
// between a call's start and its end the platform saw it; the window used fully; claims
// ahead of the slot; pauses.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { LEAD_MS, RateLimiter, rateRules, separateStatusChannels, type Permit, type RateRules } from '../src/runtime/rate-limit.js';
import { maxInWindow, seededRandom } from './fakes/flaky-platforms.js';

interface Call {
  target: string;
  start: number;
  end: number;
}

/**
 * Drives a limiter for `durationMs` of simulated time in 0.25 ms steps: at each step it takes
 * every permit the limiter gives (targets drawn from `targets`); each call starts at its
 * permit's readyAt, after a claim delay of 0..`claimMs`, and lasts 0..`maxLatencyMs`.
 */
function simulate(rules: RateRules, opts: { durationMs: number; maxLatencyMs: number; claimMs?: number; targets: () => string; seed: number }): Call[] {
  let now = 0;
  const limiter = new RateLimiter(rules, () => now);
  const rand = seededRandom(opts.seed);
  const open: Array<{ call: Call; permit: Permit }> = [];
  const calls: Call[] = [];
  for (let step = 0; step * 0.25 < opts.durationMs; step++) {
    const t = step * 0.25;
    // Calls that ended by now end in the order they ended.
    open.sort((a, b) => a.call.end - b.call.end);
    while (open.length && (open[0] as { call: Call }).call.end <= t) {
      const { call, permit } = open.shift() as { call: Call; permit: Permit };
      now = call.end;
      permit.done();
    }
    now = t;
    for (let tries = 0; tries < 50; tries++) {
      const target = opts.targets();
      const permit = limiter.tryAcquire('telegram', target);
      if (!permit) break;
      expect(permit.readyAt).toBeLessThanOrEqual(t + LEAD_MS);
      const start = Math.max(t + rand() * (opts.claimMs ?? 0), permit.readyAt);
      const call = { target, start, end: start + rand() * opts.maxLatencyMs };
      calls.push(call);
      open.push({ call, permit });
    }
  }
  return calls;
}

/** The most calls any platform could have seen in one window, whether each arrived at its call's start, end or in between. */
function worstSeen(calls: Call[], windowMs: number, seed: number): number {
  const rand = seededRandom(seed);
  return Math.max(
    maxInWindow(
      calls.map((c) => c.start),
      windowMs,
    ),
    maxInWindow(
      calls.map((c) => c.end),
      windowMs,
    ),
    maxInWindow(
      calls.map((c) => c.start + rand() * (c.end - c.start)),
      windowMs,
    ),
    // Adversarial: every other call seen as late, the rest as early as possible.
    maxInWindow(
      calls.map((c, i) => (i % 2 === 0 ? c.start : c.end)),
      windowMs,
    ),
  );
}

describe('the rate limiter', () => {
  it('never lets a platform see more than the limit in any window, and uses the window fully', () => {
    const rules: RateRules = { telegram: [{ scope: 'channel', limit: 25, windowMs: 1000 }] };
    let n = 0;
    // Claims take up to 80 ms (within the lead), calls up to 10 ms.
    const calls = simulate(rules, { durationMs: 60_000, maxLatencyMs: 10, claimMs: 80, targets: () => `telegram:${++n}`, seed: 7 });
    expect(worstSeen(calls, 1000, 1)).toBeLessThanOrEqual(25);
    // A window costs at most one call's latency more: 25 per (1000 + 10) ms at worst.
    expect(calls.length / (60 * 25)).toBeGreaterThanOrEqual(0.98);
    expect(
      maxInWindow(
        calls.map((c) => c.start),
        1000,
      ),
    ).toBe(25);
  });

  it('keeps the per-chat limit and the overall one together, for slow calls too', () => {
    const rules = rateRules(parseConfig({ rateLimits: { telegram: { perSecond: 20, perChatPerSecond: 2 } } }).rateLimits);
    const rand = seededRandom(3);
    const calls = simulate(rules, { durationMs: 30_000, maxLatencyMs: 300, claimMs: 150, targets: () => `telegram:${Math.floor(rand() * 15)}`, seed: 11 });
    expect(worstSeen(calls, 1000, 2)).toBeLessThanOrEqual(20);
    const byChat = new Map<string, Call[]>();
    for (const c of calls) byChat.set(c.target, [...(byChat.get(c.target) ?? []), c]);
    expect(byChat.size).toBe(15);
    for (const chatCalls of byChat.values()) expect(worstSeen(chatCalls, 1000, 3)).toBeLessThanOrEqual(2);
    // 15 chats at 2 per second could send 30; the overall 20 is what binds, less up to 300 ms a window.
    expect(calls.length / (30 * 20)).toBeGreaterThanOrEqual(0.75);
  });

  it('admits a send up to LEAD_MS before its slot frees, to start exactly then; frees a released slot at once', () => {
    let now = 0;
    const limiter = new RateLimiter({ sms: [{ scope: 'channel', limit: 1, windowMs: 1000 }] }, () => now);
    const first = limiter.tryAcquire('sms', 'sms:+420603000001');
    expect(first?.readyAt).toBe(0);
    expect(limiter.tryAcquire('sms', 'sms:+420603000002')).toBeNull();
    first?.release();
    const second = limiter.tryAcquire('sms', 'sms:+420603000002');
    expect(second).not.toBeNull();
    now = 400;
    expect(limiter.waitMs()).toBeNull(); // in flight: only its end can start the clock
    second?.done();
    expect(limiter.blocked()).toEqual({ channels: ['sms'], targets: [] });
    expect(limiter.waitMs()).toBe(1000 - LEAD_MS);
    now = 1399 - LEAD_MS;
    expect(limiter.tryAcquire('sms', 'sms:+420603000003')).toBeNull();
    now = 1400 - LEAD_MS;
    expect(limiter.blocked()).toEqual({ channels: [], targets: [] });
    const third = limiter.tryAcquire('sms', 'sms:+420603000003');
    expect(third?.readyAt).toBe(1400);
    expect(limiter.tryAcquire('sms', 'sms:+420603000004')).toBeNull();
    // A channel without limits is never held back.
    for (let i = 0; i < 100; i++) expect(limiter.tryAcquire('console', 'console:x')?.readyAt).toBe(0);
  });

  it('waits for its slot on the real clock', async () => {
    const limiter = new RateLimiter({ sms: [{ scope: 'channel', limit: 1, windowMs: 150 }] });
    limiter.tryAcquire('sms', 'sms:1')?.done();
    const permit = limiter.tryAcquire('sms', 'sms:2', 1000) as Permit;
    const before = performance.now();
    await permit.ready();
    expect(performance.now()).toBeGreaterThanOrEqual(permit.readyAt);
    expect(performance.now() - before).toBeGreaterThan(100);
  });

  it('honours a pause of the whole channel, or of one chat only', () => {
    let now = 0;
    const limiter = new RateLimiter(rateRules(parseConfig({}).rateLimits), () => now);
    limiter.pause('telegram', 'telegram:-100200', 3000, 'target');
    expect(limiter.tryAcquire('telegram', 'telegram:-100200')).toBeNull();
    limiter.tryAcquire('telegram', 'telegram:7001')?.done();
    expect(limiter.blocked()).toEqual({ channels: [], targets: ['telegram:-100200', 'telegram:7001'] });

    now = 10;
    limiter.pause('telegram', 'telegram:7001', 2000, 'channel');
    expect(limiter.pausedMs('telegram', 'telegram:7002')).toBe(2000);
    expect(limiter.waitMs()).toBe(1000 - LEAD_MS - 10); // telegram:7001's own second (its call ended at 0) passes first
    now = 1500;
    expect(limiter.tryAcquire('telegram', 'telegram:7002')).toBeNull();
    expect(limiter.blocked().channels).toEqual(['telegram']);
    expect(limiter.waitMs()).toBe(2010 - LEAD_MS - 1500);
    now = 2010 - LEAD_MS;
    expect(limiter.tryAcquire('telegram', 'telegram:7002')?.readyAt).toBe(2010);
    expect(limiter.pausedMs('telegram', 'telegram:7003')).toBe(LEAD_MS);
    expect(limiter.tryAcquire('telegram', 'telegram:-100200')).toBeNull();
    now = 3000;
    expect(limiter.pausedMs('telegram', 'telegram:-100200')).toBe(0);
    expect(limiter.tryAcquire('telegram', 'telegram:-100200')).not.toBeNull();
    // A pause on a channel without limits holds it back too, and is forgotten once over.
    limiter.pause('console', 'console:x', 500, 'channel');
    expect(limiter.tryAcquire('console', 'console:y')).toBeNull();
    now = 3500;
    expect(limiter.tryAcquire('console', 'console:y')).not.toBeNull();
  });
  it('gives a separate status channel its own window, and only when it is separate', () => {
    let now = 0;
    const limits = parseConfig({}).rateLimits; // Slack: 1 a second per channel
    const shared = new RateLimiter(rateRules(limits), () => now);
    shared.tryAcquire('slack', 'team:slack:T-2026-00001')?.done();
    expect(shared.tryAcquire('slack', 'team:slack:status')).toBeNull(); // the queue channel's second holds it back

    // Separate only when a status channel is set and is not the queue channel.
    const separate = (slack: object) => separateStatusChannels(parseConfig({ slack }));
    expect(separate({ queueChannel: 'CQ', statusChannel: 'CS' }).slack).toBe(true);
    expect(separate({ queueChannel: 'CQ', statusChannel: 'CQ' }).slack).toBe(false);
    expect(separate({ queueChannel: 'CQ' }).slack).toBe(false);

    const laned = new RateLimiter(rateRules(limits, { slack: true }), () => now);
    laned.tryAcquire('slack', 'team:slack:T-2026-00001')?.done();
    const status = laned.tryAcquire('slack', 'team:slack:status');
    expect(status?.readyAt).toBe(0);
    status?.done();
    expect(laned.tryAcquire('slack', 'team:slack:status')).toBeNull(); // its own second
    expect(laned.tryAcquire('slack', 'team:slack:channel')).toBeNull(); // the queue's second
    // Blocked lanes name their targets, not the whole platform: the outbox still claims the other lane's items.
    expect(laned.blocked()).toEqual({ channels: [], targets: expect.arrayContaining(['team:slack:T-2026-00001', 'team:slack:status', 'team:slack:channel']) });
    // A 429 on the status channel pauses the status lane only.
    now = 1000;
    laned.pause('slack', 'team:slack:status', 5000, 'channel');
    expect(laned.pausedMs('slack', 'team:slack:status')).toBe(5000);
    expect(laned.pausedMs('slack', '')).toBe(0);
    expect(laned.tryAcquire('slack', 'team:slack:T-2026-00002')).not.toBeNull();
  });
});
