/**
 * The technicians' actions on tickets (claim, release, resolve, note, time, reply), the
 * same for Slack and Discord. Each runs in one transaction: the state change, the audit
 * event, the card updates and the customer's notice (through the outbox) together.
 * A claim is one conditional UPDATE, so of many simultaneous clicks exactly one wins.
 */
import { isFreeWork, type WorkCategory } from '../domain/billing.js';
import { parseTimeNote } from '../domain/time-note.js';
import { pricesOfQuote, rateLabel } from '../domain/quote.js';
import { claimRefusal, firstReaction, releaseRefusal, resolvedRefusal, timeEntryOf } from '../domain/ticket-actions.js';
import { byUrgency } from '../domain/sla.js';
import { localTime } from '../domain/date-format.js';
import { ticketDetail } from '../domain/ticket-detail.js';
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { bookOfferVisit, hasAcceptedConsent } from '../store/offers.js';
import { insertTimeEntry } from '../store/time-entries.js';
import {
  addTicketEvent,
  claimTicket,
  releaseTicket,
  resolveTicket,
  setFirstReaction,
  setTicketEmergency,
  setTicketWorkCategory,
  ticketHolderName,
  ticketRowByNumber,
  ticketsOpenOrClaimed,
  ticketWithHistory,
} from '../store/tickets.js';
import type { PrismaClient, Ticket, Tx } from '../store/types.js';
import { acceptedOffer, createOffer, customerLang, tellConversation, type OfferSettings } from './offers.js';
import { toTeam } from './enqueue-team-posts.js';

/** Who acts: "slack:U123" / "discord:456" and a display name. */
export interface Technician {
  id: string;
  name: string;
  /** The platform the action came from. */
  platform: string;
  /**
   * True when that platform already shows the technician's own words to the team (a Slack
   * thread message); a slash command's private answer does not, so its thread gets a copy.
   */
  echoed?: boolean;
}

export type QueueResult = { ok: true; message: string; ticket: Ticket } | { ok: false; message: string };

export interface QueueDeps {
  prisma: PrismaClient;
  offers: OfferSettings;
  timezone: string;
  clock: () => Date;
  teamPlatforms: readonly string[];
  teamLanguage: Lang;
  onQueued?: () => void;
}

export function createQueue(deps: QueueDeps) {
  const { prisma, clock, teamPlatforms, teamLanguage } = deps;
  const say = (key: string, params: Record<string, string | number> = {}) => t(teamLanguage, key, params);
  const others = (tech: Technician) => (tech.echoed ? teamPlatforms.filter((p) => p !== tech.platform) : teamPlatforms);

  async function run(number: string, body: (tx: Tx, ticket: Ticket, now: Date) => Promise<QueueResult>): Promise<QueueResult> {
    const result = await prisma.$transaction(async (tx) => {
      const ticket = await ticketRowByNumber(tx, number);
      if (!ticket) return { ok: false, message: say('team.notFound', { number }) } as const;
      return body(tx, ticket, clock());
    });
    if (result.ok) deps.onQueued?.();
    return result;
  }

  return {
    claim(number: string, tech: Technician): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        const refused = claimRefusal(ticket);
        if (refused) return { ok: false, message: say(refused, { number, name: ticket.claimedByName ?? '?' }) };
        // The condition again, in the update: of simultaneous claims exactly one changes the row.
        if (!(await claimTicket(tx, number, tech, now, firstReaction(ticket, now)))) {
          return { ok: false, message: say('team.alreadyClaimed', { number, name: (await ticketHolderName(tx, number)) ?? '?' }) };
        }
        const event = await addTicketEvent(tx, ticket.id, 'claimed', tech.id, { name: tech.name }, now);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'update' }, now);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: say('team.claimedEvent', { name: tech.name }) }, now);
        await tellConversation(tx, ticket, `ticket-event:${event.id}`, { kind: 'ticketClaimed', number, technician: tech.name }, now);
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    release(number: string, tech: Technician): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        const refused = releaseRefusal(ticket, tech.id);
        if (refused) return { ok: false, message: say(refused, { number, name: ticket.claimedByName ?? '?' }) };
        if (!(await releaseTicket(tx, number, tech.id))) return { ok: false, message: say('team.notYours', { number, name: ticket.claimedByName ?? '?' }) };
        await addTicketEvent(tx, ticket.id, 'released', tech.id, { name: tech.name }, now);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'update' }, now);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: say('team.releasedEvent', { name: tech.name }) }, now);
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    /**
     * Resolves the ticket. Without an earlier claim or reply the resolution is the technician's
     * first reaction (the SLA watch then decides `slaMet` from it: met by the deadline).
     */
    resolve(number: string, tech: Technician, note?: string): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        const refused = resolvedRefusal(ticket);
        if (refused) return { ok: false, message: say(refused, { number }) };
        if (!(await resolveTicket(tx, number, { by: tech.id, note: note ?? null, now, firstReactionAt: firstReaction(ticket, now) })))
          return { ok: false, message: say('team.alreadyResolved', { number }) };
        const event = await addTicketEvent(tx, ticket.id, 'resolved', tech.id, { name: tech.name, note: note ?? null }, now);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'update' }, now);
        const line = note ? say('team.resolvedWithNote', { name: tech.name, note }) : say('team.resolvedEvent', { name: tech.name });
        await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: line }, now);
        await tellConversation(
          tx,
          ticket,
          `ticket-event:${event.id}`,
          { kind: 'ticketResolved', number, technician: tech.name, ...(note ? { note } : {}) },
          now,
        );
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    /** An internal note: stays in the ticket's trail and the team's threads, never reaches the customer. */
    note(number: string, tech: Technician, text: string): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        await addTicketEvent(tx, ticket.id, 'note', tech.id, { name: tech.name, text }, now);
        await toTeam(tx, others(tech), ticket, { kind: 'thread', text: say('team.noteEvent', { name: tech.name, text }) }, now);
        return { ok: true, message: say('team.noteSaved', { number }), ticket };
      });
    },

    /**
     * Logs time on the ticket. The text may start with the day of the work ("2026-11-30" or
     * "@2026-11-30"; default: today) and prefixes, combined in any order: "travel:" / "cesta:"
     * is travel time (billed apart, at the travel rate, never from included hours), "cesta
     * 35km:" with the kilometres driven; "free:" / "zdarma:" is not billable, "billable:" /
     * "placene:" / "paid:" is; a rate ("konzultant:", "sazba senior:", or `rate`, as `linka time
     * --rate` gives it) bills the work at that rate instead of the default one. Without a billing
     * prefix the ticket's work category decides: free work (outage, diagnostics) is not billable,
     * paid work is. On a ticket whose paid call-out the customer accepted, billable work is
     * billed as quoted, so work at a rate the quote did not name is refused.
     */
    logTime(number: string, tech: Technician, minutes: number, activity: string, rate?: string): Promise<QueueResult> {
      const prices = deps.offers;
      const note = parseTimeNote(activity, Object.keys(prices.rates));
      if (rate !== undefined) note.rate ??= rate;
      return run(number, async (tx, ticket, now) => {
        const entry = timeEntryOf(ticket, minutes, note, now, deps.timezone, prices);
        if (!entry.ok) return { ok: false, message: say(entry.reason, { usage: `/linka time ${number} ${minutes}m text`, ...entry.params }) };
        const { billable, travel, workedAt, activity: text } = entry;
        if (billable && !travel) {
          const quoted = pricesOfQuote((await acceptedOffer(tx, ticket.id))?.terms);
          const at = entry.rate ?? prices.defaultRate;
          if (quoted && !quoted.rates[at]) {
            const label = (name: string) => rateLabel({ name, label: prices.rates[name]?.label }, teamLanguage);
            return { ok: false, message: say('team.rateNotQuoted', { number, quoted: label(quoted.defaultRate), rate: label(at) }) };
          }
        }
        await insertTimeEntry(tx, {
          ticketId: ticket.id,
          technician: tech.id,
          technicianName: tech.name,
          minutes,
          activity: text,
          billable,
          travel,
          rate: entry.rate ?? null,
          km: entry.km ?? null,
          workedAt,
          // Billed by the kind of work (no "placene:"/"zdarma:"): paid work waits for the customer's consent.
          workCategory: note.billable === null ? ticket.workCategory : null,
          createdAt: now,
        });
        await addTicketEvent(
          tx,
          ticket.id,
          'time',
          tech.id,
          { name: tech.name, minutes, activity: text, billable, travel, workDate: entry.workDate, rate: entry.rate ?? null, km: entry.km ?? null },
          now,
        );
        await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: say('team.timeEvent', { name: tech.name, minutes, text: activity }) }, now);
        // Paid work the customer has not agreed to: marked on the card, not billed until they agree.
        if (billable && note.billable === null && !(await hasAcceptedConsent(tx, ticket.id))) {
          await toTeam(tx, teamPlatforms, ticket, { kind: 'update' }, now);
          return { ok: true, message: say('team.timeLoggedUnagreed', { number, minutes }), ticket };
        }
        return { ok: true, message: say('team.timeLogged', { number, minutes }), ticket };
      });
    },

    /**
     * Sets the ticket's kind of work (free: outage, diagnostics; paid: configuration,
     * customer_fault, training, advanced_diagnostics). Time logged from then on is billable by
     * default exactly when the work is paid; entries already logged keep what they were. Paid
     * work is agreed before it is billed (docs/billing.md, "Paid work is agreed first"): on an
     * open ticket whose customer has not agreed yet, the customer is sent the terms and asked.
     */
    setCategory(number: string, tech: Technician, category: WorkCategory): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        const label = say(`team.workCategory.${category}`);
        if (ticket.workCategory === category) return { ok: true, message: say('team.categorySet', { number, category: label }), ticket };
        const updated = await setTicketWorkCategory(tx, ticket.id, category);
        await addTicketEvent(tx, ticket.id, 'category', tech.id, { name: tech.name, from: ticket.workCategory, to: category }, now);
        await toTeam(tx, teamPlatforms, updated, { kind: 'update' }, now);
        await toTeam(tx, teamPlatforms, updated, { kind: 'thread', text: say('team.categoryEvent', { name: tech.name, category: label }) }, now);
        if (isFreeWork(category) || resolvedRefusal(ticket) || (await hasAcceptedConsent(tx, ticket.id))) {
          return { ok: true, message: say('team.categorySet', { number, category: label }), ticket: updated };
        }
        const asked = await createOffer(tx, deps.offers, updated, tech, now, { work: category });
        return { ok: true, message: say(asked ? 'team.categorySetConsent' : 'team.categorySetPending', { number, category: label }), ticket: updated };
      });
    },

    /** A technician's message to the customer, signed with their name, on the customer's own channel. */
    reply(number: string, tech: Technician, text: string): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        if (!ticket.firstReactionAt) await setFirstReaction(tx, ticket.id, firstReaction(ticket, now));
        const event = await addTicketEvent(tx, ticket.id, 'technician_message', tech.id, { name: tech.name, text }, now);
        if (!(await tellConversation(tx, ticket, `ticket-event:${event.id}`, { kind: 'technicianMessage', number, technician: tech.name, text }, now))) {
          return { ok: false, message: say('team.relayFailed') };
        }
        await toTeam(tx, others(tech), ticket, { kind: 'thread', text: `${tech.name}: ${text}` }, now);
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    /** Offers the customer a paid call-out: the configured terms, quoted; they must answer yes or no. */
    offerCallout(number: string, tech: Technician): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        const refused = resolvedRefusal(ticket);
        if (refused) return { ok: false, message: say(refused, { number }) };
        const offer = await createOffer(tx, deps.offers, ticket, tech, now);
        if (!offer) return { ok: false, message: say('team.offerPending', { number }) };
        // The card's "offer a paid call-out?" suggestion is answered.
        if (ticket.likelyCustomerSide) await toTeam(tx, teamPlatforms, ticket, { kind: 'update' }, now);
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    /**
     * Books the paid visit; refused without the customer's accepted consent. With `free`, a
     * visit for a fault on the provider's side (docs/billing.md, "A free technician visit"): no
     * consent needed, the customer is told it is free, and it is refused while the ticket's kind
     * of work is paid, so nothing logged on it is billed by default.
     */
    bookVisit(number: string, tech: Technician, at: Date, opts: { free?: boolean } = {}): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        if (opts.free) {
          const refused = resolvedRefusal(ticket);
          if (refused) return { ok: false, message: say(refused, { number }) };
          if (!isFreeWork(ticket.workCategory)) {
            return { ok: false, message: say('team.freeVisitPaidWork', { number, category: say(`team.workCategory.${ticket.workCategory}`) }) };
          }
          const event = await addTicketEvent(tx, ticket.id, 'visit_booked', tech.id, { free: true, at: at.toISOString() }, now);
          const when = localTime(at, deps.timezone, teamLanguage);
          await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: say('team.freeVisitBooked', { name: tech.name, time: when }) }, now);
          const lang = await customerLang(tx, ticket, deps.offers.defaultLanguage);
          await tellConversation(
            tx,
            ticket,
            `ticket-event:${event.id}`,
            { kind: 'visitBooked', number, time: localTime(at, deps.timezone, lang), free: true },
            now,
          );
          return { ok: true, message: say('team.done', { number }), ticket };
        }
        const offer = await acceptedOffer(tx, ticket.id);
        if (!offer) return { ok: false, message: say('team.noConsent', { number }) };
        await bookOfferVisit(tx, offer.id, at);
        const event = await addTicketEvent(tx, ticket.id, 'visit_booked', tech.id, { offerId: offer.id, at: at.toISOString() }, now);
        const when = localTime(at, deps.timezone, teamLanguage);
        await toTeam(tx, teamPlatforms, ticket, { kind: 'thread', text: say('team.visitBooked', { name: tech.name, time: when }) }, now);
        const lang = (offer.terms as { lang?: Lang }).lang ?? teamLanguage;
        await tellConversation(tx, ticket, `ticket-event:${event.id}`, { kind: 'visitBooked', number, time: localTime(at, deps.timezone, lang) }, now);
        return { ok: true, message: say('team.done', { number }), ticket };
      });
    },

    /**
     * Marks the ticket an emergency (`on`) or takes the mark away: an emergency comes first in the
     * queue and the digest, and its card says so (docs/domain.md, "Emergencies first").
     */
    setEmergency(number: string, tech: Technician, on: boolean): Promise<QueueResult> {
      return run(number, async (tx, ticket, now) => {
        if (ticket.emergency === on) return { ok: true, message: say('team.done', { number }), ticket };
        const updated = await setTicketEmergency(tx, ticket.id, on);
        await addTicketEvent(tx, ticket.id, 'emergency', tech.id, { name: tech.name, on }, now);
        await toTeam(tx, teamPlatforms, updated, { kind: 'update' }, now);
        await toTeam(tx, teamPlatforms, updated, { kind: 'thread', text: say(on ? 'team.emergencySet' : 'team.emergencyCleared', { name: tech.name }) }, now);
        return { ok: true, message: say('team.done', { number }), ticket: updated };
      });
    },

    /**
     * The ticket and its whole history as text for the technician who asked (an answer only they
     * see), within `maxChars`; changes nothing.
     */
    async show(number: string, opts: { maxChars: number; escape?: (text: string) => string }): Promise<QueueResult> {
      const ticket = await ticketWithHistory(prisma, number);
      if (!ticket) return { ok: false, message: say('team.notFound', { number }) };
      const c = ticket.customer;
      const message = ticketDetail(
        { ...ticket, customer: c ? { name: c.name, contractNumber: c.contractNumber, area: c.area, phone: c.phones[0]?.e164 ?? null } : null },
        { timeZone: deps.timezone, lang: teamLanguage, now: clock(), ...opts },
      );
      return { ok: true, message, ticket };
    },

    /** Open and claimed tickets, most urgent first: emergencies, then a tier's deadline before none, then by deadline. */
    async open(): Promise<Array<Ticket & { customer: { name: string } | null }>> {
      const rows = await ticketsOpenOrClaimed(prisma);
      return rows.sort(byUrgency);
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
