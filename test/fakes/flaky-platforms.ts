// Fake Telegram and Twilio for fan-out on 127.0.0.1: they answer 429 (with retry_after /
// Retry-After, and keep answering 429 until it has passed) and 500 some of the time, by a
// seeded random, optionally slowly, and record every request's arrival, to check the rate
// limits and exactly-once delivery. Used by test/fanout.test.ts and bench/fanout.ts.
import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeAnswer, type FakeServer } from './fake-server.js';

/** One request to send a message, as the platform saw it. */
export interface Arrival {
  /** When it arrived (Date.now()). */
  at: number;
  /** The chat id (Telegram) or the number sent to (Twilio). */
  key: string;
  /** The sending number (Twilio), or '' (Telegram). */
  from: string;
  text: string;
  /** How it was answered: 200/201 accepted, 429, 500. */
  status: number;
}

/** A 429 the fake gave: from `at` until `until`, for one key or for all ('*'). */
export interface FakePause {
  at: number;
  until: number;
  key: string;
}

export interface FlakyOptions {
  /** Share of requests answered 429 (default 0). */
  rate429?: number;
  /** Share of requests answered 500 (default 0). */
  rate500?: number;
  /** The retry-after of a 429, in seconds (fractions allowed by these fakes; default 1). */
  retryAfterSeconds?: number;
  /** The answers (429 or 500) to the first requests to a key (chat id, number), whatever the random says. */
  scripted?: Readonly<Record<string, readonly (429 | 500)[]>>;
  /** How long each answer takes, in milliseconds (default 0). */
  latencyMs?: number;
  seed?: number;
}

export interface FlakyPlatform {
  url: string;
  server: FakeServer;
  /** Every request to send a message, in order of arrival, 429s and 500s included. */
  arrivals: Arrival[];
  /** Texts accepted, by key (chat id or number), in order. */
  accepted: Map<string, string[]>;
  /** The 429s given. */
  pauses: FakePause[];
  close(): Promise<void>;
}

/** A deterministic random in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most of `times` (milliseconds, any order) inside any window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[first] as number) + windowMs <= (sorted[last] as number)) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

/** The most requests per key in any window: the busiest key's count. */
export function maxPerKeyInWindow(arrivals: readonly Arrival[], windowMs: number, keyOf: (a: Arrival) => string = (a) => a.key): number {
  const byKey = new Map<string, number[]>();
  for (const a of arrivals) {
    const k = keyOf(a);
    const list = byKey.get(k);
    if (list) list.push(a.at);
    else byKey.set(k, [a.at]);
  }
  let best = 0;
  for (const times of byKey.values()) best = Math.max(best, maxInWindow(times, windowMs));
  return best;
}

type Decision = { kind: 'ok' } | { kind: '500' } | { kind: '429'; seconds: number };

/** The common part: decides each answer, records arrivals and pauses. */
function flaky(opts: FlakyOptions, pauseKeyOf: (key: string) => string) {
  const rand = seededRandom(opts.seed ?? 1);
  const rate429 = opts.rate429 ?? 0;
  const rate500 = opts.rate500 ?? 0;
  const retryAfterMs = (opts.retryAfterSeconds ?? 1) * 1000;
  const arrivals: Arrival[] = [];
  const accepted = new Map<string, string[]>();
  const pauses: FakePause[] = [];
  return {
    arrivals,
    accepted,
    pauses,
    /** Records the arrival and decides its answer. */
    decide(arrival: Omit<Arrival, 'status'>): { record: Arrival; decision: Decision } {
      const record: Arrival = { ...arrival, status: 0 };
      arrivals.push(record);
      const pauseKey = pauseKeyOf(arrival.key);
      const active = pauses.find((p) => (p.key === '*' || p.key === pauseKey) && p.at <= arrival.at && arrival.at < p.until);
      let decision: Decision;
      if (active) {
        decision = { kind: '429', seconds: Math.max(0.001, (active.until - arrival.at) / 1000) };
      } else {
        const r = rand();
        const script = opts.scripted?.[arrival.key];
        const scripted = script?.[arrivals.filter((a) => a.key === arrival.key).length - 1];
        if (scripted === 429 || (scripted === undefined && r < rate429)) {
          pauses.push({ at: arrival.at, until: arrival.at + retryAfterMs, key: pauseKey });
          decision = { kind: '429', seconds: retryAfterMs / 1000 };
        } else if (scripted === 500 || (scripted === undefined && r < rate429 + rate500)) {
          decision = { kind: '500' };
        } else {
          decision = { kind: 'ok' };
          const list = accepted.get(arrival.key);
          if (list) list.push(arrival.text);
          else accepted.set(arrival.key, [arrival.text]);
        }
      }
      record.status = decision.kind === 'ok' ? 200 : Number(decision.kind);
      return { record, decision };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Bot API whose sendMessage is flaky. A 429 to a private chat holds back the whole bot (the
 * global flood limit), one to a group (negative id) that group only, as the adapter assumes.
 */
export async function startFlakyTelegram(opts: FlakyOptions = {}): Promise<FlakyPlatform> {
  const state = flaky(opts, (chat) => (chat.startsWith('-') ? chat : '*'));
  let messageId = 100;
  const server = await startFakeServer(async (req) => {
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.path)?.[1];
    if (method !== 'sendMessage') return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const body = (req.body ?? {}) as { chat_id?: number | string; text?: string };
    const { decision } = state.decide({ at: req.at, key: String(body.chat_id), from: '', text: String(body.text ?? '') });
    let answer: FakeAnswer;
    if (decision.kind === '429') {
      answer = {
        status: 429,
        body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${decision.seconds}`, parameters: { retry_after: decision.seconds } },
      };
    } else if (decision.kind === '500') {
      answer = { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
    } else {
      answer = {
        status: 200,
        body: {
          ok: true,
          result: { message_id: ++messageId, date: Math.floor(req.at / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text },
        },
      };
    }
    if (opts.latencyMs) await sleep(opts.latencyMs);
    return answer;
  });
  return { url: server.url, server, arrivals: state.arrivals, accepted: state.accepted, pauses: state.pauses, close: () => server.close() };
}

/** Twilio's Messages.json, flaky; a 429 holds back the whole account (Retry-After in seconds). */
export async function startFlakyTwilio(accountSid: string, opts: FlakyOptions = {}): Promise<FlakyPlatform> {
  const state = flaky(opts, () => '*');
  const server = await startFakeServer(async (req) => {
    if (req.method !== 'POST' || !/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(req.path))
      return { status: 404, body: { code: 20404, message: 'not found', status: 404 } };
    const form = (req.body ?? {}) as Record<string, string>;
    const { decision } = state.decide({ at: req.at, key: form.To ?? '', from: form.From ?? '', text: form.Body ?? '' });
    let answer: FakeAnswer;
    if (decision.kind === '429') {
      answer = { status: 429, headers: { 'Retry-After': String(decision.seconds) }, body: { code: 20429, message: 'Too Many Requests', status: 429 } };
    } else if (decision.kind === '500') {
      answer = { status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } };
    } else {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      answer = {
        status: 201,
        body: {
          sid,
          account_sid: accountSid,
          status: 'queued',
          to: form.To,
          from: form.From,
          body: form.Body,
          num_segments: '1',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          error_code: null,
          error_message: null,
          date_created: new Date(req.at).toUTCString(),
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        },
      };
    }
    if (opts.latencyMs) await sleep(opts.latencyMs);
    return answer;
  });
  return { url: server.url, server, arrivals: state.arrivals, accepted: state.accepted, pauses: state.pauses, close: () => server.close() };
}
