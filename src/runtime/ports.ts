/** The ports through which the runtime acts on the outside world. */
import type { Channel, Reply } from '../engine/types.js';
import type { Route } from './routes.js';
import type { DeliveryOutcome, DeliveryReport } from './delivery-status.js';
import type { DispatchResult, InboundEnvelope } from './dispatch.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Queue } from '../services/queue.js';
import type { Outages } from '../services/outages.js';
import type { TicketCard } from '../domain/ticket-card.js';
import type { TeamChannelOptions } from '../services/enqueue-team-posts.js';
import type { MailThread } from '../domain/mail-body.js';
import type { OutgoingMail } from '../domain/mail-body.js';
import type { AutomaticKind, AutomaticSigns } from '../domain/mail.js';

/** A customer channel's outbound side (console, Telegram, SMS). */
export interface ChannelPort {
  readonly channel: Channel;
  /**
   * Delivers a reply to an opaque conversation id. Resolves with the platform's
   * message id; rejects with a LinkaError (carrying `retryAfterMs` on rate limits).
   */
  send(conversationId: string, reply: Reply, context?: SendContext): Promise<{ platformMessageId: string | null; segments?: number }>;
}

export type { MailAttachment, OutgoingMail } from '../domain/mail-body.js';

/** The e-mail channel's outbound side (SMTP). */
export interface MailPort {
  /** The sender address of every message (config mail.from, lower-cased address only). */
  readonly address: string;
  /** The domain Message-IDs are made in. */
  readonly domain: string;
  /**
   * Sends `mail` with the given Message-ID (the same for every attempt of one outbox item, so a
   * resend after a crash is recognisably the same message). Rejects with a LinkaError: `permanent`
   * when the server refused it for good (5xx), else retryable (4xx, connection failures).
   */
  sendMail(mail: OutgoingMail, messageId: string): Promise<{ platformMessageId: string }>;
}

/** What a channel may need besides the reply: the outbox item (its per-item key) and, for e-mail, the thread it joins. */
export interface SendContext {
  outboxId: number;
  thread?: MailThread;
}

/** Channel ports by channel name. */
export type Ports = ReadonlyMap<string, ChannelPort>;

/** Where a ticket's card lives in a team channel. */
export interface TeamPostRef {
  channelId: string;
  messageId: string;
  /** The thread the card's conversation happens in (Slack: the card's ts). */
  threadId: string | null;
}

/** A team platform's outbound side (Slack, Discord): ticket cards, their threads, the channel. */
export interface TeamPort {
  readonly platform: 'slack' | 'discord';
  postTicket(card: TicketCard): Promise<TeamPostRef>;
  updateTicket(post: TeamPostRef, card: TicketCard): Promise<void>;
  /** Writes into the card's thread; returns the thread id when it was created now. */
  postToThread(post: TeamPostRef, text: string): Promise<{ threadId?: string }>;
  /**
   * A message in the queue channel itself (digests, re-announcements, SLA warnings), or with
   * `opts.status` in the status channel (outage and maintenance notices; the queue channel
   * when none is configured). With `opts.mentionOnCall`, replace `{onCall}` in the text with
   * the platform's mentions of its configured on-call people (see `fillOnCall` in src/services/enqueue-team-posts.ts).
   */
  postToChannel(text: string, opts?: TeamChannelOptions): Promise<void>;
}

/** What a channel adapter gives the composition root: its outbound ports and its webhook routes. */
export interface ChannelAdapter {
  /** A customer channel's port (Telegram, SMS, e-mail). */
  port?: ChannelPort;
  /** E-mail's sending side, for composed messages (outbox kind `mail`). */
  mail?: MailPort;
  /** Starts what the adapter reads on its own (the support mailbox over IMAP), once the runtime runs. */
  start?(deps: AdapterDeps): void;
  /** Stops it, waiting for what is being read. */
  stop?(): Promise<void>;
  /** A team channel's port (Slack, Discord). */
  team?: TeamPort;
  /** The adapter's HTTP routes; inbound events go to `dispatch`, technicians' actions to `queue`. */
  routes(deps: AdapterDeps): Route[];
}

/**
 * Inbound events acted on outside the dispatcher (technicians' clicks, commands and thread
 * replies), by the platform's own id: a platform's retry of one already acted on is skipped.
 */
export interface InboundLedger {
  /** Records `id` as processed; false when it was already (a retry: act on nothing). */
  markProcessed(id: string): Promise<boolean>;
  /** Forgets `id` (the action failed), so the platform's next retry is acted on. */
  forgetProcessed(id: string): Promise<void>;
}

/** Which ticket a team platform's thread belongs to. */
export interface TeamThreads {
  /**
   * The number of the ticket whose card has the thread `threadId` on `platform` (in `channelId`
   * when given: a Slack reply's thread_ts is its card's ts in the queue channel; a Discord
   * thread is a channel of its own), or null.
   */
  ticketOfThread(platform: 'slack' | 'discord', thread: { threadId: string; channelId?: string }): Promise<string | null>;
}

/** Delivery reports of customer messages (SMS status callbacks). */
export interface DeliveryReports {
  /** Records a report; a failed SMS may be sent again once, after `redeliveryDelayMs`, when `redeliver`. */
  record(report: DeliveryReport, policy: { redeliver: boolean; redeliveryDelayMs: number }): Promise<DeliveryOutcome>;
}

/** One message read from the support mailbox, as the e-mail adapter parsed it (adapters/email/parse.ts). */
export interface ReceivedMail {
  /** The Message-ID header with its angle brackets; null when the message has none. */
  messageId: string | null;
  /** The sender (From), lower-cased address; null when there is no usable address. */
  from: { address: string; name: string | null } | null;
  subject: string;
  /** The plain text: the text part, or the HTML part reduced to safe text (no markup, no scripts). */
  text: string;
  inReplyTo: string | null;
  references: string[];
  /** The headers that tell automatic mail (src/domain/mail.ts, automaticKind); `from`: every address of the From header. */
  signs: AutomaticSigns;
  /** The Date header, when valid. */
  date: Date | null;
  attachments: Array<{ filename: string; contentType: string; size: number; content: Buffer }>;
}

/** What the mailbox's server tells of a message before it is downloaded (its envelope and size). */
export interface MailEnvelope {
  messageId: string | null;
  /** The first From address as the server gives it, or null. */
  from: string | null;
  subject: string;
  size: number;
}

/** What became of one message of the support mailbox. */
export interface MailReceipt {
  /** `duplicate`: handled before (same Message-ID); the rest as recorded in InboundMail. */
  outcome: 'dispatched' | 'duplicate' | 'flood' | 'no_sender' | 'too_big' | AutomaticKind;
  conversationId?: string;
  ticketNumber?: string | null;
}

/** The support mailbox's messages into conversations and tickets (src/runtime/mail-inbox.ts). */
export interface MailInbox {
  /** Handles one message: de-duplicated, classified, dispatched. Throws when it must be tried again. */
  receive(mail: ReceivedMail): Promise<MailReceipt>;
  /** Records a message too big to download (outcome `too_big`); nothing is answered. */
  tooBig(envelope: MailEnvelope): Promise<MailReceipt>;
}

/** What the adapters' routes need from the runtime: ports only, never the database. */
export interface AdapterDeps {
  dispatch(env: InboundEnvelope): Promise<DispatchResult>;
  log: Logger;
  metrics?: Metrics;
  /** The runtime's clock; defaults to the wall clock. */
  clock?: () => Date;
  /** The technicians' actions on tickets. */
  queue: Queue;
  /** Declaring, updating and resolving outages. */
  outages: Outages;
  /** De-duplication of the technicians' inbound events. */
  inbound: InboundLedger;
  /** The ticket of a team thread. */
  teamThreads: TeamThreads;
  /** SMS delivery reports. */
  deliveries: DeliveryReports;
  /**
   * True when `err` means the database is unreachable: a route that answers the platform
   * itself (Slack's receiver) then says 503 with Retry-After (`databaseUnavailable()` in
   * src/runtime/routes.ts), so the platform retries.
   */
  isUnavailable(err: unknown): boolean;
  /** The support mailbox's messages (when e-mail is on). */
  mailInbox?: MailInbox;
}
