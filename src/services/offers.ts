/**
 * Paid call-outs: the offer quotes the configured terms in the customer's language (the work
 * rate and its increment, travel time, transport, VAT; src/domain/quote.ts), told first, for a
 * customer outside their plan's days, that their plan ended; it waits for an explicit answer; the
 * consent is written once with those terms and never changed (the database refuses UPDATE and
 * DELETE on it), and the case is billed by them; a visit is booked only on an accepted, not
 * cancelled consent. An offer expires at its `expiresAt` on the server
 * (src/services/offer-expiry.ts), whatever the conversation does meanwhile, and an answer at or
 * after that time is refused.
 */
import { FREE_WORK, isWorkCategory, vatNoteIn, type VatNote, type WorkCategory } from '../domain/billing.js';
import { localDateTime } from '../domain/billing-month.js';
import { outsidePlan, type TierTerm } from '../domain/entitlement.js';
import type { PriceList } from '../domain/prices.js';
import { type PlanNotice, planSentence, quoteTermsOf, quoteText } from '../domain/quote.js';
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { conversationChannel, conversationLang } from '../store/conversations.js';
import { customerById } from '../store/customers.js';
import {
  answerOffer,
  expiredPendingOfferIds,
  expirePendingOffer,
  insertConsent,
  insertOffer,
  latestAcceptedOffer,
  markOfferCancelled,
  offerById,
  offerWithConsent,
  ticketsWithAcceptedOffer,
  waitingOffer,
} from '../store/offers.js';
import { enqueue } from '../store/outbox.js';
import { addTicketEvent, recentTicketIdsOfTopic, ticketNumberById, ticketRowById } from '../store/tickets.js';
import type { CalloutOfferRow, Prisma, Ticket, Tx } from '../store/types.js';
import type { InboundEnvelope } from '../engine/envelope.js';
import { toTeam } from './enqueue-team-posts.js';
import { type MailSettings, queueConsentCopies } from './customer-mail.js';

/** The terms and rules of paid call-outs, from config (billing + callout), and the plans' terms (tiers). */
export interface OfferSettings extends PriceList {
  currency: string;
  vatNote: VatNote;
  /** The company's time zone (the day a plan is checked on) and the tiers (how long plans last). */
  timezone: string;
  tiers: Readonly<Record<string, TierTerm>>;
  offerExpiresHours: number;
  /** callout.autoOffer: a checklist pointing at the customer's side sends the offer itself (absent: only suggested on the card). */
  autoOffer?: boolean;
  repeatCount: number;
  repeatWindowDays: number;
  teamLanguage: Lang;
  defaultLanguage: Lang;
  teamPlatforms: readonly string[];
  /** E-mail (docs/email.md): the written copies of every answer to paid work go out while it is on. */
  mail?: MailSettings;
}

/** Queues an event for the ticket's conversation; the outbox feeds it to the dispatcher. */
export async function tellConversation(
  tx: Tx,
  ticket: Pick<Ticket, 'conversationId'>,
  dedupeId: string,
  event: InboundEnvelope['event'],
  now: Date,
): Promise<boolean> {
  if (!ticket.conversationId) return false;
  const channel = await conversationChannel(tx, ticket.conversationId);
  if (channel === null) return false;
  const envelope: InboundEnvelope = { dedupeId, conversationId: ticket.conversationId, channel: channel as InboundEnvelope['channel'], event };
  await enqueue(tx, { kind: 'dispatch', channel: 'internal', target: ticket.conversationId, payload: { envelope } as unknown as Prisma.InputJsonValue, now });
  return true;
}

/** The language the customer of a ticket reads. */
export async function customerLang(tx: Tx, ticket: Pick<Ticket, 'conversationId'>, fallback: Lang): Promise<Lang> {
  if (!ticket.conversationId) return fallback;
  return (await conversationLang(tx, ticket.conversationId)) ?? fallback;
}

/** The exact terms text quoted to the customer: what a paid call-out (and any paid help) costs. */
export function quoteTerms(s: OfferSettings, lang: Lang): string {
  return quoteText(quoteTermsOf(s, s.currency), s, s.vatNote, lang);
}

/** Whether the ticket's customer is outside their plan's days at `now` (their plan ended, or has not begun). */
export async function ticketPlanNotice(
  tx: Tx,
  s: Pick<OfferSettings, 'timezone' | 'tiers'>,
  ticket: Pick<Ticket, 'customerId'>,
  now: Date,
): Promise<PlanNotice | null> {
  const customer = ticket.customerId ? await customerById(tx, ticket.customerId) : null;
  return customer ? outsidePlan(customer, s.tiers, localDateTime(now, s.timezone).date) : null;
}

/**
 * Makes an offer on the ticket (by a technician, or by Linka when the checklist points at
 * the customer's side). Returns null when an unanswered offer is already waiting. With `work`,
 * it asks the customer to agree to paid work of that kind (a technician reclassified the ticket:
 * docs/billing.md, "Paid work is agreed first"), on the same terms, recorded the same way.
 */
export async function createOffer(
  tx: Tx,
  s: OfferSettings,
  ticket: Ticket,
  by: { id: string; name: string } | null,
  now: Date,
  opts: { work?: WorkCategory } = {},
): Promise<CalloutOfferRow | null> {
  // An earlier offer past its time that the sweep has not reached yet is expired first, so its
  // notice reaches the conversation before the new offer does.
  for (const old of await expiredPendingOfferIds(tx, ticket.id, now)) await expireOffer(tx, s, old, now);
  const waiting = await waitingOffer(tx, ticket.id, now);
  // A paid call-out asked while the customer has not answered the request for paid work takes its
  // place: its consent covers the paid work too (and its terms are the same), so the customer is
  // asked once, about the visit.
  if (waiting && !opts.work && workOf(waiting.terms) && (await expirePendingOffer(tx, waiting.id))) {
    await addTicketEvent(tx, ticket.id, 'callout_superseded', by?.id ?? 'linka', { offerId: waiting.id }, now);
  } else if (waiting) return null;
  const lang = await customerLang(tx, ticket, s.defaultLanguage);
  // A customer whose plan ended is told so first: the call-out is paid because they have no support.
  const outside = await ticketPlanNotice(tx, s, ticket, now);
  const quotedText = [outside ? planSentence(outside, lang) : '', quoteTerms(s, lang)].filter(Boolean).join(' ');
  const terms = {
    ...quoteTermsOf(s, s.currency),
    vatNote: vatNoteIn(s.vatNote, lang),
    lang,
    ...(opts.work ? { work: opts.work } : {}),
    ...(outside ? { plan: { tier: outside.plan.tier, status: outside.status, start: outside.plan.start, end: outside.plan.end } } : {}),
  };
  const expiresAt = new Date(now.getTime() + s.offerExpiresHours * 3_600_000);
  const offer = await insertOffer(tx, { ticketId: ticket.id, terms, quotedText, createdBy: by?.id ?? 'linka', createdAt: now, expiresAt });
  await addTicketEvent(tx, ticket.id, 'callout_offered', by?.id ?? 'linka', { offerId: offer.id, quotedText, ...(opts.work ? { work: opts.work } : {}) }, now);
  const teamTerms = quoteTerms(s, s.teamLanguage);
  const teamLine = opts.work
    ? t(s.teamLanguage, 'team.paidWorkOffered', { terms: teamTerms })
    : by
      ? t(s.teamLanguage, 'team.offerSent', { name: by.name, terms: teamTerms })
      : t(s.teamLanguage, 'team.offerAuto', { terms: teamTerms });
  await toTeam(tx, s.teamPlatforms, ticket, { kind: 'thread', text: teamLine }, now);
  await tellConversation(
    tx,
    ticket,
    `offer:${offer.id}`,
    {
      kind: 'calloutOffered',
      offerId: offer.id,
      number: ticket.number,
      terms: quotedText,
      expiresAt: expiresAt.toISOString(),
      ...(opts.work ? { work: opts.work } : {}),
    },
    now,
  );
  return offer;
}

/** The kind of paid work an offer asked the customer to agree to; null for a paid call-out. */
export function workOf(terms: unknown): WorkCategory | null {
  const work = (terms as { work?: unknown } | null)?.work;
  return typeof work === 'string' && isWorkCategory(work) ? work : null;
}

/** What became of a customer's answer: stored as given, refused because the offer ran out, or the offer was no longer open. */
export type ConsentOutcome = 'accepted' | 'declined' | 'expired' | 'closed';

/**
 * Writes the customer's answer once. A second answer to the same offer changes nothing:
 * the first consent record stands ('closed'). An answer at or after `expiresAt` is not a
 * consent: the offer is expired (the team told once) and 'expired' returned, whether or not
 * the sweep got there first.
 */
export async function recordConsent(
  tx: Tx,
  s: OfferSettings,
  args: {
    offerId: string;
    decision: 'accepted' | 'declined';
    reply: string;
    channel: string;
    conversationId: string;
    platformMessageId: string | null;
    now: Date;
  },
): Promise<{ outcome: ConsentOutcome; number: string | null }> {
  const offer = await offerWithConsent(tx, args.offerId);
  if (!offer) return { outcome: 'closed', number: null };
  const number = await ticketNumberById(tx, offer.ticketId);
  if (offer.consent) return { outcome: 'closed', number };
  if (offer.status === 'pending' && args.now.getTime() >= offer.expiresAt.getTime()) {
    // The customer learns it from the answer to this very message, not from a second notice.
    await expireOffer(tx, s, offer.id, args.now, { tellCustomer: false });
    return { outcome: 'expired', number };
  }
  if (offer.status === 'expired') return { outcome: 'expired', number };
  if (!(await answerOffer(tx, offer.id, args.decision, args.now))) return { outcome: 'closed', number };
  await insertConsent(tx, {
    offerId: offer.id,
    ticketId: offer.ticketId,
    decision: args.decision,
    terms: offer.terms as Prisma.InputJsonValue,
    quotedText: offer.quotedText,
    reply: args.reply,
    channel: args.channel,
    conversationId: args.conversationId,
    platformMessageId: args.platformMessageId,
    createdAt: args.now,
  });
  const ticket = await ticketRowById(tx, offer.ticketId);
  // The written copy for the customer and the company, in this transaction (docs/email.md).
  await queueConsentCopies(tx, s.mail, {
    number: ticket.number,
    decision: args.decision,
    quotedText: offer.quotedText,
    reply: args.reply,
    at: args.now,
    channel: args.channel,
    ticketId: ticket.id,
    customerId: ticket.customerId,
    termsLang: (offer.terms as { lang?: string } | null)?.lang ?? null,
  });
  await addTicketEvent(tx, ticket.id, `consent_${args.decision}`, args.conversationId, { offerId: offer.id, reply: args.reply }, args.now);
  const work = workOf(offer.terms);
  const key =
    args.decision === 'accepted' ? (work ? 'team.paidWorkAccepted' : 'team.consentAccepted') : work ? 'team.paidWorkDeclined' : 'team.consentDeclined';
  const line = t(s.teamLanguage, key, { reply: args.reply });
  await toTeam(tx, s.teamPlatforms, ticket, { kind: 'thread', text: line }, args.now);
  // Paid work logged before the consent is billable from now on: the card stops marking it.
  if (args.decision === 'accepted') await toTeam(tx, s.teamPlatforms, ticket, { kind: 'update' }, args.now);
  return { outcome: args.decision, number: ticket.number };
}

/**
 * Expires a pending offer: one conditional UPDATE, so of the sweep on several processes and
 * a late answer exactly one does it, and the team's thread (and, unless told otherwise, the
 * customer) hears it once. Returns false when the offer was not pending.
 */
export async function expireOffer(tx: Tx, s: OfferSettings, offerId: string, now: Date, opts: { tellCustomer?: boolean } = {}): Promise<boolean> {
  const offer = await offerById(tx, offerId);
  if (!offer) return false;
  if (!(await expirePendingOffer(tx, offerId))) return false;
  const ticket = await ticketRowById(tx, offer.ticketId);
  await addTicketEvent(tx, ticket.id, 'callout_expired', 'linka', { offerId }, now);
  const work = workOf(offer.terms);
  await toTeam(tx, s.teamPlatforms, ticket, { kind: 'thread', text: t(s.teamLanguage, work ? 'team.paidWorkExpired' : 'team.offerExpired') }, now);
  if (opts.tellCustomer ?? true) {
    await tellConversation(tx, ticket, `offer-expired:${offerId}`, { kind: 'offerExpired', offerId, number: ticket.number, ...(work ? { work } : {}) }, now);
  }
  return true;
}

/** Cancels an accepted call-out before the visit; false when there is none or the visit has begun. */
export async function cancelOffer(tx: Tx, s: OfferSettings, offerId: string, actor: string, now: Date): Promise<boolean> {
  const offer = await offerById(tx, offerId);
  if (offer?.status !== 'accepted' || (offer.visitAt && offer.visitAt <= now)) return false;
  await markOfferCancelled(tx, offerId, now);
  const ticket = await ticketRowById(tx, offer.ticketId);
  await addTicketEvent(tx, ticket.id, 'callout_cancelled', actor, { offerId }, now);
  await toTeam(tx, s.teamPlatforms, ticket, { kind: 'thread', text: t(s.teamLanguage, 'team.offerCancelled') }, now);
  return true;
}

/** The accepted, not cancelled offer of a ticket: the only ground for booking a paid visit. */
export async function acceptedOffer(tx: Tx, ticketId: string): Promise<CalloutOfferRow | null> {
  return latestAcceptedOffer(tx, ticketId);
}

/**
 * How many free questions the customer asked on the same topic within the window (before
 * this one): their tickets of the same flow category whose work is free and not the
 * provider's outage (so: basic diagnostics), without an accepted paid call-out. Outages and
 * paid cases are never held against the customer; an outage ticket itself gets no warning.
 */
export async function recentSameTopic(tx: Tx, s: OfferSettings, ticket: Ticket, now: Date): Promise<number> {
  if (!ticket.customerId || s.repeatCount === 0 || ticket.workCategory === 'outage') return 0;
  const since = new Date(now.getTime() - s.repeatWindowDays * 86_400_000);
  const freeQuestions = FREE_WORK.filter((c) => c !== 'outage');
  const candidates = await recentTicketIdsOfTopic(tx, {
    customerId: ticket.customerId,
    category: ticket.category,
    workCategories: freeQuestions,
    since,
    exceptId: ticket.id,
  });
  if (candidates.length === 0) return 0;
  const paidIds = await ticketsWithAcceptedOffer(tx, candidates);
  return candidates.filter((id) => !paidIds.has(id)).length;
}
