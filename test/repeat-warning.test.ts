// Seed 001: a customer who keeps asking about the same topic is told, politely, that further
// help on it will be charged; an old ticket outside the window does not count, nor do the
// provider's outages, paid work and cases with an accepted paid call-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { createHarness, seedCustomers, type Harness } from './helpers/harness.js';

describe('repeated questions on one topic', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let h: Harness;

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    h = createHarness(db, { config: { company: { name: 'Test ISP' }, callout: { repeatCount: 2, repeatWindowDays: 30 } } });
  });
  afterEach(async () => {
    await drop();
  });

  async function ask(topic: string): Promise<string> {
    await h.say('menu', { phone: '+420603123456' });
    await h.say(topic);
    await h.say('Jak si nastavím poštu v novém telefonu?');
    await h.say('dnes');
    return (await h.say('ano')).texts.join('\n');
  }

  // "A customer who opens this many tickets on the same topic within the window is told" (repeatCount 2 here),
  // and the terms recommend training or an SLA package: "odporúčame technické školenia a/alebo službu SLA".
  it('warns with the repeatCount-th ticket on one topic within the window, recommending training or an SLA; an older one does not count', async () => {
    const warning = 'Další pomoc s ní už bude zpoplatněna';
    expect(await ask('4')).not.toContain(warning);
    h.clock.advance(60 * 24 * 40); // 40 days later: the first ticket is outside the window
    expect(await ask('4')).not.toContain(warning);
    h.clock.advance(60 * 24);
    const second = await ask('4'); // the second within 30 days
    expect(second).toContain(warning);
    expect(second).toContain('Doporučujeme vám naše technické školení nebo některý z balíčků podpory (SLA).');
    expect(second).toMatch(/pod číslem T-\d{4}-\d{5}/);
  });

  it('counts only free diagnostics: outage tickets, paid work and accepted call-outs are not held against the customer', async () => {
    const warning = 'Další pomoc s ní už bude zpoplatněna';
    const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
    const latest = () => db.prisma.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } });
    // Three questions while a known outage covers Jan's area: outage work (free), no warning.
    const outage = await h.runtime.outages.declare({ areas: ['Plzeň-Bory'], services: ['internet'], title: 'Výpadek páteře', source: 'test', actor: 'test' });
    for (let i = 0; i < 3; i++) {
      expect(await ask('4')).not.toContain(warning);
      expect((await latest()).workCategory).toBe('outage');
      h.clock.advance(60);
    }
    await h.runtime.outages.resolve(outage.outage.id, 'test');
    // After the outage: three outage tickets in the window count for nothing.
    expect(await ask('4')).not.toContain(warning);
    const fourth = await latest();
    expect(fourth.workCategory).toBe('diagnostics');
    // A technician makes it paid work: it no longer counts.
    expect((await h.runtime.queue.setCategory(fourth.number, petr, 'configuration')).ok).toBe(true);
    expect(await ask('4')).not.toContain(warning);
    // This one gets a paid call-out the customer accepts: it does not count either.
    const fifth = await latest();
    expect((await h.runtime.queue.offerCallout(fifth.number, petr)).ok).toBe(true);
    expect((await h.wait(0)).join('\n')).toContain('Souhlasíte s placeným výjezdem'); // the offer reaches the customer
    expect((await h.say('ano')).texts.join('\n')).toContain('souhlas jsme zaznamenali');
    expect((await db.prisma.calloutOffer.findFirstOrThrow()).status).toBe('accepted');
    // The paid and the accepted tickets do not count: the sixth gets no warning, the seventh is
    // the second free question in the window (after the sixth).
    expect(await ask('4')).not.toContain(warning);
    expect(await ask('4')).toContain(warning);
  });
});
