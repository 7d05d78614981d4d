/**
 * The files customers send by e-mail (docs/email.md, "Receiving"): kept with the ticket the
 * e-mail opened or joined (or with the conversation until its ticket opens, then moved to it),
 * size- and count-limited, each told to the technicians' thread with its console link.
 */
import { headerSafe } from '../domain/mail.js';
import type { Lang } from '../shared/lang.js';
import { t } from '../messages/index.js';
import { toTeam } from '../services/enqueue-team-posts.js';
import { loadConversation, stateOf } from '../store/conversations.js';
import { adoptSessionAttachments, saveAttachment } from '../store/mail.js';
import { insertMessage } from '../store/messages.js';
import type { Tx } from '../store/types.js';
import type { ReceivedMail } from './ports.js';

/** The most attachments of one e-mail looked at (kept or refused); the rest are only counted. */
export const MAX_ATTACHMENTS = 20;

export type Part = ReceivedMail['attachments'][number];

/** What the technicians' lines need. */
export interface AttachmentSettings {
  maxAttachmentBytes: number;
  teamLanguage: Lang;
  teamPlatforms: readonly string[];
  publicUrl: string | null;
}

/** The chosen attachments of one e-mail. */
export interface Picked {
  kept: Part[];
  refused: Part[];
  /** How many were past MAX_ATTACHMENTS and not looked at. */
  skipped: number;
}

/**
 * The attachments kept (each at most `max`, all together at most 5 times that, at most
 * MAX_ATTACHMENTS looked at), those refused for their size, and how many were not looked at.
 */
export function pickAttachments(parts: readonly Part[], max: number): Picked {
  const kept: Part[] = [];
  const refused: Part[] = [];
  let total = 0;
  for (const part of parts.slice(0, MAX_ATTACHMENTS)) {
    if (part.size > max || total + part.size > 5 * max) refused.push(part);
    else {
      kept.push(part);
      total += part.size;
    }
  }
  return { kept, refused, skipped: Math.max(0, parts.length - MAX_ATTACHMENTS) };
}

function attachmentLine(s: AttachmentSettings, a: { id: string; filename: string; size: number }): string {
  const link = `${(s.publicUrl ?? '').replace(/\/+$/, '')}/console/attachments/${a.id}`;
  return t(s.teamLanguage, 'team.mailAttachment', { name: a.filename, size: sizeText(a.size), link });
}

/**
 * Stores the kept attachments with the ticket (or the conversation) and tells the technicians
 * about each, about the refused ones, and how many were not looked at: a line each in the
 * history, and in the ticket's thread when there is a ticket.
 */
export async function keepAttachments(
  tx: Tx,
  s: AttachmentSettings,
  a: { conversationId: string; messageId: string; ticket: { id: string; number: string } | null; picked: Picked; now: Date },
): Promise<void> {
  const { kept, refused, skipped } = a.picked;
  if (kept.length === 0 && refused.length === 0 && skipped === 0) return;
  const conv = await loadConversation(tx, a.conversationId);
  const lines: string[] = [];
  for (const part of kept) {
    const filename = safeFilename(part.filename);
    const id = await saveAttachment(tx, {
      customerId: conv?.customerId ?? null,
      conversationId: a.conversationId,
      ticketId: a.ticket?.id ?? null,
      messageId: a.messageId,
      filename,
      contentType: headerSafe(part.contentType, 100) || 'application/octet-stream',
      data: part.content,
      createdAt: a.now,
    });
    lines.push(attachmentLine(s, { id, filename, size: part.size }));
  }
  for (const part of refused) {
    const params = { name: safeFilename(part.filename), size: sizeText(part.size), max: sizeText(s.maxAttachmentBytes) };
    lines.push(t(s.teamLanguage, 'team.mailAttachmentTooBig', params));
  }
  if (skipped > 0) lines.push(t(s.teamLanguage, 'team.mailAttachmentsSkipped', { count: skipped, max: MAX_ATTACHMENTS }));
  for (const text of lines) {
    await insertMessage(tx, {
      conversationId: a.conversationId,
      channel: 'email',
      direction: 'system',
      kind: 'system',
      text,
      ticketId: a.ticket?.id,
      createdAt: a.now,
    });
    if (a.ticket) await toTeam(tx, s.teamPlatforms, a.ticket, { kind: 'thread', text }, a.now);
  }
}

/**
 * When the conversation's ticket is `ticket`: the attachments its current session kept before
 * the ticket existed (the first e-mail only got a question back) move to it, and the
 * technicians' thread gets their lines (the history has them already, joined with the session).
 */
export async function adoptEarlierAttachments(
  tx: Tx,
  s: AttachmentSettings,
  a: { conversationId: string; ticket: { id: string; number: string; customerId: string | null }; now: Date },
): Promise<void> {
  const conv = await loadConversation(tx, a.conversationId);
  // Only the session's own ticket: a reply to an older ticket takes nothing of the current session.
  if (!conv || stateOf(conv).ticketNumber !== a.ticket.number) return;
  const adopted = await adoptSessionAttachments(tx, {
    conversationId: a.conversationId,
    since: conv.sessionStartedAt,
    ticketId: a.ticket.id,
    customerId: a.ticket.customerId,
  });
  for (const file of adopted) await toTeam(tx, s.teamPlatforms, a.ticket, { kind: 'thread', text: attachmentLine(s, file) }, a.now);
}

/** A file name fit for a header and a download: one line, no path, no quotes; "attachment" when nothing is left. */
export function safeFilename(name: string): string {
  const flat = headerSafe(name, 120)
    .replace(/[\\/"<>:|?*]+/g, '_')
    .replace(/^\.+/, '')
    .trim();
  return flat || 'attachment';
}

/** "830 B", "12 kB", "5.2 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
