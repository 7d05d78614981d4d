/**
 * Reading the support mailbox with imapflow (IMAP_URL: imap:// or imaps://, user and password in
 * the URL). On start, on every new message the server announces (IDLE) and every
 * `mail.pollSeconds`, the unseen messages of `mail.inbox` are handed one by one to the mail
 * inbox (src/runtime/mail-inbox.ts), then flagged \Seen and moved to `mail.processedFolder`: a
 * restart reads nothing twice (and the inbox de-duplicates by Message-ID besides). A message whose
 * handling failed stays unseen and is tried again next round. A lost connection is made again
 * with back-off. The password is never logged.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from '../../src/observability/logger.js';
import type { MailInbox, ReceivedMail } from '../../src/runtime/ports.js';

export interface MailboxSettings {
  /** IMAP_URL. */
  url: string;
  inbox: string;
  processedFolder: string;
  pollSeconds: number;
  log: Logger;
  parse(raw: Buffer): Promise<ReceivedMail>;
}

/** The longest wait between attempts to connect again. */
const MAX_BACKOFF_MS = 60_000;

/** The IMAP connection settings of an IMAP_URL (for logs: host, port and user only). */
function connection(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
  };
}

/** A reader of the support mailbox; `start` hands its messages to `inbox`. */
export function createMailboxReader(settings: MailboxSettings): { start(inbox: MailInbox): void; stop(): Promise<void> } {
  const conn = connection(settings.url);
  const where = { host: conn.host, port: conn.port, user: conn.user, folder: settings.inbox };
  let inbox: MailInbox | null = null;
  let client: ImapFlow | null = null;
  let stopped = false;
  let failures = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | null = null;
  let again = false;

  async function connect(): Promise<void> {
    const c = new ImapFlow({ host: conn.host, port: conn.port, secure: conn.secure, auth: { user: conn.user, pass: conn.pass }, logger: false });
    c.on('error', (err: Error) => settings.log.warn({ ...where, err: err.message }, 'mailbox: connection error'));
    c.on('close', () => {
      if (client === c) client = null;
      if (!stopped) retry();
    });
    c.on('exists', () => read());
    await c.connect();
    await c.mailboxOpen(settings.inbox);
    const folders = await c.list();
    if (!folders.some((f) => f.path === settings.processedFolder)) await c.mailboxCreate(settings.processedFolder);
    client = c;
    failures = 0;
    settings.log.info(where, 'mailbox: connected');
    read();
  }

  function retry(): void {
    if (stopped || retryTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 6));
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((err: Error) => {
        settings.log.warn({ ...where, err: err.message, retryInMs: Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 6)) }, 'mailbox: cannot connect');
        retry();
      });
    }, delay);
  }

  /** One round (or another one after the running round, when asked while it runs). */
  function read(): void {
    if (reading) {
      again = true;
      return;
    }
    reading = (async () => {
      do {
        again = false;
        await readUnseen();
      } while (again && !stopped);
    })().finally(() => {
      reading = null;
    });
  }

  async function readUnseen(): Promise<void> {
    const c = client;
    if (!c || !inbox || stopped) return;
    try {
      const uids = (await c.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids) {
        if (stopped) return;
        const msg = await c.fetchOne(String(uid), { source: true }, { uid: true });
        if (msg === false || !msg.source) continue;
        try {
          const receipt = await inbox.receive(await settings.parse(msg.source));
          settings.log.debug({ uid, outcome: receipt.outcome }, 'mailbox: message handled');
        } catch (err) {
          settings.log.warn({ uid, err: String((err as Error).message ?? err) }, 'mailbox: handling a message failed; it stays unseen and is tried again');
          continue;
        }
        await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        await c.messageMove(String(uid), settings.processedFolder, { uid: true });
      }
    } catch (err) {
      settings.log.warn({ ...where, err: String((err as Error).message ?? err) }, 'mailbox: reading failed');
    }
  }

  return {
    start(mailInbox) {
      inbox = mailInbox;
      stopped = false;
      connect().catch((err: Error) => {
        settings.log.warn({ ...where, err: err.message }, 'mailbox: cannot connect');
        retry();
      });
      pollTimer = setInterval(() => read(), settings.pollSeconds * 1000);
      pollTimer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(pollTimer);
      clearTimeout(retryTimer);
      await reading?.catch(() => undefined);
      const c = client;
      client = null;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
