/**
 * Planned maintenance: schedule, cancel, reschedule, list (from the CLI), and the notices
 * that follow, sent by `sendDue()` (every minute, src/jobs/maintenance-notices.ts):
 * - the team channels hear of each new maintenance once;
 * - at each configured lead time (24 h, 1 h) before the start, every customer in the areas
 *   (matched as for outages) and the team channels are told, each once;
 * - after a reschedule, everyone told before gets a "moved to ..." notice once, and the
 *   lead-time notices are armed again for the new time (a lead time already due when they
 *   are told "moved" is not sent to them as well);
 * - after a cancellation, everyone told gets a cancellation notice once.
 * Each notice is a unique row per maintenance, notice and recipient, written in the same
 * transaction as its outbox items, so two processes never send one twice.
 * Writing (schedule, cancel, reschedule) needs no channels: the CLI writes, the server's job
 * sends. With `delivery` set (the server) the notices due go out at once.
 */
import { areaMatches, OUTAGE_SERVICES } from '../domain/outages.js';
import type { LinkaConfig } from '../config/schema.js';
import { dueLeadTime, leadTimeText, parseLeadTime } from '../domain/maintenance.js';
import { localTime } from '../domain/date-format.js';
import type { Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { isMessageKey, t } from '../messages/index.js';
import { customerContacts } from '../store/customers.js';
import {
  insertMaintenance,
  maintenanceById,
  maintenanceNoticeRecipients,
  maintenanceNoticesSent,
  maintenancesByStart,
  maintenancesNotOver,
  maintenanceToldCounts,
  markMaintenanceCancelled,
  moveMaintenance,
  recordMaintenanceChannelNoticeOnce,
  recordMaintenanceNotices,
  type MaintenanceRow,
} from '../store/maintenance.js';
import { enqueue } from '../store/outbox.js';
import type { PrismaClient, Tx } from '../store/types.js';
import { asLang, noticeText, queueNotice, recipientOf, type Recipient } from './notice-recipients.js';
import { optedOutConversations } from '../store/opt-outs.js';
import { toTeamChannel } from './enqueue-team-posts.js';

export type { MaintenanceRow } from '../store/maintenance.js';

export interface MaintenanceInput {
  areas: string[];
  /** Default: internet. */
  services?: string[];
  startsAt: Date;
  endsAt: Date;
  /** A custom text per language, shown instead of the template (the time is added to it). */
  texts?: Partial<Record<Lang, string>> | null;
  actor: string;
}

/** What sending needs: the channels that are on. */
export interface MaintenanceDelivery {
  teamPlatforms: readonly string[];
  customerChannels: readonly string[];
  /** A Telegram channel or group that gets every customer notice too (config outages.telegramChannel). */
  telegramChannel?: string | null;
  /** Use the `@sms` wording on SMS (config sms.shortText). */
  shortSms: boolean;
  onQueued?: () => void;
}

export interface MaintenanceDeps {
  prisma: PrismaClient;
  clock: () => Date;
  timezone: string;
  teamLanguage: Lang;
  /** The lead times in minutes (config maintenance.leadTimes). */
  leadTimes: readonly number[];
  /** Set where notices can be sent (the server); without it notices wait for the server's job. */
  delivery?: MaintenanceDelivery;
}

/** The lead times of config maintenance.leadTimes, in minutes. */
export function leadTimesOf(config: LinkaConfig): number[] {
  return config.maintenance.leadTimes.map((x) => parseLeadTime(x)).filter((x): x is number => x !== null);
}
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function createMaintenance(deps: MaintenanceDeps) {
  const { prisma, clock, timezone, teamLanguage } = deps;
  const when = (at: Date, lang: Lang) => localTime(at, timezone, lang);
  const servicesText = (m: MaintenanceRow, lang: Lang) =>
    asList(m.services)
      .map((s) => (isMessageKey(`maintenance.service.${s}`) ? t(lang, `maintenance.service.${s}`) : s))
      .join(', ');

  /** A customer notice in the recipient's language ("notice", "moved", "cancelled"). */
  function customerText(m: MaintenanceRow, kind: 'notice' | 'moved' | 'cancelled', to: Recipient, shortSms: boolean): string {
    const params = { start: when(m.startsAt, to.lang), end: when(m.endsAt, to.lang), services: servicesText(m, to.lang) };
    const custom = (m.texts as Partial<Record<Lang, string>> | null)?.[to.lang];
    if (kind === 'notice' && custom) return `${custom}\n${t(to.lang, 'maintenance.when', params)}`;
    return noticeText(to, `maintenance.${kind}`, params, shortSms);
  }

  /**
   * Customers in the maintenance's areas, one per conversation; not those whose address opted
   * out (STOP): they are not sent the notice, so they are not counted among those told.
   */
  async function affected(tx: Tx, m: MaintenanceRow, channels: readonly string[]): Promise<Recipient[]> {
    const areas = asList(m.areas);
    const customers = await customerContacts(tx, { phonesInOrder: true });
    const skip = await optedOutConversations(tx); // then also those already listed
    const out: Recipient[] = [];
    for (const c of customers) {
      if (!areaMatches(areas, c)) continue;
      const r = recipientOf(c, channels);
      if (r && !skip.has(r.conversationId)) {
        skip.add(r.conversationId);
        out.push(r);
      }
    }
    return out;
  }

  /** Customers told anything so far (in revisions before `beforeRevision`, when given). */
  async function told(tx: Tx, m: MaintenanceRow, beforeRevision?: number): Promise<Recipient[]> {
    const rows = await maintenanceNoticesSent(tx, m.id, beforeRevision);
    return [...new Map(rows.map((r) => [r.recipient, { conversationId: r.recipient, lang: asLang(r.lang) }])).values()];
  }

  /** Queues one notice to everyone in `to` who has not had it; returns how many were queued. */
  async function send(
    tx: Tx,
    m: MaintenanceRow,
    notice: string,
    kind: 'notice' | 'moved' | 'cancelled',
    to: Recipient[],
    d: MaintenanceDelivery,
    now: Date,
  ): Promise<Recipient[]> {
    const already = await maintenanceNoticeRecipients(tx, m.id, notice);
    const fresh = to.filter((r) => !already.has(r.conversationId));
    if (fresh.length === 0) return [];
    await recordMaintenanceNotices(tx, m, notice, fresh, now);
    for (const r of fresh) await queueNotice(tx, r, customerText(m, kind, r, d.shortSms), now);
    return fresh;
  }

  /** Posts to the team channels (and the Telegram channel for customer notices) once per notice. */
  async function announce(
    tx: Tx,
    m: MaintenanceRow,
    notice: string,
    text: string,
    d: MaintenanceDelivery,
    now: Date,
    customerKind?: 'notice' | 'moved' | 'cancelled',
  ): Promise<void> {
    if (!(await recordMaintenanceChannelNoticeOnce(tx, m, notice, teamLanguage, now))) return;
    await toTeamChannel(tx, d.teamPlatforms, text, now, { status: true });
    if (customerKind && d.telegramChannel) {
      const to = { conversationId: `telegram:${d.telegramChannel}`, lang: teamLanguage };
      await enqueue(tx, {
        kind: 'reply',
        channel: 'telegram',
        target: to.conversationId,
        payload: { reply: { text: customerText(m, customerKind, to, false) } },
        now,
      });
    }
  }

  /** Sends whatever is due for one maintenance at `now`; returns how many customer notices were queued. */
  async function sendPending(tx: Tx, m: MaintenanceRow, d: MaintenanceDelivery, now: Date): Promise<number> {
    const lang = teamLanguage;
    const team = {
      id: m.id,
      start: when(m.startsAt, lang),
      end: when(m.endsAt, lang),
      areas: asList(m.areas).join(', '),
      services: asList(m.services).join(', '),
    };
    if (m.status === 'cancelled') {
      const sent = await send(tx, m, 'cancelled', 'cancelled', await told(tx, m), d, now);
      await announce(tx, m, 'cancelled', t(lang, 'team.maintenanceCancelled', { ...team, count: sent.length }), d, now, 'cancelled');
      return sent.length;
    }
    let count = 0;
    await announce(tx, m, 'scheduled', t(lang, 'team.maintenanceScheduled', { ...team, leads: deps.leadTimes.map(leadTimeText).join(', ') }), d, now);
    const lead = dueLeadTime(m.startsAt, now, deps.leadTimes);
    if (m.revision > 0) {
      const moved = await send(tx, m, `moved:${m.revision}`, 'moved', await told(tx, m, m.revision), d, now);
      // Just told the new time: a lead-time notice already due would say it again.
      if (lead !== null && moved.length) {
        const notice = `lead:${m.revision}:${lead}`;
        const has = await maintenanceNoticeRecipients(tx, m.id, notice);
        const covered = moved.filter((r) => !has.has(r.conversationId));
        await recordMaintenanceNotices(tx, m, notice, covered, now, { sent: false });
      }
      await announce(tx, m, `moved:${m.revision}`, t(lang, 'team.maintenanceMoved', { ...team, count: moved.length }), d, now, 'moved');
      count += moved.length;
    }
    if (lead !== null) {
      const notice = `lead:${m.revision}:${lead}`;
      const sent = await send(tx, m, notice, 'notice', await affected(tx, m, d.customerChannels), d, now);
      const left = leadTimeText(Math.max(1, Math.round((m.startsAt.getTime() - now.getTime()) / 60_000)));
      await announce(tx, m, notice, t(lang, 'team.maintenanceNotice', { ...team, left, count: sent.length }), d, now, 'notice');
      count += sent.length;
    }
    return count;
  }

  async function find(tx: Tx | PrismaClient, id: number | string): Promise<MaintenanceRow> {
    const n = typeof id === 'number' ? id : Number(String(id).replace(/^#/, ''));
    const m = Number.isSafeInteger(n) ? await maintenanceById(tx, n) : null;
    if (!m) throw new LinkaError('maintenance_not_found', `no maintenance ${id}`);
    return m;
  }

  function checkTimes(startsAt: Date, endsAt: Date, now: Date, isNew: boolean): void {
    if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()))
      throw new LinkaError('maintenance_invalid', 'the start and the end must be dates and times');
    if (endsAt.getTime() <= startsAt.getTime()) throw new LinkaError('maintenance_invalid', 'the end must be later than the start');
    if (isNew && startsAt.getTime() <= now.getTime()) throw new LinkaError('maintenance_invalid', 'the start must be in the future');
    if (endsAt.getTime() <= now.getTime()) throw new LinkaError('maintenance_invalid', 'the end must be in the future');
  }

  /** Writes, then (with delivery) sends what became due, in one transaction. */
  async function commit<T extends MaintenanceRow>(work: (tx: Tx, now: Date) => Promise<T>): Promise<T> {
    const { delivery } = deps;
    const row = await prisma.$transaction(
      async (tx) => {
        const now = clock();
        const m = await work(tx, now);
        if (delivery) await sendPending(tx, m, delivery, now);
        return m;
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
    if (delivery) delivery.onQueued?.();
    return row;
  }

  return {
    /** Schedules a maintenance; the team hears of it, customers at the lead times. */
    async schedule(input: MaintenanceInput): Promise<MaintenanceRow> {
      const areas = input.areas.map((a) => a.trim()).filter(Boolean);
      if (areas.length === 0) throw new LinkaError('maintenance_invalid', 'a maintenance needs at least one area');
      const services = input.services?.length ? input.services : ['internet'];
      const unknown = services.filter((s) => !(OUTAGE_SERVICES as readonly string[]).includes(s));
      if (unknown.length) throw new LinkaError('maintenance_invalid', `unknown service(s) ${unknown.join(', ')}; expected ${OUTAGE_SERVICES.join(', ')}`);
      return commit(async (tx, now) => {
        checkTimes(input.startsAt, input.endsAt, now, true);
        const texts = Object.fromEntries(
          Object.entries(input.texts ?? {})
            .filter(([, v]) => v?.trim())
            .map(([k, v]) => [k, (v as string).trim()]),
        );
        return insertMaintenance(tx, {
          areas,
          services,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          createdBy: input.actor,
          createdAt: now,
          texts: Object.keys(texts).length ? texts : undefined,
        });
      });
    },

    /** Cancels; everyone already told gets the cancellation notice. */
    cancel(id: number | string, _actor: string): Promise<MaintenanceRow> {
      return commit(async (tx, now) => {
        const m = await find(tx, id);
        if (m.status === 'cancelled') throw new LinkaError('maintenance_cancelled', `maintenance ${m.id} is already cancelled`);
        if (m.endsAt.getTime() <= now.getTime()) throw new LinkaError('maintenance_over', `maintenance ${m.id} is over`);
        return markMaintenanceCancelled(tx, m.id, now);
      });
    },

    /** Moves to a new time: everyone told gets "moved to ...", the lead-time notices are armed again. */
    reschedule(id: number | string, times: { startsAt: Date; endsAt: Date }, _actor: string): Promise<MaintenanceRow> {
      return commit(async (tx, now) => {
        const m = await find(tx, id);
        if (m.status === 'cancelled') throw new LinkaError('maintenance_cancelled', `maintenance ${m.id} is cancelled`);
        checkTimes(times.startsAt, times.endsAt, now, false);
        if (m.endsAt.getTime() <= now.getTime()) throw new LinkaError('maintenance_over', `maintenance ${m.id} is over`);
        if (m.startsAt.getTime() === times.startsAt.getTime() && m.endsAt.getTime() === times.endsAt.getTime()) return m;
        return moveMaintenance(tx, m.id, times, m.revision + 1);
      });
    },

    /** One maintenance by its number ("3" or "#3"). */
    get(id: number | string): Promise<MaintenanceRow> {
      return find(prisma, id);
    },

    /** Maintenances not yet over (with `all`: every one), by start; with the number of customers told. */
    async list(opts: { all?: boolean } = {}): Promise<Array<MaintenanceRow & { told: number }>> {
      const rows = await maintenancesByStart(prisma, opts.all ? {} : { scheduledAfter: clock() });
      const told = await maintenanceToldCounts(
        prisma,
        rows.map((r) => r.id),
      );
      return rows.map((r) => ({ ...r, told: told.get(r.id) ?? 0 }));
    },

    /** One round of the job: every maintenance not yet over gets what is due. Returns the customer notices queued. */
    async sendDue(delivery: MaintenanceDelivery): Promise<number> {
      const open = await maintenancesNotOver(prisma, clock());
      let count = 0;
      for (const m of open) {
        count += await prisma.$transaction(
          async (tx) => {
            const fresh = await maintenanceById(tx, m.id);
            return fresh ? sendPending(tx, fresh, delivery, clock()) : 0;
          },
          { timeout: 120_000, maxWait: 10_000 },
        );
      }
      if (open.length) delivery.onQueued?.();
      return count;
    },
  };
}

export type Maintenances = ReturnType<typeof createMaintenance>;
