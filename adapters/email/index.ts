/**
 * The e-mail channel (docs/email.md): replies and composed messages go out through SMTP
 * (SMTP_URL, sender `mail.from`); the support mailbox (IMAP_URL) is read for customers' e-mails.
 * Only translates: the dispatcher and the mail runtime decide.
 */
import type { Lang } from '../../src/shared/lang.js';
import type { Logger } from '../../src/observability/logger.js';
import { addressOfConversation, outboxMessageId } from '../../src/domain/mail.js';
import { LinkaError } from '../../src/errors.js';
import type { ChannelAdapter, ChannelPort, MailPort } from '../../src/runtime/ports.js';
import { renderMailReply } from './render.js';
import { createSmtpPort, credentialsProblem } from './smtp.js';
import { createMailboxReader } from './imap.js';
import { parseMail } from './parse.js';

export { renderMailReply, threadSubject } from './render.js';
export { createSmtpPort, smtpUrlProblem } from './smtp.js';
export { htmlToSafeText, parseMail } from './parse.js';

/** What is wrong with an IMAP_URL, or null; never throws. */
export function imapUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return 'IMAP_URL is not a URL ("imaps://user:password@host:993" or "imap://...:143")';
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') return `IMAP_URL must start with imap:// or imaps://, not ${u.protocol}//`;
  if (!u.hostname || !u.username) return 'IMAP_URL needs a host and the mailbox user (imaps://user:password@host)';
  return credentialsProblem('IMAP_URL', u);
}

/** The smallest size limit of a whole message (config mail.maxAttachmentBytes may ask for more). */
const MIN_MESSAGE_LIMIT = 25 * 1024 * 1024;

/** The size over which a message of the support mailbox is not downloaded: 25 MB, or 6 attachments' limits when larger. */
export function maxMessageBytes(maxAttachmentBytes: number): number {
  return Math.max(MIN_MESSAGE_LIMIT, 6 * maxAttachmentBytes);
}

export interface EmailConfig {
  /** SMTP_URL. */
  smtpUrl: string;
  /** IMAP_URL; null: mail is only sent. */
  imapUrl: string | null;
  mail: { from: string; inbox: string; processedFolder: string; pollSeconds: number; maxAttachmentBytes: number };
  companyName: string;
  defaultLanguage: Lang;
  /** config tickets.prefix: a ticket's number in a subject. */
  ticketPrefix: string;
  log: Logger;
  /** One SMTP call's time limit; a timeout is retried by the outbox. */
  timeoutMs: number;
}

/** Creates the e-mail channel: its reply port, its port for composed messages, and the mailbox reader. */
export function createEmailAdapter(config: EmailConfig): ChannelAdapter & { mail: MailPort } {
  const smtp = createSmtpPort({ url: config.smtpUrl, from: config.mail.from, timeoutMs: config.timeoutMs, log: config.log });
  const port: ChannelPort = {
    channel: 'email',
    async send(conversationId, reply, context) {
      const to = addressOfConversation(conversationId);
      if (!to) throw new LinkaError('undeliverable', `e-mail: ${conversationId} is not an e-mail conversation`, { platform: 'email', permanent: true });
      if (!context?.thread) throw new LinkaError('unknown_effect', 'e-mail: a reply needs its thread', { platform: 'email', permanent: true });
      const mail = renderMailReply(to, reply, context.thread, { companyName: config.companyName, defaultLanguage: config.defaultLanguage });
      return smtp.sendMail(mail, outboxMessageId(context.outboxId, conversationId, smtp.domain));
    },
  };
  const reader = config.imapUrl
    ? createMailboxReader({
        url: config.imapUrl,
        inbox: config.mail.inbox,
        processedFolder: config.mail.processedFolder,
        pollSeconds: config.mail.pollSeconds,
        maxMessageBytes: maxMessageBytes(config.mail.maxAttachmentBytes),
        log: config.log,
        parse: parseMail,
      })
    : null;
  return {
    port,
    mail: smtp,
    routes: () => [],
    start(deps) {
      if (!reader) return;
      if (!deps.mailInbox) {
        config.log.warn({}, 'e-mail: the support mailbox is set (IMAP_URL) but nothing handles its messages; not reading it');
        return;
      }
      reader.start(deps.mailInbox);
    },
    async stop() {
      await reader?.stop();
      smtp.close();
    },
  };
}
