/**
 * Reading the support mailbox with imapflow (IMAP_URL: imap:// or imaps://, user and password in
 * the URL). On start, on every new message the server announces (IDLE) and every
 * `mail.pollSeconds`, every message of `mail.inbox` (seen or not: people may read the mailbox too)
 * is handed one by one to the mail inbox (src/runtime/mail-inbox.ts), then flagged \Seen and moved
 * to `mail.processedFolder`: a restart reads nothing twice (and the inbox de-duplicates by
 * Message-ID besides). A message larger than `maxMessageBytes` is not downloaded: its envelope is
 * recorded and it is moved away. A message whose handling failed stays and is tried again next
 * round; after MAX_FAILURES it is moved to the folder `Failed` beside the processed folder, with
 * an error logged. A lost connection is made again with back-off. The password is never logged.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from '../../src/observability/logger.js';
import type { MailEnvelope, MailInbox, ReceivedMail } from '../../src/runtime/ports.js';

export interface MailboxSettings {
  /** IMAP_URL. */
  url: string;
  inbox: string;
  processedFolder: string;
  pollSeconds: number;
  /** A message larger than this is not downloaded (recorded as too big and moved away). */
  maxMessageBytes: number;
  log: Logger;
  parse(raw: Buffer): Promise<ReceivedMail>;
}

/** The longest wait between attempts to connect again. */
const MAX_BACKOFF_MS = 60_000;
/** How many times a message's handling may fail before it is moved to the failed folder. */
export const MAX_FAILURES = 5;

/** The folder beside `processedFolder` (`Linka/Processed` -> `Linka/Failed`) where failing messages go. */
export function failedFolder(processedFolder: string, delimiter: string): string {
  const at = delimiter ? processedFolder.lastIndexOf(delimiter) : -1;
  return at < 0 ? 'Failed' : `${processedFolder.slice(0, at)}${delimiter}Failed`;
}

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
  let failed = 'Failed';
  let failedExists = false;
  /** Failed handlings per message (UIDVALIDITY:UID), in this process. */
  const failuresOf = new Map<string, number>();

  async function connect(): Promise<void> {
    const c = new ImapFlow({ host: conn.host, port: conn.port, secure: conn.secure, auth: { user: conn.user, pass: conn.pass }, logger: false });
    c.on('error', (err: Error) => settings.log.warn({ ...where, err: err.message }, 'mailbox: connection error'));
    try {
      await c.connect();
      await c.mailboxOpen(settings.inbox);
      const folders = await c.list();
      if (!folders.some((f) => f.path === settings.processedFolder)) await c.mailboxCreate(settings.processedFolder);
      const delimiter = folders.find((f) => f.delimiter)?.delimiter ?? '/';
      failed = failedFolder(settings.processedFolder, delimiter);
      failedExists = folders.some((f) => f.path === failed);
    } catch (err) {
      // Never leave a half-open session behind: each retry would open another, up to the server's per-user limit.
      c.removeAllListeners();
      c.on('error', () => undefined);
      c.close();
      throw err;
    }
    c.on('close', () => {
      if (client === c) client = null;
      if (!stopped) retry();
    });
    c.on('exists', () => read());
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
        await readAll();
      } while (again && !stopped);
    })().finally(() => {
      reading = null;
    });
  }

  async function readAll(): Promise<void> {
    const c = client;
    if (!c || !inbox || stopped) return;
    try {
      const uids = (await c.search({ all: true }, { uid: true })) || [];
      const validity = c.mailbox ? String(c.mailbox.uidValidity) : '';
      for (const uid of uids) {
        if (stopped) return;
        const key = `${validity}:${uid}`;
        // The server's own errors end the round (outer catch); only the handling's count against the message.
        const got = await fetchMessage(c, uid);
        if (!got) continue;
        try {
          await handle(inbox, uid, got);
        } catch (err) {
          const n = (failuresOf.get(key) ?? 0) + 1;
          failuresOf.set(key, n);
          const why = String((err as Error).message ?? err);
          if (n < MAX_FAILURES) {
            settings.log.warn({ uid, failures: n, err: why }, 'mailbox: handling a message failed; it stays and is tried again');
            continue;
          }
          if (!failedExists) {
            await c.mailboxCreate(failed).catch(() => undefined);
            failedExists = true;
          }
          await c.messageMove(String(uid), failed, { uid: true });
          failuresOf.delete(key);
          settings.log.error(
            { uid, failures: n, folder: failed, err: why },
            'mailbox: a message failed again and again; moved to the failed folder, not handled',
          );
          continue;
        }
        failuresOf.delete(key);
        await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        await c.messageMove(String(uid), settings.processedFolder, { uid: true });
      }
    } catch (err) {
      settings.log.warn({ ...where, err: String((err as Error).message ?? err) }, 'mailbox: reading failed');
    }
  }

  /** One message: its envelope when it is too big to download, else its source; null when it is gone. */
  async function fetchMessage(c: ImapFlow, uid: number): Promise<{ envelope: MailEnvelope } | { source: Buffer } | null> {
    const head = await c.fetchOne(String(uid), { size: true, envelope: true }, { uid: true });
    if (head === false) return null;
    const size = head.size ?? 0;
    if (size > settings.maxMessageBytes) {
      const e = head.envelope;
      return { envelope: { messageId: e?.messageId ?? null, from: e?.from?.[0]?.address ?? null, subject: e?.subject ?? '', size } };
    }
    const msg = await c.fetchOne(String(uid), { source: true }, { uid: true });
    return msg === false || !msg.source ? null : { source: msg.source };
  }

  /** Hands one message to the inbox (a too big one by its envelope only). */
  async function handle(to: MailInbox, uid: number, got: { envelope: MailEnvelope } | { source: Buffer }): Promise<void> {
    const receipt = 'envelope' in got ? await to.tooBig(got.envelope) : await to.receive(await settings.parse(got.source));
    settings.log.debug({ uid, outcome: receipt.outcome }, 'mailbox: message handled');
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
