// Prices that fit real price lists, as an operator and a customer meet them: a technician's and a
// consultant's rate each with its increment, travel time at its own rate and transport per visit
// and per km on `linka statement`; a rate or kilometres that cannot be billed refused with the
// reason; and the paid call-out: what the customer was quoted for a visit with travel is exactly
// what `linka statement` bills for it, also after the price list changed.
import { writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { createHarness } from './helpers/harness.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

/** A price list in the new grammar: two rates with different increments, travel at its own rate, per visit and per km. */
const CONFIG = {
  company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
  // The checklist's "only Wi-Fi fails" offers the paid call-out at once (issue 16, rule 4: by default only suggested).
  callout: { autoOffer: true },
  timezone: 'Europe/Prague',
  tiers: { none: { reactionHours: null, includedHours: 0 }, PLUS: { reactionHours: 8, includedHours: 3 } },
  billing: {
    currency: 'CZK',
    rates: {
      technician: { hourlyRate: 100_000, incrementMinutes: 15 },
      consultant: { hourlyRate: 150_000, incrementMinutes: 30 },
      travel: { hourlyRate: 60_000, incrementMinutes: 15 },
    },
    defaultRate: 'technician',
    travel: { rate: 'travel', perVisit: 25_000, perKm: 1_200 },
    vatNote: 'Ceny jsou uvedeny bez DPH.',
  },
};

let db: Db;
let url: string;
let dir: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const made = await createTestDatabase('sqlite');
  ({ db, url, drop } = made);
  dir = path.dirname(url.slice('file:'.length));
  await db.prisma.customer.create({
    data: { contractNumber: 'ACME-1', name: 'Acme s.r.o.', language: 'cs', tier: 'none', phones: { create: [{ e164: '+420777111222' }] } },
  });
});
afterAll(async () => {
  await drop();
});

/** Runs `linka ...` on the test database with `config` as its configuration file. */
function linka(args: string[], config: unknown = CONFIG): Promise<LinkaRun> {
  const file = path.join(dir, `linka-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(config));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LINKA_CONFIG: file };
  for (const k of ['NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'TWILIO_ACCOUNT_SID', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete env[k];
  return runLinka(args, { env });
}

/** The statement's line rows of a ticket as [kind, rate, minutes, km, rounded, billed, amount]. */
function linesOf(csv: string, ticket: string): string[][] {
  const rows = parse(csv) as string[][];
  const header = rows[0] ?? [];
  const col = (name: string) => header.indexOf(name);
  return rows
    .filter((r) => r[0] === 'line' && r[col('ticket')] === ticket)
    .map((r) => ['kind', 'rate', 'minutes', 'km', 'rounded_minutes', 'billed_minutes', 'amount_minor'].map((c) => r[col(c)] ?? ''));
}

describe('rates and travel on the statement', () => {
  let number: string;
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Prague', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

  beforeAll(async () => {
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'ACME-1' } });
    number = `T-${month.slice(0, 4)}-00900`;
    const ticket = await db.prisma.ticket.create({
      data: { number, customerId: customer.id, category: 'other', workCategory: 'configuration', answers: {}, summary: 'VPN', tier: 'none' },
    });
    // The customer agreed to the paid work (issue 16, rule 3: paid work is billed only once agreed);
    // the terms stored name no prices, so the price list's apply.
    const offer = await db.prisma.calloutOffer.create({
      data: {
        ticketId: ticket.id,
        terms: { work: 'configuration' },
        quotedText: 'Cena: …',
        status: 'accepted',
        createdBy: 'slack:UPETR',
        expiresAt: new Date(),
      },
    });
    await db.prisma.consent.create({
      data: {
        offerId: offer.id,
        ticketId: ticket.id,
        decision: 'accepted',
        terms: { work: 'configuration' },
        quotedText: 'Cena: …',
        reply: 'ano',
        channel: 'sms',
        conversationId: 'sms:+420777111222',
        createdAt: new Date(),
      },
    });
  });

  it("bills the technician's and the consultant's time each at its price and increment, travel at its rate, per km and per visit", async () => {
    // One after the other (SQLite takes one writer at a time): the lines of the case are in the order they were logged.
    for (const args of [
      [number, '20m', 'Nastavení routeru', '--technician', 'Petr'],
      [number, '20m', 'konzultant:', 'Návrh zapojení VPN', '--technician', 'Eva'],
      [number, '15m', 'Návrh zapojení VPN, dokončení', '--rate', 'consultant', '--technician', 'Eva'],
      [number, '25m', 'cesta 35km:', 'Cesta k zákazníkovi', '--technician', 'Petr'],
      [number, '25m', 'cesta 35km:', 'Cesta zpět', '--technician', 'Petr'],
    ]) {
      const run = await linka(['time', ...args]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const statement = await linka(['statement', '--month', month, '--customer', 'ACME-1']);
    expect(statement.code).toBe(0);
    const lines = linesOf(statement.stdout, number);
    const byKind = (kind: string) => lines.filter((l) => l[0] === kind);
    // Each line priced by its own rate.
    expect(byKind('work')).toEqual([
      ['work', 'technician', '20', '', '30', '30', '50000'], // 20 -> 30 min at 1 000 CZK/h, per 15 min
      ['work', 'consultant', '20', '', '30', '30', '75000'], // 20 -> 30 min at 1 500 CZK/h, per 30 min
      ['work', 'consultant', '15', '', '30', '30', '75000'], // the consultant's 35 -> 60: 30 more
    ]);
    expect(lines.filter((l) => l[0] !== 'work')).toEqual([
      ['travel', 'travel', '25', '', '30', '30', '30000'], // 25 -> 30 min at 600 CZK/h
      ['travel-km', '', '0', '35', '0', '0', '42000'], // 35 km x 12 CZK
      ['travel', 'travel', '25', '', '30', '30', '30000'], // the case's travel 50 -> 60: 30 more
      ['travel-km', '', '0', '35', '0', '0', '42000'],
      ['travel-fee', '', '0', '', '0', '0', '25000'], // once for the visit
    ]);
    const total = statement.stdout.split('\n').find((r) => r.startsWith('total,'));
    // 50 000 + 75 000 + 75 000 + 30 000 + 42 000 + 30 000 + 42 000 + 25 000 = 369 000
    expect(total).toContain(',369000,"3 690,00 CZK",CZK,,70,0,0,');
    expect(statement.stdout).toContain('Doprava 35 km');
  }, 90_000);

  it('refuses an unknown rate, a rate on travel and kilometres that are not whole, naming what was typed', async () => {
    const [senior, flag, twice, km, travelRate] = await Promise.all([
      linka(['time', number, '20m', 'sazba senior:', 'Audit sítě']),
      linka(['time', number, '20m', 'Audit sítě', '--rate', 'senior']),
      linka(['time', number, '20m', 'konzultant:', 'Audit sítě', '--rate', 'technician']),
      linka(['time', number, '20m', 'cesta 12,5km:', 'Plzeň']),
      linka(['time', number, '20m', 'cesta:', 'konzultant:', 'Plzeň']),
    ]);
    expect(senior.code).toBe(1);
    expect(senior.stderr).toBe('linka: Sazbu „senior“ ceník nezná (sazby: technician, consultant, travel).\n');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--rate "senior" is not a rate of billing.rates (rates: technician, consultant, travel)');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('the rate is given twice, --rate technician and "konzultant:" in the activity; give it once');
    expect(km.code).toBe(1);
    expect(km.stderr).toBe('linka: Kilometry „12,5km“ zadejte celým číslem, např. cesta 35km: Plzeň.\n');
    expect(travelRate.code).toBe(1);
    expect(travelRate.stderr).toBe('linka: Čas na cestě se účtuje sazbou pro cestu; sazbu „konzultant“ u cesty neuvádějte.\n');
    // Nothing was logged by any of them.
    expect(await db.prisma.timeEntry.count({ where: { activity: { in: ['Audit sítě', 'Plzeň'] } } })).toBe(0);
  }, 60_000);
});

describe('the older single-rate configuration', () => {
  /** hourlyRate, incrementMinutes and travelFee, as configurations were written before rates had names. */
  const OLD = { ...CONFIG, billing: { currency: 'CZK', hourlyRate: 100_000, incrementMinutes: 15, travelFee: 35_000, vatNote: 'Ceny jsou uvedeny bez DPH.' } };

  it('quotes the travel time the bill charges, and the bill agrees with the quote', async () => {
    await db.prisma.customer.create({
      data: { contractNumber: 'OLD-1', name: 'Jana Malá', language: 'cs', tier: 'none', phones: { create: [{ e164: '+420777333444' }] } },
    });
    const h = createHarness(db, { config: OLD, conversationId: 'console:old-1' });
    const phone = '+420777333444';
    for (const text of ['Dobrý den', '4', 'Nefunguje tiskárna v síti po výměně routeru.', 'od rána']) await h.say(text, { phone });
    const number = (await h.say('ano', { phone })).ticketNumber as string;
    const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
    await h.runtime.queue.setCategory(number, petr, 'customer_fault');
    await h.runtime.queue.offerCallout(number, petr);
    await h.runtime.outbox.drain();
    await h.runtime.outbox.drain();
    const quoted = h.port.sent.map((s) => s.reply.text).find((t) => t.includes('Souhlasíte s placeným výjezdem')) ?? '';
    await h.say('ANO', { phone });
    const terms =
      /Cena: ([\d ]+,\d\d) CZK za hodinu práce i času na cestě, účtuje se po započatých (\d+) minutách, k tomu paušál ([\d ]+,\d\d) CZK za výjezd\./.exec(
        quoted,
      );
    if (!terms) throw new Error(`the quote does not say what travel costs: ${quoted}`);
    const [rate, increment, visit] = [Number((terms[1] ?? '').replace(/[\s,]/g, '')), Number(terms[2]), Number((terms[3] ?? '').replace(/[\s,]/g, ''))];
    for (const [minutes, text] of [
      [25, 'cesta: Cesta k zákazníkovi'],
      [50, 'Nastavení tiskárny a routeru'],
      [25, 'cesta: Cesta zpět'],
    ] as const)
      expect((await h.runtime.queue.logTime(number, petr, minutes, text)).ok).toBe(true);
    const blocks = (minutes: number) => Math.ceil(minutes / increment) * increment;
    const fromQuote = (blocks(50) * rate) / 60 + (blocks(50) * rate) / 60 + visit;
    const run = await linka(['statement', '--month', '2026-11', '--customer', 'OLD-1', '--format', 'json'], OLD);
    expect(JSON.parse(run.stdout).customers[0].totals.amount).toBe(fromQuote);
    expect(fromQuote).toBe(100_000 + 100_000 + 35_000);
  }, 60_000);

  it("refuses a consultant's time when the price list has no consultant, instead of billing it at the technician's rate", async () => {
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'OLD-1' } });
    const ticket = await db.prisma.ticket.create({
      data: { number: 'T-2026-00950', customerId: customer.id, category: 'other', workCategory: 'configuration', answers: {}, summary: 'x' },
    });
    const run = await linka(['time', ticket.number, '45m', 'konzultant:', 'Návrh zapojení'], OLD);
    expect(run.stderr).toBe('linka: Sazbu „konzultant“ ceník nezná (sazby: technician).\n');
    expect(run.code).toBe(1);
    expect(await db.prisma.timeEntry.count({ where: { ticketId: ticket.id } })).toBe(0);
  }, 30_000);
});

describe('the paid call-out', () => {
  it('bills a visit with travel exactly as it was quoted, also after the price list changed', async () => {
    const h = createHarness(db, { config: CONFIG });
    const phone = '+420777111222';
    for (const text of ['Dobrý den', '4', 'Po výměně routeru nefunguje Wi-Fi v kanceláři.', 'od včera']) await h.say(text, { phone });
    const number = (await h.say('ano', { phone })).ticketNumber as string;
    const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
    await h.runtime.queue.setCategory(number, petr, 'customer_fault');
    expect((await h.runtime.queue.offerCallout(number, petr)).ok).toBe(true);
    await h.runtime.outbox.drain();
    await h.runtime.outbox.drain();
    const quoted = h.port.sent.map((s) => s.reply.text).find((t) => t.includes('Souhlasíte s placeným výjezdem')) ?? '';
    expect(quoted).toContain(
      'Práce (technik): 1 000,00 CZK za hodinu, účtuje se po započatých 15 minutách. Čas na cestě: 600,00 CZK za hodinu, účtuje se po započatých 15 minutách. Doprava: paušál 250,00 CZK za výjezd a 12,00 CZK za kilometr. Ceny jsou uvedeny bez DPH.',
    );
    expect((await h.say('ANO', { phone })).texts.join()).toContain('váš souhlas jsme zaznamenali');

    // What the customer read, as numbers (minor units): the work's and travel's price and increment, per visit, per km.
    const money = (text: string) => Number(text.replace(/[\s,]/g, ''));
    const work = /Práce \(technik\): ([\d ]+,\d\d) CZK za hodinu, účtuje se po započatých (\d+) minutách/.exec(quoted);
    const travel = /Čas na cestě: ([\d ]+,\d\d) CZK za hodinu, účtuje se po započatých (\d+) minutách/.exec(quoted);
    const transport = /Doprava: paušál ([\d ]+,\d\d) CZK za výjezd a ([\d ]+,\d\d) CZK za kilometr/.exec(quoted);
    if (!work || !travel || !transport) throw new Error(`the quote does not state the terms: ${quoted}`);
    const q = {
      workRate: money(work[1] ?? ''),
      workIncrement: Number(work[2]),
      travelRate: money(travel[1] ?? ''),
      travelIncrement: Number(travel[2]),
      perVisit: money(transport[1] ?? ''),
      perKm: money(transport[2] ?? ''),
    };
    // The consent keeps the same terms as numbers.
    const ticket = await db.prisma.ticket.findUniqueOrThrow({ where: { number } });
    const consent = await db.prisma.consent.findFirstOrThrow({ where: { ticketId: ticket.id, decision: 'accepted' } });
    expect(consent.quotedText).toBe(quoted.split('\n\n').find((p) => p.startsWith('Práce')));
    expect(consent.terms).toMatchObject({
      currency: 'CZK',
      rate: { name: 'technician', hourlyRate: q.workRate, incrementMinutes: q.workIncrement },
      travel: { rate: { name: 'travel', hourlyRate: q.travelRate, incrementMinutes: q.travelIncrement }, perVisit: q.perVisit, perKm: q.perKm },
    });

    // The visit, as the technician logs it.
    for (const [minutes, text] of [
      [25, 'cesta 35km: Cesta k zákazníkovi'],
      [50, 'Výměna routeru a nastavení Wi-Fi'],
      [25, 'cesta 35km: Cesta zpět'],
    ] as const) {
      expect((await h.runtime.queue.logTime(number, petr, minutes, text)).ok).toBe(true);
    }
    // From the quote alone: work 50 min in started blocks, travel 25 + 25 min in started blocks, 70 km, one visit.
    const blocks = (minutes: number, increment: number) => Math.ceil(minutes / increment) * increment;
    const expected = (blocks(50, q.workIncrement) * q.workRate) / 60 + (blocks(50, q.travelIncrement) * q.travelRate) / 60 + 70 * q.perKm + q.perVisit;
    expect(expected).toBe(100_000 + 60_000 + 84_000 + 25_000);

    const billed = async (config: unknown) => {
      const run = await linka(['statement', '--month', '2026-11', '--customer', 'ACME-1', '--format', 'json'], config);
      expect(run.stderr).toBe('');
      const acme = JSON.parse(run.stdout).customers[0] as { lines: Array<{ ticket: string; amount: number }> };
      return acme.lines.filter((l) => l.ticket === number).reduce((sum, l) => sum + l.amount, 0);
    };
    expect(await billed(CONFIG)).toBe(expected);
    // The provider raises its prices after the customer agreed: the visit is still billed as quoted.
    const dearer = structuredClone(CONFIG);
    dearer.billing.rates.technician.hourlyRate = 120_000;
    dearer.billing.rates.travel.hourlyRate = 90_000;
    dearer.billing.travel = { rate: 'travel', perVisit: 40_000, perKm: 1_500 };
    expect(await billed(dearer)).toBe(expected);

    // Work at a rate the customer was not quoted is refused on that ticket, with the reason.
    const consultant = await h.runtime.queue.logTime(number, petr, 30, 'konzultant: Návrh sítě');
    expect(consultant).toEqual({
      ok: false,
      message: `K ${number} zákazník souhlasil s placeným výjezdem za sazbu technik; placenou práci za sazbu konzultant k němu zapsat nelze (zapište ji jako zdarma:, nebo k jinému požadavku).`,
    });
  }, 90_000);
});
