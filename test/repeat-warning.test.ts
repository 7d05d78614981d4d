// Seed 001: a customer who keeps asking about the same topic is told, politely, that further
// help on it will be charged; an old ticket outside the window does not count.
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

  it('warns when two tickets on the same topic are already within the window; an older one does not count', async () => {
    const warning = 'další pomoc v ní už bude zpoplatněna';
    expect(await ask('4')).not.toContain(warning);
    h.clock.advance(60 * 24 * 40); // 40 days later: the first ticket is outside the window
    expect(await ask('4')).not.toContain(warning);
    h.clock.advance(60 * 24);
    expect(await ask('4')).not.toContain(warning);
    h.clock.advance(60 * 24);
    const third = await ask('4'); // two earlier ones within 30 days
    expect(third).toContain(warning);
    expect(third).toMatch(/pod číslem T-\d{4}-\d{5}/);
  });
});
