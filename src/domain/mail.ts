/**
 * E-mail's pure rules (docs/email.md): addresses, header-safe text, which mail is automatic and
 * never answered, the customer's own words of a reply, and a ticket's number in a subject.
 */

/** An address as people write it: `podpora@example.cz` or `Podpora Linka <podpora@example.cz>`. */
export interface Mailbox {
  name: string | null;
  /** Lower-cased: addresses are compared and stored this way. */
  address: string;
}

/** A plain address: one @, no spaces, no angle brackets or line breaks, a dotted domain. */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The address `s` names, or null when it is not one address (a line break or a list is never one). */
export function mailboxAddress(s: string): Mailbox | null {
  const text = s.trim();
  if (/[\r\n\0]/.test(text) || text.length > 320) return null;
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(text);
  const address = ((named ? named[2] : text) ?? '').trim();
  if (!ADDRESS.test(address)) return null;
  const name = named
    ? (named[1] ?? '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim()
    : '';
  return { name: name || null, address: address.toLowerCase() };
}

/** The lower-cased address, or null when `s` is not a single plain address. */
export function normalizeAddress(s: string | null | undefined): string | null {
  if (!s) return null;
  const m = mailboxAddress(s);
  return m && m.name === null ? m.address : (m?.address ?? null);
}

/** The conversation id of an address ("email:jana@example.cz"), the e-mail channel's opaque id. */
export function emailConversationId(address: string): string {
  return `email:${address.toLowerCase()}`;
}

/** The address of an e-mail conversation id, or null for another channel's. */
export function addressOfConversation(conversationId: string): string | null {
  return conversationId.startsWith('email:') ? conversationId.slice('email:'.length) : null;
}

/**
 * Text fit for a header (a subject, a display name): every line break, tab and control character
 * becomes one space, so a customer's name or a technician's words can never start a new header.
 */
export function headerSafe(s: string, max = 200): string {
  const flat = s
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** The headers of an incoming message that decide whether it is automatic (lower-case names). */
export interface AutomaticSigns {
  /** The addresses of the From header, parsed (a comment or a display name is not part of one). */
  from: readonly string[];
  autoSubmitted?: string | null;
  precedence?: string | null;
  xAutoreply?: string | null;
  listId?: string | null;
  listUnsubscribe?: string | null;
  returnPath?: string | null;
  contentType?: string | null;
}

/** Why an incoming message is never answered, or null when a person wrote it. */
export type AutomaticKind = 'own' | 'bounce' | 'auto_reply' | 'list';

/**
 * Whether `m` is a message no one may answer (RFC 3834): Linka's own, a delivery status
 * notification (a bounce), an auto-reply or out-of-office, or list and bulk mail.
 */
export function automaticKind(m: AutomaticSigns, ownAddresses: readonly string[]): AutomaticKind | null {
  const from = m.from.map((a) => a.trim().toLowerCase()).filter(Boolean);
  const own = new Set(ownAddresses.map((a) => a.trim().toLowerCase()));
  if (from.some((a) => own.has(a))) return 'own';
  const type = (m.contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/report') || type.startsWith('message/delivery-status')) return 'bounce';
  if (m.returnPath !== undefined && m.returnPath !== null && /^<?>?$/.test(m.returnPath.trim())) return 'bounce';
  if (from.some((a) => /^(mailer-daemon|postmaster)@/.test(a))) return 'bounce';
  const auto = (m.autoSubmitted ?? '').trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto_reply';
  // Not X-Auto-Response-Suppress: it asks others not to answer automatically, and a person's
  // mail from Exchange carries it too; real auto-replies carry Auto-Submitted.
  if (m.xAutoreply?.trim()) return 'auto_reply';
  const precedence = (m.precedence ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply') return 'auto_reply';
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk') return 'list';
  if (m.listId?.trim() || m.listUnsubscribe?.trim()) return 'list';
  return null;
}

/** Lines that begin the quoted earlier message in a reply ("Dne 5. 12. 2026 napsal(a):", "On ... wrote:"). */
const QUOTE_HEADER = [
  /^-{2,}\s*(original message|původní zpráva|pôvodná správa|forwarded message|přeposlaná zpráva)\s*-{2,}$/i,
  // The verb last ("... Podpora napsal(a):") or before the name ("... napsal(a) Podpora:").
  /^(on|dne|d[ňn]a|v)\s.+(wrote|napsal|napsala|napsal\(a\)|napísal|napísala|napísal\(a\))(\s.*)?:$/i,
  /^(from|od):\s.+/i,
];

/**
 * The customer's own words of a reply: the text above the quoted earlier message and the
 * signature separator ("-- "), without trailing blank lines. The whole text when that is empty.
 */
export function ownWords(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (line === '-- ' || line === '--') break;
    if (t.startsWith('>')) break;
    if (QUOTE_HEADER.some((re) => re.test(t))) break;
    kept.push(line.trimEnd());
  }
  const words = kept.join('\n').trim();
  return words || text.trim();
}

/** The ticket number in a subject ("Re: [T-2026-00042] ..."), upper-cased, or null. */
export function ticketInSubject(subject: string, prefix: string): string | null {
  const p = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`\\[\\s*(${p}-\\d{4}-\\d{1,6})\\s*\\]`, 'i').exec(subject);
  return m?.[1] ? m[1].toUpperCase() : null;
}

/** A subject without its "Re:", "Fwd:", "Odp:" prefixes and without the ticket's tag. */
export function bareSubject(subject: string): string {
  return subject
    .replace(/^\s*((re|fw|fwd|odp|aw|sv|vs)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\[[^\]]*-\d{4}-\d+\]\s*/g, '')
    .trim();
}

/** The domain part of an address, for Message-IDs ("example.cz"). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'linka.invalid';
}

/** Message-IDs as mail clients compare them: `<...>`, trimmed. */
export function messageIdsIn(header: string | string[] | null | undefined): string[] {
  const all = Array.isArray(header) ? header.join(' ') : (header ?? '');
  return [...all.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
}

/**
 * The Message-ID of an outbox item's e-mail: the same for every attempt (the per-item key: a
 * message sent again after a crash is recognisably the same one, and mail clients show it once),
 * different for every item.
 */
export function outboxMessageId(outboxId: number, target: string, domain: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${outboxId}\n${target}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `<linka.${outboxId}.${h.toString(36)}@${domain}>`;
}
