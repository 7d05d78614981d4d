// Real mail servers on 127.0.0.1 for the e-mail channel's tests (docs/email.md):
// - Dovecot (Debian's dovecot-imapd) with a throwaway configuration, users and Maildirs under a temp
//   folder, run in the foreground as a child process (../shared/notes/browser-and-mail.md);
// - an SMTP server (the `smtp-server` package, a real SMTP implementation) that delivers every
//   message it accepts into the recipient's Dovecot INBOX over IMAP APPEND, so "it arrived in the
//   customer's mailbox" is read back from a real IMAP server; it can be told to refuse with a code.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** The domain of every test mailbox: `<user>@example.test`. */
export const MAIL_DOMAIN = 'example.test';

/** The Dovecot binary, or null when it is not installed. */
export function dovecotPath(): string | null {
  for (const p of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) if (existsSync(p)) return p;
  return null;
}

/**
 * Whether the mail suites can run. Under CI they must (`.ci/run` installs Debian's dovecot-imapd
 * when it is missing): a missing Dovecot fails them instead of skipping.
 */
export function dovecotAvailable(): boolean {
  const found = dovecotPath() !== null;
  if (!found && process.env.CI) throw new Error('Dovecot is not installed (apt-get install dovecot-imapd): the e-mail tests must run under CI');
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Dovecot {
  port: number;
  /** `imap://user:password@127.0.0.1:port` for a user. */
  url(user: string): string;
  /** Each user's password. */
  passwords: Record<string, string>;
  /** Puts a raw message into `user`'s folder (INBOX by default), as a delivery would, with `flags` (e.g. \\Seen: a person read it). */
  deliver(user: string, raw: string | Buffer, folder?: string, flags?: string[]): Promise<void>;
  /** Every message in `user`'s folder, parsed, oldest first, with its IMAP flags. */
  read(user: string, folder?: string): Promise<Array<ParsedMail & { flags: string[]; raw: string }>>;
  /** The folders of `user`'s mailbox. */
  folders(user: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts a throwaway Dovecot for `users` (name -> password), each with an empty Maildir. */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  const bin = dovecotPath();
  if (!bin) throw new Error('dovecot is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-dovecot-'));
  chmodSync(dir, 0o755); // Dovecot's auth and mail processes run as the dovecot user
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub), { recursive: true });
  const port = await freePort();
  const uid = Number(execFileSync('id', ['-u', 'dovecot'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot'], { encoding: 'utf8' }).trim());
  chownSync(path.join(dir, 'mail'), uid, gid);
  writeFileSync(
    path.join(dir, 'users'),
    Object.entries(users)
      .map(([u, p]) => `${u}:{PLAIN}${p}\n`)
      .join(''),
  );
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 100
first_valid_gid = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(bin, ['-F', '-c', conf], { stdio: 'ignore' });
  await waitForPort(port, 15_000);

  const client = async (user: string) => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: users[user] as string }, logger: false });
    await c.connect();
    return c;
  };
  return {
    port,
    passwords: users,
    url: (user) => `imap://${encodeURIComponent(user)}:${encodeURIComponent(users[user] as string)}@127.0.0.1:${port}`,
    async deliver(user, raw, folder = 'INBOX', flags = []) {
      const c = await client(user);
      try {
        if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => undefined);
        await c.append(folder, raw, flags);
      } finally {
        await c.logout();
      }
    },
    async read(user, folder = 'INBOX') {
      const c = await client(user);
      const out: Array<ParsedMail & { flags: string[]; raw: string }> = [];
      try {
        const box = await c.mailboxOpen(folder, { readOnly: true }).catch(() => null);
        if (!box || box.exists === 0) return out;
        for await (const m of c.fetch('1:*', { source: true, flags: true })) {
          const raw = (m.source as Buffer).toString('utf8');
          out.push(Object.assign(await simpleParser(m.source as Buffer), { flags: [...(m.flags ?? [])], raw }));
        }
      } finally {
        await c.logout();
      }
      return out;
    },
    async folders(user) {
      const c = await client(user);
      try {
        return (await c.list()).map((f) => f.path);
      } finally {
        await c.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One message the SMTP server accepted. */
export interface Accepted {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSink {
  port: number;
  /** `smtp://user:pass@127.0.0.1:port` (the server accepts any credentials, and none). */
  url: string;
  accepted: Accepted[];
  /** Refuses the next `times` messages at the end of DATA with `code` (421, 450, 550, 554...). */
  refuseNext(code: number, times?: number): void;
  /** Refused deliveries so far, by code. */
  refused: number[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps every accepted message and, with `dovecot`, delivers
 * it to the recipients at MAIL_DOMAIN who have a mailbox there.
 */
export async function startSmtpSink(dovecot?: Dovecot): Promise<SmtpSink> {
  const accepted: Accepted[] = [];
  const refused: number[] = [];
  let refuse: { code: number; times: number } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'linka' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (refuse && refuse.times > 0) {
          refuse.times -= 1;
          refused.push(refuse.code);
          const err = new Error(refuse.code >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & { responseCode: number };
          err.responseCode = refuse.code;
          return cb(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        accepted.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw });
        try {
          if (dovecot) {
            for (const rcpt of to) {
              const [user, domain] = rcpt.split('@');
              if (domain === MAIL_DOMAIN && user && dovecot.passwords[user] !== undefined) await dovecot.deliver(user, raw);
            }
          }
          cb();
        } catch (e) {
          cb(e as Error);
        }
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    url: `smtp://linka:secret@127.0.0.1:${port}`,
    accepted,
    refused,
    refuseNext(code, times = 1) {
      refuse = { code, times };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
