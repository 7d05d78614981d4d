// The IMAP reader of the support mailbox (adapters/email/imap.ts, docs/email.md "Receiving")
// against a real Dovecot on 127.0.0.1, handing messages to a stand-in inbox: mail a person already
// opened is handled too, a message over the size limit is not downloaded, a message that keeps
// failing goes to the failed folder, and a failed connection is closed, not left open.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailboxReader, MAX_FAILURES } from '../adapters/email/imap.js';
import { parseMail } from '../adapters/email/parse.js';
import { silentLogger } from '../src/observability/logger.js';
import type { MailEnvelope, MailInbox, MailReceipt, ReceivedMail } from '../src/runtime/ports.js';
import { type Dovecot, dovecotAvailable, startDovecot } from './helpers/mail-servers.js';
import { until } from './helpers/until.js';

const raw = (id: string, subject: string, body = 'Nejde internet.') =>
  [`From: Jana <jana@example.test>`, 'To: support@example.test', `Subject: ${subject}`, `Message-ID: <${id}@example.test>`, '', body, ''].join('\r\n');

/** A stand-in inbox: records what it got; a subject starting "FAIL" throws every time. */
function standIn() {
  const received: ReceivedMail[] = [];
  const tooBig: MailEnvelope[] = [];
  let attempts = 0;
  const inbox: MailInbox = {
    async receive(mail): Promise<MailReceipt> {
      if (mail.subject.startsWith('FAIL')) {
        attempts += 1;
        throw new Error('the database is away');
      }
      received.push(mail);
      return { outcome: 'dispatched' };
    },
    async tooBig(envelope) {
      tooBig.push(envelope);
      return { outcome: 'too_big' };
    },
  };
  return { inbox, received, tooBig, attempts: () => attempts };
}

/** Established client connections to Dovecot's port on this host. */
function connectionsTo(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim()).length;
}

describe.skipIf(!dovecotAvailable())('the mailbox reader', () => {
  let dovecot: Dovecot;
  let stop: (() => Promise<void>) | null = null;
  const reader = (o: { processedFolder?: string; maxMessageBytes?: number } = {}) =>
    createMailboxReader({
      url: dovecot.url('support'),
      inbox: 'INBOX',
      processedFolder: o.processedFolder ?? 'Linka/Processed',
      pollSeconds: 1,
      maxMessageBytes: o.maxMessageBytes ?? 25 * 1024 * 1024,
      log: silentLogger(),
      parse: parseMail,
    });
  const start = (r: ReturnType<typeof reader>, inbox: MailInbox) => {
    r.start(inbox);
    stop = () => r.stop();
  };

  beforeAll(async () => {
    dovecot = await startDovecot({ support: 's-pass' });
  }, 30_000);
  afterEach(async () => {
    await stop?.();
    stop = null;
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('handles a message a person already opened (\\Seen), then moves it to the processed folder', async () => {
    const s = standIn();
    await dovecot.deliver('support', raw('seen1', 'Přečtená'), 'INBOX', ['\\Seen']);
    await dovecot.deliver('support', raw('new1', 'Nová'));
    start(reader(), s.inbox);
    await until('both handled', async () => s.received.length === 2);
    expect(s.received.map((m) => m.subject).sort()).toEqual(['Nová', 'Přečtená']);
    await until('the inbox emptied', async () => (await dovecot.read('support')).length === 0);
    expect((await dovecot.read('support', 'Linka/Processed')).map((m) => m.subject).sort()).toEqual(['Nová', 'Přečtená']);
  });

  it('does not download a message over the size limit: its envelope is recorded and it is moved away', async () => {
    const s = standIn();
    await dovecot.deliver('support', raw('big1', 'Video', 'x'.repeat(20_000)));
    await dovecot.deliver('support', raw('small1', 'Malá'));
    start(reader({ maxMessageBytes: 10_000 }), s.inbox);
    await until('both handled', async () => s.tooBig.length === 1 && s.received.length === 1);
    expect(s.tooBig[0]).toMatchObject({ messageId: '<big1@example.test>', from: 'jana@example.test', subject: 'Video' });
    expect(s.tooBig[0]?.size).toBeGreaterThan(20_000);
    expect(s.received.map((m) => m.subject)).toEqual(['Malá']);
    await until('the inbox emptied', async () => (await dovecot.read('support')).length === 0);
    expect((await dovecot.read('support', 'Linka/Processed')).map((m) => m.subject)).toContain('Video');
  });

  it(`moves a message that failed ${MAX_FAILURES} times to Linka/Failed, and goes on with the rest`, async () => {
    const s = standIn();
    await dovecot.deliver('support', raw('fail1', 'FAIL always'));
    start(reader(), s.inbox);
    const failed = await until('moved to Linka/Failed', async () => {
      const found = await dovecot.read('support', 'Linka/Failed');
      return found.length === 1 ? found : null;
    });
    expect(failed[0]?.subject).toBe('FAIL always');
    expect(s.attempts()).toBe(MAX_FAILURES);
    await dovecot.deliver('support', raw('after1', 'Další'));
    await until('the next one handled', async () => s.received.some((m) => m.subject === 'Další'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.attempts()).toBe(MAX_FAILURES);
    expect(await dovecot.read('support')).toEqual([]);
  });

  it('closes a connection whose set-up failed (a folder it cannot create): no connection piles up', async () => {
    const s = standIn();
    start(reader({ processedFolder: '~Linka' }), s.inbox);
    // Attempts at once, then 1 s, 2 s and 4 s later (at 0, 1, 3 and 7 s): each would leave a session open.
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 500));
      seen.push(connectionsTo(dovecot.port));
    }
    // At most the one attempt in progress at a time, never more, and none once it failed.
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
    expect(seen.at(-1)).toBe(0);
    expect(s.received).toEqual([]);
  }, 15_000);
});
