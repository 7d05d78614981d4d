/**
 * Delivery reports from a platform (Twilio's status callbacks): the status is recorded on
 * the outgoing message; a message the network could not deliver is sent once more after a
 * delay, or marked failed, and either way a system line in the history says so. Nothing
 * is lost silently. Reports are de-duplicated by message id + status.
 */
import type { Channel, Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { isRedelivery, messageById, outboxItemById, outgoingByPlatformId, requeue, setMessageStatus } from '../store/deliveries.js';
import { markProcessed } from '../store/inbound.js';
import { addMessage } from '../store/messages.js';
import type { Message, PrismaClient } from '../store/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** A delivery status, in the platform-neutral words the history uses. */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

/** One delivery report, as an adapter translates it. */
export interface DeliveryReport {
  channel: Channel;
  /** The platform that reported, named in the history ("twilio"). */
  platform: string;
  /** The platform's id of the outgoing message (what the port's `send` returned). */
  platformMessageId: string;
  status: DeliveryStatus;
  /** The platform's error code, e.g. Twilio's "30003". */
  errorCode: string | null;
  /** What the error code means, when the adapter knows. */
  errorText: string | null;
  /** True when sending again cannot help (the number does not exist, the recipient unsubscribed). */
  permanent: boolean;
  /** De-duplication id, e.g. "twilio:status:SM123:delivered". */
  dedupeId: string;
}

export interface DeliverySettings {
  prisma: PrismaClient;
  clock: () => Date;
  log: Logger;
  metrics?: Metrics;
  /** Send an undelivered message once more (config sms.redeliverFailed). */
  redeliver: boolean;
  /** How long to wait before sending it again (config sms.redeliveryDelayMinutes). */
  redeliveryDelayMs: number;
  /** The language of the system lines in the history (config teamLanguage; default cs). */
  teamLanguage?: Lang;
  /** Waits between look-ups while the message's id is not saved yet (a report can race the send). */
  lookupDelaysMs?: readonly number[];
}

/** What became of a report. */
export type DeliveryOutcome = 'recorded' | 'redelivering' | 'failed' | 'duplicate' | 'stale' | 'unknown';

const RANK: Record<DeliveryStatus, number> = { queued: 1, sending: 2, sent: 3, delivered: 4, read: 5, undelivered: 9, failed: 9 };
const FAILED = new Set<string>(['undelivered', 'failed']);
const DEFAULT_LOOKUP_DELAYS = [50, 100, 200, 400, 800, 1000, 1000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Finds the message, waiting briefly while the outbox has not saved the platform's id yet. */
async function findMessage(s: DeliverySettings, platformMessageId: string): Promise<Message | null> {
  const delays = s.lookupDelaysMs ?? DEFAULT_LOOKUP_DELAYS;
  for (let i = 0; ; i++) {
    const found = await outgoingByPlatformId(s.prisma, platformMessageId);
    if (found || i >= delays.length) return found;
    await sleep(delays[i] as number);
  }
}

function reason(r: DeliveryReport, lang: Lang): string {
  const code = r.errorCode ? `, ${t(lang, 'team.deliveryErrorCode', { code: r.errorCode })}${r.errorText ? `: ${r.errorText}` : ''}` : '';
  return `(${r.platform}: ${r.status}${code})`;
}

/** "5 min", "90 s". */
function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6000) / 10} min` : `${Math.round(ms / 1000)} s`;
}

/** Records one delivery report; see the module comment. */
export async function recordDelivery(s: DeliverySettings, report: DeliveryReport): Promise<DeliveryOutcome> {
  const found = await findMessage(s, report.platformMessageId);
  if (!found) {
    s.log.warn({ platformMessageId: report.platformMessageId, status: report.status }, 'delivery report for an unknown message');
    return 'unknown';
  }
  const lang = s.teamLanguage ?? 'cs';
  const outcome = await s.prisma.$transaction(
    async (tx): Promise<DeliveryOutcome> => {
      if (!(await markProcessed(tx, report.dedupeId))) return 'duplicate';
      const message = await messageById(tx, found.id);
      if (!message || message.platformMessageId !== report.platformMessageId) return 'stale';
      const current = message.status ?? 'queued';
      // A failure of this send was handled already, or the report is older than what we know.
      if (FAILED.has(current) || RANK[report.status] <= (RANK[current as DeliveryStatus] ?? 0)) return 'stale';
      const now = s.clock();
      if (!FAILED.has(report.status)) {
        await setMessageStatus(tx, message.id, report.status);
        return 'recorded';
      }
      const line = (text: string) =>
        addMessage(tx, {
          conversationId: message.conversationId,
          channel: message.channel,
          direction: 'system',
          kind: 'system',
          text,
          ticketId: message.ticketId,
          createdAt: now,
        });
      const item = message.outboxId === null ? null : await outboxItemById(tx, message.outboxId);
      // One more attempt for a first failure that may pass (phone off, out of coverage).
      if (s.redeliver && !report.permanent && item !== null && !isRedelivery(item)) {
        await requeue(tx, { message, item, status: report.status, now, nextAttemptAt: new Date(now.getTime() + s.redeliveryDelayMs) });
        await line(t(lang, 'team.deliveryRetrying', { reason: reason(report, lang), delay: duration(s.redeliveryDelayMs) }));
        return 'redelivering';
      }
      await setMessageStatus(tx, message.id, 'failed');
      const why = t(lang, report.permanent ? 'team.deliveryWhy.unreachable' : s.redeliver ? 'team.deliveryWhy.secondAttempt' : 'team.deliveryWhy.noRetry');
      await line(t(lang, 'team.deliveryFailed', { reason: reason(report, lang), why }));
      return 'failed';
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
  if ((outcome === 'recorded' && report.status === 'delivered') || outcome === 'redelivering' || outcome === 'failed') {
    s.metrics?.outbound.inc({ channel: report.channel, status: outcome === 'recorded' ? 'delivered' : report.status });
  }
  return outcome;
}
