/**
 * A ticket shown to one technician who asked for it (`/linka ticket T-2026-42` on Slack and
 * Discord): its card's facts, the customer's answers, then the whole history in order (what the
 * customer wrote, what Linka and the technicians answered, records, internal notes and the
 * ticket's events). Pure: the rows, the clock and the time zone come in.
 */
import { isMessageKey, t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { localTime } from './date-format.js';
import { type CardInput, ticketCard } from './ticket-card.js';

/** A message of the ticket's history (src/store's Message row). */
export interface DetailMessage {
  direction: string;
  text: string;
  createdAt: Date;
  status?: string | null;
}

/** An event of the ticket's audit trail (src/store's TicketEvent row). */
export interface DetailEvent {
  type: string;
  actor: string;
  data: unknown;
  createdAt: Date;
}

/** The events already in the history as messages (the customer's and the technician's words). */
const SHOWN_AS_MESSAGES = new Set(['customer_message', 'technician_message']);

/** One event in words: "Petr převzal(a) požadavek.", "Interní poznámka (Petr): …". */
export function eventText(e: DetailEvent, lang: Lang): string {
  const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>;
  const name = typeof data.name === 'string' ? data.name : e.actor;
  const params: Record<string, string | number> = { name };
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string' || typeof v === 'number') params[k] ??= v;
  const key = `team.history.${e.type}`;
  return isMessageKey(key) ? t(lang, key, params) : t(lang, 'team.history.other', { type: e.type, name });
}

/** A history line's text on one line: the text's own line breaks become " / ", and long texts are cut. */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s*\n+\s*/g, ' / ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The ticket as text, within `maxChars` (a platform's limit for one private answer): when the
 * history does not fit, its oldest lines are left out and a line says how many.
 */
export function ticketDetail(
  input: CardInput & { messages: readonly DetailMessage[]; events: readonly DetailEvent[] },
  opts: { timeZone: string; lang: Lang; now: Date; maxChars: number; escape?: (text: string) => string },
): string {
  const { lang, timeZone } = opts;
  const esc = opts.escape ?? ((s: string) => s);
  const card = ticketCard(input, opts);
  const head = [
    `${esc(card.title)} · ${card.state}`,
    ...card.fields.map((f) => `${f.label}: ${esc(f.value)}`),
    ...(card.summary ? [esc(card.summary)] : []),
    t(lang, 'team.history.title'),
  ].join('\n');
  const lines = [
    ...input.messages.map((m) => ({
      at: m.createdAt,
      text: `${t(lang, `team.history.${m.direction === 'in' ? 'in' : m.direction === 'out' ? 'out' : 'system'}`)}: ${esc(oneLine(m.text))}${m.status === 'failed' || m.status === 'undelivered' ? ` ${t(lang, 'team.history.undelivered')}` : ''}`,
    })),
    ...input.events.filter((e) => !SHOWN_AS_MESSAGES.has(e.type)).map((e) => ({ at: e.createdAt, text: esc(oneLine(eventText(e, lang))) })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((l) => `${localTime(l.at, timeZone, lang)} · ${l.text}`);
  if (lines.length === 0) return `${head}\n${t(lang, 'team.history.empty')}`;
  // The newest lines are kept: they are what the technician needs to go on.
  let kept = lines.length;
  const fits = (n: number) => {
    const cut = lines.length - n;
    const text = [head, ...(cut > 0 ? [t(lang, 'team.history.older', { count: cut })] : []), ...lines.slice(cut)].join('\n');
    return text.length <= opts.maxChars ? text : null;
  };
  for (; kept > 0; kept--) {
    const text = fits(kept);
    if (text) return text;
  }
  const text = fits(0) ?? head;
  return text.length <= opts.maxChars ? text : `${text.slice(0, opts.maxChars - 1)}…`;
}
