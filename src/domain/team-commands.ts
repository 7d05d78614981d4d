/**
 * The technicians' commands, once for every team platform (Slack, Discord): what a ticket
 * number, a duration, a kind of work and an outage's arguments are, which arguments each
 * command needs and in which order they are checked, who may act, and the queue listing.
 * The adapters only map their own syntax (Slack's "/linka time T-2026-00042 45m text",
 * Discord's options) onto `TicketCommandArgs` / `OutageCommandArgs` and render the answer.
 *
 * Durations ("how long did the work take"): a bare number is MINUTES ("90" = 90 min), as are
 * "45m", "45 min"; hours are "1h", "2H"; both "1h30", "1h30m", "1h 30m", "2h5min"; and clock
 * style "1:30" (minutes two digits, under 60). Nothing else (no "1.5h", "1,5h", seconds,
 * words); zero and more than a day (24 h) are refused. Before, Slack read "90" as 90 minutes
 * and Discord refused it; "1h30" and "1:30" were refused by both.
 *
 * Pure: no I/O, no clock (callers pass `now`).
 */
import { parseWorkCategory, type WorkCategory } from './billing.js';
import { parseLocalDateTime } from './business-time.js';
import { OUTAGE_STATUSES, type OutageStatus } from './outages.js';
import { localTime } from './date-format.js';
import { EMERGENCY_MARK, resolutionLine, timeLeft } from './ticket-card.js';
import { isEmergency } from './sla.js';
import type { Lang } from '../shared/lang.js';
import { isMessageKey, t } from '../messages/index.js';

// --- Who may act -----------------------------------------------------------------------------

/** Who is configured as a technician on a platform: user ids, and groups (Slack user group, Discord roles). */
export interface TechnicianRoster {
  users: readonly string[];
  groups: readonly string[];
}

/** The rule on every platform: a listed user, or a member of a listed group. */
export function isListedTechnician(actor: { userId: string; groups: readonly string[] }, roster: TechnicianRoster): boolean {
  return roster.users.includes(actor.userId) || actor.groups.some((g) => roster.groups.includes(g));
}

// --- Arguments -------------------------------------------------------------------------------

/** A ticket number as typed ("t-2026-42") in its stored form ("T-2026-00042"), or null when it is not one. */
export function parseTicketNumber(text: string, prefix: string): string | null {
  const m = /^([A-Za-z]{1,5})-(\d{4})-(\d{1,9})$/.exec(text.trim());
  if (!m || (m[1] as string).toUpperCase() !== prefix.toUpperCase()) return null;
  const digits = (m[3] as string).replace(/^0+(?=\d)/, '').padStart(5, '0');
  return `${prefix.toUpperCase()}-${m[2]}-${digits}`;
}

/**
 * A ticket as a person refers to it: a full number in any case and with or without leading zeros
 * ("t-2026-1", "T-2026-00001"), or the bare number of a ticket of `year` ("1", "00001").
 */
export function parseTicketReference(text: string, prefix: string, year: number): string | null {
  const typed = text.trim();
  if (/^\d{1,9}$/.test(typed)) return parseTicketNumber(`${prefix}-${year}-${typed}`, prefix);
  return parseTicketNumber(typed, prefix);
}

/** The longest time one entry may log (a working day and a half is already suspicious). */
export const MAX_ENTRY_MINUTES = 24 * 60;

const HOURS_MINUTES = /^(\d+)\s*h(?:\s*(\d+)\s*(?:m|min)?)?$/;
const MINUTES = /^(\d+)\s*(?:m|min)?$/;
const CLOCK = /^(\d+):([0-5]\d)$/;

/**
 * Minutes in a duration as typed (see the module comment): "90" -> 90, "45m" -> 45, "1h" -> 60,
 * "1h30" / "1h30m" / "1h 30m" / "1:30" -> 90; null when unreadable, zero or over a day.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  let minutes: number;
  let m: RegExpExecArray | null;
  if ((m = HOURS_MINUTES.exec(s))) minutes = Number(m[1]) * 60 + Number(m[2] ?? 0);
  else if ((m = MINUTES.exec(s))) minutes = Number(m[1]);
  else if ((m = CLOCK.exec(s))) minutes = Number(m[1]) * 60 + Number(m[2]);
  else return null;
  return Number.isSafeInteger(minutes) && minutes > 0 && minutes <= MAX_ENTRY_MINUTES ? minutes : null;
}

/** "Bory, Doubravka; Lochotín" -> ["Bory", "Doubravka", "Lochotín"] (each once). */
export function parseAreas(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;]/)
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  ];
}

/** An outage status as typed (any case), or null. */
export function parseOutageStatus(word: string): OutageStatus | null {
  const w = word.trim().toLowerCase();
  return (OUTAGE_STATUSES as readonly string[]).includes(w) ? (w as OutageStatus) : null;
}

/**
 * An outage's expected end as typed: absent or empty -> undefined (unchanged), "-" -> null
 * (cleared), a local date and time -> the instant, anything else -> 'bad'.
 */
export function parseEta(text: string | undefined, timeZone: string): Date | null | undefined | 'bad' {
  const s = text?.trim() ?? '';
  if (!s) return undefined;
  if (s === '-') return null;
  return parseLocalDateTime(s, timeZone) ?? 'bad';
}

// --- Ticket commands -------------------------------------------------------------------------

/** The commands that act on one ticket, in the order the platforms list them. */
export const TICKET_COMMANDS = ['ticket', 'claim', 'release', 'resolve', 'note', 'time', 'reply', 'visit', 'category', 'emergency'] as const;
export type TicketCommandName = (typeof TICKET_COMMANDS)[number];

export function isTicketCommand(name: string): name is TicketCommandName {
  return (TICKET_COMMANDS as readonly string[]).includes(name);
}

/**
 * A ticket command's arguments as typed, whatever the platform's syntax: `ticket` the ticket
 * number, `text` the note, message, activity or resolution note, `duration` for time, `when`
 * for visit, `kind` for category. Absent and empty are the same.
 */
export interface TicketCommandArgs {
  ticket?: string;
  text?: string;
  duration?: string;
  when?: string;
  kind?: string;
  /** visit: "true" books a free visit (Discord's option); Slack's "zdarma"/"free" word in `when` does too. */
  free?: string;
}

/** The words that set and clear the emergency mark (any case). */
const EMERGENCY_ON = ['on', 'yes', 'ano', 'áno', 'zapnout', 'zapnúť'];
const EMERGENCY_OFF = ['off', 'no', 'ne', 'nie', 'vypnout', 'vypnúť'];

/** A ticket command read and checked, ready for the queue. */
export type TicketCommand =
  | { name: 'ticket' | 'claim' | 'release'; number: string }
  | { name: 'emergency'; number: string; on: boolean }
  | { name: 'resolve'; number: string; note?: string }
  | { name: 'note' | 'reply'; number: string; text: string }
  | { name: 'time'; number: string; minutes: number; activity: string }
  | { name: 'category'; number: string; category: WorkCategory }
  | { name: 'visit'; number: string; at: Date; free?: boolean };

/**
 * Why a command cannot run: an argument is missing (`usage`), the ticket number is not one
 * (`notFound`, with what was typed), or an argument is unreadable.
 */
export type CommandProblem =
  | { problem: 'usage' }
  | { problem: 'notFound'; typed: string }
  | { problem: 'badDuration' | 'badCategory' | 'badTime' | 'badStatus' };

export type Read<T> = { ok: true; command: T } | ({ ok: false } & CommandProblem);

const fail = (p: CommandProblem): { ok: false } & CommandProblem => ({ ok: false, ...p });

/**
 * Reads a ticket command. Checked in this order: the ticket (missing -> usage, unreadable ->
 * notFound); then the command's own arguments: time: duration missing -> usage, unreadable ->
 * badDuration, then the activity (text) missing -> usage; note and reply: text missing -> usage;
 * category: kind missing -> usage, unknown -> badCategory; visit: when missing -> usage,
 * unreadable -> badTime; "zdarma"/"free" before or after the time (or `free` "true") books a free visit. resolve's text is an optional note for the customer.
 */
export function readTicketCommand(name: TicketCommandName, args: TicketCommandArgs, opts: { ticketPrefix: string; timezone: string }): Read<TicketCommand> {
  const typed = args.ticket?.trim() ?? '';
  if (!typed) return fail({ problem: 'usage' });
  const number = parseTicketNumber(typed, opts.ticketPrefix);
  if (!number) return fail({ problem: 'notFound', typed });
  const text = args.text?.trim() ?? '';
  switch (name) {
    case 'ticket':
    case 'claim':
    case 'release':
      return { ok: true, command: { name, number } };
    case 'emergency': {
      // "/linka emergency T-2026-00042" marks it; "... off" (or no, ne, vypnout) takes the mark away.
      const word = text.toLowerCase();
      if (word === '' || EMERGENCY_ON.includes(word)) return { ok: true, command: { name, number, on: true } };
      if (EMERGENCY_OFF.includes(word)) return { ok: true, command: { name, number, on: false } };
      return fail({ problem: 'usage' });
    }
    case 'resolve':
      return { ok: true, command: text ? { name, number, note: text } : { name, number } };
    case 'note':
    case 'reply':
      return text ? { ok: true, command: { name, number, text } } : fail({ problem: 'usage' });
    case 'time': {
      const duration = args.duration?.trim() ?? '';
      if (!duration) return fail({ problem: 'usage' });
      const minutes = parseDuration(duration);
      if (minutes === null) return fail({ problem: 'badDuration' });
      return text ? { ok: true, command: { name, number, minutes, activity: text } } : fail({ problem: 'usage' });
    }
    case 'category': {
      const kind = args.kind?.trim() ?? '';
      if (!kind) return fail({ problem: 'usage' });
      const category = parseWorkCategory(kind);
      return category === null ? fail({ problem: 'badCategory' }) : { ok: true, command: { name, number, category } };
    }
    case 'visit': {
      const { when, free } = visitWhen(args.when ?? '');
      if (!when) return fail({ problem: 'usage' });
      const at = parseLocalDateTime(when, opts.timezone);
      if (at === null) return fail({ problem: 'badTime' });
      return { ok: true, command: free || args.free?.trim().toLowerCase() === 'true' ? { name, number, at, free: true } : { name, number, at } };
    }
  }
}

/** The words that make a visit free ("visit ID 2026-11-24 14:30 zdarma"): the fault is on the provider's side. */
const FREE_VISIT_WORDS = ['zdarma', 'free', 'bezplatne', 'bezplatny', 'bezplatna', 'bezplatně', 'bezplatný', 'bezplatná'];

/** The time of a visit as typed, without a "zdarma"/"free" word before or after it, and whether there was one. */
export function visitWhen(typed: string): { when: string; free: boolean } {
  const words = typed.trim().split(/\s+/).filter(Boolean);
  const isFree = (w: string | undefined) => w !== undefined && FREE_VISIT_WORDS.includes(w.toLowerCase());
  const free = isFree(words[0]) || isFree(words.at(-1));
  return { when: words.filter((w, i) => !((i === 0 || i === words.length - 1) && isFree(w))).join(' '), free };
}

// --- Outage commands -------------------------------------------------------------------------

export const OUTAGE_COMMANDS = ['start', 'update', 'resolve', 'list'] as const;
export type OutageCommandName = (typeof OUTAGE_COMMANDS)[number];

/** An outage command's arguments as typed: `areas` comma- or semicolon-separated, `outage` the id, `eta` a local time or "-". */
export interface OutageCommandArgs {
  areas?: string;
  title?: string;
  outage?: string;
  status?: string;
  eta?: string;
}

export type OutageCommand =
  | { name: 'start'; areas: string[]; title?: string; eta?: Date | null }
  | { name: 'update'; id: string; status?: OutageStatus; eta?: Date | null }
  | { name: 'resolve'; id: string }
  | { name: 'list' };

/**
 * Reads an outage command. start: an unreadable eta -> badTime, no area -> usage. update: a
 * status that is not one -> badStatus, an unreadable eta -> badTime, no id or nothing to change
 * -> usage. resolve: no id -> usage. Any other name -> usage.
 */
export function readOutageCommand(name: string, args: OutageCommandArgs, timezone: string): Read<OutageCommand> {
  const id = args.outage?.trim() ?? '';
  switch (name) {
    case 'start': {
      const eta = parseEta(args.eta, timezone);
      if (eta === 'bad') return fail({ problem: 'badTime' });
      const areas = parseAreas(args.areas ?? '');
      if (!areas.length) return fail({ problem: 'usage' });
      const title = args.title?.trim() || undefined;
      return { ok: true, command: { name, areas, ...(title ? { title } : {}), ...(eta !== undefined ? { eta } : {}) } };
    }
    case 'update': {
      const typedStatus = args.status?.trim() ?? '';
      const status = typedStatus ? parseOutageStatus(typedStatus) : undefined;
      if (status === null) return fail({ problem: 'badStatus' });
      const eta = parseEta(args.eta, timezone);
      if (eta === 'bad') return fail({ problem: 'badTime' });
      if (!id || (!status && eta === undefined)) return fail({ problem: 'usage' });
      return { ok: true, command: { name, id, ...(status ? { status } : {}), ...(eta !== undefined ? { eta } : {}) } };
    }
    case 'resolve':
      return id ? { ok: true, command: { name, id } } : fail({ problem: 'usage' });
    case 'list':
      return { ok: true, command: { name } };
    default:
      return fail({ problem: 'usage' });
  }
}

// --- Answers ---------------------------------------------------------------------------------

/**
 * The answer to a command that cannot run, in the team's language; `usage` is the platform's
 * own usage line for the command ("/linka claim T-2026-00042").
 */
export function problemText(p: CommandProblem, lang: Lang, usage: string): string {
  const usageLine = t(lang, 'team.usage', { usage });
  switch (p.problem) {
    case 'usage':
      return usageLine;
    case 'notFound':
      return `${t(lang, 'team.notFound', { number: p.typed })}\n${usageLine}`;
    case 'badDuration':
      return t(lang, 'team.badDuration');
    case 'badCategory':
      return t(lang, 'team.badCategory');
    case 'badTime':
      return t(lang, 'team.badTime');
    case 'badStatus':
      return t(lang, 'team.outageBadStatus');
  }
}

/** A row of the queue listing (what the queue's `open()` gives). */
export interface QueueRow {
  number: string;
  category: string;
  status: string;
  claimedByName: string | null;
  deadline: Date | null;
  /** Shown after the reaction deadline when the tier promises a resolution. */
  resolutionDeadline?: Date | null;
  customer: { name: string } | null;
  /** An emergency comes first and is marked (see isEmergency in src/domain/sla.ts). */
  emergency?: boolean;
  workCategory?: string;
}

/** The most tickets one listing shows (the digest has the rest). */
export const MAX_QUEUE_LINES = 40;

/**
 * The answer to "queue": open and claimed tickets in the order given (most urgent first), one
 * line each, at most MAX_QUEUE_LINES of them and, with `maxChars`, within that many characters;
 * a cut listing ends with "…". `escape` makes text Linka did not write (customer and technician
 * names) safe in the platform's markup.
 */
export function queueListing(
  rows: readonly QueueRow[],
  opts: { lang: Lang; timezone: string; now: Date; escape?: (text: string) => string; maxChars?: number },
): string {
  const { lang, timezone, now } = opts;
  const escapeText = opts.escape ?? ((s: string) => s);
  if (rows.length === 0) return t(lang, 'team.queueEmpty');
  const lines = [t(lang, 'team.queueTitle', { count: rows.length })];
  let length = (lines[0] as string).length;
  for (const [i, r] of rows.entries()) {
    const problemKey = `problem.${r.category}`;
    const line =
      (isEmergency(r) ? `${EMERGENCY_MARK} ` : '') +
      t(lang, 'team.queueLine', {
        number: r.number,
        problem: isMessageKey(problemKey) ? t(lang, problemKey) : r.category,
        customer: r.customer ? escapeText(r.customer.name) : t(lang, 'team.unknownCustomer'),
        state: r.status === 'claimed' ? t(lang, 'team.state.claimed', { name: escapeText(r.claimedByName ?? '?') }) : t(lang, 'team.state.open'),
        deadline:
          (r.deadline ? `${localTime(r.deadline, timezone, lang)} (${timeLeft(r.deadline, now, lang)})` : t(lang, 'team.noDeadline')) +
          (r.resolutionDeadline ? ` · ${resolutionLine(r.resolutionDeadline, now, timezone, lang)}` : ''),
      });
    // Room is kept for the "\n…" that ends a cut listing.
    if (i >= MAX_QUEUE_LINES || (opts.maxChars !== undefined && length + 1 + line.length > opts.maxChars - 2)) {
      lines.push('…');
      break;
    }
    lines.push(line);
    length += 1 + line.length;
  }
  return lines.join('\n');
}
