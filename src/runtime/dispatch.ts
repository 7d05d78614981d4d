/**
 * The dispatcher: in ONE database transaction it skips an already-processed inbound
 * id, loads the conversation, steps the engine, carries out the internal effects
 * (look-ups, tickets, timers), saves the state and the history, and appends the
 * replies to the outbox. A crash anywhere loses nothing and duplicates nothing.
 */
import { describeInbound } from '../engine/describe.js';
import { initialState, isCommandText, step } from '../engine/step.js';
import { choicesOf, stepOf } from '../engine/turn.js';
import type { Channel, ChannelCapabilities, ConversationState, CoreEvent, Effect, Reply, StepContext } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { createConversation, stateOf, saveConversationAndQueue } from '../store/conversations.js';
import { customerByContract, customerByPhone, linkTelegramId, setCustomerLanguage, toView } from '../store/customers.js';
import { openInbound } from '../store/inbound.js';
import { askedEarlierQuestion, attachSessionToTicket, insertMessage, type NewMessage } from '../store/messages.js';
import { setOptOut } from '../store/opt-outs.js';
import { attachConversationToOutage, recordOutageNoticeOnce } from '../store/outages.js';
import { t } from '../messages/index.js';
import { initialWorkCategory } from '../domain/billing.js';
import { localDateTime } from '../domain/billing-month.js';
import { dayAndTime, localTime } from '../domain/date-format.js';
import { parseTicketNumber } from '../domain/team-commands.js';
import { outsidePlan, WITHOUT_SUPPORT_TIER } from '../domain/entitlement.js';
import { planNoticeText, planTeamLine } from '../domain/quote.js';
import { afterFailure, isRepeatedTopic, reactionPromise } from '../domain/ticket-actions.js';
import { addTicketEvent, createTicket, nextTicketNumber, openTicketOf, ownTicketWithLastReply, rateTicket } from '../store/tickets.js';
import { cancelOffer, createOffer, quoteTerms, recentSameTopic, recordConsent, type OfferSettings } from '../services/offers.js';
import { hoursThisMonth, type HoursSettings } from '../services/hours.js';
import { reportPayment, restrictionOf, type RestrictionSettings } from '../services/payments.js';
import { noticeText, outageAmong } from '../services/outages.js';
import { toTeam } from '../services/enqueue-team-posts.js';
import { queueTicketConfirmation } from '../services/customer-mail.js';
import { cancelTimers, createTimer } from '../store/timers.js';
import type { PrismaClient, Ticket, Tx } from '../store/types.js';
import { ownMailTicket } from '../store/mail.js';
import { isUniqueViolation } from '../store/types.js';
import { transaction } from '../store/sql.js';
import type { InboundEnvelope } from '../engine/envelope.js';
import type { FlowVersions } from './flow-versions.js';

/**
 * What each customer channel can do, given to the engine as `StepContext.capabilities`: the
 * engine never asks which channel it is on. A new channel adds its line here.
 */
export const CHANNEL_CAPABILITIES: Readonly<Record<Channel, ChannelCapabilities>> = {
  telegram: { contactShare: true, billedPerSegment: false, menu: true },
  sms: { contactShare: false, billedPerSegment: true, menu: true },
  console: { contactShare: false, billedPerSegment: false, menu: true },
  email: { contactShare: false, billedPerSegment: false, menu: false },
};

export type { InboundEnvelope } from '../engine/envelope.js';

export interface DispatchDeps {
  prisma: PrismaClient;
  /** Everything step() needs except the customer and the channel's capabilities. */
  engine: Omit<StepContext, 'customer' | 'capabilities' | 'langHint'>;
  ticketPrefix: string;
  /** The company's time zone (ticket numbers follow its calendar year). */
  timezone: string;
  clock: () => Date;
  /** Called after a commit that queued outbox items. */
  onQueued?: () => void;
  /** Called after a commit that opened a ticket (linka_tickets_opened_total), by timers too. */
  onTicketOpened?: (category: string) => void;
  /** The team platforms that get a card for each new ticket (slack, discord). */
  teamPlatforms: readonly string[];
  /** Paid call-out terms and the repeated-questions rule. */
  offers: OfferSettings;
  /** What the customer's "how many hours" question needs: time zone, the price list, the tiers (included hours, how long plans last). */
  hours: HoursSettings;
  /** A ticket's reaction deadline from its customer's tier. */
  deadlineFor(tier: string, openedAt: Date): Date | null;
  /** When the technicians next answer a ticket of `tier` opened at `at`; null: now (inside their hours, or the tier's clock runs). */
  techniciansFrom?(tier: string, at: Date): Date | null;
  /** The kept flow versions: a conversation goes on with the version of its flow it began with. */
  flowVersions?: FlowVersions;
  /** A ticket's resolution deadline from its customer's tier; null when the tier promises none. */
  resolutionDeadlineFor(tier: string, openedAt: Date): Date | null;
  /** How a customer restricted for non-payment is told to pay and when the service is back (config payments; default: the invoice's variable symbol, "once credited"). */
  restriction?: RestrictionSettings;
}

export interface DispatchResult {
  duplicate: boolean;
  /** True when the event was acknowledged but not acted on (the sender is over the flood limit: runtime/flood.ts). */
  dropped?: boolean;
  /** True when the commit queued outbox items. */
  queued?: boolean;
  /**
   * For a button press: whether it answered the question the conversation stood at. False for a
   * button of an older question (the engine re-asks instead), so the adapter must not show it as chosen.
   */
  accepted?: boolean;
  replies: Reply[];
  ticketNumber: string | null;
  state: ConversationState | null;
  /** The category of the ticket this event opened, if it opened one (linka_tickets_opened_total). */
  openedCategory?: string;
}

class Duplicate extends Error {}

const MAX_FEEDBACK = 8;
const NO_RESTRICTION_SETTINGS: RestrictionSettings = { variableSymbol: 'invoice', restoreWithinHours: null };
const MAX_CONFLICT_RETRIES = 5;

/**
 * Processes one inbound event. `extra` runs inside the same transaction (the timer
 * worker marks its timer fired there, so a timer fires exactly once).
 */
export async function dispatch(deps: DispatchDeps, env: InboundEnvelope, extra?: (tx: Tx) => Promise<void>): Promise<DispatchResult> {
  await deps.flowVersions?.keep();
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await transaction(deps.prisma, (tx) => run(deps, env, tx, extra), { timeout: 15_000, maxWait: 10_000 });
      if (result.queued) deps.onQueued?.();
      if (result.openedCategory) deps.onTicketOpened?.(result.openedCategory);
      return result;
    } catch (err) {
      const outcome = afterFailure(
        {
          duplicateInbound: err instanceof Duplicate,
          uniqueViolation: isUniqueViolation(err),
          conversationConflict: err instanceof LinkaError && err.code === 'conversation_conflict',
        },
        attempt,
        MAX_CONFLICT_RETRIES,
      );
      if (outcome === 'duplicate') return { duplicate: true, replies: [], ticketNumber: null, state: null };
      if (outcome === 'throw') throw err;
    }
  }
}

async function run(deps: DispatchDeps, env: InboundEnvelope, tx: Tx, extra?: (tx: Tx) => Promise<void>): Promise<DispatchResult> {
  const now = deps.clock();
  // The inbound id marked processed, the conversation, its customer and the active outages: one
  // statement on PostgreSQL (store/inbound.ts).
  const opened = await openInbound(tx, {
    dedupeId: env.dedupeId,
    conversationId: env.conversationId,
    telegramId: env.sender?.telegramId,
    phone: env.sender?.phone,
    email: env.sender?.email,
  });
  if (!opened.fresh) throw new Duplicate();
  const existing = opened.conversation;
  let state: ConversationState | null = existing ? stateOf(existing) : null;
  let customer = opened.customer;
  const chosenLang = env.sender?.lang;
  if (chosenLang && state) state = { ...state, lang: chosenLang, langChosen: true };
  let ticket = await openTicketOf(tx, env.conversationId, state?.ticketNumber ?? null);
  let openedCategory: string | undefined;
  const mail = await mailTicket(tx, env, state, customer?.id ?? null);
  if (mail) ticket = mail.ticket;

  let queued = false;
  // A button on an earlier message than the latest question is stale, even when the question
  // asked now has a button with the same id ("Hotovo" on the unplug step and on the restart step).
  const received: CoreEvent =
    env.event.kind === 'choice' && env.buttonMessageId && (await askedEarlierQuestion(tx, env.conversationId, env.buttonMessageId))
      ? { ...env.event, stale: true }
      : (mail?.event ?? env.event);
  // The flows as this conversation knows them: its flow's version it began with, if that changed since.
  const engine = deps.flowVersions ? await deps.flowVersions.engineFor(tx, deps.engine, state) : deps.engine;
  const accepted = received.kind !== 'choice' || (!received.stale && offersChoice(engine, state, env.channel, received.choiceId));
  const inbound = describeInbound(state, received, engine.flows);
  // Commands ("pomoc", "menu", "jazyk"...) are words to Linka, not to the technician: they and
  // their answers stay out of an open ticket's history and the technicians' thread.
  const forTicket = !(env.event.kind === 'text' && isCommandText(env.event.text, deps.ticketPrefix));
  const inboundMessage: NewMessage | null = inbound
    ? {
        conversationId: env.conversationId,
        channel: env.channel,
        direction: 'in',
        kind: inbound.kind,
        text: inbound.text,
        platformMessageId: env.platformMessageId,
        ticketId: forTicket ? ticket?.id : undefined,
        // The first message since the last session ended opens a new one (conversations started, on the dashboard).
        opensSession: !existing?.sessionOpened,
        createdAt: now,
      }
    : null;
  // A new conversation's row is created first, with the message that opened it: the history and timers refer to it.
  const conv =
    existing ??
    (await createConversation(
      tx,
      {
        id: env.conversationId,
        channel: env.channel,
        customerId: customer?.id ?? null,
        now,
        state: initialState({ ...deps.engine, customer: customer ? toView(customer) : null, langHint: env.sender?.langHint }),
      },
      inboundMessage,
    ));
  if (existing && inboundMessage) await insertMessage(tx, inboundMessage);
  let sessionStart = conv.sessionStartedAt;
  let newSession = false;
  if (inbound && ticket && forTicket) {
    await addTicketEvent(tx, ticket.id, 'customer_message', env.conversationId, { text: inbound.text }, now);
    if (ticket.status !== 'resolved') {
      await toTeam(
        tx,
        deps.teamPlatforms,
        ticket,
        { kind: 'thread', text: t(deps.engine.settings.teamLanguage, 'team.customerSays', { text: inbound.text }) },
        now,
      );
      queued = true;
    }
  }

  const replies: Reply[] = [];
  const queue: CoreEvent[] = [received];
  /** The known outage in the customer's area, as of the event being stepped. */
  let outage: ReturnType<typeof outageAmong> = null;
  for (let i = 0; queue.length > 0; i++) {
    if (i >= MAX_FEEDBACK) throw new LinkaError('engine_loop', `too many feedback events for ${env.conversationId}`);
    const event = queue.shift() as CoreEvent;
    outage = customer ? outageAmong(opened.outages, customer) : null;
    const lang = state?.langChosen ? state.lang : (chosenLang ?? (customer ? toView(customer).language : (state?.lang ?? 'cs')));
    const view = customer ? toView(customer) : null;
    const ctx: StepContext = {
      ...engine,
      capabilities: CHANNEL_CAPABILITIES[env.channel],
      langHint: chosenLang ?? env.sender?.langHint,
      // A new conversation in a language chosen outside the chat: its first step speaks it.
      customer: view && chosenLang && !state ? { ...view, language: chosenLang } : view,
      outage: outage ? { id: outage.id, notice: noticeText(outage, 'start', lang, deps.timezone), services: (outage.services as string[]) ?? [] } : null,
      // Restricted for non-payment (docs/payments.md): told instead of the checklists.
      restriction: customer ? await restrictionOf(tx, customer, lang, deps.restriction ?? NO_RESTRICTION_SETTINGS) : null,
    };
    const result = step(state, event, now, ctx);
    state = chosenLang && !result.state.langChosen ? { ...result.state, lang: chosenLang, langChosen: true } : result.state;
    for (const effect of result.effects) {
      const feedback = await apply(effect);
      if (feedback) queue.push(feedback);
    }
  }

  async function apply(effect: Effect): Promise<CoreEvent | null> {
    switch (effect.type) {
      case 'reply':
        replies.push(effect.reply);
        return null;
      case 'startTimer':
        await createTimer(tx, { conversationId: env.conversationId, name: effect.name, token: effect.token, dueAt: new Date(effect.dueAt), now });
        return null;
      case 'cancelTimers':
        await cancelTimers(tx, env.conversationId, now);
        return null;
      case 'lookupCustomer': {
        const found = effect.phone ? await customerByPhone(tx, effect.phone) : await customerByContract(tx, effect.contractNumber ?? '');
        if (found) {
          customer = found;
          if (env.sender?.telegramId && found.telegramId !== env.sender.telegramId) {
            await linkTelegramId(tx, found.id, env.sender.telegramId); // false: another customer record holds this Telegram id; it keeps it
          }
        }
        return { kind: 'lookupResult', customer: found ? toView(found) : null };
      }
      case 'openTicket': {
        const number = await nextTicketNumber(tx, deps.ticketPrefix, yearIn(now, deps.timezone));
        // A customer whose plan ended (or has not begun) is served without support (docs/domain.md,
        // "Support entitlements with dates"), and told so with the terms before any paid work.
        const outside = customer ? outsidePlan(customer, deps.hours.tiers, localDateTime(now, deps.timezone).date) : null;
        const tier = outside ? WITHOUT_SUPPORT_TIER : (customer?.tier ?? 'none');
        const deadline = deps.deadlineFor(tier, now);
        const resolutionDeadline = deps.resolutionDeadlineFor(tier, now);
        // Opened while a known outage covers the customer's area: the provider's outage (free work).
        // The helpdesk judges the customer's side (docs/billing.md, "Who judges the fault"): the
        // checklist's hint offers the paid call-out at once only with callout.autoOffer; otherwise
        // it is a suggestion on the card, and the work stays free until a technician decides.
        const autoOffered = effect.ticket.likelyCustomerSide && deps.offers.autoOffer === true;
        const workCategory = initialWorkCategory(
          { likelyCustomerSide: effect.ticket.likelyCustomerSide, outageInArea: outage !== null },
          deps.offers.autoOffer === true,
        );
        ticket = await createTicket(tx, {
          number,
          draft: effect.ticket,
          customerId: customer?.id ?? null,
          conversationId: env.conversationId,
          now,
          actor: 'linka',
          tier,
          deadline,
          resolutionDeadline,
          workCategory,
        });
        await attachSessionToTicket(tx, env.conversationId, sessionStart, ticket.id);
        openedCategory = ticket.category;
        await toTeam(tx, deps.teamPlatforms, ticket, { kind: 'post' }, now);
        queued = true;
        const repeated = isRepeatedTopic(await recentSameTopic(tx, deps.offers, ticket, now), deps.offers.repeatCount);
        const lang = state?.lang ?? 'cs';
        if (outside) await toTeam(tx, deps.teamPlatforms, ticket, { kind: 'thread', text: planTeamLine(outside, deps.engine.settings.teamLanguage) }, now);
        // The offer made at once tells the customer about the plan itself, with the terms.
        const planNotice = outside && !autoOffered ? planNoticeText(outside, quoteTerms(deps.offers, lang), lang) : null;
        if (autoOffered) await createOffer(tx, deps.offers, ticket, null, now);
        // The customer's confirmation says by when to expect the reaction (and the resolution, when
        // the tier promises one), in their language.
        const promise = reactionPromise(deadline, customer !== null);
        const techniciansFrom = deps.techniciansFrom?.(tier, now) ?? null;
        // A customer who wants their notices by e-mail gets the confirmation there too (docs/email.md).
        await queueTicketConfirmation(tx, deps.offers.mail, {
          customer,
          channel: env.channel,
          ticket: {
            id: ticket.id,
            number,
            reactBy: promise.kind === 'deadline' ? promise.deadline : null,
            noReactionGuarantee: promise.kind === 'none',
            resolveBy: resolutionDeadline,
          },
          lang,
          now,
        });
        return {
          kind: 'ticketOpened',
          number,
          ...(repeated ? { repeatWarning: true } : {}),
          ...(promise.kind === 'deadline' ? { reactBy: dayAndTime(promise.deadline, deps.timezone, state?.lang ?? 'cs') } : {}),
          ...(promise.kind === 'none' ? { noReactionGuarantee: true } : {}),
          ...(resolutionDeadline ? { resolveBy: dayAndTime(resolutionDeadline, deps.timezone, state?.lang ?? 'cs') } : {}),
          ...(planNotice ? { planNotice } : {}),
          ...(techniciansFrom ? { techniciansFrom: dayAndTime(techniciansFrom, deps.timezone, state?.lang ?? 'cs') } : {}),
        };
      }
      case 'recordConsent': {
        const { outcome, number } = await recordConsent(tx, deps.offers, {
          offerId: effect.offerId,
          decision: effect.decision,
          reply: effect.reply,
          channel: env.channel,
          conversationId: env.conversationId,
          platformMessageId: env.platformMessageId ?? null,
          now,
        });
        queued = queued || outcome !== 'closed';
        return { kind: 'consentResult', offerId: effect.offerId, number: number ?? state?.offer?.number ?? '', outcome };
      }
      case 'cancelOffer': {
        const ok = await cancelOffer(tx, deps.offers, effect.offerId, env.conversationId, now);
        queued = queued || ok;
        return { kind: 'offerCancelResult', ok };
      }
      case 'rateTicket': {
        const rated = await rateTicket(tx, effect.number, effect.score, env.conversationId, now);
        if (rated) {
          await toTeam(tx, deps.teamPlatforms, rated, { kind: 'update' }, now);
          await toTeam(
            tx,
            deps.teamPlatforms,
            rated,
            { kind: 'thread', text: t(deps.engine.settings.teamLanguage, 'team.rated', { score: effect.score }) },
            now,
          );
          queued = true;
        }
        return null;
      }
      case 'record':
        await insertMessage(tx, {
          conversationId: env.conversationId,
          channel: env.channel,
          direction: 'system',
          kind: 'system',
          text: effect.text,
          ticketId: ticket?.id,
          outcome: effect.outcome ?? null,
          createdAt: now,
        });
        return null;
      case 'setCustomerLanguage':
        if (customer) await setCustomerLanguage(tx, customer.id, effect.lang);
        return null;
      case 'newSession':
        newSession = true;
        sessionStart = now;
        ticket = null;
        return null;
      case 'queryHours':
        return customer ? { kind: 'hoursReport', ...(await hoursThisMonth(tx, deps.hours, customer, now)) } : { kind: 'hoursReport', unknown: true };
      case 'reportPayment':
        if (!customer) return { kind: 'paymentReported', unknown: true };
        queued = true;
        return reportPayment(tx, { ...deps, teamLanguage: deps.engine.settings.teamLanguage }, customer, env.conversationId, now);
      case 'queryTicketStatus': {
        const lang = state?.lang ?? 'cs';
        const number = effect.typed ? parseTicketNumber(effect.typed, deps.ticketPrefix) : null;
        if (effect.typed && !number) return { kind: 'ticketStatus', found: false, typed: effect.typed };
        const own = await ownTicketWithLastReply(tx, { customerId: customer?.id ?? null, conversationId: env.conversationId }, number);
        if (!own) return { kind: 'ticketStatus', found: false, typed: effect.typed };
        const last = own.events[0];
        const said = (last?.data ?? {}) as { name?: string; text?: string };
        return {
          kind: 'ticketStatus',
          found: true,
          number: own.number,
          status: own.status === 'claimed' ? 'claimed' : own.status === 'open' ? 'open' : 'resolved',
          technician: own.claimedByName,
          resolvedAt: own.resolvedAt ? localTime(own.resolvedAt, deps.timezone, lang) : null,
          lastMessage: last && said.text ? { text: said.text, at: localTime(last.createdAt, deps.timezone, lang), technician: said.name ?? '' } : null,
        };
      }
      case 'attachOutage':
        await attachToOutage(tx, effect.outageId, env.conversationId, now);
        return null;
      case 'setOptOut':
        await setOptOut(tx, env.conversationId, env.channel, effect.optedOut, now);
        await insertMessage(tx, {
          conversationId: env.conversationId,
          channel: env.channel,
          direction: 'system',
          kind: 'system',
          text: t(deps.engine.settings.teamLanguage, effect.optedOut ? 'team.optedOut' : 'team.optedIn'),
          ticketId: ticket?.id,
          createdAt: now,
        });
        return null;
    }
  }

  const finalState = state as ConversationState;
  if (finalState.ticketNumber === null) ticket = null;
  const ticketId = forTicket ? ticket?.id : undefined;
  await saveConversationAndQueue(
    tx,
    {
      id: env.conversationId,
      channel: env.channel,
      prev: conv,
      state: finalState,
      customerId: customer?.id ?? null,
      now,
      newSession,
      // A session ends where the conversation is done (solved, abandoned, rated): the next message opens one.
      sessionOpened: finalState.step === 'done' ? false : inboundMessage ? true : Boolean(conv.sessionOpened),
    },
    replies.map((reply) => ({ payload: { reply }, message: { kind: 'text', text: reply.text, choices: reply.choices, status: 'queued', ticketId } })),
  );
  if (extra) await extra(tx);
  return {
    duplicate: false,
    accepted,
    replies,
    ticketNumber: finalState.ticketNumber,
    state: finalState,
    queued: queued || replies.length > 0,
    ...(openedCategory ? { openedCategory } : {}),
  };
}

/**
 * For an e-mail: the ticket it is recorded into and relayed to. A reply names its ticket (the
 * conversation's or the customer's own, and not one resolved before this session); any other
 * e-mail is a new request and joins no open ticket. Null for other events.
 */
async function mailTicket(
  tx: Tx,
  env: InboundEnvelope,
  state: ConversationState | null,
  customerId: string | null,
): Promise<{ ticket: Ticket | null; event: CoreEvent } | null> {
  if (env.event.kind !== 'mail') return null;
  const named = env.event.ticket ? await ownMailTicket(tx, { number: env.event.ticket, conversationId: env.conversationId, customerId }) : null;
  if (named && (named.status !== 'resolved' || named.number === state?.ticketNumber)) return { ticket: named, event: env.event };
  return { ticket: null, event: { ...env.event, ticket: null } };
}

/** Whether the step the conversation stands at (as the engine sees it on `channel`) offers the choice `choiceId`. */
function offersChoice(engine: DispatchDeps['engine'], state: ConversationState | null, channel: Channel, choiceId: string): boolean {
  const flow = state ? engine.flows[state.flow] : undefined;
  if (!state || !flow || (flow.version !== state.flowVersion && state.flow !== 'main')) return false;
  return choicesOf(stepOf(flow, state.step, { capabilities: CHANNEL_CAPABILITIES[channel], settings: engine.settings })).some((c) => c.id === choiceId);
}

/** The calendar year of `now` in the company's time zone (ticket numbers restart each year). */
function yearIn(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(now));
}

/** Remembers that the conversation was told about the outage, so it gets the resolution notice and no second start notice. */
async function attachToOutage(tx: Tx, outageId: string, conversationId: string, now: Date): Promise<void> {
  await attachConversationToOutage(tx, outageId, conversationId, now);
  await recordOutageNoticeOnce(tx, outageId, 'start', conversationId, now);
}
