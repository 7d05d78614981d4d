/**
 * The e-mails queued as a side of another change, in its transaction (docs/architecture.md,
 * rule 7; docs/email.md, "What customers receive"): the written copies of a customer's answer to
 * paid work (to the customer and to config mail.companyAddress), and the confirmation of a new
 * ticket for a customer who wants their notices by e-mail. Nothing is queued while e-mail is off.
 */
import { companyConsentCopyMail, type ConsentCopy, consentCopyMail, ticketConfirmationMail, type TicketConfirmation } from '../domain/mail-docs.js';
import { normalizeAddress } from '../domain/mail.js';
import type { Lang } from '../engine/types.js';
import { customerById } from '../store/customers.js';
import type { Tx } from '../store/types.js';
import { queueMail } from './mail-out.js';
import { asLang } from './notice-recipients.js';

/** Whether Linka sends e-mail (SMTP_URL and mail.from set), and what its own mails need. */
export interface MailSettings {
  on: boolean;
  /** config mail.companyAddress: the company's copy of every consent; null: none. */
  companyAddress: string | null;
  companyName: string;
  timezone: string;
  teamLanguage: Lang;
  /** Whether the support mailbox is read (IMAP_URL): only then do mails invite a reply. */
  repliesRead: boolean;
}

/** The address a customer's own e-mails go to, or null (none on record, or not an address). */
export function customerAddress(c: { email: string | null }): string | null {
  return normalizeAddress(c.email);
}

/**
 * Queues the written record of a customer's answer to an offer of paid work: to the customer's
 * address (in the language the terms were quoted in) and to the company's (in the team's
 * language). Both for an agreement and for a refusal: each is the customer's word on paid work.
 * Returns how many were queued.
 */
export async function queueConsentCopies(
  tx: Tx,
  mail: MailSettings | undefined,
  args: Omit<ConsentCopy, 'customer'> & { ticketId: string; customerId: string | null; termsLang: string | null },
): Promise<number> {
  if (!mail?.on) return 0;
  const customer = args.customerId ? await customerById(tx, args.customerId) : null;
  const record: ConsentCopy = { ...args, customer: customer ? { name: customer.name, contract: customer.contractNumber } : null };
  const brand = { companyName: mail.companyName, timezone: mail.timezone, repliesRead: mail.repliesRead };
  let queued = 0;
  const own = customer ? customerAddress(customer) : null;
  if (own) {
    const lang = asLang(args.termsLang ?? customer?.language);
    await queueMail(tx, { mail: consentCopyMail(own, record, lang, brand), ticketId: args.ticketId, now: args.at });
    queued += 1;
  }
  const company = normalizeAddress(mail.companyAddress);
  if (company) {
    await queueMail(tx, { mail: companyConsentCopyMail(company, record, mail.teamLanguage, brand), ticketId: args.ticketId, now: args.at });
    queued += 1;
  }
  return queued;
}

/**
 * Queues the confirmation of a new ticket by e-mail when its customer prefers e-mail for their
 * notices and has an address, and the conversation is not itself e-mail (that one is answered
 * by e-mail already). Returns whether it queued one.
 */
export async function queueTicketConfirmation(
  tx: Tx,
  mail: MailSettings | undefined,
  args: {
    customer: { email: string | null; noticeChannel: string | null } | null;
    channel: string;
    ticket: { id: string } & TicketConfirmation;
    lang: Lang;
    now: Date;
  },
): Promise<boolean> {
  if (!mail?.on || args.channel === 'email' || args.customer?.noticeChannel !== 'email') return false;
  const to = customerAddress(args.customer);
  if (!to) return false;
  const { id, ...confirmation } = args.ticket;
  await queueMail(tx, {
    mail: ticketConfirmationMail(to, confirmation, args.lang, { companyName: mail.companyName, timezone: mail.timezone, repliesRead: mail.repliesRead }),
    ticketId: id,
    now: args.now,
  });
  return true;
}
