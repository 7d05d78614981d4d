/**
 * Outages: declare, update, resolve (from Slack, the CLI, the API or Alertmanager), and
 * the notices that follow, to the team channels and to every affected customer on their
 * own channel, in their language. Each recipient gets each notice at most once (a unique
 * row per outage, notice and recipient, written with the outbox items in one transaction).
 */
import { areaMatches, OUTAGE_STATUSES, type OutageStatus } from '../domain/outages.js';
import { localTime } from '../domain/date-format.js';
import { smsSegments, toGsm7 } from '../domain/sms.js';
import type { Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { t } from '../messages/index.js';
import { conversationLangs } from '../store/conversations.js';
import { customerContacts } from '../store/customers.js';
import { optedOutConversations } from '../store/opt-outs.js';
import {
  activeOutages,
  insertOutage,
  outageAttachedConversations,
  outageByIdOrKey,
  outageByKey,
  outageNoticeRecipients,
  outageStartRecipients,
  recordOutageNoticeOnce,
  recordOutageNotices,
  releaseResolvedOutageKey,
  TEAM_CHANNELS,
  updateOutage,
} from '../store/outages.js';
import { enqueue } from '../store/outbox.js';
import type { DbClient, Prisma, PrismaClient, Tx } from '../store/types.js';
import { toTeamChannel } from './enqueue-team-posts.js';

export type OutageRow = Prisma.OutageGetPayload<object>;

export interface OutageInput {
  /** An external key (Alertmanager fingerprint): declaring it again updates the same outage. */
  key?: string | null;
  title?: string | null;
  areas: string[];
  services: string[];
  status?: OutageStatus;
  estimatedEndAt?: Date | null;
  texts?: Partial<Record<Lang, string>> | null;
  source: string;
  actor: string;
}

/** Who a new outage would tell, before it is declared (the console's preview). */
export interface OutagePreview {
  /** How many customers would be told... */
  customers: number;
  /** ...on each channel ("telegram", "sms"). */
  byChannel: Record<string, number>;
  /** The billed SMS segments of those SMS notices, as the SMS channel sends them. */
  smsSegments: number;
}

export type OutagePatch = Partial<Pick<OutageInput, 'title' | 'areas' | 'services' | 'status' | 'estimatedEndAt' | 'texts'>>;

export interface OutageDeps {
  prisma: PrismaClient;
  clock: () => Date;
  timezone: string;
  teamLanguage: Lang;
  teamPlatforms: readonly string[];
  /** Customer channels that are on: a customer is told on Telegram when known there, else by SMS. */
  customerChannels: readonly string[];
  /** A Telegram channel or group that gets every notice too. */
  telegramChannel?: string | null;
  /** Use the short `@sms` wording on SMS (config sms.shortText): every segment is billed. */
  shortSms?: boolean;
  /** SMS text is sent in GSM-7 (config sms.transliterate, default on): for the preview's segment count. */
  transliterate?: boolean;
  onQueued?: () => void;
}

export interface OutageResult {
  outage: OutageRow;
  /** False when nothing changed (a repeated notification). */
  changed: boolean;
  /** How many customer notices this change queued... */
  notified: number;
  /** ...and how many of them on each channel ("telegram", "sms"). */
  byChannel: Record<string, number>;
}

const channelOfConversation = (id: string) => id.slice(0, id.indexOf(':'));

/** The result of a change that queued `sent` (conversation ids). */
function resultOf(outage: OutageRow, changed: boolean, sent: readonly string[]): OutageResult {
  const byChannel: Record<string, number> = {};
  for (const id of sent) byChannel[channelOfConversation(id)] = (byChannel[channelOfConversation(id)] ?? 0) + 1;
  return { outage, changed, notified: sent.length, byChannel };
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The text of a notice for one language; `short`: the `@sms` wording where there is one (config sms.shortText). */
export function noticeText(o: OutageRow, kind: 'start' | 'update' | 'resolved', lang: Lang, timeZone: string, short = false): string {
  const custom = (o.texts as Partial<Record<Lang, string>> | null)?.[lang];
  const title = o.title || t(lang, 'outage.defaultTitle', { areas: asList(o.areas).join(', ') });
  if (kind === 'resolved') return t(lang, 'outage.resolved', { title }, short);
  const eta = o.estimatedEndAt ? t(lang, 'outage.eta', { time: localTime(o.estimatedEndAt, timeZone, lang) }) : '';
  const status = t(lang, `outage.status.${o.status}`);
  if (kind === 'update') return [custom, t(lang, 'outage.update', { title, status, eta })].filter(Boolean).join('\n\n');
  return custom ? `${custom}${eta}` : t(lang, 'outage.notice', { title, status, eta }, short);
}

export function createOutages(deps: OutageDeps) {
  const { prisma, clock, timezone, teamLanguage } = deps;

  /** The customers an outage concerns, with the conversation to reach each on (not the opted-out ones). */
  async function recipients(db: DbClient, o: OutageRow): Promise<Array<{ conversationId: string; lang: Lang }>> {
    const areas = asList(o.areas);
    const customers = await customerContacts(db);
    const optedOut = await optedOutConversations(db);
    const out: Array<{ conversationId: string; lang: Lang }> = [];
    for (const c of customers) {
      if (!areaMatches(areas, c)) continue;
      const lang = (['cs', 'sk', 'en'].includes(c.language) ? c.language : 'cs') as Lang;
      let to: string | null = null;
      if (c.telegramId && deps.customerChannels.includes('telegram')) to = `telegram:${c.telegramId}`;
      else if (c.phones[0] && deps.customerChannels.includes('sms')) to = `sms:${c.phones[0].e164}`;
      if (to && !optedOut.has(to)) out.push({ conversationId: to, lang });
    }
    return out;
  }

  /** Queues one notice to everyone in `to` who has not had it yet; returns the conversations it was queued for. */
  async function send(
    tx: Tx,
    o: OutageRow,
    notice: string,
    kind: 'start' | 'update' | 'resolved',
    to: Array<{ conversationId: string; lang: Lang }>,
    now: Date,
  ): Promise<string[]> {
    const already = await outageNoticeRecipients(tx, o.id, notice);
    const fresh = to.filter((r) => {
      if (already.has(r.conversationId)) return false;
      already.add(r.conversationId);
      return true;
    });
    if (fresh.length === 0) return [];
    await recordOutageNotices(
      tx,
      o.id,
      notice,
      fresh.map((r) => r.conversationId),
      now,
    );
    const texts = new Map<string, string>();
    for (const r of fresh) {
      const channel = r.conversationId.slice(0, r.conversationId.indexOf(':'));
      const short = channel === 'sms' && deps.shortSms === true;
      const key = `${r.lang}:${short}`;
      if (!texts.has(key)) texts.set(key, noticeText(o, kind, r.lang, timezone, short));
      await enqueue(tx, { kind: 'reply', channel, target: r.conversationId, payload: { reply: { text: texts.get(key) as string } }, now });
    }
    return fresh.map((r) => r.conversationId);
  }

  /** The notice to the team channels and the Telegram channel, once per notice. */
  async function announce(tx: Tx, o: OutageRow, notice: string, kind: 'start' | 'update' | 'resolved', count: number, now: Date): Promise<void> {
    if (!(await recordOutageNoticeOnce(tx, o.id, notice, TEAM_CHANNELS, now))) return;
    const title = o.title || t(teamLanguage, 'outage.defaultTitle', { areas: asList(o.areas).join(', ') });
    const status = t(teamLanguage, `outage.status.${o.status}`);
    const eta = o.estimatedEndAt ? t(teamLanguage, 'outage.eta', { time: localTime(o.estimatedEndAt, timezone, teamLanguage) }) : '';
    const text =
      kind === 'start'
        ? t(teamLanguage, 'team.outageStarted', { title, areas: asList(o.areas).join(', '), services: asList(o.services).join(', '), status, count })
        : kind === 'update'
          ? t(teamLanguage, 'team.outageUpdated', { title, status, eta, count })
          : t(teamLanguage, 'team.outageResolved', { title, count });
    await toTeamChannel(tx, deps.teamPlatforms, text, now, { status: true });
    if (deps.telegramChannel) {
      await enqueue(tx, {
        kind: 'reply',
        channel: 'telegram',
        target: `telegram:${deps.telegramChannel}`,
        payload: { reply: { text: noticeText(o, kind, teamLanguage, timezone) } },
        now,
      });
    }
  }

  /** Everyone told at the start, plus everyone who wrote during the outage. */
  async function audience(tx: Tx, o: OutageRow): Promise<Array<{ conversationId: string; lang: Lang }>> {
    const told = await outageStartRecipients(tx, o.id);
    const attached = await outageAttachedConversations(tx, o.id);
    const ids = [...new Set([...told, ...attached])];
    const langOf = await conversationLangs(tx, ids);
    const byRecipient = new Map((await recipients(tx, o)).map((r) => [r.conversationId, r.lang]));
    return ids.map((id) => ({ conversationId: id, lang: langOf.get(id) ?? byRecipient.get(id) ?? 'cs' }));
  }

  async function find(tx: Tx, idOrKey: string): Promise<OutageRow> {
    const o = await outageByIdOrKey(tx, idOrKey);
    if (!o) throw new LinkaError('outage_not_found', `no outage ${idOrKey}`);
    return o;
  }

  function validate(input: { areas?: string[]; status?: string }): void {
    if (input.areas && input.areas.filter((a) => a.trim()).length === 0) throw new LinkaError('outage_invalid', 'an outage needs at least one area');
    if (input.status && !(OUTAGE_STATUSES as readonly string[]).includes(input.status)) {
      throw new LinkaError('outage_invalid', `status must be one of ${OUTAGE_STATUSES.join(', ')}`);
    }
  }

  async function commit<T>(work: (tx: Tx, now: Date) => Promise<T>): Promise<T> {
    const result = await prisma.$transaction((tx) => work(tx, clock()), { timeout: 120_000, maxWait: 10_000 });
    deps.onQueued?.();
    return result;
  }

  return {
    /**
     * Who `input` would tell if it were declared now, and the SMS segments that would cost:
     * the same customers, channels and texts as `declare`, nothing written.
     */
    async preview(input: Pick<OutageInput, 'title' | 'areas' | 'services' | 'estimatedEndAt' | 'texts'>): Promise<OutagePreview> {
      validate(input);
      const now = clock();
      const draft = {
        id: 'preview',
        key: null,
        title: input.title?.trim() || '',
        areas: input.areas,
        services: input.services.length ? input.services : ['internet'],
        status: 'investigating',
        texts: input.texts ?? null,
        source: 'preview',
        createdBy: 'preview',
        startedAt: now,
        estimatedEndAt: input.estimatedEndAt ?? null,
        resolvedAt: null,
        revision: 0,
        createdAt: now,
        updatedAt: now,
      } as OutageRow;
      const to = await recipients(prisma, draft);
      const byChannel: Record<string, number> = {};
      let segments = 0;
      for (const r of to) {
        const channel = channelOfConversation(r.conversationId);
        byChannel[channel] = (byChannel[channel] ?? 0) + 1;
        if (channel === 'sms') {
          const text = noticeText(draft, 'start', r.lang, timezone, deps.shortSms === true);
          segments += smsSegments(deps.transliterate === false ? text : toGsm7(text)).segments;
        }
      }
      return { customers: to.length, byChannel, smsSegments: segments };
    },

    /** Declares an outage and notifies; with a known key it updates the existing one instead. */
    async declare(input: OutageInput): Promise<OutageResult> {
      validate(input);
      if (input.key) {
        const existing = await outageByKey(prisma, input.key);
        if (existing && existing.status !== 'resolved') return this.update(existing.id, input);
      }
      return commit(async (tx, now) => {
        // The same alert firing again after it was resolved is a new outage: the old one gives up the (unique) key.
        if (input.key) await releaseResolvedOutageKey(tx, input.key);
        const outage = await insertOutage(tx, {
          key: input.key ?? null,
          title: input.title?.trim() || '',
          areas: input.areas,
          services: input.services.length ? input.services : ['internet'],
          status: input.status ?? 'investigating',
          texts: (input.texts ?? undefined) as Prisma.InputJsonValue | undefined,
          source: input.source,
          createdBy: input.actor,
          startedAt: now,
          estimatedEndAt: input.estimatedEndAt ?? null,
          createdAt: now,
        });
        const sent = await send(tx, outage, 'start', 'start', await recipients(tx, outage), now);
        await announce(tx, outage, 'start', 'start', sent.length, now);
        return resultOf(outage, true, sent);
      });
    },

    /** Changes status, estimate, areas or texts; a real change is announced once to the same people. */
    async update(idOrKey: string, patch: OutagePatch): Promise<OutageResult> {
      validate(patch);
      if (patch.status === 'resolved') return this.resolve(idOrKey, 'update');
      return commit(async (tx, now) => {
        const before = await find(tx, idOrKey);
        if (before.status === 'resolved') throw new LinkaError('outage_resolved', `outage ${before.id} is already resolved`);
        const data = {
          ...(patch.title !== undefined && patch.title !== null && patch.title.trim() !== before.title ? { title: patch.title.trim() } : {}),
          ...(patch.status && patch.status !== before.status ? { status: patch.status } : {}),
          ...(patch.estimatedEndAt !== undefined && (patch.estimatedEndAt?.getTime() ?? null) !== (before.estimatedEndAt?.getTime() ?? null)
            ? { estimatedEndAt: patch.estimatedEndAt }
            : {}),
          ...(patch.areas && JSON.stringify(patch.areas) !== JSON.stringify(before.areas) ? { areas: patch.areas } : {}),
          ...(patch.services?.length && JSON.stringify(patch.services) !== JSON.stringify(before.services) ? { services: patch.services } : {}),
          ...(patch.texts && JSON.stringify(patch.texts) !== JSON.stringify(before.texts) ? { texts: patch.texts as Prisma.InputJsonValue } : {}),
        };
        if (Object.keys(data).length === 0) return resultOf(before, false, []);
        const outage = await updateOutage(tx, before.id, { ...data, revision: before.revision + 1 });
        // Newly covered areas get the start notice; everyone already told gets the update.
        const sent = await send(tx, outage, 'start', 'start', await recipients(tx, outage), now);
        sent.push(...(await send(tx, outage, `update:${outage.revision}`, 'update', await audience(tx, outage), now)));
        await announce(tx, outage, `update:${outage.revision}`, 'update', sent.length, now);
        return resultOf(outage, true, sent);
      });
    },

    /** Resolves the outage; everyone told or attached gets the resolution notice, once. */
    async resolve(idOrKey: string, _actor: string): Promise<OutageResult> {
      return commit(async (tx, now) => {
        const before = await find(tx, idOrKey);
        if (before.status === 'resolved') return resultOf(before, false, []);
        const outage = await updateOutage(tx, before.id, { status: 'resolved', resolvedAt: now, revision: before.revision + 1 });
        const sent = await send(tx, outage, 'resolved', 'resolved', await audience(tx, outage), now);
        await announce(tx, outage, 'resolved', 'resolved', sent.length, now);
        return resultOf(outage, true, sent);
      });
    },

    /** Outages not yet resolved, newest first. */
    active(): Promise<OutageRow[]> {
      return activeOutages(prisma);
    },
  };
}

export type Outages = ReturnType<typeof createOutages>;

/** Of the active outages (newest first), the one that concerns a customer (area or access point), if any. */
export function outageAmong(active: readonly OutageRow[], customer: { area: string | null; accessPoint: string | null }): OutageRow | null {
  return active.find((o) => areaMatches(asList(o.areas), customer)) ?? null;
}

/** An outage as the API and `linka outage list --json` show it. */
export function outageView(o: OutageRow) {
  return {
    id: o.id,
    key: o.key,
    title: o.title,
    areas: o.areas,
    services: o.services,
    status: o.status,
    estimatedEnd: o.estimatedEndAt?.toISOString() ?? null,
    texts: o.texts ?? null,
    startedAt: o.startedAt.toISOString(),
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    source: o.source,
    createdBy: o.createdBy,
    revision: o.revision,
  };
}
