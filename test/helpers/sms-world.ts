// Linka started in-process with the SMS channel on, the real twilio library aimed at a fake
// Twilio on 127.0.0.1, and webhooks signed as Twilio signs them (test/sms*.test.ts).
import { startLinka, type Linka } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { Provider } from '../../src/store/client.js';
import { expect } from 'vitest';
import { eventually } from '../fakes/fake-server.js';
import { postSigned, startTwilioFake, type FakeSms, type TwilioFake } from '../fakes/twilio-fake.js';
import { createEmptyDatabase } from './db.js';
import { UNHURRIED_FLOOD, UNHURRIED_LIMITS } from './linka.js';
import { seedCustomers } from './harness.js';

export const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
export const AUTH_TOKEN = 'twilio-test-auth-token';
export const FROM = '+420700800900';
export const PUBLIC_URL = 'https://linka.example.net';
export const JAN = '+420603123456'; // an imported customer (helpers/harness.ts seedCustomers)
export const REDELIVERY_MS = 1200;

export interface SmsWorld {
  linka: Linka;
  fake: TwilioFake;
  base: string;
  /** Moves Linka's clock forward (timers come due). */
  advance(minutes: number): void;
  /** Moves Linka's clock forward by whole milliseconds (an outbox back-off comes due). */
  advanceMs(ms: number): void;
  /** Stops Linka's clock where it is: from now on it moves only with advance()/advanceMs(). Returns that time. */
  freezeClock(): Date;
  /** The time on Linka's clock. */
  now(): Date;
  /**
   * Fires the due timers and delivers the outbox (through the running workers' drain), until
   * no timer is due unfired and no outbox item is pending at all (one waiting for a retry is
   * waited for; under a frozen clock it never comes due, and settle() throws): whatever the
   * requests answered so far set in motion has reached the fake.
   */
  settle(): Promise<void>;
  /** An inbound SMS as Twilio posts it. */
  sms(text: string, opts?: { from?: string; sid?: string }): Promise<Response>;
  /** A status callback as Twilio posts it. */
  status(sid: string, status: string, errorCode?: string): Promise<Response>;
  /** Waits until the fake has accepted `n` messages in all; returns them. */
  sent(n: number): Promise<FakeSms[]>;
  counts(): Promise<{ inbound: number; messages: number; conversations: number; outbox: number }>;
  stop(): Promise<void>;
}

/** eventually(), typed for checks that return a value, or nothing yet. */
export async function until<T>(check: () => T | null | undefined | false | Promise<T | null | undefined | false>, what: string, ms = 5000): Promise<T> {
  return (await eventually(check, ms, what)) as T;
}

let world: SmsWorld | null = null;

/** Stops the world the last test started (call it in afterEach). */
export async function stopWorld(): Promise<void> {
  await world?.stop();
  world = null;
}

let sidSeq = 0;

/** `overrides`: config sections merged over the world's own, key by key (e.g. `{ sms: { transliterate: false } }`). */
export async function startWorld(
  provider: Provider = 'sqlite',
  env: Record<string, string> = {},
  overrides: Record<string, Record<string, unknown>> = {},
): Promise<SmsWorld> {
  const fake = await startTwilioFake(ACCOUNT_SID);
  const database = await createEmptyDatabase(provider);
  let offset = 0;
  let frozenAt: number | null = null;
  const now = () => new Date((frozenAt ?? Date.now()) + offset);
  const sections: Record<string, Record<string, unknown>> = {
    company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
    workers: { outboxPollMs: 25, timerPollMs: 25 },
    outbox: { backoffBaseMs: 150, backoffMaxMs: 2000 },
    sms: { redeliveryDelayMinutes: REDELIVERY_MS / 60_000 },
    rateLimits: UNHURRIED_LIMITS,
    flood: UNHURRIED_FLOOD,
  };
  for (const [section, values] of Object.entries(overrides)) sections[section] = { ...sections[section], ...values };
  const config = parseConfig(sections);
  const linka = await startLinka({
    config,
    log: silentLogger(),
    clock: now,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_URL: fake.url,
      ...env,
    },
  });
  await seedCustomers(linka.db);
  const base = `http://127.0.0.1:${linka.address.port}`;
  const prisma = linka.db.prisma;
  const created: SmsWorld = {
    linka,
    fake,
    base,
    advance(minutes) {
      offset += minutes * 60_000;
    },
    advanceMs(ms) {
      offset += ms;
    },
    freezeClock() {
      frozenAt = Date.now();
      return now();
    },
    now,
    async settle() {
      const started = Date.now();
      for (;;) {
        await linka.runtime.timers.drain();
        await linka.runtime.outbox.drain();
        const [timers, outbox] = await Promise.all([
          prisma.timer.count({ where: { firedAt: null, cancelledAt: null, dueAt: { lte: now() } } }),
          prisma.outboxItem.count({ where: { status: 'pending' } }),
        ]);
        if (timers === 0 && outbox === 0) return;
        if (Date.now() - started > 8000) throw new Error(`not settled after 8 s: ${timers} timers due, ${outbox} outbox items pending`);
        await quiet(10);
      }
    },
    sms: (text, opts = {}) =>
      postSigned({
        localBase: base,
        publicUrl: PUBLIC_URL,
        authToken: AUTH_TOKEN,
        path: '/sms/twilio',
        params: {
          MessageSid: opts.sid ?? `SMin${++sidSeq}`,
          AccountSid: ACCOUNT_SID,
          From: opts.from ?? JAN,
          To: FROM,
          Body: text,
          NumMedia: '0',
          FromCountry: 'CZ',
        },
      }),
    status: (sid, status, errorCode) =>
      postSigned({
        localBase: base,
        publicUrl: PUBLIC_URL,
        authToken: AUTH_TOKEN,
        path: '/sms/twilio/status',
        params: {
          MessageSid: sid,
          SmsSid: sid,
          MessageStatus: status,
          SmsStatus: status,
          AccountSid: ACCOUNT_SID,
          From: FROM,
          To: JAN,
          ...(errorCode ? { ErrorCode: errorCode } : {}),
        },
      }),
    sent: (n) => until(() => fake.sent.length >= n && fake.sent, `${n} SMS sent`, 8000),
    async counts() {
      const [inbound, messages, conversations, outbox] = await Promise.all([
        prisma.processedInbound.count(),
        prisma.message.count(),
        prisma.conversation.count(),
        prisma.outboxItem.count(),
      ]);
      return { inbound, messages, conversations, outbox };
    },
    async stop() {
      await linka.stop();
      await fake.close();
      await database.drop();
    },
  };
  world = created;
  return created;
}

/** Sends an inbound SMS and returns the next reply the fake accepted. */
export async function ask(w: SmsWorld, text: string, opts?: { from?: string; sid?: string }): Promise<string> {
  const before = w.fake.sent.length;
  const res = await w.sms(text, opts);
  expect(res.status).toBe(200);
  return (await w.sent(before + 1))[before]?.body ?? '';
}

export const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));
