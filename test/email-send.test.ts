// Sending e-mail through the outbox to a real SMTP server that delivers into a real Dovecot
// (docs/email.md, "Sending"): multipart text + HTML, the sender, Auto-Submitted, a Message-ID that
// stays the same for every attempt of one item, 4xx retried and 5xx marked failed, no header
// injection, no markup injection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../adapters/email/index.js';
import { parseConfig } from '../src/config/load.js';
import { mailHtml, mailText } from '../src/domain/mail-body.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { queueMail } from '../src/services/mail-out.js';
import type { Db } from '../src/store/client.js';
import { enqueue } from '../src/store/outbox.js';
import { createTestDatabase } from './helpers/db.js';
import { Clock } from './helpers/harness.js';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';

const JANA = 'jana@example.test';

describe.skipIf(!dovecotAvailable())('sending e-mail (SMTP sink delivering into Dovecot)', () => {
  let dovecot: Dovecot;
  let smtp: SmtpSink;
  let database: { db: Db; drop(): Promise<void> };
  let runtime: Runtime;
  let adapter: ReturnType<typeof createEmailAdapter>;
  const clock = new Clock(new Date('2026-12-07T09:00:00Z'));

  beforeAll(async () => {
    dovecot = await startDovecot({ jana: 'jana-pw', eva: 'eva-pw', firma: 'firma-pw' });
    smtp = await startSmtpSink(dovecot);
    database = await createTestDatabase('sqlite');
    const config = parseConfig({
      company: { name: 'Linka ISP' },
      mail: { from: 'Podpora Linka ISP <podpora@example.test>' },
      outbox: { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 1 },
    });
    adapter = createEmailAdapter({
      smtpUrl: smtp.url,
      imapUrl: null,
      mail: config.mail,
      companyName: config.company.name,
      defaultLanguage: 'cs',
      ticketPrefix: 'T',
      log: silentLogger(),
      timeoutMs: 5000,
    });
    runtime = createRuntime({
      prisma: database.db.prisma,
      config,
      log: silentLogger(),
      ports: adapter.port ? [adapter.port] : [],
      mail: adapter.mail,
      clock: clock.read,
    });
  }, 30_000);

  afterAll(async () => {
    await adapter?.stop?.();
    await runtime?.stop();
    await database?.drop();
    await smtp?.stop();
    await dovecot?.stop();
  });

  /** Delivers what is due, advancing the clock past each back-off. */
  async function deliver(rounds = 4): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await runtime.outbox.drain();
      clock.advance(1);
    }
  }

  const item = (id: number) => database.db.prisma.outboxItem.findUniqueOrThrow({ where: { id } });

  it('delivers a composed message as text and HTML, from the configured sender, marked automatic', async () => {
    const blocks = [{ kind: 'p' as const, text: 'Dobrý den,\nposíláme vyúčtování.' }];
    const id = await database.db.prisma.$transaction((tx) =>
      queueMail(tx, {
        mail: {
          to: [JANA],
          subject: 'Vyúčtování podpory za listopad 2026',
          text: mailText(blocks, 'Linka ISP'),
          html: mailHtml(blocks, 'Linka ISP', 'cs', 'Vyúčtování'),
          autoSubmitted: true,
        },
        now: clock.read(),
      }),
    );
    await deliver();
    expect((await item(id)).status).toBe('sent');
    const [got] = await dovecot.read('jana');
    expect(got?.subject).toBe('Vyúčtování podpory za listopad 2026');
    expect(got?.from?.value[0]).toEqual({ name: 'Podpora Linka ISP', address: 'podpora@example.test' });
    expect(got?.text).toContain('posíláme vyúčtování.');
    expect(got?.html).toContain('posíláme vyúčtování.');
    expect(got?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got?.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(got?.messageId).toMatch(new RegExp(`^<linka\\.${id}\\.[0-9a-z]+@example\\.test>$`));
  });

  it('retries a 4xx refusal and delivers once; a 5xx refusal marks the item failed and sends nothing', async () => {
    const mail = (subject: string) => ({ to: ['eva@example.test'], subject, text: 'x', html: '<p>x</p>', autoSubmitted: true });
    smtp.refuseNext(451, 2);
    const soft = await database.db.prisma.$transaction((tx) => queueMail(tx, { mail: mail('Po dvou odmítnutích'), now: clock.read() }));
    await deliver(6);
    const softItem = await item(soft);
    expect(softItem.status).toBe('sent');
    expect(softItem.attempts).toBe(3);
    expect(smtp.refused.slice(-2)).toEqual([451, 451]);

    smtp.refuseNext(550, 1);
    const hard = await database.db.prisma.$transaction((tx) => queueMail(tx, { mail: mail('Odmítnuto natrvalo'), now: clock.read() }));
    await deliver(4);
    const hardItem = await item(hard);
    expect(hardItem.status).toBe('failed');
    expect(hardItem.attempts).toBe(1);
    expect(hardItem.lastError).toContain('550');
    expect((await dovecot.read('eva')).map((m) => m.subject)).toEqual(['Po dvou odmítnutích']);
  });

  it("a copy about a ticket that cannot be delivered says so in the ticket's history", async () => {
    const prisma = database.db.prisma;
    await prisma.conversation.create({
      data: { id: 'telegram:42', channel: 'telegram', flow: 'main', step: 'menu', flowVersion: 1, state: { lang: 'cs' }, sessionStartedAt: clock.read() },
    });
    const ticket = await prisma.ticket.create({
      data: { number: 'T-2026-00007', conversationId: 'telegram:42', category: 'internet', answers: {}, summary: 'Nejde internet' },
    });
    smtp.refuseNext(550, 1);
    await prisma.$transaction((tx) =>
      queueMail(tx, {
        mail: { to: ['nikdo@example.test'], subject: '[T-2026-00007] Kopie souhlasu', text: 'x', html: '<p>x</p>', autoSubmitted: true },
        ticketId: ticket.id,
        now: clock.read(),
      }),
    );
    await deliver(2);
    const lines = await prisma.message.findMany({ where: { ticketId: ticket.id, direction: 'system' } });
    expect(lines.map((m) => m.text).join('\n')).toMatch(/550/);
    expect(lines[0]?.conversationId).toBe('telegram:42');
  });

  it('sends an item delivered again after a crash with the same Message-ID', async () => {
    const id = await database.db.prisma.$transaction((tx) =>
      queueMail(tx, { mail: { to: ['firma@example.test'], subject: 'Kopie souhlasu', text: 'x', html: '<p>x</p>', autoSubmitted: true }, now: clock.read() }),
    );
    await deliver(1);
    // The process died after the send and before recording it: the item is pending again.
    await database.db.prisma.outboxItem.update({ where: { id }, data: { status: 'pending', sentAt: null } });
    await deliver(1);
    const copies = await dovecot.read('firma');
    expect(copies).toHaveLength(2);
    expect(copies[0]?.messageId).toBe(copies[1]?.messageId);
  });

  it('a reply to an e-mail conversation is a thread message with the subject in the customer language', async () => {
    const conversationId = 'email:eva@example.test';
    await database.db.prisma.conversation.create({
      data: {
        id: conversationId,
        channel: 'email',
        flow: 'main',
        step: 'menu',
        flowVersion: 1,
        state: { lang: 'sk' },
        sessionStartedAt: clock.read(),
      },
    });
    const { id } = await enqueue(database.db.prisma, {
      kind: 'reply',
      channel: 'email',
      target: conversationId,
      payload: { reply: { text: 'S čím vám môžem pomôcť?', choices: [{ id: 'internet', label: 'Nefunguje internet' }] } },
      now: clock.read(),
    });
    await deliver(1);
    expect((await item(id)).status).toBe('sent');
    const got = (await dovecot.read('eva')).at(-1);
    expect(got?.subject).toBe('Zákaznícka podpora Linka ISP');
    expect(got?.text).toContain('1. Nefunguje internet');
    expect(got?.text).toContain('S pozdravom');
  });

  it('cannot be made to add a header or a recipient, nor markup, by what a customer or technician wrote', async () => {
    const evil = 'Jana\r\nBcc: evil@example.test\r\nX-Injected: yes';
    const blocks = [
      { kind: 'p' as const, text: `Zákazník: ${evil}` },
      { kind: 'quote' as const, text: '<script>alert(1)</script><b>tučně</b> & "uvozovky"' },
    ];
    await database.db.prisma.$transaction((tx) =>
      queueMail(tx, {
        mail: { to: [JANA], subject: `Souhlas ${evil}`, text: mailText(blocks, 'x'), html: mailHtml(blocks, 'x', 'cs', evil), autoSubmitted: true },
        now: clock.read(),
      }),
    );
    const before = smtp.accepted.length;
    await deliver(1);
    const sent = smtp.accepted.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual([JANA]);
    const got = (await dovecot.read('jana')).at(-1);
    expect(got?.headers.has('bcc')).toBe(false);
    expect(got?.headers.has('x-injected')).toBe(false);
    expect(got?.subject).toBe('Souhlas Jana Bcc: evil@example.test X-Injected: yes');
    expect(got?.html).not.toContain('<script>');
    expect(got?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;tučně&lt;/b&gt; &amp; &quot;uvozovky&quot;');
    expect(got?.text).toContain('<script>alert(1)</script>');
  });
});
