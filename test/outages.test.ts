// Outages on a real database: the affected customers are told once each, in their language,
// on their own channel; a customer who writes during the outage gets the notice instead of the
// checklist and is attached; updates and the resolution reach everyone told, once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Reply } from '../src/engine/types.js';
import { silentLogger } from '../src/observability/logger.js';
import type { ChannelPort } from '../src/runtime/ports.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { Clock, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const PG = await pgAvailable();

function port(channel: 'sms' | 'telegram') {
  const sent: Array<{ to: string; text: string }> = [];
  const p: ChannelPort & { sent: typeof sent } = {
    channel,
    sent,
    async send(to: string, reply: Reply) {
      sent.push({ to, text: reply.text });
      return { platformMessageId: `${channel}-${sent.length}` };
    },
  };
  return p;
}

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('outages on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let sms: ReturnType<typeof port>;
  let telegram: ReturnType<typeof port>;
  let team: ReturnType<typeof recordingTeam>;
  const clock = new Clock();

  beforeEach(async () => {
    if (skip) return;
    const made = await createTestDatabase(provider);
    db = made.db;
    drop = made.drop;
    await seedCustomers(db); // Jan: Plzeň-Bory, cs, +420603123456; Zuzana: Petržalka, sk
    await db.prisma.customer.create({
      data: {
        contractNumber: 'EN-1',
        name: 'John Smith',
        language: 'en',
        area: 'Plzeň-Doubravka',
        telegramId: '5005',
        phones: { create: [{ e164: '+420777111222' }] },
      },
    });
    sms = port('sms');
    telegram = port('telegram');
    team = recordingTeam('slack');
    runtime = createRuntime({
      prisma: db.prisma,
      log: silentLogger(),
      clock: clock.read,
      ports: [sms, telegram],
      teamPorts: [team],
      config: parseConfig({ company: { name: 'Test ISP' }, timezone: 'Europe/Prague' }),
    });
  });
  afterEach(async () => {
    if (!skip) await drop();
  });

  const sentTo = (to: string) => [...sms.sent, ...telegram.sent].filter((m) => m.to === to).map((m) => m.text);

  it.skipIf(skip)(
    'previews who a new outage would tell (the console\'s "N customers will be told: X on Telegram, Y by SMS, about Z segments"), and declaring it tells exactly those',
    async () => {
      const input = { areas: ['Plzeň*'], services: ['internet'], title: 'Plzeň – výpadek páteře', estimatedEndAt: new Date('2026-11-23T13:00:00Z') };
      const preview = await runtime.outages.preview(input);
      expect(preview).toEqual({ customers: 2, byChannel: { sms: 1, telegram: 1 }, smsSegments: 1 });
      expect(await db.prisma.outboxItem.count()).toBe(0); // nothing written
      expect(await db.prisma.outage.count()).toBe(0);
      const declared = await runtime.outages.declare({ ...input, source: 'test', actor: 'test' });
      expect(declared.notified).toBe(preview.customers);
      expect(declared.byChannel).toEqual(preview.byChannel);
      const queued = await db.prisma.outboxItem.findMany({ where: { kind: 'reply' } });
      expect(queued).toHaveLength(preview.customers);
      await runtime.outbox.drain();
      const smsTexts = sms.sent.map((m) => m.text);
      expect(smsTexts).toHaveLength(1);
      expect(await runtime.outages.preview({ areas: ['Nikde'], services: ['internet'] })).toEqual({ customers: 0, byChannel: {}, smsSegments: 0 });
    },
  );

  it.skipIf(skip)('tells each affected customer once, in their language, on their own channel, and the team channel once', async () => {
    const eta = new Date('2026-11-23T13:00:00Z'); // 14:00 in Prague
    const declared = await runtime.outages.declare({
      areas: ['Plzeň*'],
      services: ['internet'],
      title: 'Plzeň – výpadek páteře',
      estimatedEndAt: eta,
      source: 'test',
      actor: 'test',
    });
    expect(declared.notified).toBe(2);
    await runtime.outbox.drain();
    // By SMS the short wording (sms.shortText, on by default: every segment is billed).
    expect(sentTo('sms:+420603123456')).toEqual([
      'Výpadek: Plzeň – výpadek páteře. Stav: zjišťujeme příčinu. Předpokládaný konec: 23. 11. 2026 14:00. Opravujeme, nic nerestartujte, ozveme se.',
    ]);
    // John is known on Telegram, so he is told there (in English), not by SMS.
    expect(sentTo('telegram:5005')).toEqual([
      expect.stringMatching(/^Outage: Plzeň – výpadek páteře\. Status: investigating\. Expected end: 23 Nov 2026, 14:00\./),
    ]);
    expect(sentTo('sms:+420777111222')).toEqual([]);
    expect(sentTo('sms:+421905123456')).toEqual([]); // Zuzana lives in Petržalka
    expect(team.channel).toEqual(['Výpadek: Plzeň – výpadek páteře · oblasti Plzeň* · služby internet · zjišťujeme příčinu. Upozorněno zákazníků: 2.']);

    // The same keyed declaration again (a repeated alert) changes nothing.
    const keyed = await runtime.outages.declare({ key: 'am:fp1', areas: ['Petržalka'], services: ['internet'], source: 'test', actor: 'test' });
    const repeat = await runtime.outages.declare({ key: 'am:fp1', areas: ['Petržalka'], services: ['internet'], source: 'test', actor: 'test' });
    expect(repeat).toMatchObject({ changed: false, notified: 0 });
    expect(repeat.outage.id).toBe(keyed.outage.id);
    await runtime.outbox.drain();
    expect(sentTo('sms:+421905123456')).toHaveLength(1);
    expect(sentTo('sms:+421905123456')[0]).toMatch(/^Výpadok: oblasť Petržalka\. Stav: zisťujeme príčinu\. Opravujeme, nič nereštartujte, ozveme sa\.$/);
  });

  it.skipIf(skip)('answers a customer who writes during the outage with the notice instead of the checklist, and tells them when it is over', async () => {
    const { outage } = await runtime.outages.declare({
      key: 'am:abc',
      areas: ['AP-BORY-1', 'Plzeň-Bory'],
      services: ['internet'],
      source: 'test',
      actor: 'test',
    });
    await runtime.outbox.drain();
    const before = sentTo('sms:+420603123456').length;
    expect(before).toBe(1);

    await runtime.dispatch({
      dedupeId: 'o1',
      conversationId: 'sms:+420603123456',
      channel: 'sms',
      event: { kind: 'text', text: 'Dobrý den, nejde mi internet' },
      sender: { phone: '+420603123456' },
    });
    await runtime.outbox.drain();
    const answer = sentTo('sms:+420603123456').at(-1) ?? '';
    expect(answer).toContain('Dobrý den, tady Linka');
    expect(answer).toContain('Pokud máte jiný problém, vyberte ho prosím z nabídky.');
    expect(answer).toContain('Hlásíme výpadek');
    expect(answer).not.toContain('Odpojte');
    expect(await db.prisma.outageAttachment.count({ where: { outageId: outage.id } })).toBe(1);

    // An update with a real change reaches everyone told, once; the same update again changes nothing.
    await runtime.outages.update('am:abc', { status: 'identified' });
    await runtime.outages.update('am:abc', { status: 'identified' });
    await runtime.outbox.drain();
    expect(sentTo('sms:+420603123456').filter((m) => m.includes('příčinu známe'))).toEqual([
      'Výpadek oblast AP-BORY-1, Plzeň-Bory: příčinu známe a opravujeme.',
    ]);

    await runtime.outages.resolve(outage.id, 'test');
    await runtime.outages.resolve(outage.id, 'test');
    await runtime.outbox.drain();
    expect(sentTo('sms:+420603123456').filter((m) => m.includes('je odstraněn'))).toHaveLength(1);
    expect(team.channel.filter((m) => m.includes('je vyřešen'))).toHaveLength(1);

    // After the outage the checklist is back.
    await runtime.dispatch({
      dedupeId: 'o2',
      conversationId: 'sms:+420603123456',
      channel: 'sms',
      event: { kind: 'text', text: 'menu' },
      sender: { phone: '+420603123456' },
    });
    await runtime.dispatch({
      dedupeId: 'o3',
      conversationId: 'sms:+420603123456',
      channel: 'sms',
      event: { kind: 'text', text: '1' },
      sender: { phone: '+420603123456' },
    });
    await runtime.outbox.drain();
    expect(sentTo('sms:+420603123456').at(-1)).toContain('Odpojte');
  });
});
