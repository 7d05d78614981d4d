/**
 * A ticket as the technicians see it in a team channel: the same content for Slack
 * and Discord, which only lay it out. Pure: the clock and the time zone come in.
 */
import type { Lang } from '../shared/lang.js';
import { isMessageKey, t } from '../messages/index.js';
import { localTime } from './date-format.js';
import { maskPhone } from './phone.js';
import { isEmergency } from './sla.js';

/** What the card is built from (a ticket row with its customer). */
export interface CardInput {
  number: string;
  category: string;
  status: string;
  summary: string;
  tier: string;
  deadline: Date | null;
  /** By when the ticket must be resolved; shown only when the tier promises it. */
  resolutionDeadline?: Date | null;
  verified: boolean;
  likelyCustomerSide: boolean;
  /** The kind of work for billing (outage, diagnostics... see src/domain/billing.ts); shown when known. */
  workCategory?: string;
  /** Marked an emergency by a technician; with the kind of work `outage`, the card says it comes first. */
  emergency?: boolean;
  claimedByName: string | null;
  /** The customer's side is only suggested: no paid call-out was offered (callout.autoOffer off): "offer paid call-out?". */
  suggestOffer?: boolean;
  /** Minutes of paid work logged without the customer's consent: not billed until they agree. */
  unagreedMinutes?: number;
  resolvedAt: Date | null;
  satisfaction: number | null;
  customer: { name: string; contractNumber: string; area: string | null; phone: string | null } | null;
}

/** A button on the card; its id goes back to Linka with the ticket number. */
export type CardAction = 'claim' | 'release' | 'resolve' | 'offer';

export interface TicketCard {
  number: string;
  status: 'open' | 'claimed' | 'resolved';
  /** "T-2026-00042 · Nefunguje internet" */
  title: string;
  /** One-line state: "Čeká na technika", "Převzal Petr", "Vyřešeno". */
  state: string;
  fields: Array<{ label: string; value: string }>;
  /** The checklist answers and the details the customer gave. */
  summary: string;
  actions: Array<{ action: CardAction; label: string; style: 'primary' | 'danger' | 'default' }>;
}

/** The mark of an emergency on the card and in the queue's and the digest's lines. */
export const EMERGENCY_MARK = '🚨';

/** The resolution deadline in a line of the queue or the digest: "vyřešení do 25. 11. 2026 17:00 (zbývá 55 h 0 min)". */
export function resolutionLine(deadline: Date, now: Date, timeZone: string, lang: Lang): string {
  return t(lang, 'team.queueResolution', { time: `${localTime(deadline, timeZone, lang)} (${timeLeft(deadline, now, lang)})` });
}

/** "2 h 15 min left" / "45 min overdue". */
export function timeLeft(deadline: Date, now: Date, lang: Lang): string {
  const minutes = Math.round((deadline.getTime() - now.getTime()) / 60_000);
  const abs = Math.abs(minutes);
  const span = abs >= 60 ? `${Math.floor(abs / 60)} h ${abs % 60} min` : `${abs} min`;
  return t(lang, minutes >= 0 ? 'team.left' : 'team.overdue', { span });
}

export function ticketCard(input: CardInput, opts: { timeZone: string; lang: Lang; now: Date }): TicketCard {
  const { lang, timeZone } = opts;
  const status = input.status === 'resolved' || input.status === 'closed' ? 'resolved' : input.status === 'claimed' ? 'claimed' : 'open';
  const c = input.customer;
  const emergency = isEmergency(input) && status !== 'resolved';
  const fields: TicketCard['fields'] = [];
  // First on the card, as the ticket is first in the queue: the provider's own system is down.
  if (emergency) fields.push({ label: EMERGENCY_MARK, value: t(lang, 'team.emergency') });
  fields.push({ label: t(lang, 'team.customer'), value: c ? c.name : t(lang, 'team.unknownCustomer') });
  if (c) {
    fields.push({ label: t(lang, 'team.contract'), value: c.contractNumber });
    fields.push({ label: t(lang, 'team.area'), value: c.area ?? '—' });
    if (c.phone) fields.push({ label: t(lang, 'team.phone'), value: maskPhone(c.phone) });
  }
  fields.push({ label: t(lang, 'team.tier'), value: input.tier });
  fields.push({
    label: t(lang, 'team.deadline'),
    // The absolute time only: a card is redrawn when the ticket changes, not every minute, so a
    // "time left" on it would go stale (the digest and `/linka queue` show the live time left).
    value: input.deadline ? localTime(input.deadline, timeZone, lang) : t(lang, 'team.noDeadline'),
  });
  if (input.resolutionDeadline) fields.push({ label: t(lang, 'team.resolutionDeadline'), value: localTime(input.resolutionDeadline, timeZone, lang) });
  if (!input.verified) fields.push({ label: '⚠️', value: t(lang, 'team.unverified') });
  if (input.workCategory) {
    const key = `team.workCategory.${input.workCategory}`;
    fields.push({ label: t(lang, 'team.workCategory'), value: isMessageKey(key) ? t(lang, key) : input.workCategory });
  }
  if (input.likelyCustomerSide) fields.push({ label: '💶', value: t(lang, input.suggestOffer ? 'team.customerSideSuggest' : 'team.customerSide') });
  if (input.unagreedMinutes) fields.push({ label: '⏳', value: t(lang, 'team.unagreedTime', { minutes: input.unagreedMinutes }) });
  if (input.satisfaction !== null) fields.push({ label: t(lang, 'team.satisfaction'), value: `${input.satisfaction}/5` });

  const state =
    status === 'resolved'
      ? t(lang, 'team.state.resolved')
      : status === 'claimed'
        ? t(lang, 'team.state.claimed', { name: input.claimedByName ?? '?' })
        : t(lang, 'team.state.open');
  const actions: TicketCard['actions'] = [];
  if (status === 'open') actions.push({ action: 'claim', label: t(lang, 'team.action.claim'), style: 'primary' });
  if (status === 'claimed') actions.push({ action: 'release', label: t(lang, 'team.action.release'), style: 'default' });
  if (status !== 'resolved') {
    actions.push({ action: 'resolve', label: t(lang, 'team.action.resolve'), style: 'default' });
    actions.push({ action: 'offer', label: t(lang, 'team.action.offer'), style: 'danger' });
  }
  return {
    number: input.number,
    status,
    title: `${emergency ? `${EMERGENCY_MARK} ` : ''}${input.number} · ${t(lang, `problem.${input.category}`)}`,
    state,
    fields,
    summary: input.summary,
    actions,
  };
}
