// The providers' presets (examples/providers/<name>.yaml) run as they are: each provider's
// customer goes through that provider's own flow and wording, through the real dispatcher.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { t, useTexts } from '../src/messages/index.js';
import { ROOT, startChildLinka } from './helpers/child-linka.js';
import { databaseForEachTest } from './helpers/db.js';
import { createHarness } from './helpers/harness.js';

afterAll(() => useTexts({}));

/** A preset's configuration, read as `LINKA_CONFIG=examples/providers/<name>.yaml` reads it. */
const preset = (name: string) => loadConfig({ LINKA_CONFIG: path.join(ROOT, 'examples', 'providers', `${name}.yaml`) }, ROOT).config;

describe('the access-control software maker (examples/providers/access-control-software.yaml)', () => {
  // Its customers are identified by licence number: the contract number is the licence's.
  const database = databaseForEachTest('sqlite', async (db) => {
    await db.prisma.customer.create({
      data: { contractNumber: '12345678', name: 'Strojírny Holešov', language: 'cs', tier: 'none', phones: { create: [{ e164: '+420603111222' }] } },
    });
  });

  const phone = '+420603111222';

  it('asks for the licence, program, version and a usable description, refusing each incomplete answer, then opens the ticket', async () => {
    const h = createHarness(database(), { config: preset('access-control-software') });
    const hello = (await h.say('Dobrý den', { phone })).texts.join('\n');
    expect(hello).toContain('Dobrý den, tady Linka, technická podpora ACS Software. Pomohu vám s docházkou, přístupovým systémem i stravováním.');
    expect(h.port.sent.at(-1)?.reply.choices?.map((c) => c.label)).toEqual([
      'Program nefunguje nebo hlásí chybu',
      'Celý systém stojí (havarijní stav)',
      'Něco jiného',
    ]);
    expect((await h.say('1', { phone })).texts.join()).toContain('Napište mi prosím číslo své licence (osm číslic');
    // What the terms call an incomplete request is asked again, and no ticket is opened.
    const refused = ['nevím', '1234', 'LIC-12345678'];
    for (const answer of refused) expect((await h.say(answer, { phone })).texts.join()).toContain('Číslo licence má osm číslic, například 12345678.');
    expect((await h.say('12345678', { phone })).texts.join()).toContain('Kterého programu se požadavek týká?');
    expect((await h.say('docházka', { phone })).texts.join()).toContain('Jakou verzi programu máte?');
    expect((await h.say('sedmička', { phone })).texts.join()).toContain('Verzi napište prosím jako čísla oddělená tečkou');
    expect((await h.say('7.4', { phone })).texts.join()).toContain('Jde o chybu programu, nebo o nastavení či konfiguraci?');
    await h.say('chyba programu', { phone });
    expect((await h.say('nejde to', { phone })).texts.join()).toContain('To je na vyřešení málo.');
    const summary = (await h.say('Po aktualizaci se docházka nespustí a hlásí Chyba připojení k databázi 0x17.', { phone })).texts.join('\n');
    for (const line of ['Licence: 12345678', 'Program: Docházka', 'Verze: 7.4', 'Druh požadavku: Chyba programu']) expect(summary).toContain(line);
    expect(await database().prisma.ticket.count()).toBe(0);
    const opened = await h.say('odeslat', { phone });
    expect(opened.ticketNumber).toBe('T-2026-00001');
    const ticket = await database().prisma.ticket.findFirstOrThrow();
    expect(ticket.summary).toContain('Licence: 12345678');
    expect(ticket.likelyCustomerSide).toBe(false);
  });

  it('takes an emergency from the menu straight to its own questions, and marks a data-export request as paid', async () => {
    const h = createHarness(database(), { config: preset('access-control-software') });
    await h.say('Dobrý den', { phone });
    expect((await h.say('2', { phone })).texts.join()).toContain('Havarijní stav řešíme přednostně.');
    await h.say('12345678', { phone });
    expect((await h.say('1', { phone })).texts.join()).toContain('Popište prosím co nejpřesněji');

    const other = createHarness(database(), { config: preset('access-control-software'), conversationId: 'console:export' });
    await other.say('Dobrý den', { phone });
    await other.say('1', { phone });
    await other.say('12345678', { phone });
    await other.say('stravování', { phone });
    await other.say('7.4.2', { phone });
    expect((await other.say('exporty', { phone })).texts.join()).toContain(
      'Konfigurace datových exportů pro nadřazené systémy není součástí služby HOTLINE START.',
    );
    await other.say('Potřebujeme nastavit export docházky do mzdového systému Vema každý měsíc.', { phone });
    await other.say('odeslat', { phone });
    const ticket = await database().prisma.ticket.findFirstOrThrow({ where: { conversationId: 'console:export' } });
    expect(ticket.likelyCustomerSide).toBe(true);
    expect(t('cs', 'greeting.hello', { company: 'X' })).toContain('technická podpora X');
  });
});

describe('the access-control software maker after HOTLINE START', () => {
  // "Službu HOTLINE START je možné využívat od data aktivace licence po dobu 6 měsíců": activated
  // on 10 May 2026, it covered the customer through 10 November; on 23 November help is paid.
  const database = databaseForEachTest('sqlite', async (db) => {
    await db.prisma.customer.create({
      data: {
        contractNumber: '87654321',
        name: 'Pekárna Zlín',
        language: 'cs',
        tier: 'START',
        planStart: '2026-05-10',
        phones: { create: [{ e164: '+420603999888' }] },
      },
    });
  });

  it('tells the customer, before any paid work, that the service ended and that help is now paid', async () => {
    const phone = '+420603999888';
    const h = createHarness(database(), { config: preset('access-control-software') });
    for (const answer of ['Dobrý den', '1', '87654321', 'přístupový systém', '7.4', 'chyba programu']) await h.say(answer, { phone });
    await h.say('Čtečka u vchodu nepouští nikoho dovnitř a program hlásí Chyba komunikace 12.', { phone });
    const opened = await h.say('odeslat', { phone });
    const told = opened.texts.join('\n');
    expect(told).toContain('Vaše podpora HOTLINE START skončila 10. 11. 2026, proto je pomoc technika nyní placená');
    // Served as without support: no three working days promised any more.
    expect(told).not.toContain('Termín vyřešení');
  });

  it('promises three working days while the service lasts', async () => {
    const phone = '+420603777666';
    await database().prisma.customer.create({
      data: {
        contractNumber: '11223344',
        name: 'Stavby Kroměříž',
        language: 'cs',
        tier: 'START',
        planStart: '2026-09-01',
        phones: { create: [{ e164: phone }] },
      },
    });
    const h = createHarness(database(), { config: preset('access-control-software') });
    for (const answer of ['Dobrý den', '1', '11223344', 'docházka', '7.4', 'chyba programu']) await h.say(answer, { phone });
    await h.say('Docházka od rána neukládá příchody a hlásí Chyba zápisu do databáze.', { phone });
    const told = (await h.say('odeslat', { phone })).texts.join('\n');
    // Reported on Monday 23 November at 10:00: Tuesday, Wednesday, Thursday; by 17:00 on Thursday.
    expect(told).toContain('Termín vyřešení požadavku podle vaší smlouvy: čtvrtek 26. 11. v 17:00.');
    expect(told).not.toContain('skončila');
  });
});

describe('the other presets, each customer from the first message to a ticket on its own flow and wording', () => {
  const database = databaseForEachTest('sqlite');

  const customer = (phone: string, language: string, tier: string, contract = '2026-0001') =>
    database().prisma.customer.create({ data: { contractNumber: contract, name: 'Zákazník', language, tier, phones: { create: [{ e164: phone }] } } });

  it('the Slovak VoIP/PBX distributor: its PBX checklist in Slovak, the PBX model asked before the details', async () => {
    const phone = '+421905111222';
    await customer(phone, 'sk', 'V2');
    const h = createHarness(database(), { config: preset('voip-pbx-sk') });
    const hello = (await h.say('Dobrý deň, nejde nám ústredňa', { phone })).texts.join('\n');
    expect(hello).toContain('Dobrý deň, tu je Linka, technická podpora VoIP ústredne.');
    expect(hello).toContain('Vytiahnite prosím zo zásuvky všetky zariadenia (ústredňa (PBX), VoIP brána, router a switch)');
    await h.say('nemôžem', { phone });
    expect(h.port.sent.at(-1)?.reply.text).toContain('Akú ústredňu máte (výrobca a model, napr. Yeastar S50)?');
    await h.say('Yeastar S50', { phone });
    await h.say('od dneška', { phone });
    await h.say('svieti normálne', { phone });
    await h.say('všetky', { phone });
    const summary = (await h.say('Nikto sa nevie dovolať von, vnútorné hovory fungujú.', { phone })).texts.join('\n');
    expect(summary).toContain('Ústredňa: Yeastar S50');
    const opened = await h.say('áno', { phone });
    expect(opened.ticketNumber).toMatch(/^T-\d{4}-00001$/);
    // Variant 2: reaction within 2 hours of its working time, told in Slovak.
    expect(opened.texts.join('\n')).toMatch(/Termín reakcie technika podľa vašej zmluvy: .* \d{1,2}:\d{2}\./);
  });

  it("the Slovak VoIP/PBX distributor: remote analysis on the customer's side is paid only past 15 minutes (issue 16, rule 3)", () => {
    // "Analýza zaslaných logov ... kedy operácia trvá dlhšie ako 15 minút a kedy je problém na strane zákazníka".
    expect(preset('voip-pbx-sk').callout.freeDiagnosticsMinutes).toBe(15);
    expect(preset('telecom-operator').callout.freeDiagnosticsMinutes).toBe(0);
    // Nobody's preset offers the paid call-out without a technician's judgement (issue 16, rule 4).
    for (const name of ['fixed-wireless-isp', 'voip-pbx-sk', 'isp-billing-software', 'telecom-operator', 'access-control-software'])
      expect(preset(name).callout.autoOffer, name).toBe(false);
  });

  it('the ISP billing-software vendor: the kind of request first, the paid kinds said and marked, installation and version asked', async () => {
    const phone = '+420603222333';
    await customer(phone, 'cs', 'VIP');
    const h = createHarness(database(), { config: preset('isp-billing-software') });
    expect((await h.say('Dobrý den', { phone })).texts.join('\n')).toContain('Dobrý den, tady Linka, technická podpora Billing pro ISP.');
    expect((await h.say('1', { phone })).texts.join()).toContain('O jaký požadavek jde?');
    expect((await h.say('školení', { phone })).texts.join('\n')).toContain('Zaškolení obsluhy není součástí licence a objednává se zvlášť.');
    await h.say('admin.mujisp.cz', { phone });
    expect((await h.say('nejnovější', { phone })).texts.join()).toContain('Verzi napište prosím jako čísla oddělená tečkou');
    await h.say('4.28', { phone });
    await h.say('Potřebujeme zaškolit dvě nové kolegyně na fakturaci a upomínky.', { phone });
    const opened = await h.say('odeslat', { phone });
    expect(opened.ticketNumber).toMatch(/-00001$/);
    const ticket = await database().prisma.ticket.findFirstOrThrow();
    expect(ticket.likelyCustomerSide).toBe(true);
    expect(ticket.summary).toContain('Druh požadavku: Zaškolení obsluhy');
    expect(ticket.summary).toContain('Instalace: admin.mujisp.cz');
  });

  it("the telecom operator: its greeting, the built-in checklist, and its VIP's four real hours", async () => {
    const phone = '+420603333444';
    await customer(phone, 'cs', 'VIP');
    const h = createHarness(database(), { config: preset('telecom-operator') });
    const hello = (await h.say('Dobrý den, nejde internet', { phone })).texts.join('\n');
    expect(hello).toContain('technická podpora Telekomunikace. Pomohu vám s internetem, pevnou linkou i ústřednou');
    await h.say('nemohu', { phone });
    await h.say('od dneška', { phone });
    await h.say('nesvítí nic', { phone });
    await h.say('všech', { phone });
    await h.say('Od rána nejde žádná stránka, router nesvítí.', { phone });
    const opened = await h.say('ano', { phone });
    // The harness's clock: Monday 23 November 2026, 10:00 in Prague; VIP: 4 hours later, 14:00.
    expect(opened.texts.join('\n')).toContain('Termín reakce technika podle vaší smlouvy: pondělí 23. 11. v 14:00.');
  });

  it('the fixed-wireless ISP: the restart checklist to a ticket with no promised reaction time', async () => {
    const phone = '+420603444555';
    await customer(phone, 'cs', 'none');
    const h = createHarness(database(), { config: preset('fixed-wireless-isp') });
    const hello = (await h.say('Dobrý den, nejde mi internet', { phone })).texts.join('\n');
    expect(hello).toContain('zákaznická podpora Bezdrátový internet');
    expect(hello).toContain('zdroj antény, Wi-Fi router, kabelový router a switch, případně i VoIP bránu');
    await h.say('hotovo', { phone });
    expect((await h.wait(3)).join()).toContain('Funguje vám teď internet?');
    await h.say('ne', { phone });
    await h.say('hotovo', { phone });
    await h.say('ne, stále nefunguje', { phone });
    await h.say('od včera', { phone });
    await h.say('bliká', { phone });
    await h.say('všech', { phone });
    await h.say('Nenačte se žádná stránka, anténa asi nemá signál.', { phone });
    const opened = await h.say('ano', { phone });
    expect(opened.ticketNumber).toMatch(/-00001$/);
    expect(opened.texts.join('\n')).not.toContain('Termín reakce');
  });
});

describe('LINKA_CONFIG=examples/providers/<name>.yaml npm start', () => {
  it('starts and serves with each preset as it is, its flows in place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linka-presets-'));
    try {
      for (const name of ['fixed-wireless-isp', 'voip-pbx-sk', 'isp-billing-software', 'telecom-operator', 'access-control-software']) {
        const linka = await startChildLinka({
          cwd: dir,
          env: { LINKA_CONFIG: path.join(ROOT, 'examples', 'providers', `${name}.yaml`), DATABASE_URL: `file:${path.join(dir, `${name}.db`)}` },
        });
        try {
          expect((await fetch(`${linka.base}/healthz`)).status, name).toBe(200);
          expect(linka.stderr(), name).toBe('');
        } finally {
          expect((await linka.terminate()).code, name).toBe(0);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
