// The providers' presets (examples/providers/<name>.yaml) run as they are: each provider's
// customer goes through that provider's own flow and wording, through the real dispatcher.
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { t, useTexts } from '../src/messages/index.js';
import type { Db } from '../src/store/client.js';
import { ROOT } from './helpers/child-linka.js';
import { createTestDatabase } from './helpers/db.js';
import { createHarness } from './helpers/harness.js';

afterAll(() => useTexts({}));

/** A preset's configuration, read as `LINKA_CONFIG=examples/providers/<name>.yaml` reads it. */
const preset = (name: string) => loadConfig({ LINKA_CONFIG: path.join(ROOT, 'examples', 'providers', `${name}.yaml`) }, ROOT).config;

describe('the access-control software maker (examples/providers/access-control-software.yaml)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const t0 = await createTestDatabase('sqlite');
    db = t0.db;
    drop = t0.drop;
    // Its customers are identified by licence number: the contract number is the licence's.
    await db.prisma.customer.create({
      data: { contractNumber: '12345678', name: 'Strojírny Holešov', language: 'cs', tier: 'none', phones: { create: [{ e164: '+420603111222' }] } },
    });
  });
  afterEach(async () => drop());

  const phone = '+420603111222';

  it('asks for the licence, program, version and a usable description, refusing each incomplete answer, then opens the ticket', async () => {
    const h = createHarness(db, { config: preset('access-control-software') });
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
    expect(await db.prisma.ticket.count()).toBe(0);
    const opened = await h.say('odeslat', { phone });
    expect(opened.ticketNumber).toBe('T-2026-00001');
    const ticket = await db.prisma.ticket.findFirstOrThrow();
    expect(ticket.summary).toContain('Licence: 12345678');
    expect(ticket.likelyCustomerSide).toBe(false);
  });

  it('takes an emergency from the menu straight to its own questions, and marks a data-export request as paid', async () => {
    const h = createHarness(db, { config: preset('access-control-software') });
    await h.say('Dobrý den', { phone });
    expect((await h.say('2', { phone })).texts.join()).toContain('Havarijní stav řešíme přednostně.');
    await h.say('12345678', { phone });
    expect((await h.say('1', { phone })).texts.join()).toContain('Popište prosím co nejpřesněji');

    const other = createHarness(db, { config: preset('access-control-software'), conversationId: 'console:export' });
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
    const ticket = await db.prisma.ticket.findFirstOrThrow({ where: { conversationId: 'console:export' } });
    expect(ticket.likelyCustomerSide).toBe(true);
    expect(t('cs', 'greeting.hello', { company: 'X' })).toContain('technická podpora X');
  });
});
