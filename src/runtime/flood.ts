/**
 * The per-sender flood limit (config `flood`), shared by every customer channel: it wraps the
 * dispatcher the adapters' webhook routes call. A sender (a conversation id: one phone number,
 * one Telegram chat) who sends more than the channel's limit within a minute gets ONE polite
 * notice (`common.slowDown`, queued through the outbox like any reply); their further messages
 * in the minute after it are acknowledged to the platform (the route answers 200 as usual) but
 * dropped: not dispatched, not recorded, counted in `linka_inbound_dropped_total{reason="flood"}`.
 *
 * The counts live in this process's memory: they are lost on restart (a flood is a matter of
 * seconds), and with several processes behind a load balancer each counts what it sees, so a
 * sender may get up to N times the limit through. A redelivery of an event already let through
 * (same de-duplication id) is not counted again: the dispatcher de-duplicates it. STOP / START
 * always pass: an opt-out must never be lost.
 */
import type { LinkaConfig } from '../config/schema.js';
import type { Lang } from '../engine/types.js';
import { helpdeskParams, t } from '../messages/index.js';
import { loadConversation, stateOf } from '../store/conversations.js';
import { addMessage } from '../store/messages.js';
import { enqueue } from '../store/outbox.js';
import type { PrismaClient, Tx } from '../store/types.js';
import type { DispatchResult, InboundEnvelope } from './dispatch.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** What happens to one inbound event: dispatched, dropped with the notice, or dropped silently. */
export type FloodVerdict = 'pass' | 'notice' | 'drop';

interface SenderWindow {
  /** Events let through within the window: when, and their de-duplication ids. */
  passed: Array<{ at: number; id: string }>;
  /** When the sender was last told to slow down (null: not within the window). */
  noticedAt: number | null;
}

/** How many checks between sweeps of senders that have gone quiet. */
const SWEEP_EVERY = 1000;

/** Counts each sender's events in a sliding window; knows nothing of the database. */
export class FloodCounter {
  private readonly senders = new Map<string, SenderWindow>();
  private checks = 0;

  /** `limits`: events per window by channel; a channel missing or 0 has no limit. */
  constructor(
    private readonly limits: Readonly<Record<string, number>>,
    private readonly windowMs = 60_000,
  ) {}

  /** Decides about one event of `sender` on `channel` at `now` (ms), and counts it when it passes. */
  check(channel: string, sender: string, eventId: string, now: number): FloodVerdict {
    const limit = this.limits[channel] ?? 0;
    if (limit <= 0) return 'pass';
    if (++this.checks % SWEEP_EVERY === 0) this.sweep(now);
    const key = `${channel}\u0000${sender}`;
    const w = this.senders.get(key) ?? { passed: [], noticedAt: null };
    this.senders.set(key, w);
    this.prune(w, now);
    if (w.passed.some((p) => p.id === eventId)) return 'pass';
    // Told to slow down within the window: quiet until a minute after the notice.
    if (w.noticedAt !== null) return 'drop';
    if (w.passed.length < limit) {
      w.passed.push({ at: now, id: eventId });
      return 'pass';
    }
    w.noticedAt = now;
    return 'notice';
  }

  /** Forgets a notice that could not be queued, so the next event over the limit tries again. */
  forgetNotice(channel: string, sender: string): void {
    const w = this.senders.get(`${channel}\u0000${sender}`);
    if (w) w.noticedAt = null;
  }

  /** Senders tracked now (for tests of the sweep). */
  get size(): number {
    return this.senders.size;
  }

  private prune(w: SenderWindow, now: number): void {
    const from = now - this.windowMs;
    while (w.passed.length > 0 && (w.passed[0] as { at: number }).at <= from) w.passed.shift();
    if (w.noticedAt !== null && w.noticedAt <= from) w.noticedAt = null;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.senders) {
      this.prune(w, now);
      if (w.passed.length === 0 && w.noticedAt === null) this.senders.delete(key);
    }
  }
}

/** The events-per-minute limits by channel, from the config. */
export function floodLimits(config: LinkaConfig['flood']): Record<string, number> {
  return { sms: config.smsPerMinute, telegram: config.telegramPerMinute };
}

export interface FloodGuardDeps {
  dispatch(env: InboundEnvelope, extra?: (tx: Tx) => Promise<void>): Promise<DispatchResult>;
  prisma: PrismaClient;
  clock: () => Date;
  config: Pick<LinkaConfig, 'flood' | 'defaultLanguage' | 'company' | 'sms'>;
  log: Logger;
  metrics?: Metrics;
  /** Called after the notice was queued (wakes the outbox). */
  onQueued?: () => void;
}

const asLang = (value: string | null | undefined): Lang | null => (value === 'cs' || value === 'sk' || value === 'en' ? value : null);

/** The dispatcher with the flood limit in front of it (see the module comment). */
export function guardFlood(deps: FloodGuardDeps): (env: InboundEnvelope, extra?: (tx: Tx) => Promise<void>) => Promise<DispatchResult> {
  const counter = new FloodCounter(floodLimits(deps.config.flood));
  const dropped = (): DispatchResult => ({ duplicate: false, dropped: true, replies: [], ticketNumber: null, state: null });

  /** Queues the notice in the sender's language, with its line in the history, in one transaction. */
  async function notify(env: InboundEnvelope): Promise<void> {
    const now = deps.clock();
    await deps.prisma.$transaction(async (tx) => {
      const conv = await loadConversation(tx, env.conversationId);
      const lang = (conv ? asLang(stateOf(conv).lang) : null) ?? asLang(env.sender?.langHint?.slice(0, 2)) ?? deps.config.defaultLanguage;
      const short = env.channel === 'sms' && deps.config.sms.shortText;
      const text = t(lang, 'common.slowDown', helpdeskParams(lang, deps.config.company.helpdeskPhone || null, short), short);
      const item = await enqueue(tx, { kind: 'reply', channel: env.channel, target: env.conversationId, payload: { reply: { text } }, now });
      if (conv) {
        await addMessage(tx, {
          conversationId: env.conversationId,
          channel: env.channel,
          direction: 'out',
          kind: 'text',
          text,
          status: 'queued',
          outboxId: item.id,
          createdAt: now,
        });
      }
    });
    deps.onQueued?.();
  }

  return async (env, extra) => {
    if (env.event.kind === 'optOut' || env.event.kind === 'optIn') return deps.dispatch(env, extra);
    const verdict = counter.check(env.channel, env.conversationId, env.dedupeId, deps.clock().getTime());
    if (verdict === 'pass') return deps.dispatch(env, extra);
    if (verdict === 'notice') {
      try {
        await notify(env);
      } catch (err) {
        counter.forgetNotice(env.channel, env.conversationId);
        throw err;
      }
      deps.log.info(
        { channel: env.channel, conversation: env.conversationId },
        'flood: sender over the limit; told to slow down, further messages this minute are dropped',
      );
    }
    deps.metrics?.inboundDropped.inc({ channel: env.channel, reason: 'flood' });
    return dropped();
  };
}
