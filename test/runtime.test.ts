// The persistence suite: the dispatcher, the outbox and the timers on a real database,
// SQLite and PostgreSQL alike (PostgreSQL runs when the server answers; under CI it must).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/client.js';
import { conversationHistory } from '../src/store/messages.js';
import { ticketByNumber } from '../src/store/tickets.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { Clock, createHarness, seedCustomers } from './helpers/harness.js';

const PG = await pgAvailable();

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('runtime on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    if (skip) return;
    const t = await createTestDatabase(provider);
    db = t.db;
    drop = t.drop;
    await seedCustomers(db);
  });
  afterEach(async () => {
    if (!skip) await drop();
  });

  it.skipIf(skip)('walks the whole checklist in Czech to a ticket whose history holds every message', async () => {
    const h = createHarness(db);
    const phone = '+420603123456';
    const greet = await h.say('Dobrý den, nejde mi internet', { phone });
    // Identified by phone and the problem recognised from the first message.
    expect(greet.texts.join()).toContain('Odpojte prosím ze zásuvky všechna zařízení');
    expect((await h.say('hotovo', { phone })).texts.join()).toContain('počkejte, až zařízení naběhnou');
    expect(await h.wait(1)).toEqual([]); // not yet: the wait is 3 minutes
    const [asked] = await h.wait(2);
    expect(asked).toContain('Funguje vám teď internet?');
    expect((await h.say('Ne', { phone })).texts.join()).toContain('Restartujte prosím ještě počítače');
    expect((await h.say('Hotovo', { phone })).texts.join()).toContain('Funguje vám teď internet?');
    expect((await h.say('ne, stále nefunguje', { phone })).texts.join()).toContain('Od kdy závada trvá?');
    // Too short: asked again, nothing stored.
    expect((await h.say('x', { phone })).texts.join()).toContain('od kdy závada trvá');
    expect((await h.say('od včerejšího večera', { phone })).texts.join()).toContain('kontrolky');
    expect((await h.say('2', { phone })).texts.join()).toContain('Kterých zařízení');
    expect((await h.say('všech', { phone })).texts.join()).toContain('Popište prosím závadu');
    expect((await h.say('nejde', { phone })).texts.join()).toContain('podrobnější popis');
    const summary = await h.say('Nenačte se žádná stránka, router svítí červeně.', { phone });
    expect(summary.texts.join()).toContain('Kontrolky: Něco svítí červeně');
    expect(summary.texts.join()).toContain('Od kdy: od včerejšího večera');
    const opened = await h.say('ano', { phone });
    expect(opened.ticketNumber).toBe('T-2026-00001');
    expect(opened.texts.join()).toContain('pod číslem T-2026-00001');

    const ticket = await ticketByNumber(db.prisma, 'T-2026-00001');
    expect(ticket).toMatchObject({ category: 'internet', status: 'open', verified: true, likelyCustomerSide: false });
    expect(ticket?.answers).toMatchObject({
      problem: 'internet',
      checklist: 'done',
      afterReplug: 'no',
      afterRestart: 'no',
      lights: 'red',
      devices: 'all',
      since: 'od včerejšího večera',
    });
    const customer = await db.prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } });
    expect(ticket?.customerId).toBe(customer?.id);
    // Every message of the conversation, in and out, is in the ticket's history, in order.
    const history = await conversationHistory(db.prisma, 'console:test');
    expect(ticket?.messages.map((m) => m.id)).toEqual(history.map((m) => m.id));
    const texts = ticket?.messages.map((m) => `${m.direction}:${m.text}`) ?? [];
    for (const sent of h.port.sent) expect(texts).toContain(`out:${sent.reply.text}`);
    for (const said of ['Dobrý den, nejde mi internet', 'hotovo', 'x', 'nejde', 'ano']) expect(texts).toContain(`in:${said}`);
    expect(ticket?.messages.every((m) => m.direction !== 'out' || m.status === 'sent')).toBe(true);
    expect(ticket?.events.map((e) => e.type)).toEqual(['opened']);

    // A later message joins the ticket's history.
    expect((await h.say('Ještě: modem je nový.', { phone })).texts.join()).toContain('připojila jsem to k požadavku T-2026-00001');
    const after = await ticketByNumber(db.prisma, 'T-2026-00001');
    expect(after?.messages.at(-2)?.text).toBe('Ještě: modem je nový.');
    expect(after?.events.map((e) => e.type)).toEqual(['opened', 'customer_message']);

    // Commands are words to Linka: answered, with the open ticket recalled, but neither they nor
    // their answers join the ticket's history or its events.
    const help = await h.say('pomoc', { phone });
    expect(help.texts.join('\n')).toContain('Váš požadavek T-2026-00001 je stále otevřený a technik se vám ozve.');
    expect(help.texts.join('\n')).not.toContain('připojila jsem to');
    expect((await h.say('English', { phone })).texts.join('\n')).toContain('Your request T-2026-00001 is still open');
    const later = await ticketByNumber(db.prisma, 'T-2026-00001');
    expect(later?.messages.map((m) => m.text)).toEqual(after?.messages.map((m) => m.text));
    expect(later?.events.map((e) => e.type)).toEqual(['opened', 'customer_message']);
  });

  it.skipIf(skip)('walks the Wi-Fi checklist in English, identified by contract number, and marks the ticket likely customer-side', async () => {
    // callout.autoOffer: the checklist's answer sends the paid call-out offer at once (issue 16, rule 4).
    const h = createHarness(db, { config: { company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' }, callout: { autoOffer: true } } });
    const first = await h.say('Hello', { langHint: 'en-GB' });
    expect(first.texts.join()).toContain('contract number');
    expect((await h.say('English')).texts.join()).toContain('English');
    const welcome = await h.say('2024-0153');
    expect(welcome.texts.join()).toContain('I have found your contract (Jan Novák)');
    expect(welcome.texts.join()).toContain('What can I help you with?');
    expect((await h.say('3')).texts.join()).toContain('unplug all the devices');
    await h.say('done');
    expect((await h.wait(3)).join()).toMatch(/Wi-Fi working now\?/);
    await h.say('no');
    await h.say('done');
    expect((await h.say('no')).texts.join()).toContain('computer connected by cable directly to the router');
    expect((await h.say('yes')).texts.join()).toContain('Since when has the problem');
    await h.say('since this morning');
    await h.say('Blinking');
    await h.say('Wi-Fi only');
    const summary = await h.say('Phones and the laptop cannot see the Wi-Fi network at all.');
    expect(summary.texts.join()).toContain('Problem: Home Wi-Fi not working');
    const opened = await h.say('yes');
    expect(opened.texts.join()).toContain(`under number ${opened.ticketNumber}`);
    const ticket = await ticketByNumber(db.prisma, opened.ticketNumber ?? '');
    expect(ticket).toMatchObject({ category: 'wifi', likelyCustomerSide: true, verified: true });
    // Summaries are for the technicians, in the team language (Czech).
    expect(ticket?.summary).toContain('Problém: Nefunguje domácí Wi-Fi');
    expect(ticket?.summary).toContain('Připojení kabelem: Ano, kabelem to jde');
    // Every message of the conversation, in and out, is in the ticket's history, in order:
    // from the greeting before the customer was identified to the ticket's number.
    const history = await conversationHistory(db.prisma, 'console:test');
    expect(ticket?.messages.map((m) => m.id)).toEqual(history.map((m) => m.id));
    const texts = ticket?.messages.map((m) => `${m.direction}:${m.text}`) ?? [];
    expect(h.port.sent.length).toBeGreaterThanOrEqual(15);
    for (const sent of h.port.sent) expect(texts).toContain(`out:${sent.reply.text}`);
    expect(texts.filter((t) => t.startsWith('out:'))).toHaveLength(h.port.sent.length);
    expect(texts.filter((t) => t.startsWith('out:') && t.includes(`under number ${opened.ticketNumber}`))).toHaveLength(1);
    for (const said of [
      'Hello',
      'English',
      '2024-0153',
      'done',
      'no',
      'yes',
      'since this morning',
      'Wi-Fi only',
      'Phones and the laptop cannot see the Wi-Fi network at all.',
    ]) {
      expect(texts).toContain(`in:${said}`);
    }
    expect(ticket?.messages.every((m) => m.direction !== 'out' || m.status === 'sent')).toBe(true);
    expect(ticket?.events[0]?.type).toBe('opened');
    // Every bot message was in English, the paid call-out's VAT sentence included.
    for (const s of h.port.sent) expect(s.reply.text).not.toMatch(/prosím|Děkuji|DPH/);
    const offer = h.port.sent.map((s) => s.reply.text).find((text) => text.includes('per hour of work'));
    expect(offer).toContain('Prices exclude VAT.');
    expect((await db.prisma.calloutOffer.findFirst({ where: { ticketId: ticket?.id } }))?.terms).toMatchObject({ vatNote: 'Prices exclude VAT.', lang: 'en' });
  });

  it.skipIf(skip)('never answers a platform retry twice', async () => {
    const h = createHarness(db);
    const a = await h.say('Dobrý den', { phone: '+420603123456', dedupeId: 'console:update:1' });
    const b = await h.say('Dobrý den', { phone: '+420603123456', dedupeId: 'console:update:1' });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.texts).toEqual([]);
    expect(h.port.sent).toHaveLength(1);
    expect(await db.prisma.message.count({ where: { direction: 'in' } })).toBe(1);
  });

  it.skipIf(skip)('continues a conversation and its pending timer after the runtime dies', async () => {
    const clock = new Clock();
    const first = createHarness(db, { clock });
    const phone = '+420603123456';
    await first.say('Dobrý den', { phone });
    await first.say('1', { phone });
    await first.say('hotovo', { phone });
    // The process dies here: a reply is queued but not delivered, the 3-minute timer is pending.
    await first.runtime.dispatch({
      dedupeId: 'late',
      conversationId: 'console:test',
      channel: 'console',
      event: { kind: 'text', text: 'co teď?' },
      sender: { phone },
    });
    const lost = first.port.sent.length;

    clock.advance(10); // down for 10 minutes: the timer came due meanwhile
    const second = createHarness(db, { clock });
    await second.runtime.outbox.drain();
    expect(second.port.sent.map((s) => s.reply.text).join()).toContain('Zařízení ještě nabíhají');
    const fired = await second.wait(0);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toContain('Funguje vám teď internet?');
    expect(await second.wait(5)).toEqual([]); // fired once
    expect(first.port.sent).toHaveLength(lost);
    const done = await second.say('ano, už to jede', { phone });
    expect(done.texts.join()).toContain('Jsem ráda, že vše zase funguje');
    const history = await conversationHistory(db.prisma, 'console:test');
    expect(history.at(-1)?.direction).toBe('out');
    expect(history.some((m) => m.direction === 'system' && m.text.includes('Vyřešeno bez technika'))).toBe(true);
    expect(await db.prisma.ticket.count()).toBe(0);
  });

  it.skipIf(skip)('re-prompts unknown answers in the customer language and asks for the contract when the phone is unknown', async () => {
    const h = createHarness(db);
    const sk = await h.say('Dobrý deň', { phone: '+421905123456' });
    expect(sk.texts.join()).toContain('S čím vám môžem pomôcť?');
    expect((await h.say('blablabla')).texts.join()).toContain('Prepáčte');

    const unknown = await h.say('ahoj', { conversationId: 'console:other', phone: '+420777000111' });
    expect(unknown.texts.join()).toContain('číslo své smlouvy');
    await h.say('9999-0000', { conversationId: 'console:other' });
    await h.say('9999-0001', { conversationId: 'console:other' });
    // The third wrong try hands over at once: an unverified ticket, its number in the one reply.
    const third = await h.say('9999-0002', { conversationId: 'console:other' });
    expect(third.texts).toHaveLength(1);
    expect(third.texts[0]).toContain('nepodařilo ověřit');
    expect(third.texts[0]).toContain('pod číslem T-2026-00001');
    expect(third.ticketNumber).toBe('T-2026-00001');
    const ticket = await ticketByNumber(db.prisma, 'T-2026-00001');
    expect(ticket).toMatchObject({ category: 'other', verified: false, customerId: null, status: 'open' });
    expect(ticket?.summary).toContain('Zákazník neověřen');
    expect(ticket?.summary).toContain('Zadaná čísla smluv: 9999-0000, 9999-0001, 9999-0002');
    expect(ticket?.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['ahoj', '9999-0000', '9999-0001', '9999-0002']);

    // The conversation stays usable: what the customer writes joins the ticket, and the menu still works.
    expect((await h.say('Nejde mi e-mail.', { conversationId: 'console:other' })).texts.join()).toContain('T-2026-00001');
    expect((await ticketByNumber(db.prisma, 'T-2026-00001'))?.messages.some((m) => m.text === 'Nejde mi e-mail.')).toBe(true);
    expect((await h.say('menu', { conversationId: 'console:other' })).texts.join()).toContain('S čím vám mohu pomoci?');
    await h.say('4', { conversationId: 'console:other' });
    await h.say('Nevím, kde mám smlouvu, a nejde mi e-mail.', { conversationId: 'console:other' });
    await h.say('dnes', { conversationId: 'console:other' });
    const opened = await h.say('1', { conversationId: 'console:other' });
    expect(opened.ticketNumber).toBe('T-2026-00002');
    expect(await ticketByNumber(db.prisma, 'T-2026-00002')).toMatchObject({ category: 'other', verified: false, customerId: null });
  });

  it.skipIf(skip)('retries a failed delivery and marks it failed, visibly, when the platform keeps failing', async () => {
    const h = createHarness(db, { config: { outbox: { maxAttempts: 2, backoffBaseMs: 1000 } } });
    h.port.failNext = 1;
    await h.say('Dobrý den', { phone: '+420603123456' });
    expect(h.port.sent).toHaveLength(0);
    h.clock.advance(1);
    await h.runtime.outbox.drain();
    expect(h.port.sent).toHaveLength(1);

    h.port.failNext = 2;
    await h.say('1');
    h.clock.advance(1);
    await h.runtime.outbox.drain();
    const out = await db.prisma.message.findMany({ where: { direction: 'out' }, orderBy: { id: 'asc' } });
    expect(out.map((m) => m.status)).toEqual(['sent', 'failed']);
    expect(await db.prisma.outboxItem.count({ where: { status: 'failed' } })).toBe(1);
    const history = await conversationHistory(db.prisma, 'console:test');
    expect(history.at(-1)).toMatchObject({ direction: 'system' });
    expect(history.at(-1)?.text).toContain('Doručení zprávy selhalo, počet pokusů: 2. Chyba: ');
  });

  it.skipIf(skip)('writes the failed-delivery line of the history in the team language', async () => {
    const h = createHarness(db, { config: { teamLanguage: 'en', outbox: { maxAttempts: 2, backoffBaseMs: 1000 } } });
    h.port.failNext = 2;
    await h.say('Dobrý den', { phone: '+420603123456' });
    h.clock.advance(1);
    await h.runtime.outbox.drain();
    expect(await db.prisma.outboxItem.count({ where: { status: 'failed' } })).toBe(1);
    const history = await conversationHistory(db.prisma, 'console:test');
    expect(history.at(-1)).toMatchObject({ direction: 'system' });
    expect(history.at(-1)?.text).toMatch(/^Delivering the message failed, attempts: 2. Error: /);
  });

  it.skipIf(skip)('hands out unique ticket numbers under concurrent openings', async () => {
    const h = createHarness(db);
    const run = async (i: number) => {
      const conversationId = `console:c${i}`;
      await h.say('Dobrý den', { conversationId, phone: '+420603123456' });
      await h.say('4', { conversationId });
      await h.say('Potřebuji poradit s nastavením pošty.', { conversationId });
      await h.say('dnes', { conversationId });
      return (await h.say('ano', { conversationId })).ticketNumber;
    };
    const numbers = await Promise.all([1, 2, 3, 4].map(run));
    expect(new Set(numbers).size).toBe(4);
    expect([...numbers].sort()).toEqual(['T-2026-00001', 'T-2026-00002', 'T-2026-00003', 'T-2026-00004']);
  });
});
