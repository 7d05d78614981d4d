/**
 * Sending through SMTP with nodemailer (SMTP_URL: `smtp://` with STARTTLS when the server offers
 * it, or `smtps://`; credentials in the URL). A refusal with a 5xx code is permanent (the outbox
 * marks the item failed); 4xx, timeouts and broken connections are retried.
 */
import nodemailer from 'nodemailer';
import { domainOf, headerSafe, mailboxAddress, normalizeAddress } from '../../src/domain/mail.js';
import type { OutgoingMail } from '../../src/domain/mail-body.js';
import { LinkaError, platformError } from '../../src/errors.js';
import type { Logger } from '../../src/observability/logger.js';
import type { MailPort } from '../../src/runtime/ports.js';

export interface SmtpSettings {
  /** SMTP_URL. */
  url: string;
  /** config mail.from: "Podpora <podpora@example.cz>" or an address. */
  from: string;
  /** One send's time limit (connection, greeting, socket); a timeout is retried. */
  timeoutMs: number;
  log: Logger;
}

/** What is wrong with an SMTP_URL, or null; never throws. */
export function smtpUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return `SMTP_URL is not a URL ("smtp://user:password@host:587" or "smtps://...:465")`;
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return `SMTP_URL must start with smtp:// or smtps://, not ${u.protocol}//`;
  if (!u.hostname) return 'SMTP_URL has no host';
  return credentialsProblem('SMTP_URL', u);
}

/** A user or password of a mail URL that cannot be decoded (a literal "%"), or null. */
export function credentialsProblem(name: string, u: URL): string | null {
  for (const [what, part] of [
    ['user', u.username],
    ['password', u.password],
  ] as const) {
    try {
      decodeURIComponent(part);
    } catch {
      return `the ${what} in ${name} has a "%" that is not an escape: percent-encode % as %25 (and other special characters too)`;
    }
  }
  return null;
}

/** The nodemailer settings of an SMTP_URL (the password is decoded from the URL, never logged). */
function transportOptions(url: string, timeoutMs: number) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

/** Whether a nodemailer error is a refusal for good: a 5xx reply (but not a rejected login, which an operator fixes). */
function isPermanent(err: { responseCode?: number; code?: string }): boolean {
  const code = err.responseCode ?? 0;
  return code >= 500 && code < 600 && err.code !== 'EAUTH';
}

/** The MailPort over SMTP. */
export function createSmtpPort(settings: SmtpSettings): MailPort & { close(): void } {
  const from = mailboxAddress(settings.from);
  if (!from) throw new LinkaError('config_invalid', `mail.from is not an e-mail address: "${settings.from}"`);
  const transport = nodemailer.createTransport(transportOptions(settings.url, settings.timeoutMs));
  return {
    address: from.address,
    domain: domainOf(from.address),
    async sendMail(mail: OutgoingMail, messageId: string) {
      const to = mail.to.map((a) => normalizeAddress(a));
      if (!to.length || to.some((a) => a === null)) {
        throw new LinkaError('undeliverable', `e-mail: not an address: ${mail.to.map((a) => JSON.stringify(a)).join(', ')}`, {
          platform: 'email',
          permanent: true,
        });
      }
      try {
        const info = await transport.sendMail({
          from: { name: headerSafe(from.name ?? ''), address: from.address },
          to: to as string[],
          subject: headerSafe(mail.subject, 250),
          text: mail.text,
          html: mail.html,
          messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references?.length ? { references: mail.references } : {}),
          headers: mail.autoSubmitted ? { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } : {},
          attachments: (mail.attachments ?? []).map((a) => ({
            filename: headerSafe(a.filename, 120),
            content: a.contentBase64,
            encoding: 'base64',
            contentType: a.contentType,
          })),
        });
        return { platformMessageId: info.messageId || messageId };
      } catch (err) {
        const e = err as { responseCode?: number; code?: string; message?: string };
        throw platformError('email', err, { permanent: isPermanent(e) });
      }
    },
    close() {
      transport.close();
    },
  };
}
