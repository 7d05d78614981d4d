/**
 * A raw message from the support mailbox -> ReceivedMail (src/runtime/ports.ts), with mailparser:
 * the sender, the subject, the text (the plain part, or the HTML part reduced to safe text with
 * html-to-text: no markup, no scripts or styles, links as text), threading headers, the headers
 * that tell automatic mail, and the attachments. Only translates; src/runtime/mail-inbox.ts decides.
 */
import { convert } from 'html-to-text';
import { type AddressObject, simpleParser } from 'mailparser';
import { mailboxAddress, messageIdsIn } from '../../src/domain/mail.js';
import type { ReceivedMail } from '../../src/runtime/ports.js';

/** The HTML of a message as plain text: what a technician's channel may show. */
export function htmlToSafeText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkIfSameAsText: true } },
    ],
  })
    .replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ''))
    .trim();
}

/** The value of the first header `name` (lower-case), unfolded, or null. */
function header(lines: ReadonlyArray<{ key: string; line: string }>, name: string): string | null {
  const found = lines.find((l) => l.key === name);
  if (!found) return null;
  const i = found.line.indexOf(':');
  return found.line
    .slice(i + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** Every address of a From header (groups flattened), lower-cased, with its display name. */
function addresses(from: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string | null }> {
  const out: Array<{ address: string; name: string | null }> = [];
  const walk = (values: AddressObject['value']) => {
    for (const v of values) {
      if (v.group) walk(v.group);
      const found = v.address ? mailboxAddress(v.address) : null;
      if (found) out.push({ address: found.address, name: v.name?.trim() || null });
    }
  };
  for (const group of Array.isArray(from) ? from : from ? [from] : []) walk(group.value);
  return out;
}

/** Parses one raw message. */
export async function parseMail(raw: Buffer | string): Promise<ReceivedMail> {
  const m = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const lines = m.headerLines;
  const senders = addresses(m.from);
  const text = typeof m.text === 'string' && m.text.trim() ? m.text : typeof m.html === 'string' ? htmlToSafeText(m.html) : '';
  return {
    messageId: messageIdsIn(m.messageId ?? '')[0] ?? null,
    from: senders[0] ?? null,
    subject: m.subject ?? '',
    text: text.replace(/\r\n?/g, '\n'),
    inReplyTo: messageIdsIn(m.inReplyTo ?? '')[0] ?? null,
    references: messageIdsIn(m.references ?? []),
    signs: {
      from: senders.map((a) => a.address),
      autoSubmitted: header(lines, 'auto-submitted'),
      precedence: header(lines, 'precedence'),
      xAutoreply: header(lines, 'x-autoreply'),
      listId: header(lines, 'list-id'),
      listUnsubscribe: header(lines, 'list-unsubscribe'),
      returnPath: header(lines, 'return-path'),
      contentType: header(lines, 'content-type'),
    },
    date: m.date && !Number.isNaN(m.date.getTime()) ? m.date : null,
    attachments: m.attachments
      .filter((a) => a.contentDisposition === 'attachment' || a.filename)
      .map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType || 'application/octet-stream',
        size: a.size ?? a.content.length,
        content: a.content,
      })),
  };
}
