// Planned maintenance under fake timers (as in schedules.test.ts): the every-minute job tells the
// customers in the maintenance's areas 24 h and 1 h before the start, each notice once; a
// cancellation and a reschedule reach everyone already told, once; a number that sent STOP gets none.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTwilioInbound } from '../adapters/twilio/index.js';
import { parseConfig } from '../src/config/load.js';
import { sendMaintenanceNotices } from '../src/jobs/maintenance-notices.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/observability/logger.js';
import { createMaintenance, leadTimesOf } from '../src/services/maintenance.js';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const JAN = 'sms:+420603123456'; // Plzeň-Bory, Czech
const PETR = 'telegram:555'; // Plzeň-Lochotín, on Telegram
const ZUZANA = 'sms:+421905123456'; // Petržalka: outside "Plzeň*"

describe('planned maintenance', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let scheduler: Scheduler | null = null;
  let sms: ReturnType<typeof recordingPort>;
  let telegram: ReturnType<typeof recordingPort>;
  let metrics: Metrics;
  const config = parseConfig({ maintenance: { leadTimes: ['24h', '1h'] } });
  const jobDeps = () => ({
    prisma: db.prisma,
    clock: () => new Date(),
    teamPlatforms: ['slack'],
    teamLanguage: 'cs' as const,
    customerChannels: ['telegram', 'sms'],
  });

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    await db.prisma.customer.create({
      data: {
        contractNumber: '2023-0042',
        name: 'Petr Dvořák',
        language: 'cs',
        area: 'Plzeň-Lochotín',
        telegramId: '555',
        phones: { create: [{ e164: '+420777000111' }] },
      },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T10:00:00Z')); // Monday 11:00 in Prague
    sms = Object.assign(recordingPort(), { channel: 'sms' as const });
    telegram = Object.assign(recordingPort(), { channel: 'telegram' as const });
    metrics = createMetrics();
    runtime = createRuntime({
      prisma: db.prisma,
      config,
      log: silentLogger(),
      metrics,
      ports: [sms, telegram],
      teamPorts: [recordingTeam('slack')],
      clock: () => new Date(),
    });
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = null;
    vi.useRealTimers();
    await drop();
  });

  /** (Re)starts the schedules at `at`, as a process started then would. */
  async function startAt(at: string) {
    await scheduler?.stop();
    vi.setSystemTime(new Date(at));
    scheduler = startScheduler(config, jobDeps(), silentLogger());
  }

  async function advance(minutes: number) {
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }

  /** The customer notices queued so far, in order. */
  async function notices(): Promise<Array<{ to: string; text: string }>> {
    const items = await db.prisma.outboxItem.findMany({ where: { kind: 'reply' }, orderBy: { id: 'asc' } });
    return items.map((i) => ({ to: i.target, text: (i.payload as { reply: { text: string } }).reply.text }));
  }
  const to = async (target: string) => (await notices()).filter((n) => n.to === target).map((n) => n.text);
  const teamPosts = async () =>
    (await db.prisma.outboxItem.findMany({ where: { kind: 'team.channel' }, orderBy: { id: 'asc' } })).map((i) => (i.payload as { text: string }).text);

  it('tells the affected customers 24 h and 1 h before the start, each once, and nobody else', async () => {
    // Written as the CLI writes it (no channels): the server's job sends.
    const cli = createMaintenance({
      prisma: db.prisma,
      clock: () => new Date(),
      timezone: config.timezone,
      teamLanguage: 'cs',
      leadTimes: leadTimesOf(config),
    });
    const m = await cli.schedule({
      areas: ['Plzeň*'],
      services: ['internet', 'voip'],
      startsAt: new Date('2026-11-24T10:03:00Z'),
      endsAt: new Date('2026-11-24T14:00:00Z'),
      actor: 'cli',
    });
    await startAt('2026-11-23T10:00:00Z');
    expect(await notices()).toEqual([]);

    await advance(1); // 11:01: the team hears of it; 24 h before the start is 11:03
    expect(await teamPosts()).toEqual([
      `Naplánována údržba #${m.id}: 24. 11. 2026 11:03 – 24. 11. 2026 15:00 · oblasti Plzeň* · služby internet, voip. Zákazníci dostanou upozornění 24 h, 1 h předem.`,
    ]);
    expect(await notices()).toEqual([]);
    await advance(1);
    expect(await notices()).toEqual([]);

    await advance(1); // 11:03: 24 h before
    expect(await to(JAN)).toEqual(['Údržba sítě 24. 11. 2026 11:03 – 24. 11. 2026 15:00: výpadek služeb internet, telefon (VoIP). Omlouváme se.']);
    expect(await to(PETR)).toEqual([
      'Plánovaná údržba sítě: od 24. 11. 2026 11:03 do 24. 11. 2026 15:00 nebudou ve vaší oblasti dostupné služby internet, telefon (VoIP). Omlouváme se za omezení.',
    ]);
    expect(await to(ZUZANA)).toEqual([]);
    expect((await teamPosts()).at(-1)).toBe(
      `Údržba #${m.id} (24. 11. 2026 11:03 – 24. 11. 2026 15:00, oblasti Plzeň*) začíná za 24 h. Upozorněno zákazníků: 2.`,
    );
    await advance(3);
    expect(await notices()).toHaveLength(2);

    await startAt('2026-11-24T09:01:00Z'); // the next day, 62 minutes before the start
    await advance(1);
    expect(await notices()).toHaveLength(2);
    await advance(1); // 1 h before
    expect(await to(JAN)).toHaveLength(2);
    expect(await to(PETR)).toHaveLength(2);
    expect(await to(ZUZANA)).toEqual([]);
    await advance(3);
    expect(await notices()).toHaveLength(4);
    expect(await teamPosts()).toHaveLength(3);
  });

  it('cancels: the customers already told get a cancellation notice once, and no more notices', async () => {
    // Scheduled 2 h ahead from the server: the 24 h notice is due at once.
    const m = await runtime.maintenance.schedule({
      areas: ['Plzeň*'],
      startsAt: new Date('2026-11-23T12:00:00Z'),
      endsAt: new Date('2026-11-23T13:00:00Z'),
      actor: 'test',
    });
    expect((await notices()).map((n) => n.to).sort()).toEqual([JAN, PETR].sort());

    await runtime.maintenance.cancel(m.id, 'test');
    expect(await to(JAN)).toEqual([expect.any(String), 'Údržba sítě 23. 11. 2026 13:00 – 23. 11. 2026 14:00 se ruší.']);
    expect((await to(PETR)).at(-1)).toBe('Plánovaná údržba sítě od 23. 11. 2026 13:00 do 23. 11. 2026 14:00 se ruší, služby poběží bez přerušení.');
    expect(await to(ZUZANA)).toEqual([]);
    expect((await teamPosts()).at(-1)).toBe(`Údržba #${m.id} (23. 11. 2026 13:00 – 23. 11. 2026 14:00) zrušena. Upozorněno zákazníků: 2.`);

    await startAt('2026-11-23T10:58:00Z'); // the 1 h notice would be due at 11:00
    await advance(3);
    expect(await notices()).toHaveLength(4);
    await expect(runtime.maintenance.cancel(m.id, 'test')).rejects.toThrow(/already cancelled/);
  });

  it('reschedules: those told get "moved" once, and the lead-time notices follow the new time', async () => {
    const m = await runtime.maintenance.schedule({
      areas: ['Plzeň-Bory'],
      startsAt: new Date('2026-11-23T13:00:00Z'),
      endsAt: new Date('2026-11-23T15:00:00Z'),
      actor: 'test',
    });
    expect(await to(JAN)).toHaveLength(1);

    await runtime.maintenance.reschedule(m.id, { startsAt: new Date('2026-11-25T21:00:00Z'), endsAt: new Date('2026-11-26T01:00:00Z') }, 'test');
    expect((await to(JAN)).at(-1)).toBe('Údržba sítě přesunuta na 25. 11. 2026 22:00 – 26. 11. 2026 2:00.');
    expect((await teamPosts()).at(-1)).toBe(`Údržba #${m.id} přesunuta na 25. 11. 2026 22:00 – 26. 11. 2026 2:00. Upozorněno zákazníků: 1.`);
    expect(await to(PETR)).toEqual([]);
    await runtime.maintenance.reschedule(m.id, { startsAt: new Date('2026-11-25T21:00:00Z'), endsAt: new Date('2026-11-26T01:00:00Z') }, 'test');
    expect(await to(JAN)).toHaveLength(2); // the same time again changes nothing

    await startAt('2026-11-24T20:59:00Z'); // a minute before 24 h ahead of the new start
    await advance(1);
    expect(await to(JAN)).toHaveLength(3);
    expect((await to(JAN)).at(-1)).toMatch(/^Údržba sítě 25\. 11\. 2026 22:00/);
    await advance(2);
    expect(await to(JAN)).toHaveLength(3);

    // Moved again to within the day: told "moved", and not the 24 h notice on top of it.
    vi.setSystemTime(new Date('2026-11-25T08:00:00Z'));
    await runtime.maintenance.reschedule(m.id, { startsAt: new Date('2026-11-25T12:00:00Z'), endsAt: new Date('2026-11-25T13:00:00Z') }, 'test');
    await sendMaintenanceNotices(jobDeps(), config);
    expect((await to(JAN)).slice(3)).toEqual(['Údržba sítě přesunuta na 25. 11. 2026 13:00 – 25. 11. 2026 14:00.']);
  });

  it('sends nothing to a number that sent STOP, while its neighbours are told, and counts only those told', async () => {
    // Jan texts STOP (as Twilio's webhook brings it); Petr, in the same areas, does not.
    const parsed = parseTwilioInbound({ MessageSid: 'SM0000000000000000000000000000stop', From: '+420603123456', Body: 'STOP' }, 'CZ');
    if (parsed.kind !== 'event') throw new Error(`the STOP webhook was not an event: ${parsed.reason}`);
    await runtime.dispatch(parsed.envelope);
    await runtime.outbox.drain();
    expect(sms.sent).toEqual([
      {
        to: JAN,
        reply: expect.objectContaining({
          text: 'Odhlásili jste se ze zpráv od Linky, nic dalšího vám už nepošleme. Chcete-li zprávy znovu dostávat, pošlete START.',
        }),
      },
    ]);

    // Scheduled from the server 2 h ahead: the 24 h notice is due at once.
    const m = await runtime.maintenance.schedule({
      areas: ['Plzeň*'],
      startsAt: new Date('2026-11-23T12:00:00Z'),
      endsAt: new Date('2026-11-23T13:00:00Z'),
      actor: 'test',
    });
    await runtime.outbox.drain();
    const notice =
      'Plánovaná údržba sítě: od 23. 11. 2026 13:00 do 23. 11. 2026 14:00 nebudou ve vaší oblasti dostupné služby internet. Omlouváme se za omezení.';
    expect(telegram.sent.map((x) => [x.to, x.reply.text])).toEqual([[PETR, notice]]);
    expect(sms.sent).toHaveLength(1); // the STOP confirmation only
    // The team is told how many customers were told: Petr alone.
    expect((await teamPosts()).at(-1)).toBe(
      `Údržba #${m.id} (23. 11. 2026 13:00 – 23. 11. 2026 14:00, oblasti Plzeň*) začíná za 2 h. Upozorněno zákazníků: 1.`,
    );

    // The 1 h notice, from the every-minute job.
    vi.setSystemTime(new Date('2026-11-23T11:00:00Z'));
    await sendMaintenanceNotices(jobDeps(), config);
    await runtime.outbox.drain();
    expect(telegram.sent.map((x) => [x.to, x.reply.text])).toEqual([
      [PETR, notice],
      [PETR, notice],
    ]);
    expect(sms.sent).toHaveLength(1);

    // Nothing was queued for Jan but the STOP confirmation; Petr's notices were sent.
    const items = async (target: string) =>
      (await db.prisma.outboxItem.findMany({ where: { kind: 'reply', target }, orderBy: { id: 'asc' } })).map((i) => [
        i.status,
        (i.payload as { reply: { text: string } }).reply.text,
      ]);
    expect(await items(JAN)).toEqual([['sent', expect.stringMatching(/^Odhlásili jste se/)]]);
    expect(await items(PETR)).toEqual([
      ['sent', notice],
      ['sent', notice],
    ]);
    // `maintenance list` counts Petr alone among the customers told.
    expect((await runtime.maintenance.list()).map((x) => [x.id, x.told])).toEqual([[m.id, 1]]);
    const outbound = (await metrics.outbound.get()).values.map((v) => [v.labels.channel, v.labels.status, v.value]);
    expect(outbound).toContainEqual(['sms', 'sent', 1]);
    expect(outbound).toContainEqual(['telegram', 'sent', 2]);
    expect(outbound.filter(([, status]) => status === 'suppressed')).toEqual([]);
  });
});
