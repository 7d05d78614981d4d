/**
 * An e-mail's body, built once as plain text and as HTML from the same blocks. Every piece of
 * text is escaped where it goes into HTML: a customer's name or a technician's words are shown,
 * never interpreted as markup.
 */
import type { Lang } from '../shared/lang.js';

/** What an outgoing e-mail needs to join its thread. */
export interface MailThread {
  /** The ticket the message belongs to, if any. */
  ticketNumber: string | null;
  /** The subject the customer wrote (of the ticket's first e-mail, else the conversation's latest); null when they never wrote one. */
  subject: string | null;
  /** The message it answers: the customer's latest e-mail in the thread, else Linka's latest. */
  inReplyTo: string | null;
  /** The thread's Message-IDs, oldest first (at most 20: the first and the latest ones). */
  references: string[];
  /** The conversation's language now (its engine state's). */
  lang: Lang | null;
}

/** A file sent with an e-mail (a statement's CSV). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  /** The content, base64: it travels in the outbox row as JSON. */
  contentBase64: string;
}

/**
 * One e-mail as Linka composes it (src/services/mail-out.ts): every field is plain data, so it
 * waits in the outbox. The port encodes the headers; `subject` and names are made header-safe first.
 */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Threading: the message this one answers and the thread's earlier ones (with angle brackets). */
  inReplyTo?: string | null;
  references?: string[];
  /** Sent by Linka on its own (a confirmation, a copy, a statement, a reminder): `Auto-Submitted: auto-generated`. */
  autoSubmitted: boolean;
  attachments?: MailAttachment[];
}

/** One part of a body. */
export type MailBlock =
  /** A paragraph; line breaks are kept. */
  | { kind: 'p'; text: string }
  /** Quoted words (the customer's answer, the terms shown): indented in text, a blockquote in HTML. */
  | { kind: 'quote'; text: string }
  /** Labelled values ("Požadavek: T-2026-00042"). */
  | { kind: 'fields'; items: ReadonlyArray<readonly [string, string]> }
  /** A table; `right` marks the columns aligned right (amounts). `foot`: a last, bold row. */
  | { kind: 'table'; head: readonly string[]; rows: ReadonlyArray<readonly string[]>; right?: readonly number[]; foot?: readonly string[] }
  /** A numbered list (a reply's choices). */
  | { kind: 'list'; items: readonly string[] };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` safe as HTML text or an attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const htmlLines = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>\n');

function padTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, right: readonly number[]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The plain-text part. */
export function mailText(blocks: readonly MailBlock[], signature: string): string {
  return `${[...blocks.map(blockText), `-- \n${signature}`].join('\n\n')}\n`;
}

function blockText(b: MailBlock): string {
  switch (b.kind) {
    case 'p':
      return b.text;
    case 'quote':
      return b.text
        .split(/\r?\n/)
        .map((l) => `    ${l}`)
        .join('\n');
    case 'fields':
      return b.items.map(([k, v]) => `${k}: ${v}`).join('\n');
    case 'table':
      return padTable(b.head, b.foot ? [...b.rows, b.foot] : b.rows, b.right ?? []);
    case 'list':
      return b.items.map((item, i) => `${i + 1}. ${item}`).join('\n');
  }
}

const CELL = 'padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top';

/** The HTML part: a small, self-contained document with inline styles (mail clients drop style sheets). */
export function mailHtml(blocks: readonly MailBlock[], signature: string, lang: string, title: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45;color:#111">
${blocks.map(blockHtml).join('\n')}
<p style="color:#555">${htmlLines(signature)}</p>
</body></html>
`;
}

function blockHtml(b: MailBlock): string {
  switch (b.kind) {
    case 'p':
      return `<p>${htmlLines(b.text)}</p>`;
    case 'quote':
      return `<blockquote style="margin:0 0 1em;padding-left:12px;border-left:3px solid #ccc;color:#333">${htmlLines(b.text)}</blockquote>`;
    case 'fields':
      return `<table style="border-collapse:collapse;margin:0 0 1em">${b.items
        .map(([k, v]) => `<tr><th scope="row" style="${CELL};font-weight:600">${escapeHtml(k)}</th><td style="${CELL}">${htmlLines(v)}</td></tr>`)
        .join('')}</table>`;
    case 'table': {
      const align = (i: number) => (b.right?.includes(i) ? ';text-align:right' : '');
      const head = b.head.map((h, i) => `<th scope="col" style="${CELL};background:#f3f3f3${align(i)}">${escapeHtml(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td style="${CELL}${align(i)}">${htmlLines(c)}</td>`).join('')}</tr>`).join('\n');
      const foot = b.foot
        ? `<tfoot><tr>${b.foot.map((c, i) => `<td style="${CELL};font-weight:700${align(i)}">${escapeHtml(c)}</td>`).join('')}</tr></tfoot>`
        : '';
      return `<table style="border-collapse:collapse;margin:0 0 1em"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody>${foot}</table>`;
    }
    case 'list':
      return `<ol>${b.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>`;
  }
}
