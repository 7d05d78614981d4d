// The support mailbox end to end (docs/email.md, "Receiving"): customers' e-mails delivered into
// a real Dovecot through a real SMTP server become tickets, technicians answer from a Slack
// thread, and the answers arrive in the customer's real mailbox, threaded.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_TYPE, slack } from './fakes/slack-fake.js';
import { addOperator, ConsoleClient } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { startTestLinka } from './helpers/linka.js';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';
import { until } from './helpers/until.js';
import { type SlackWorld, startSlackWorld } from './helpers/slack-world.js';

const PG = await pgAvailable();
const USERS = { support: 's-pass', jana: 'j-pass', karel: 'k-pass', eva: 'e-pass', olga: 'o-pass' };
const MAIL = { from: 'Podpora <support@example.test>', pollSeconds: 1, perSenderPerHour: 6, maxAttachmentBytes: 2000 };

describe.skipIf(!dovecotAvailable()).each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the support mailbox on $provider', ({ provider, skip }) => {
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let w: SlackWorld;
  let seq = 0;
  const env = () => ({ SMTP_URL: sink.url, IMAP_URL: dovecot.url('support'), PUBLIC_URL: 'https://linka.example.test' });

  /** Sends an e-mail to the support mailbox through the SMTP server; returns its Message-ID. */
  async function write(from: string, subject: string, body: { text?: string; html?: string }, extra: Record<string, unknown> = {}): Promise<string> {
    const messageId = `<m${++seq}.${Date.now()}@example.test>`;
    await nodemailer.createTransport(sink.url).sendMail({ from, to: 'support@example.test', subject, messageId, ...body, ...extra });
    return messageId;
  }
  const inbox = (user: string) => dovecot.read(user);
  const got = (user: string, n: number) => until(`${n} messages for ${user}`, async () => ((await inbox(user)).length >= n ? inbox(user) : null));
  const prisma = () => w.t.linka.db.prisma;
  const threadTexts = async (number: string) => {
    const { ts } = await w.card(number);
    return w.slackFake
      .calls('chat.postMessage')
      .filter((c) => c.thread_ts === ts)
      .map((c) => String(c.text));
  };
  const ticketOf = (conversationId: string) =>
    until(`a ticket of ${conversationId}`, () => prisma().ticket.findFirst({ where: { conversationId }, orderBy: { number: 'desc' } }));

  beforeAll(async () => {
    if (skip) return;
    dovecot = await startDovecot(USERS);
    sink = await startSmtpSink(dovecot);
    w = await startSlackWorld({ provider, env: env(), config: { mail: MAIL } });
    await prisma().customer.create({ data: { contractNumber: '2024-0200', name: 'Jana Malá', language: 'cs', tier: 'PLUS', email: 'jana@example.test' } });
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  let number = '';
  let janaFirst = '';

  it.skipIf(skip)('a customer e-mail becomes a ticket with her text, confirmed in her mailbox in her thread', async () => {
    janaFirst = await write('Jana Malá <jana@example.test>', 'Nejde internet', {
      text: 'Dobrý den,\nod rána mi nejde internet, router bliká červeně.\n\nJana',
    });
    const ticket = await ticketOf('email:jana@example.test');
    number = ticket.number;
    expect(ticket.summary).toContain('E-mail: Nejde internet');
    expect(ticket.summary).toContain('router bliká červeně');
    expect(ticket.category).toBe('internet');
    const [confirmation] = await got('jana', 1);
    expect(confirmation?.inReplyTo).toBe(janaFirst);
    expect(confirmation?.subject).toBe(`Re: [${number}] Nejde internet`);
    expect(confirmation?.text).toContain(number);
    expect(confirmation?.html).toContain(number);
    expect(confirmation?.headers.get('auto-submitted')).toBe('auto-generated');
    // No way back to a menu is offered by e-mail: a new e-mail is a new request.
    expect(confirmation?.text).not.toContain('Nahlásit jiný problém');
    expect(confirmation?.text).not.toMatch(/^1\. /m);
    const card = await until('the Slack card', () => w.card(number).catch(() => null));
    expect(card.posted[0]?.text).toContain(number);
  });

  it.skipIf(skip)("a technician's Slack reply arrives threaded; her reply joins the ticket and the Slack thread", async () => {
    const { ts } = await w.card(number);
    expect((await w.send(slack.message('Dobrý den, zkuste prosím restartovat router.', 'UPETR', { threadTs: ts }), JSON_TYPE)).status).toBe(200);
    const mails = await got('jana', 2);
    const answer = mails[1];
    expect(answer?.text).toContain('zkuste prosím restartovat router');
    expect(answer?.subject).toBe(`Re: [${number}] Nejde internet`);
    expect(answer?.inReplyTo).toBe(janaFirst);
    expect(answer?.references).toContain(janaFirst);

    // Her answer quotes the technician's message: only her own words reach the technicians.
    await write(
      'jana@example.test',
      `Re: [${number}] Nejde internet`,
      { text: `Restart nepomohl, pořád bliká.\n\nDne 23. 11. 2026 napsal(a) Podpora:\n> zkuste prosím restartovat router` },
      { inReplyTo: answer?.messageId, references: [janaFirst, answer?.messageId] },
    );
    const relayed = await until('her reply in the Slack thread', async () =>
      (await threadTexts(number)).find((t) => t.includes('Restart nepomohl, pořád bliká.')),
    );
    expect(relayed).not.toMatch(/napsal|^\s*>/m);
    expect(relayed).not.toContain('zkuste prosím restartovat router');
    expect(await prisma().ticket.count({ where: { conversationId: 'email:jana@example.test' } })).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inbox('jana')).toHaveLength(2); // no acknowledgement mail for every reply
  });

  it.skipIf(skip)('an unknown sender is asked for the contract number; the answer opens the ticket with the first description', async () => {
    const first = await write(
      'Karel <karel@example.test>',
      'Telefon nefunguje',
      { text: 'Od včera nejde volat z pevné linky. Ústředna je na adrese Vinohradská 1234, platil jsem 1500 Kč.' },
      { attachments: [{ filename: 'ustredna.txt', content: 'LED: off', contentType: 'text/plain' }] },
    );
    const [ask] = await got('karel', 1);
    expect(ask?.text).toContain('číslem své smlouvy');
    expect(ask?.inReplyTo).toBe(first);
    expect(ask?.subject).toBe('Re: Telefon nefunguje');
    // Stray numbers of the text (a house number, an amount) are not taken for a contract number: no try used.
    expect(ask?.text).not.toContain('zbývá pokusů');
    expect(await prisma().ticket.count({ where: { conversationId: 'email:karel@example.test' } })).toBe(0);
    expect(await prisma().attachment.findMany({ where: { conversationId: 'email:karel@example.test' }, select: { ticketId: true } })).toEqual([
      { ticketId: null },
    ]);

    await write('karel@example.test', 'Re: Telefon nefunguje', { text: 'Moje smlouva je 2024-0153.' }, { inReplyTo: ask?.messageId });
    const ticket = await ticketOf('email:karel@example.test');
    expect(ticket.summary).toContain('Od včera nejde volat z pevné linky.');
    expect(ticket.category).toBe('voip');
    expect(ticket.verified).toBe(true);
    const mails = await got('karel', 2);
    expect(mails[1]?.text).toContain(ticket.number);
    // The file of the first e-mail, sent before the ticket existed, is the ticket's now, and the technicians are told.
    const [file] = await prisma().attachment.findMany({ where: { conversationId: 'email:karel@example.test' } });
    expect(file?.ticketId).toBe(ticket.id);
    await until('the file in the Slack thread', async () =>
      (await threadTexts(ticket.number)).some((t) => t.includes(`ustredna.txt (8 B) https://linka.example.test/console/attachments/${file?.id}`)),
    );
  });

  it.skipIf(skip)('out-of-office, bounces and list mail are recorded and never answered', async () => {
    const before = sink.accepted.length;
    await write('eva@example.test', 'Mimo kancelář', { text: 'Jsem do pátku pryč.' }, { headers: { 'Auto-Submitted': 'auto-replied' } });
    await write('eva@example.test', 'Newsletter', { text: 'Novinky' }, { headers: { 'List-Id': '<news.example.test>', Precedence: 'list' } });
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@example.test>',
      'To: support@example.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <bounce.${Date.now()}@example.test>`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; example.test',
      '--b1--',
      '',
    ].join('\r\n');
    await dovecot.deliver('support', bounce);
    const outcomes = await until('three recorded', async () => {
      const rows = await prisma().inboundMail.findMany({ where: { outcome: { in: ['auto_reply', 'list', 'bounce'] } } });
      return rows.length === 3 ? rows.map((r) => r.outcome).sort() : null;
    });
    expect(outcomes).toEqual(['auto_reply', 'bounce', 'list']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.accepted.slice(before).filter((m) => !m.to.includes('support@example.test'))).toEqual([]);
    expect(await prisma().conversation.count({ where: { id: { in: ['email:eva@example.test', 'email:mailer-daemon@example.test'] } } })).toBe(0);
  });

  it.skipIf(skip)('an HTML-only mail reaches the Slack thread as plain text; attachments are kept and linked, an oversized one refused', async () => {
    await write(
      'jana@example.test',
      `Re: [${number}] Nejde internet`,
      { html: '<p>Posílám <b>fotku</b> routeru.<script>alert("x")</script></p><style>p{color:red}</style>' },
      {
        attachments: [
          { filename: 'router.txt', content: 'kontrolky: červená', contentType: 'text/plain' },
          { filename: 'stránka.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
          { filename: 'velky"\r\nX-Evil: 1.bin', content: Buffer.alloc(5000, 1), contentType: 'application/octet-stream' },
        ],
      },
    );
    const lines = await until('the attachment lines', async () => {
      const texts = await threadTexts(number);
      // Each line is its own outbox item: wait for all of them (the text, the kept files, the refused one).
      return ['router.txt', 'stránka.html', 'X-Evil', 'Posílám'].every((w) => texts.some((t) => t.includes(w))) ? texts : null;
    });
    const said = lines.find((t) => t.includes('Posílám')) ?? '';
    expect(said).toContain('Posílám fotku routeru.');
    expect(said).not.toMatch(/<|alert|color:red/);
    const kept = await prisma().attachment.findMany({ where: { ticket: { number } } });
    expect(kept.map((a) => [a.filename, a.size]).sort()).toEqual([
      ['router.txt', Buffer.byteLength('kontrolky: červená')],
      ['stránka.html', 25],
    ]);
    const [txt, page] = [kept.find((a) => a.filename === 'router.txt'), kept.find((a) => a.filename === 'stránka.html')];
    expect(lines.join('\n')).toContain(`https://linka.example.test/console/attachments/${txt?.id}`);

    // On the ticket's console page, and downloaded only as a file, never rendered as a page.
    const browser = new ConsoleClient(w.t.base);
    expect((await browser.get(`/console/attachments/${txt?.id}`)).location).toMatch(/\/console\/login/);
    expect((await browser.signIn('eva', await addOperator(prisma(), 'eva', 'viewer'))).status).toBe(303);
    expect((await browser.get(`/console/tickets/${number}`)).text).toContain(`href="/console/attachments/${txt?.id}"`);
    const file = await browser.get(`/console/attachments/${txt?.id}`);
    expect([file.status, file.text, file.headers.get('content-type')]).toEqual([200, 'kontrolky: červená', 'text/plain']);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="router.txt"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await browser.get(`/console/attachments/${page?.id}`);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toContain("filename*=UTF-8''str%C3%A1nka.html");
    const refused = lines.find((t) => t.includes('X-Evil')) ?? '';
    expect(refused).toMatch(/přesahuje povolenou velikost/);
    expect(refused).not.toContain('\n');
  });

  it.skipIf(skip)("a thank-you in the resolved ticket's thread opens no ticket and gets no answer; it joins that ticket", async () => {
    expect((await w.command(`resolve ${number} Vyměněn router.`, 'UPETR')).text).toBe(`Hotovo: ${number}.`);
    const resolved = await until('the resolution mail', async () => (await inbox('jana')).find((m) => m.text?.includes('je vyřešen')));
    const before = (await inbox('jana')).length;
    const thanks = await write(
      'jana@example.test',
      `Re: [${number}] Nejde internet`,
      { text: 'Děkuji, už to funguje.' },
      { inReplyTo: resolved.messageId, references: [janaFirst, resolved.messageId] },
    );
    const row = await until('the thank-you recorded', () => prisma().inboundMail.findUnique({ where: { messageId: thanks } }));
    expect(row.ticketNumber).toBe(number);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await prisma().ticket.count({ where: { conversationId: 'email:jana@example.test' } })).toBe(1);
    expect(await inbox('jana')).toHaveLength(before);
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { number } });
    expect(await prisma().message.count({ where: { ticketId: ticket.id, text: { contains: 'Děkuji, už to funguje.' } } })).toBe(1);
  });

  it.skipIf(skip)('a Message-ID of kilobytes is handled (kept as its hash), not retried for ever', async () => {
    const long = `<${'a'.repeat(3000)}.${Date.now()}@example.test>`;
    await nodemailer
      .createTransport(sink.url)
      .sendMail({ from: 'olga@example.test', to: 'support@example.test', subject: 'Dotaz', messageId: long, text: 'Nejde internet.' });
    const [ask] = await got('olga', 1);
    expect(ask?.text).toContain('číslem své smlouvy');
    const rows = await prisma().inboundMail.findMany({ where: { fromAddress: 'olga@example.test' } });
    expect(rows.map((r) => r.messageId)).toEqual([expect.stringMatching(/^<[0-9a-f]{64}@linka\.invalid>$/)]);
  });

  it.skipIf(skip)('a sender over the hourly limit is recorded, not answered', async () => {
    for (let i = 0; i < 8; i++) await write('eva@example.test', `Dotaz ${i}`, { text: `Dotaz číslo ${i}, smlouva 2024-0153` });
    const rows = await until('eight of eva', async () => {
      const r = await prisma().inboundMail.findMany({ where: { fromAddress: 'eva@example.test', subject: { startsWith: 'Dotaz' } } });
      return r.length === 8 ? r : null;
    });
    // Two of her automatic messages count too: six an hour, so four are answered.
    expect(rows.filter((r) => r.outcome === 'flood')).toHaveLength(4);
    await until('four answers to eva', async () => ((await inbox('eva')).length === 4 ? true : null));
  });

  it.skipIf(skip)('after a restart no message is read or answered twice, even one put back unseen', async () => {
    await until('the inbox read', async () => ((await dovecot.read('support')).length === 0 ? true : null));
    const janaMails = (await inbox('jana')).length;
    const recorded = await prisma().inboundMail.count();
    expect((await dovecot.folders('support')).includes('Linka/Processed')).toBe(true);
    await w.t.linka.stop();
    const again = await startTestLinka({
      provider,
      databaseUrl: w.t.url,
      env: { ...env(), SLACK_API_URL: w.slackFake.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret' },
      config: { workers: { outboxPollMs: 50, timerPollMs: 50 }, slack: { queueChannel: 'CQUEUE', technicians: ['UPETR'] }, mail: MAIL },
    });
    try {
      const copy = (await dovecot.read('support', 'Linka/Processed')).find((m) => m.messageId === janaFirst);
      await dovecot.deliver('support', copy?.raw ?? '');
      await until('the copy moved away', async () => ((await dovecot.read('support')).length === 0 ? true : null));
      await new Promise((r) => setTimeout(r, 1500));
      expect(await inbox('jana')).toHaveLength(janaMails);
      expect(await again.linka.db.prisma.inboundMail.count()).toBe(recorded);
      expect(await again.linka.db.prisma.ticket.count({ where: { conversationId: 'email:jana@example.test' } })).toBe(1);
    } finally {
      await again.linka.stop();
    }
  });
});
