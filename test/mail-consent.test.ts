// What Linka e-mails on its own around a ticket (docs/email.md, "What customers receive"), against
// real servers on 127.0.0.1: a Telegram fake, Linka, a real SMTP server delivering into Dovecot.
// A consent on Telegram puts the written copy (exact terms, exact reply, time, ticket, channel) in
// the customer's and the company's INBOX; a refusal too; a customer who prefers e-mail gets the
// ticket's confirmation there; a hostile customer name adds no header or recipient and shows as
// text in the HTML part; a subject with CR/LF stays one header line.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpPort } from '../adapters/email/smtp.js';
import { localTime } from '../src/domain/date-format.js';
import { composeMail } from '../src/domain/mail-docs.js';
import { silentLogger } from '../src/observability/logger.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';

const SECRET = 'tg-secret';
const TERMS = { currency: 'CZK', hourlyRate: 100000, incrementMinutes: 15, travelFee: 25000, vatNote: 'Ceny jsou bez DPH.' };
const QUOTED_CS =
  'Cena: 1 000,00 CZK za hodinu práce i času na cestě, účtuje se po započatých 15 minutách, k tomu paušál 250,00 CZK za výjezd. Ceny jsou bez DPH.';
const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
const HOSTILE = 'Jana <script>alert(1)</script>\r\nBcc: evil@example.test';

/** The header block of a raw message (up to the first empty line). */
const headersOf = (raw: string) => raw.split(/\r?\n\r?\n/)[0] ?? '';

describe.skipIf(!dovecotAvailable())('e-mails Linka sends around a ticket', () => {
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let telegram: TelegramFake;
  let t: TestLinka;

  beforeAll(async () => {
    dovecot = await startDovecot({ jana: 'x', firma: 'y', evil: 'z' });
    sink = await startSmtpSink(dovecot);
  });
  afterAll(async () => {
    await sink?.stop();
    await dovecot?.stop();
  });
  beforeEach(async () => {
    telegram = await startTelegramFake();
    t = await startTestLinka({
      env: { TELEGRAM_BOT_TOKEN: '1:T', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: telegram.url, SMTP_URL: sink.url },
      config: {
        company: { name: 'Test ISP' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        billing: TERMS,
        callout: { offerExpiresHours: 24 },
        mail: { from: 'Podpora <podpora@example.test>', companyAddress: 'firma@example.test' },
      },
    });
  });
  afterEach(async () => {
    await t.stop();
    await telegram.close();
  });

  const db = () => t.linka.db.prisma;
  const hook = (u: unknown) => t.post('/telegram/webhook', u, { 'x-telegram-bot-api-secret-token': SECRET });
  async function tgSay(body: string): Promise<void> {
    expect((await hook(tg.text(body))).status).toBe(200);
    await t.settle();
    await t.settle();
  }
  /** The customer opens a ticket on Telegram ("something else"); a technician offers paid work. */
  async function offered(): Promise<string> {
    for (const b of ['/start 2024-0153', '4', 'Chci nastavit přesměrování portů na routeru.', 'dnes', 'ano']) await tgSay(b);
    const number = (await db().ticket.findFirst())?.number ?? '';
    expect((await t.linka.runtime.queue.offerCallout(number, petr)).ok).toBe(true);
    await t.settle();
    await t.settle();
    return number;
  }
  const inbox = async (user: string) => dovecot.read(user);

  it('a consent on Telegram: the written copy with the exact terms and reply in the customer’s and the company’s INBOX', async () => {
    await db().customer.create({
      data: {
        contractNumber: '2024-0153',
        name: 'Jana Nováková',
        language: 'cs',
        tier: 'PLUS',
        email: 'jana@example.test',
        phones: { create: [{ e164: '+420603123456' }] },
      },
    });
    const before = { jana: (await inbox('jana')).length, firma: (await inbox('firma')).length };
    const number = await offered();
    t.clock.advance(5);
    const answeredAt = t.clock.read();
    await tgSay('Ano, souhlasím');
    expect((await db().consent.findFirst())?.decision).toBe('accepted');

    const jana = (await inbox('jana')).slice(before.jana);
    // Only the copy: this customer has no notice preference, so no confirmation by e-mail.
    expect(jana.map((m) => m.subject)).toEqual([`[${number}] Záznam vaší odpovědi na nabídku placené práce`]);
    const copy = jana[0];
    expect(copy?.text).toContain(`posíláme vám písemný záznam vašeho souhlasu s placenou prací k požadavku ${number}`);
    expect(copy?.text).toContain(`    ${QUOTED_CS}`);
    expect(copy?.text).toContain('Vaše odpověď:\n\n    Ano, souhlasím');
    expect(copy?.text).toContain(`Požadavek: ${number}`);
    expect(copy?.text).toContain('Rozhodnutí: souhlas s placenou prací');
    expect(copy?.text).toContain(`Čas odpovědi: ${localTime(answeredAt, 'Europe/Prague', 'cs')}`);
    expect(copy?.text).toContain('Kanál: Telegram');
    expect(copy?.html).toContain(`${QUOTED_CS}</blockquote>`);
    expect(copy?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(copy?.from?.value[0]?.address).toBe('podpora@example.test');
    // Without the support mailbox (no IMAP_URL) no mail invites a reply that nobody would read.
    expect(copy?.text).toContain('Tento e-mail si prosím uschovejte.');
    expect(copy?.text).not.toContain('odpovězte nám');
    // The copies are lines of the ticket's history, with their Message-IDs once sent.
    const sent = await db().message.findMany({ where: { ticket: { number }, channel: 'email' }, orderBy: { id: 'asc' } });
    expect(sent.map((m) => [m.text, m.status, m.platformMessageId])).toEqual([
      [`jana@example.test: [${number}] Záznam vaší odpovědi na nabídku placené práce`, 'sent', copy?.messageId],
      [`firma@example.test: [${number}] Souhlas s placenou prací: Jana Nováková (2024-0153)`, 'sent', expect.stringMatching(/^<linka\./)],
    ]);

    const firma = (await inbox('firma')).slice(before.firma);
    expect(firma.map((m) => m.subject)).toEqual([`[${number}] Souhlas s placenou prací: Jana Nováková (2024-0153)`]);
    expect(firma[0]?.text).toContain('Zákazník: Jana Nováková (2024-0153)');
    expect(firma[0]?.text).toContain(`    ${QUOTED_CS}`);
    expect(firma[0]?.text).toContain('Odpověď zákazníka:\n\n    Ano, souhlasím');
    expect(firma[0]?.headers.get('auto-submitted')).toBe('auto-generated');
  }, 60_000);

  it('a customer preferring e-mail gets the ticket’s confirmation there; a refusal is recorded too; a hostile name injects nothing', async () => {
    await db().customer.create({
      data: {
        contractNumber: '2024-0153',
        name: HOSTILE,
        language: 'cs',
        tier: 'PLUS',
        email: 'jana@example.test',
        noticeChannel: 'email',
        phones: { create: [{ e164: '+420603123456' }] },
      },
    });
    const before = { jana: (await inbox('jana')).length, firma: (await inbox('firma')).length, sink: sink.accepted.length };
    const number = await offered();
    const ticket = await db().ticket.findFirst();
    let jana = (await inbox('jana')).slice(before.jana);
    expect(jana.map((m) => m.subject)).toEqual([`[${number}] Váš požadavek jsme přijali`]);
    expect(jana[0]?.text).toContain(`váš požadavek jsme přijali a evidujeme ho pod číslem ${number}.`);
    expect(jana[0]?.text).toContain(`Termín reakce technika podle vaší smlouvy: ${localTime(ticket?.deadline as Date, 'Europe/Prague', 'cs')}.`);
    expect(jana[0]?.headers.get('auto-submitted')).toBe('auto-generated');

    await tgSay('ne');
    expect((await db().consent.findFirst())?.decision).toBe('declined');
    jana = (await inbox('jana')).slice(before.jana);
    expect(jana.map((m) => m.subject)).toEqual([`[${number}] Váš požadavek jsme přijali`, `[${number}] Záznam vaší odpovědi na nabídku placené práce`]);
    expect(jana[1]?.text).toContain('placenou práci jste odmítli, nebudeme ji tedy provádět ani účtovat.');
    expect(jana[1]?.text).toContain('Vaše odpověď:\n\n    ne');
    // The copy joins the thread the confirmation began: mail clients file them together.
    expect(jana[1]?.inReplyTo).toBe(jana[0]?.messageId);
    expect(jana[1]?.references).toContain(jana[0]?.messageId);

    const firma = (await inbox('firma')).slice(before.firma);
    expect(firma).toHaveLength(1);
    const copy = firma[0];
    // The name is one line of the subject: no header of its own, no recipient added.
    expect(copy?.subject).toBe(`[${number}] Odmítnutí placené práce: Jana <script>alert(1)</script> Bcc: evil@example.test (2024-0153)`);
    expect(headersOf(copy?.raw ?? '')).not.toMatch(/^bcc:/im);
    expect(copy?.bcc).toBeUndefined();
    expect(copy?.to && 'value' in copy.to ? copy.to.value.map((v) => v.address) : []).toEqual(['firma@example.test']);
    const envelopes = sink.accepted.slice(before.sink).flatMap((a) => a.to);
    expect(envelopes).not.toContain('evil@example.test');
    expect(await inbox('evil')).toHaveLength(0);
    // In HTML the name is text, never markup.
    expect(copy?.html).toContain('Jana &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(copy?.html).not.toContain('<script>');
  }, 60_000);

  it('a subject with CR/LF stays one header line through a real SMTP server', async () => {
    const port = createSmtpPort({ url: sink.url, from: 'Podpora <podpora@example.test>', timeoutMs: 5000, log: silentLogger() });
    try {
      const before = sink.accepted.length;
      const mail = composeMail('jana@example.test', 'Přehled\r\nBcc: evil@example.test\r\n\r\n<b>body</b>', [{ kind: 'p', text: '<script>x</script>' }], 'cs', {
        companyName: 'Test ISP',
      });
      await port.sendMail(mail, '<linka.test.1@example.test>');
      const accepted = sink.accepted.slice(before);
      expect(accepted.map((a) => a.to)).toEqual([['jana@example.test']]);
      const got = (await dovecot.read('jana')).find((m) => m.messageId === '<linka.test.1@example.test>');
      expect(got?.subject).toBe('Přehled Bcc: evil@example.test <b>body</b>');
      expect(headersOf(got?.raw ?? '')).not.toMatch(/^bcc:/im);
      expect(got?.html).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(got?.text).toContain('<script>x</script>');
    } finally {
      port.close();
    }
  }, 30_000);
});
