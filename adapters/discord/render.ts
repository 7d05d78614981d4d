/**
 * Linka -> Discord payloads: a ticket card as a message with an embed and a row of
 * buttons, thread and channel text, interaction responses.
 * Text that came from customers is escaped, and no message may mention anyone.
 */
import { escapeMarkdown } from '@discordjs/formatters';
import type { TicketCard } from '../../src/domain/ticket-card.js';
import { fillOnCall } from '../../src/services/enqueue-team-posts.js';
import { customIdOf } from './parse.js';

/** Discord's limits (characters). */
export const LIMITS = { content: 2000, title: 256, description: 4096, fieldName: 256, fieldValue: 1024, fields: 25 } as const;

/** Embed colours by ticket status: waiting (orange), in progress (blue), resolved (green). */
export const STATUS_COLOURS: Record<TicketCard['status'], number> = { open: 0xe67e22, claimed: 0x3498db, resolved: 0x2ecc71 };

/** Button styles (Discord API v10): primary, secondary, danger. */
const BUTTON_STYLES = { primary: 1, default: 2, danger: 4 } as const;

/** Interaction response types and the ephemeral flag (Discord API v10). */
export const RESPONSE = { pong: 1, message: 4, deferredUpdate: 6 } as const;
const EPHEMERAL = 64;

/** Nobody is ever pinged by Linka's messages, whatever a customer typed. */
export const NO_MENTIONS = { parse: [] as string[] };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Escapes Discord markdown, masked links included, in text Linka did not write; `lines`
 * also escapes headings and lists at line starts (multi-line text such as a summary).
 */
export function plain(text: string, lines = true): string {
  return escapeMarkdown(text, { maskedLink: true, heading: lines, bulletedList: lines, numberedList: lines });
}

/** The card as a message body for POST/PATCH channels/:id/messages. A resolved ticket has no buttons. */
export function renderCard(card: TicketCard) {
  const description = `**${plain(card.state, false)}**\n\n${plain(card.summary)}`;
  const fields = card.fields.slice(0, LIMITS.fields).map((f) => ({
    name: clip(f.label, LIMITS.fieldName),
    value: clip(plain(f.value, false) || '—', LIMITS.fieldValue),
    inline: f.value.length <= 40,
  }));
  const buttons = card.actions.map((a) => ({
    type: 2,
    style: BUTTON_STYLES[a.style],
    label: clip(a.label, 80),
    custom_id: customIdOf(a.action, card.number),
  }));
  return {
    content: '',
    embeds: [{ title: clip(card.title, LIMITS.title), description: clip(description, LIMITS.description), color: STATUS_COLOURS[card.status], fields }],
    components: buttons.length ? [{ type: 1, components: buttons }] : [],
    allowed_mentions: NO_MENTIONS,
  };
}

/** The ticket number of a card message (its embed title starts with it), or null. */
export function numberOfCardMessage(message: unknown): string | null {
  const title = (message as { embeds?: Array<{ title?: unknown }> } | null)?.embeds?.[0]?.title;
  if (typeof title !== 'string') return null;
  return /^(\S+)/.exec(title)?.[1] ?? null;
}

/** Splits text into messages Discord accepts, at line breaks where possible. */
export function splitContent(text: string, max: number = LIMITS.content): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  parts.push(rest);
  return parts.filter((p) => p.trim() !== '');
}

/** Mentions allowed in a message: nobody, or exactly the on-call people it names. */
export type AllowedMentions = { parse: string[]; users?: string[]; roles?: string[] };

/**
 * A text message (thread, channel); the text is escaped. With `onCall` (config discord.onCall:
 * user ids and "role:<id>"), its `{onCall}` placeholder becomes their mentions and only they are pinged.
 */
export function renderText(text: string, onCall?: readonly string[]): Array<{ content: string; allowed_mentions: AllowedMentions }> {
  if (!onCall) return splitContent(plain(text)).map((content) => ({ content, allowed_mentions: NO_MENTIONS }));
  const roles = onCall.filter((id) => id.startsWith('role:')).map((id) => id.slice('role:'.length));
  const users = onCall.filter((id) => !id.startsWith('role:'));
  const mentions = [...users.map((id) => `<@${id}>`), ...roles.map((id) => `<@&${id}>`)];
  const allowed = { parse: [], users, roles };
  return splitContent(fillOnCall(plain(text), mentions)).map((content) => ({ content, allowed_mentions: allowed }));
}

/** An answer only the technician who acted sees. */
export function ephemeral(content: string) {
  return { type: RESPONSE.message, data: { content: clip(content, LIMITS.content), flags: EPHEMERAL, allowed_mentions: NO_MENTIONS } };
}
