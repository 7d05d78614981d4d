// Support entitlements with dates: a HOTLINE START that lasts six months from the licence's
// activation, a VIP plan with a minimum term of six months. Imported with the customers
// (plan_start, plan_end); after the end the customer is served without support, told so with the
// date and the terms before any paid work (when a ticket opens, in the paid call-out), and no
// included hours count any more; ending a plan before its minimum term is shown to the operator.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { Clock, createHarness } from './helpers/harness.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

const CONFIG = {
  company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
  timezone: 'Europe/Prague',
  tiers: {
    none: { reactionHours: null, includedHours: 0 },
    HOTLINE_START: { reactionHours: 24, includedHours: 2, termMonths: 6 },
    VIP: { reactionHours: 4, includedHours: 6, hours: 'always', minimumTermMonths: 6 },
  },
  billing: { currency: 'CZK', hourlyRate: 100_000, incrementMinutes: 15, vatNote: 'Ceny jsou uvedeny bez DPH.' },
};
const HOTLINE_PHONE = '+420573000111';
const VIP_PHONE = '+421905000222';
const TERMS_CS = 'Cena: 1 000,00 CZK za hodinu práce i času na cestě, účtuje se po započatých 15 minutách. Ceny jsou uvedeny bez DPH.';

let db: Db;
let url: string;
let dir: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase('sqlite'));
  dir = path.dirname(url.slice('file:'.length));
});
afterAll(async () => {
  await drop();
});

function linka(args: string[]): Promise<LinkaRun> {
  const file = path.join(dir, 'linka.config.yaml');
  writeFileSync(file, stringify(CONFIG));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LINKA_CONFIG: file };
  for (const k of ['NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'TWILIO_ACCOUNT_SID', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete env[k];
  return runLinka(args, { env });
}

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Opens a "something else" ticket as the customer of `phone`; returns the confirmation. */
async function openTicket(h: ReturnType<typeof createHarness>, phone: string, words: { hello: string; yes: string }) {
  for (const text of [words.hello, '4', 'Po aktualizaci nejde export docházky do mzdového systému.', 'od včera']) await h.say(text, { phone });
  return h.say(words.yes, { phone });
}

describe('plans with dates', () => {
  it('imports plan_start and plan_end, refuses a bad date or a plan that cannot end, and warns of an end before the minimum term', async () => {
    const bad = csvFile(
      'bad.csv',
      [
        'contract_number,name,phones,tier,plan_start,plan_end',
        'ACS-1001,Stavby Holešov s.r.o.,+420573000111,HOTLINE_START,,',
        'ACS-1002,Pila Bystřice,+420573000333,HOTLINE_START,2026-02-30,',
        'ACS-1003,Truhlářství Kroměříž,+420573000444,VIP,2026-09-01,2026-08-01',
        '',
      ].join('\n'),
    );
    const refused = await linka(['customers', 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      [
        'linka: Nothing was imported; fix these rows:',
        "  line 2: tier HOTLINE_START lasts 6 months from its start (tiers.HOTLINE_START.termMonths): give plan_start, the day it began (such as the licence's activation), or plan_end",
        '  line 3: plan_start "2026-02-30" is not a date (YYYY-MM-DD or 15. 7. 2026)',
        '  line 4: plan_end 2026-08-01 is before plan_start 2026-09-01',
        '',
      ].join('\n'),
    );
    expect(await db.prisma.customer.count()).toBe(0);

    const good = csvFile(
      'customers.csv',
      [
        'contract_number;name;phones;language;tier;plan_start;plan_end',
        'ACS-1001;Stavby Holešov s.r.o.;+420573000111;cs;HOTLINE_START;10. 5. 2026;',
        'VIP-7;Net Service s.r.o.;+421905000222;sk;VIP;2026-09-01;2026-12-31',
        '',
      ].join('\n'),
    );
    const imported = await linka(['customers', 'import', good]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toBe(
      'linka: warning: line 3: contract VIP-7 ends VIP on 2026-12-31, before its minimum term of 6 months from 2026-09-01 (until 2027-03-01)\n',
    );
    expect(await db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'ACS-1001' } })).toMatchObject({ planStart: '2026-05-10', planEnd: null });
  }, 30_000);

  it('tells a customer whose plan ended, when their ticket opens, the date and the terms of paid help; no deadline, no included hours', async () => {
    // 23 November 2026: HOTLINE START began on 10 May, so it ended on 10 November.
    const h = createHarness(db, { config: CONFIG, clock: new Clock(new Date('2026-11-23T09:00:00Z')), conversationId: 'console:hotline' });
    const opened = await openTicket(h, HOTLINE_PHONE, { hello: 'Dobrý den', yes: 'ano' });
    const confirmation = opened.texts.join('\n');
    expect(confirmation).toContain('Vaše smlouva nezahrnuje garantovanou dobu reakce');
    expect(confirmation).toContain(
      `Vaše podpora HOTLINE_START skončila 10. 11. 2026, proto je pomoc technika nyní placená; závady na naší straně odstraňujeme dál zdarma. ${TERMS_CS}`,
    );
    const ticket = await db.prisma.ticket.findUniqueOrThrow({ where: { number: opened.ticketNumber as string } });
    expect(ticket).toMatchObject({ tier: 'none', deadline: null });

    // Before any paid visit: the offer says the plan ended, and the consent keeps it.
    const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
    expect((await h.runtime.queue.offerCallout(ticket.number, petr)).ok).toBe(true);
    await h.runtime.outbox.drain();
    await h.runtime.outbox.drain();
    const offer = h.port.sent.map((s) => s.reply.text).find((t) => t.includes('Souhlasíte s placeným výjezdem')) ?? '';
    expect(offer).toContain(`Vaše podpora HOTLINE_START skončila 10. 11. 2026. ${TERMS_CS}`);
    await h.say('ANO', { phone: HOTLINE_PHONE });
    const consent = await db.prisma.consent.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(consent.quotedText).toBe(`Vaše podpora HOTLINE_START skončila 10. 11. 2026. ${TERMS_CS}`);
    expect(consent.terms).toMatchObject({ plan: { tier: 'HOTLINE_START', status: 'ended', start: '2026-05-10', end: '2026-11-10' } });

    // Work on 5 November was within the plan (its 2 hours cover it); on 20 November it is billed.
    await db.prisma.ticket.update({ where: { id: ticket.id }, data: { workCategory: 'configuration' } });
    for (const [day, activity] of [
      ['2026-11-05T09:00:00Z', 'Nastavení exportu (v době podpory)'],
      ['2026-11-20T09:00:00Z', 'Oprava exportu (po skončení podpory)'],
    ] as const)
      await db.prisma.timeEntry.create({
        data: { ticketId: ticket.id, technician: 'slack:UPETR', technicianName: 'Petr', minutes: 30, activity, billable: true, createdAt: new Date(day) },
      });
    const rows = parse((await linka(['statement', '--month', '2026-11', '--customer', 'ACS-1001'])).stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.type === 'line').map((r) => [r.date, r.included_minutes, r.billed_minutes, r.amount_minor])).toEqual([
      ['2026-11-05', '30', '0', '0'],
      ['2026-11-20', '0', '30', '50000'],
    ]);
    expect(rows.find((r) => r.type === 'total')).toMatchObject({
      tier: 'HOTLINE_START',
      plan_start: '2026-05-10',
      plan_end: '2026-11-10',
      plan_minimum_until: '',
    });
    // Asked in the chat: nothing is included any more.
    const hours = (await h.say('kolik hodin', { phone: HOTLINE_PHONE })).texts.join();
    expect(hours).toContain('Vaše služba nezahrnuje žádné hodiny podpory v ceně');
  }, 60_000);

  it('serves a plan as usual until its end, and in Slovak tells the customer once it is over; the minimum term is on the statement', async () => {
    const before = createHarness(db, { config: CONFIG, clock: new Clock(new Date('2026-12-30T09:00:00Z')), conversationId: 'console:vip-2026' });
    const during = await openTicket(before, VIP_PHONE, { hello: 'Dobrý deň', yes: 'áno' });
    expect(during.texts.join('\n')).not.toContain('skončila');
    expect(await db.prisma.ticket.findUniqueOrThrow({ where: { number: during.ticketNumber as string } })).toMatchObject({ tier: 'VIP' });

    const after = createHarness(db, { config: CONFIG, clock: new Clock(new Date('2027-01-04T09:00:00Z')), conversationId: 'console:vip-2027' });
    const ended = await openTicket(after, VIP_PHONE, { hello: 'Dobrý deň', yes: 'áno' });
    expect(ended.texts.join('\n')).toContain(
      'Vaša podpora VIP skončila 31. 12. 2026, preto je pomoc technika teraz platená; poruchy na našej strane odstraňujeme naďalej zadarmo. Cena: 1 000,00 CZK za hodinu práce aj času na ceste, účtuje sa po začatých 15 minútach. Ceny jsou uvedeny bez DPH.',
    );
    const json = JSON.parse((await linka(['statement', '--month', '2026-12', '--customer', 'VIP-7', '--format', 'json'])).stdout);
    expect(json.customers[0].plan).toEqual({ start: '2026-09-01', end: '2026-12-31', minimumTermUntil: '2027-03-01' });
  }, 60_000);
});
