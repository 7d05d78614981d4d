/**
 * The types of the pure conversation core: events in, effects out.
 * Nothing here performs I/O; the runtime turns effects into actions.
 */

import type { Lang } from '../shared/lang.js';
import type { BusinessHours } from '../domain/business-time.js';
import type { FlowDef } from './flow.js';

/**
 * `Lang` lives in src/shared/lang.ts (the domain and the catalogues use it too); it is
 * re-exported here only for the runtime, store, adapters and CLI that still import it from
 * this file. New code imports it from src/shared/lang.ts.
 */
export type { Lang } from '../shared/lang.js';

/**
 * The channel a conversation runs on: the runtime's and the adapters' concern. The engine never
 * asks which channel it is on; it gets the channel's {@link ChannelCapabilities} instead.
 */
export type Channel = 'telegram' | 'sms' | 'console' | 'email';

/**
 * What the customer's channel can do, as far as the conversation depends on it. The runtime
 * decides it from the channel (CHANNEL_CAPABILITIES in src/runtime/dispatch.ts); a new channel
 * says what it can do there, and the engine needs no change. How choices look (buttons on
 * Telegram, numbered lines on SMS and the console) is the adapters' business, not the engine's.
 */
export interface ChannelCapabilities {
  /**
   * The customer can share their phone number with one tap (Telegram's contact button):
   * identification offers it (`identify.askWithContact` and `Reply.contactButton`).
   */
  contactShare: boolean;
  /**
   * Every message (segment) is billed (SMS): with `EngineSettings.shortSms` on, the engine uses
   * the short `@sms` message variants and the flows' `sms` step variants.
   */
  billedPerSegment: boolean;
  /**
   * The customer can go back to the menu of problems from the conversation (the chat channels).
   * False on e-mail, where every new message is a new request: choices leading to the menu
   * ("Nový problém") are not offered there.
   */
  menu: boolean;
}

/** One option offered to the customer: a button on Telegram, a numbered line on SMS. */
export interface ReplyChoice {
  /** Stable id sent back by a button press. */
  id: string;
  /** The label in the customer's language. */
  label: string;
}

/** The one outbound shape: text plus choices. Adapters render it. */
export interface Reply {
  text: string;
  choices?: ReplyChoice[];
  /** The catalogue key the text came from (for logs and tests). */
  key?: string;
  /** Offer a "share my phone number" button with this label (channels with `contactShare`). */
  contactButton?: string;
  /** The confirmation of an opt-out: the one message sent to an opted-out address. */
  evenIfOptedOut?: boolean;
}

/** A customer as the engine sees it (loaded by the runtime). */
export interface CustomerView {
  id: string;
  name: string;
  contractNumber: string;
  language: Lang;
  tier: string;
  area: string | null;
}

/** The one inbound union. Adapters translate platform updates into it. */
export type CoreEvent =
  | { kind: 'text'; text: string }
  /** A button press; `stale`: the button was on an earlier message than the latest question (the runtime knows). */
  | { kind: 'choice'; choiceId: string; stale?: boolean }
  /** A new conversation or an explicit restart (Telegram /start, with a deep-link payload). */
  | { kind: 'start'; payload?: string }
  /** A shared contact; `own` is true when it is the sender's own number. */
  | { kind: 'contact'; phone: string; own: boolean }
  /**
   * An e-mail from the customer (docs/email.md): the subject and their own words (quoted text
   * and signature left out). `ticket`: the number of the ticket of this conversation it answers
   * (by its References or the number in the subject), null for a new message. `contracts`: words
   * of it that look like contract numbers, for identifying an unknown sender. `attachments`: files kept.
   */
  | { kind: 'mail'; subject: string; text: string; ticket: string | null; contracts: string[]; attachments: number }
  | { kind: 'media'; mediaKind: 'photo' | 'sticker' | 'voice' | 'video' | 'document' | 'other'; fileId?: string; caption?: string }
  /** A persisted timer came due. */
  | { kind: 'timer'; name: string; token: string }
  /** Feedback from the runtime: the result of a `lookupCustomer` effect. */
  | { kind: 'lookupResult'; customer: CustomerView | null }
  /** Feedback from the runtime: the ticket of an `openTicket` effect exists. */
  | {
      kind: 'ticketOpened';
      number: string;
      repeatWarning?: boolean;
      /** When a technician will react at the latest, formatted for the customer ("pondělí 23. 11. v 18:00"). */ reactBy?: string;
      /** The customer's tier promises no reaction time (tier none): the confirmation says so. */ noReactionGuarantee?: boolean;
      /** By when the ticket will be resolved at the latest, formatted like `reactBy`; only when the tier promises it. */ resolveBy?: string;
      /** The customer's plan ended (or has not begun): that help is paid, and the terms, in their language. */ planNotice?: string;
      /** Opened outside the technicians' hours: when they are next in, formatted like `reactBy`. */ techniciansFrom?: string;
    }
  /** A technician took the customer's ticket. */
  | { kind: 'ticketClaimed'; number: string; technician: string }
  /** A technician resolved the ticket (with an optional note for the customer). */
  | { kind: 'ticketResolved'; number: string; technician: string; note?: string }
  /** A technician wrote to the customer from the ticket's thread. */
  | { kind: 'technicianMessage'; number: string; technician: string; text: string }
  /**
   * A paid call-out is offered on the ticket; `terms` is the exact text to quote. With `work`
   * (a kind of paid work), the customer is asked to agree to paid work instead: a technician
   * reclassified the ticket.
   */
  | { kind: 'calloutOffered'; offerId: string; number: string; terms: string; expiresAt: string; work?: string }
  /** Feedback from the runtime on the customer's CANCEL of an accepted call-out. */
  | { kind: 'offerCancelResult'; ok: boolean }
  /**
   * The runtime's answer to `recordConsent`: what was stored. `expired`: the offer's time had
   * run out (nothing recorded); `closed`: it was no longer waiting for an answer.
   */
  | { kind: 'consentResult'; offerId: string; number: string; outcome: 'accepted' | 'declined' | 'expired' | 'closed' }
  /** The offer ran out without an answer (the runtime's expiry sweep, src/services/offer-expiry.ts). */
  | { kind: 'offerExpired'; offerId: string; number: string; work?: string }
  /** A technician booked the visit the customer agreed to (or a `free` one); `time` is formatted for the customer. */
  | { kind: 'visitBooked'; number: string; time: string; free?: boolean }
  /**
   * Feedback from the runtime on `queryHours`: rounded work this month, the tier's included minutes
   * (0 outside the customer's plan) and what their prepaid packages have left; `unknown` when the
   * customer is not identified.
   */
  | { kind: 'hoursReport'; usedMinutes: number; includedMinutes: number; packageLeftMinutes?: number }
  | { kind: 'hoursReport'; unknown: true }
  /** Feedback from the runtime on `reportPayment`: the billing ticket (`again`: one was already open); `unknown` when the customer is not identified. */
  | { kind: 'paymentReported'; number: string; again?: boolean }
  | { kind: 'paymentReported'; unknown: true }
  /**
   * Feedback from the runtime on `queryTicketStatus`: the customer's own ticket (by the number they
   * typed, else their latest), who has it and the technician's last message (times formatted for
   * the customer); `found: false` when there is none of theirs (another customer's is never shown).
   */
  | {
      kind: 'ticketStatus';
      found: true;
      number: string;
      status: 'open' | 'claimed' | 'resolved';
      technician: string | null;
      resolvedAt: string | null;
      lastMessage: { text: string; at: string; technician: string } | null;
    }
  | { kind: 'ticketStatus'; found: false; typed: string | null }
  /** The customer asked to receive nothing more on this channel (SMS STOP) or to resume (START). */
  | { kind: 'optOut' }
  | { kind: 'optIn' };

/** What the runtime must do; `step()` only returns these as data. */
export type Effect =
  | { type: 'reply'; reply: Reply }
  /** Persist a timer; when due, the runtime feeds back `{kind:'timer', name, token}`. */
  | { type: 'startTimer'; name: string; token: string; dueAt: string }
  /** Cancel every pending timer of the conversation. */
  | { type: 'cancelTimers' }
  /** Look a customer up by contract number or phone; answered with a `lookupResult` event. */
  | { type: 'lookupCustomer'; contractNumber?: string; phone?: string }
  /** Open a ticket; answered with a `ticketOpened` event. */
  | { type: 'openTicket'; ticket: TicketDraft }
  /** Add a line to the conversation's history (and the open ticket's). */
  | { type: 'record'; text: string; outcome?: Outcome }
  /** Remember the customer's chosen language on their record. */
  | { type: 'setCustomerLanguage'; lang: Lang }
  /** Start a new session: messages from now on belong to the next ticket. */
  | { type: 'newSession' }
  /**
   * Store the customer's answer to a call-out offer (written once, never changed); answered
   * with `consentResult`. Offers expire on the server (src/services/offer-expiry.ts), not by a
   * conversation timer.
   */
  | { type: 'recordConsent'; offerId: string; decision: 'accepted' | 'declined'; reply: string }
  /** The customer cancels an accepted call-out; answered with `offerCancelResult`. */
  | { type: 'cancelOffer'; offerId: string }
  /** The customer asked how many support hours were used and are left this month; answered with `hoursReport`. */
  | { type: 'queryHours' }
  /** The customer says they have paid: open a billing ticket and stop the payment reminders; answered with `paymentReported`. */
  | { type: 'reportPayment' }
  /** The customer asks how their ticket stands ("stav T-2026-00042", "co je s tím"); `typed`: the number they gave. Answered with `ticketStatus`. */
  | { type: 'queryTicketStatus'; typed: string | null }
  /** Store the customer's satisfaction (1-5) on the ticket. */
  | { type: 'rateTicket'; number: string; score: number }
  /** The customer was told about an outage while it lasts: they get its resolution notice too. */
  | { type: 'attachOutage'; outageId: string }
  /** Record that this conversation's address opted out of (or back into) messages. */
  | { type: 'setOptOut'; optedOut: boolean };

/** How a session ended, as recorded in the history. */
export type Outcome = 'resolved_by_customer' | 'ticket_opened' | 'abandoned' | 'faq_answered';

/** Everything a technician needs, collected before a ticket is opened. */
export interface TicketDraft {
  /** The flow's problem category: internet | voip | wifi | other. */
  category: string;
  verified: boolean;
  likelyCustomerSide: boolean;
  /** The checklist answers and collected details, by field name. */
  answers: Record<string, string>;
  /** A short plain-language summary (in Czech, the team's language). */
  summary: string;
}

/** The whole state of one conversation, stored as JSON by the runtime. */
export interface ConversationState {
  flow: string;
  step: string;
  flowVersion: number;
  lang: Lang;
  /** True once the customer picked a language explicitly. */
  langChosen: boolean;
  /** The identified customer's id, or null. */
  customerId: string | null;
  /** False after failed identification: the ticket will be marked unverified. */
  verified: boolean;
  /** Wrong contract numbers entered so far. */
  idTries: number;
  /** What the customer entered as contract numbers (shortened), for the ticket a failed identification opens. */
  idAttempts?: string[];
  /** The problem (a menu choice id) the customer named before being identified: taken up once they are. */
  wanted?: string;
  /** Answers collected in this session. */
  answers: Record<string, string>;
  /** Steps visited, for "back". */
  back: Array<{ flow: string; step: string }>;
  /** Unrecognised answers at the current step. */
  misses: number;
  /** The pending timer, if any; events with another token are stale. */
  timer: { name: string; token: string; dueAt: string } | null;
  /** Follow-ups already sent at the current step. */
  followUps: number;
  /** The number of the ticket opened in this session. */
  ticketNumber: string | null;
  /** What the pending customer look-up was by, to word a failure. */
  lookup: 'contract' | 'phone' | null;
  /** The call-out offer waiting for an answer, or the accepted one (which the customer may cancel); `work`: it asks for paid work. */
  offer?: { id: string; number: string; accepted: boolean; work?: string } | null;
  /** The resolved ticket the satisfaction question is about. */
  ratingFor?: string | null;
  /** Lines said while a look-up is pending, sent with its answer (one message, not two). */
  held?: string[];
  /** An e-mail kept while its sender is asked who they are or what they need (src/engine/mail-intake.ts). */
  mail?: { subject: string; description: string } | null;
}

/** Tunables the engine needs, taken from config by the runtime. */
export interface EngineSettings {
  /** Minutes to wait after plugging everything back (default 3). */
  waitMinutes: number;
  /** Minutes of silence before a question is asked again (default 30). */
  followUpMinutes: number;
  /** How many follow-ups at most per question (default 1). */
  maxFollowUps: number;
  /** Wrong contract numbers allowed before a human takes over (default 3). */
  maxIdTries: number;
  /** The helpdesk phone offered when a human should take over; null: none, and the sentences offering it are left out. */
  helpdeskPhone: string | null;
  /** The provider's name used in greetings. */
  companyName: string;
  /** The language of ticket summaries and history records (the technicians' language). */
  teamLanguage: Lang;
  /** When the technicians answer (config `team.hours`), told in the greeting; default Monday to Friday 8:30-17:00. */
  teamHours?: BusinessHours;
  /** The ticket numbers' prefix (config `tickets.prefix`, default "T"): a customer who sends "T-2026-42" asks how it stands. */
  ticketPrefix?: string;
  /** Frequent questions answered at once without a ticket (config `faq`; src/engine/faq.ts). */
  faq?: readonly FaqEntry[];
  /** The day of the month fees are due (config `payments.dueDay`), for the answer about payments. */
  paymentDueDay?: number;
  /** Use the short `@sms` variants of messages where every segment is billed (`ChannelCapabilities.billedPerSegment`: SMS). */
  shortSms: boolean;
}

/** One frequent question as the engine matches it (src/engine/faq.ts). */
export interface FaqEntry {
  id: string;
  /** Words or phrases in any language, normalised; a message containing one (as whole words) asks this question. */
  keywords: readonly string[];
  /** The message key of the answer. */
  answer: string;
}

/** What `step()` knows besides the state and the event. */
export interface StepContext {
  /** What the customer's channel can do (decided by the runtime from the channel). */
  capabilities: ChannelCapabilities;
  /** The flows by id; must contain `main`. */
  flows: Readonly<Record<string, FlowDef>>;
  customer: CustomerView | null;
  settings: EngineSettings;
  /** A language hint from the platform (Telegram's language_code), used until the customer picks one. */
  langHint?: string;
  /** A known outage in the customer's area: its notice (in their language) replaces the checklist. */
  outage?: { id: string; notice: string; services: readonly string[] } | null;
  /**
   * The customer's services are restricted for non-payment (docs/payments.md): the notice replaces
   * the services' checklists. `amount` and `due` are formatted for the customer (null: no amount
   * outstanding on record); the rest from config `payments`.
   */
  restriction?: RestrictionView | null;
}

/** A restriction for non-payment as the engine tells it (StepContext.restriction). */
export interface RestrictionView {
  amount: string | null;
  due: string | null;
  /** What to give as the variable symbol (config payments.variableSymbol). */
  variableSymbol: 'invoice' | 'contract';
  /** Hours after the payment is credited until the service is back (config payments.restoreWithinHours); null: "once credited". */
  restoreWithinHours: number | null;
}

/** The result of one step. */
export interface StepResult {
  state: ConversationState;
  effects: Effect[];
}
