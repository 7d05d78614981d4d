/**
 * Delivers outbox items through the channel ports: claims due items with a row lease,
 * sends them in order per conversation, retries with back-off (honouring a platform's
 * retry-after), and marks an item failed after the configured attempts, visibly.
 *
 * Within the platforms' rate limits (rate-limit.ts): a tick claims only what the limiter
 * admits now, and delivers items of different targets at once (one target's items one at a
 * time, oldest first, as claimOutbox hands them out), so a slow platform call does not cap
 * the rate. A 429's retry-after pauses the target or the whole channel.
 */
import type { Lang, Reply } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { t } from '../messages/index.js';
import { conversationChannel } from '../store/conversations.js';
import { addMessage, setDelivery, ticketIdOfOutboxMessage } from '../store/messages.js';
import { isOptedOut } from '../store/opt-outs.js';
import { onSqlite, transaction } from '../store/sql.js';
import {
  claimOutbox,
  dueOutboxCount,
  dueOutboxCountFor,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSuppressed,
  recordDeliveries,
  type ClaimedItem,
} from '../store/outbox.js';
import type { OutboxItem, PrismaClient } from '../store/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { MailPort, Ports, SendContext } from './ports.js';
import { mailThread, ticketConversation } from '../store/mail.js';
import type { MailItemPayload } from '../services/mail-out.js';
import { outboxMessageId } from '../domain/mail.js';
import { PollingWorker } from './polling-worker.js';
import { HELD_BACK, RateLimiter, withPermit, type Permit } from './rate-limit.js';

/** A delivery that ends asks for a round this soon; the deliveries ending meanwhile share it. */
const COMPLETION_ROUND_MS = 10;

export interface OutboxSettings {
  pollMs: number;
  /** Items claimed per round, and the most platform calls under way at once. */
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** The result of carrying out one item: the platform's message id, or "suppressed" (opted out). */
export interface Delivered {
  platformMessageId?: string | null;
  /** Billed SMS segments, when the channel counts them (recorded on the item for the dashboard). */
  segments?: number;
  suppressed?: boolean;
}

/** Carries out the outbox items of one kind ("reply", "team.post", "dispatch"...). */
export type Deliverer = (item: OutboxItem) => Promise<Delivered>;

/** The deliverer of customer replies: through the channel's port, never to an opted-out address. */
export function replyDeliverer(prisma: PrismaClient, ports: Ports): Deliverer {
  return async (item) => {
    const port = ports.get(item.channel);
    if (!port) throw new LinkaError('channel_off', `channel ${item.channel} is not configured`);
    const { reply } = item.payload as unknown as { reply: Reply };
    // The plain-SQL claims read the opt-out with the item; otherwise it is looked up now.
    if (!reply.evenIfOptedOut && ((item as ClaimedItem).targetOptedOut ?? (await isOptedOut(prisma, item.target)))) return { suppressed: true };
    // An e-mail joins its thread: the ticket's (or the conversation's) earlier messages.
    const context: SendContext | undefined =
      item.channel === 'email'
        ? { outboxId: item.id, thread: await mailThread(prisma, { conversationId: item.target, ticketId: await ticketIdOfOutboxMessage(prisma, item.id) }) }
        : undefined;
    return port.send(item.target, reply, context);
  };
}

/**
 * The deliverer of composed e-mails (outbox kind `mail`: a consent's written copy, a statement, a
 * reminder): through the mail port, with the item's own Message-ID, in the ticket's thread when
 * the item names one.
 */
export function mailDeliverer(prisma: PrismaClient, port: MailPort | null): Deliverer {
  return async (item) => {
    if (!port) throw new LinkaError('channel_off', 'e-mail is not configured (SMTP_URL, mail.from)');
    const { mail, ticketId } = item.payload as unknown as MailItemPayload;
    let threaded = mail;
    if (ticketId && !mail.inReplyTo) {
      const thread = await mailThread(prisma, { conversationId: item.target, ticketId });
      threaded = { ...mail, inReplyTo: thread.inReplyTo, references: thread.references };
    }
    return port.sendMail(threaded, outboxMessageId(item.id, item.target, port.domain));
  };
}

export class OutboxWorker extends PollingWorker {
  private readonly limiter: RateLimiter;
  /** Deliveries under way (by item id), and the targets being claimed or delivered: one item of a target at a time. */
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly busyTargets = new Set<string>();
  /** Whether the last round left items behind because of the rate limits. */
  private limited = false;
  /** Ticks claiming right now (the loop's and drain()'s may overlap). */
  private readonly claiming = new Set<Promise<number>>();

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      deliverers: ReadonlyMap<string, Deliverer>;
      clock: () => Date;
      owner: string;
      settings: OutboxSettings;
      log: Logger;
      metrics?: Metrics;
      /** The language of the system lines a failed delivery leaves in the history (config teamLanguage). */
      teamLanguage: Lang;
      /** The platforms' rate limits (default: none); the deliverers' ports should be held back by it (holdBackPort). */
      limiter?: RateLimiter;
    },
  ) {
    super('outbox', deps.settings.pollMs, deps.log);
    this.limiter = deps.limiter ?? new RateLimiter({});
  }

  /** Claims what the rate limits admit now and starts delivering it; returns how many items it started. */
  override async tick(): Promise<number> {
    const claiming = this.claim();
    this.claiming.add(claiming);
    try {
      return await claiming;
    } finally {
      this.claiming.delete(claiming);
    }
  }

  private async claim(): Promise<number> {
    const { prisma, clock, owner, settings } = this.deps;
    // At most batchSize deliveries claimed and not yet recorded: a crash sends at most that many twice.
    const room = settings.batchSize - this.inFlight.size;
    if (room <= 0) return 0;
    const blocked = this.limiter.blocked();
    const permits = new Map<number, { permit: Permit; target: string }>();
    let limited = false;
    let items: OutboxItem[] = [];
    try {
      // On SQLite in a transaction (plain SQL on the connection); on PostgreSQL as root queries:
      // a claim needs no transaction there, and one per poll would hold a pool connection each time.
      const claimWith = (db: Parameters<typeof claimOutbox>[0]) =>
        claimOutbox(db, {
          now: clock(),
          owner,
          leaseMs: settings.leaseMs,
          limit: settings.batchSize,
          skipChannels: blocked.channels,
          skipTargets: [...blocked.targets, ...this.busyTargets],
          admit: (item) => {
            if (permits.size >= room || this.busyTargets.has(item.target)) return false;
            const permit = this.limiter.tryAcquire(item.channel, item.target);
            if (!permit) {
              limited = true;
              return false;
            }
            permits.set(item.id, { permit, target: item.target });
            this.busyTargets.add(item.target);
            return true;
          },
        });
      items = onSqlite(prisma) ? await transaction(prisma, (tx) => claimWith(tx)) : await claimWith(prisma);
    } finally {
      const claimed = new Set(items.map((i) => i.id));
      for (const [id, { permit, target }] of permits) {
        if (claimed.has(id)) continue;
        permit.release(); // another process leased it first
        this.busyTargets.delete(target);
      }
    }
    this.limited = limited;
    for (const item of items) this.launch(item, (permits.get(item.id) as { permit: Permit }).permit);
    return items.length;
  }

  /** After a round the rate limits cut short, the next waits for them too: at once it would find nothing new. */
  protected override busyDelayMs(): number {
    return this.limited ? this.idleDelayMs() : 0;
  }

  /** Sleeps until the rate limits free a slot, or `pollMs`, whichever is sooner. */
  protected override idleDelayMs(): number {
    const wait = this.limiter.waitMs();
    return wait === null ? super.idleDelayMs() : Math.min(wait, super.idleDelayMs());
  }

  /** Delivers until nothing is due, waiting out the rate limits (tests and the shell use it). */
  override async drain(maxRounds = 100_000): Promise<number> {
    await this.settled();
    let total = 0;
    let recheck = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.tick();
      total += n;
      if (n > 0) continue;
      if (this.inFlight.size > 0) {
        await Promise.race(this.inFlight.values());
        continue;
      }
      if (this.claiming.size > 0) {
        await Promise.allSettled(this.claiming); // the loop's tick may be leasing what this one passed over
        continue;
      }
      const wait = this.limiter.waitMs();
      // Nothing claimed, nothing under way: make sure nothing due is left (a commit this process
      // has just seen acknowledged may reach the next connection's snapshot a moment later).
      if (wait === null && recheck < 20 && (await this.dueCount()) > 0) {
        recheck++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (wait === null || !(await this.waitingOnLimits())) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
    }
    await Promise.all(this.inFlight.values());
    return total;
  }

  /** Stops claiming and waits for the deliveries under way. */
  override async stop(): Promise<void> {
    await super.stop();
    await Promise.all(this.inFlight.values());
  }

  /** Sent deliveries waiting to be recorded (see recordSent). */
  private records: Array<{
    id: number;
    platformMessageId: string | null;
    at: Date;
    segments: number | null;
    done: () => void;
    failed: (err: unknown) => void;
  }> = [];
  private recording = false;

  /**
   * Records a sent delivery. Group commit: while one recording transaction runs, the deliveries
   * that end meanwhile wait and are then recorded together in the next (one commit, not one
   * each); each caller waits for its own. Recording must not fail for a passing reason (a busy
   * pool), or the item would be sent again: it is retried.
   */
  private recordSent(id: number, platformMessageId: string | null, at: Date, segments: number | null): Promise<void> {
    return new Promise((done, failed) => {
      this.records.push({ id, platformMessageId, at, segments, done, failed });
      if (!this.recording) void this.flushRecords();
    });
  }

  private async flushRecords(): Promise<void> {
    this.recording = true;
    try {
      while (this.records.length > 0) await this.recordBatch(this.records.splice(0));
    } finally {
      this.recording = false;
    }
  }

  private async recordBatch(batch: OutboxWorker['records']): Promise<void> {
    const { prisma, log } = this.deps;
    try {
      await persistently(
        () => recordDeliveries(prisma, batch),
        (err, attempt) =>
          log.warn(
            { outboxIds: batch.map((r) => r.id), attempt, err: err instanceof Error ? err.message : String(err) },
            'recording deliveries failed, trying again',
          ),
      );
      for (const r of batch) r.done();
    } catch (err) {
      for (const r of batch) r.failed(err);
    }
  }

  /** Items due now that nobody holds. */
  private dueCount(): Promise<number> {
    return dueOutboxCount(this.deps.prisma, this.deps.clock());
  }

  /** Whether due items wait only because of the rate limits. */
  private async waitingOnLimits(): Promise<boolean> {
    const { channels, targets } = this.limiter.blocked();
    if (channels.length === 0 && targets.length === 0) return false;
    const now = this.deps.clock();
    return (await dueOutboxCountFor(this.deps.prisma, now, { channels, targets })) > 0;
  }

  private launch(item: OutboxItem, permit: Permit): void {
    const run = this.deliver(item, permit)
      .catch((err: unknown) =>
        this.deps.log.error({ outboxId: item.id, err: err instanceof Error ? err.message : String(err) }, 'outbox delivery could not be recorded'),
      )
      .finally(() => {
        this.inFlight.delete(item.id);
        this.busyTargets.delete(item.target);
        // The target's next item may be due now: look soon (a few completions share one round),
        // or, if the channel is full, when it has room.
        this.wakeIn(this.limiter.channelOpen(item.channel) ? COMPLETION_ROUND_MS : (this.limiter.waitMs() ?? COMPLETION_ROUND_MS));
      });
    this.inFlight.set(item.id, run);
  }

  private async deliver(item: OutboxItem, permit: Permit): Promise<void> {
    const { prisma, deliverers, clock, settings, log, metrics, teamLanguage } = this.deps;
    try {
      let delivered: Delivered;
      try {
        const deliverer = deliverers.get(item.kind);
        if (!deliverer) throw new LinkaError('unknown_effect', `unknown outbox kind ${item.kind}`, { permanent: true });
        delivered = await withPermit(permit, () => deliverer(item));
      } catch (err) {
        if (err instanceof LinkaError && err.code === HELD_BACK)
          permit.release(); // nothing was sent
        else permit.done(); // the platform may have seen the call
        throw err;
      }
      const { platformMessageId = null, suppressed = false, segments = null } = delivered;
      if (suppressed) {
        permit.release(); // nothing was sent
        await prisma.$transaction(async (tx) => {
          await markOutboxSuppressed(tx, item.id, clock());
          await setDelivery(tx, item.id, 'suppressed');
        });
        metrics?.outbound.inc({ channel: item.channel, status: 'suppressed' });
        return;
      }
      permit.done();
      const now = clock();
      await this.recordSent(item.id, platformMessageId, now, segments);
      metrics?.outbound.inc({ channel: item.channel, status: 'sent' });
    } catch (err) {
      if (err instanceof LinkaError && err.code === HELD_BACK) {
        // A 429 came while this item waited for its turn: it goes when the pause ends, no attempt spent.
        await markOutboxRetry(prisma, item.id, err.message, new Date(clock().getTime() + (err.retryAfterMs ?? 0)), { countAttempt: false });
        return;
      }
      if (err instanceof LinkaError && err.retryAfterMs !== undefined) {
        this.limiter.pause(item.channel, item.target, err.retryAfterMs, err.rateLimitScope);
      }
      const error = err instanceof Error ? err.message : String(err);
      const attempts = item.attempts + 1;
      const permanent = err instanceof LinkaError && err.permanent;
      if (attempts >= settings.maxAttempts || permanent) {
        log.error({ outboxId: item.id, channel: item.channel, attempts, err: error }, 'outbox item failed for good');
        await prisma.$transaction(async (tx) => {
          await markOutboxFailed(tx, item.id, error);
          await setDelivery(tx, item.id, 'failed');
          const text = permanent ? t(teamLanguage, 'team.deliveryImpossible', { error }) : t(teamLanguage, 'team.deliveryFailedAfter', { attempts, error });
          const channel = await conversationChannel(tx, item.target);
          // A composed e-mail about a ticket (a consent's copy...) says so in that ticket's history.
          const mailTicket = item.kind === 'mail' ? ((item.payload as unknown as MailItemPayload).ticketId ?? null) : null;
          const ticketConv = channel === null && mailTicket ? await ticketConversation(tx, mailTicket) : null;
          if (channel !== null) {
            const ticketId = mailTicket ?? (await ticketIdOfOutboxMessage(tx, item.id));
            await addMessage(tx, { conversationId: item.target, channel, direction: 'system', kind: 'system', text, ticketId, createdAt: clock() });
          } else if (ticketConv) {
            await addMessage(tx, { ...ticketConv, direction: 'system', kind: 'system', text, ticketId: mailTicket, createdAt: clock() });
          }
        });
        metrics?.outbound.inc({ channel: item.channel, status: 'failed' });
        return;
      }
      const retryAfter =
        err instanceof LinkaError && err.retryAfterMs !== undefined
          ? err.retryAfterMs
          : Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** item.attempts);
      const paused = err instanceof LinkaError && err.retryAfterMs !== undefined ? err.rateLimitScope : undefined;
      log.warn({ outboxId: item.id, channel: item.channel, attempts, retryInMs: retryAfter, paused, err: error }, 'outbox delivery failed, will retry');
      await markOutboxRetry(prisma, item.id, error, new Date(clock().getTime() + retryAfter));
      metrics?.outbound.inc({ channel: item.channel, status: 'retry' });
    }
  }
}

/** Runs `work`, trying again (up to 5 times, waiting 50 ms, 100 ms, ...) when it throws. */
async function persistently<T>(work: () => Promise<T>, onRetry: (err: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 5) throw err;
      onRetry(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
    }
  }
}
