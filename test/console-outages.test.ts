// The console's outages and maintenance (issue 17, "Outages"), over HTTP against a real Linka
// with Telegram (fake Bot API) and SMS (fake Twilio) on: the preview counts exactly the notices
// that declaring then queues; viewers and technicians read but cannot declare (a forged POST is
// 403); bad input is answered clearly and declares nothing; an update and the resolution reach
// the customers with the very texts `linka outage update|resolve` queues; maintenance is planned,
// moved and cancelled as `linka maintenance` does. On SQLite and PostgreSQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-fake.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { runLinka } from './helpers/run-linka.js';

const PG = await pgAvailable();
const SID = `AC${'7'.repeat(32)}`;
const CONFIG = { company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' }, workers: { outboxPollMs: 50, timerPollMs: 50 } };
const CONFIG_YAML = 'company:\n  name: Test ISP\n  helpdeskPhone: "+420 377 000 000"\n';

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('console outages on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  let env: Record<string, string>;

  beforeEach(async () => {
    if (skip) return;
    telegram = await startTelegramFake();
    twilio = await startTwilioFake(SID);
    env = {
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
      TELEGRAM_API_ROOT: telegram.url,
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 'twilio-token',
      TWILIO_FROM: '+420700800900',
      TWILIO_API_URL: twilio.url,
      PUBLIC_URL: 'http://127.0.0.1',
    };
    t = await startTestLinka({ provider, env, config: CONFIG });
    const prisma = t.linka.db.prisma;
    // Jan (Plzeň-Bory, SMS), Zuzana (Petržalka, SMS); John (Plzeň-Doubravka, Telegram, English);
    // Eva (access point AP-Bory-1, Telegram); Karel (Plzeň-Bory, SMS, but sent STOP: never told).
    await seedCustomers(t.linka.db);
    await prisma.customer.create({
      data: {
        contractNumber: 'EN-1',
        name: 'John Smith',
        language: 'en',
        area: 'Plzeň-Doubravka',
        telegramId: '5005',
        phones: { create: [{ e164: '+420777111222' }] },
      },
    });
    await prisma.customer.create({
      data: { contractNumber: '2024-0300', name: 'Eva Malá', language: 'cs', area: 'Plzeň-Lochotín', accessPoint: 'AP-Bory-1', telegramId: '7003' },
    });
    await prisma.customer.create({
      data: { contractNumber: '2024-0400', name: 'Karel Veselý', language: 'cs', area: 'Plzeň-Bory', phones: { create: [{ e164: '+420604000400' }] } },
    });
    await prisma.optOut.create({ data: { conversationId: 'sms:+420604000400', channel: 'sms' } });
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await telegram.close();
    await twilio.close();
  });

  async function signedIn(username: string, role: 'admin' | 'technician' | 'viewer') {
    const password = await addOperator(t.linka.db.prisma, username, role);
    const browser = new ConsoleClient(t.base);
    expect((await browser.signIn(username, password)).status).toBe(303);
    return browser;
  }
  const replies = () => t.linka.db.prisma.outboxItem.findMany({ where: { kind: 'reply' }, orderBy: { id: 'asc' } });
  /** The customer texts queued since the outbox item `afterId`, by conversation. */
  async function textsByTarget(afterId = 0): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const i of await replies()) {
      if (i.id <= afterId) continue;
      (out[i.target] ??= []).push((i.payload as { reply: { text: string } }).reply.text);
    }
    return out;
  }
  const declareForm = (extra: Record<string, string> = {}) => ({
    title: 'Plzeň – výpadek páteře',
    'area-0': 'Plzeň-Bory',
    areasText: 'Plzeň-Doubravka, AP-Bory-1',
    'service-internet': '1',
    eta: '2026-11-23T14:00',
    ...extra,
  });

  it.skipIf(skip)('the preview says who will be told, and declaring queues exactly that many notices, on those channels', async () => {
    const admin = await signedIn('alena', 'admin');
    const list = await admin.get('/console/outages');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Žádný výpadek právě neprobíhá.');
    expect(list.text).toContain('href="/console/outages/new"');

    const form = await admin.get('/console/outages/new');
    expect(form.status).toBe(200);
    // The areas and access points of the customers, as boxes and as suggestions.
    expect(form.text).toContain('value="Plzeň-Bory"');
    expect(form.text).toContain('Plzeň-Bory (zákazníků: 2)');
    expect(form.text).toContain('AP-Bory-1 (zákazníků: 1)');
    expect(form.text).toMatch(/<datalist id="o-known">.*<option value="Petržalka">/s);

    const texts = { sk: 'Opravujeme prerušený kábel.', en: 'We are mending a cut cable.' };
    const expected = await t.linka.runtime.outages.preview({
      title: 'Plzeň – výpadek páteře',
      areas: ['Plzeň-Bory', 'Plzeň-Doubravka', 'AP-Bory-1'],
      services: ['internet'],
      estimatedEndAt: new Date('2026-11-23T13:00:00Z'),
      texts,
    });
    // Jan by SMS, John and Eva on Telegram; Karel opted out, Zuzana is elsewhere.
    expect(expected).toMatchObject({ customers: 3, byChannel: { sms: 1, telegram: 2 } });
    const preview = await admin.post('/console/outages/preview', {
      _csrf: csrfOf(form.text),
      ...declareForm({ 'text-sk': texts.sk, 'text-en': texts.en }),
    });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(`Zákazníků, kterým přijde upozornění: 3 (Telegram: 2, SMS: 1; účtovaných segmentů SMS: přibližně ${expected.smsSegments}).`);
    expect(expected.smsSegments).toBeGreaterThan(0);
    // Nothing is written by the preview.
    expect(await t.linka.db.prisma.outage.count()).toBe(0);
    expect(await replies()).toHaveLength(0);

    // "Declare" sends the previewed values (hidden fields of the preview's own form).
    const declareAction = /<form method="post" action="\/console\/outages">(.*?)<\/form>/s.exec(preview.text)?.[1] ?? '';
    const hidden = Object.fromEntries([...declareAction.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    expect(hidden).toMatchObject({
      title: 'Plzeň – výpadek páteře',
      'area-0': 'Plzeň-Bory',
      'area-1': 'Plzeň-Doubravka',
      'area-2': 'AP-Bory-1',
      eta: '2026-11-23T14:00',
    });
    const declared = await admin.post('/console/outages', hidden as Record<string, string>);
    expect(declared.status).toBe(303);
    const id = /^\/console\/outages\/([^?]+)\?done=declared$/.exec(declared.location ?? '')?.[1];
    expect(id).toBeDefined();
    const queued = await replies();
    expect(queued).toHaveLength(expected.customers);
    expect(await t.linka.db.prisma.outageNotice.count({ where: { outageId: id, NOT: { recipient: 'channels' } } })).toBe(expected.customers);
    expect(queued.map((q) => q.target).sort()).toEqual(['sms:+420603123456', 'telegram:5005', 'telegram:7003']);
    expect(await t.linka.db.prisma.outage.findUnique({ where: { id } })).toMatchObject({
      source: 'console',
      createdBy: 'console:alena',
      status: 'investigating',
      texts,
      revision: 0,
    });
    expect(queued.find((q) => q.target === 'telegram:5005')?.payload).toEqual({ reply: { text: `${texts.en} Expected end: 23 Nov 2026, 14:00.` } });

    // The same form sent again (a double click, a reload) declares nothing more.
    const again = await admin.post('/console/outages', hidden as Record<string, string>);
    expect(again.location).toBe(`/console/outages/${id}?done=already`);
    expect(await t.linka.db.prisma.outage.count()).toBe(1);
    expect(await replies()).toHaveLength(expected.customers);
    expect((await t.linka.db.prisma.outage.findUnique({ where: { id } }))?.revision).toBe(0);

    const page = await admin.get(`/console/outages/${id}?done=declared`);
    expect(page.text).toContain('Výpadek je ohlášený');
    expect(page.text).toMatch(/<dt>Odeslaná upozornění<\/dt><dd>3<\/dd>/);
    const after = await admin.get('/console/outages');
    expect(after.text).toContain(`href="/console/outages/${id}"`);
    expect(after.text).toContain('Plzeň-Bory, Plzeň-Doubravka, AP-Bory-1');
    expect(after.text).toContain('23. 11. 2026 14:00');
  });

  it.skipIf(skip)('a viewer and a technician read the outages but get no declare form, and their forged POSTs are 403 and change nothing', async () => {
    const r = await t.linka.runtime.outages.declare({ title: 'Bory', areas: ['Plzeň-Bory'], services: ['internet'], source: 'test', actor: 'test' });
    const before = (await replies()).length;
    for (const [name, role] of [
      ['vera', 'viewer'],
      ['petr', 'technician'],
    ] as const) {
      const user = await signedIn(name, role);
      const list = await user.get('/console/outages');
      expect(list.status).toBe(200);
      expect(list.text).toContain(`href="/console/outages/${r.outage.id}"`);
      expect(list.text).not.toContain('/console/outages/new');
      expect(list.text).not.toContain('/console/maintenance/new');
      const detail = await user.get(`/console/outages/${r.outage.id}`);
      expect(detail.status).toBe(200);
      expect(detail.text).not.toContain('/update"');
      expect(detail.text).not.toContain('/resolve"');
      expect((await user.get('/console/outages/new')).status).toBe(403);
      const csrf = csrfOf(detail.text);
      for (const [action, form] of [
        ['/console/outages/preview', declareForm()],
        ['/console/outages', declareForm()],
        [`/console/outages/${r.outage.id}/update`, { status: 'identified', eta: '' }],
        [`/console/outages/${r.outage.id}/resolve`, {}],
        ['/console/maintenance', { 'area-0': 'Plzeň-Bory', 'service-internet': '1', start: '2026-11-25T22:00', end: '2026-11-25T23:00' }],
      ] as const) {
        const forged = await user.post(action, { _csrf: csrf, ...form });
        expect(forged.status, `${role} ${action}`).toBe(403);
        expect(forged.text).toContain('K této akci nemáte oprávnění.');
      }
    }
    expect(await t.linka.db.prisma.outage.count()).toBe(1);
    expect(await t.linka.db.prisma.outage.findUnique({ where: { id: r.outage.id } })).toMatchObject({ status: 'investigating', revision: 0 });
    expect(await t.linka.db.prisma.maintenance.count()).toBe(0);
    expect(await replies()).toHaveLength(before);
  });

  it.skipIf(skip)(
    'bad input (no area, no service, a date that is none, an end in the past) is answered with the reason, keeps what was typed, and declares nothing',
    async () => {
      const admin = await signedIn('alena', 'admin');
      const csrf = csrfOf((await admin.get('/console/outages/new')).text);
      const cases: Array<[Record<string, string>, string]> = [
        [declareForm({ 'area-0': '', areasText: ' , ' }), 'Vyberte nebo zadejte aspoň jednu oblast.'],
        [declareForm({ 'service-internet': '' }), 'Vyberte aspoň jednu službu.'],
        [declareForm({ eta: 'zítra ráno' }), '„zítra ráno“ není platné datum a čas.'],
        [declareForm({ eta: '2026-02-30T10:00' }), '„2026-02-30T10:00“ není platné datum a čas.'],
        [declareForm({ eta: '2026-11-23T08:00' }), 'Předpokládaný konec musí být v budoucnosti.'],
        [declareForm({ title: 'x'.repeat(201) }), 'Název může mít nejvýš 200 znaků.'],
      ];
      for (const [form, reason] of cases) {
        for (const action of ['/console/outages/preview', '/console/outages']) {
          const res = await admin.post(action, { _csrf: csrf, ...form });
          expect(res.status, `${action} ${reason}`).toBe(400);
          expect(res.text).toContain(reason);
          expect(res.text).toMatch(/role="alert"/);
          // What was typed is still there to correct.
          const title = form.title ?? '';
          if (title.length <= 200) expect(res.text).toContain(`value="${title}"`);
        }
      }
      expect(await t.linka.db.prisma.outage.count()).toBe(0);
      expect(await replies()).toHaveLength(0);
      // An unknown outage is a 404, not an error.
      expect((await admin.get('/console/outages/nope')).status).toBe(404);
      expect((await admin.post('/console/outages/nope/resolve', { _csrf: csrf })).status).toBe(404);
    },
  );

  it.skipIf(skip)(
    'an update and the resolution reach the customers with the very texts `linka outage update|resolve` queues',
    async () => {
      const admin = await signedIn('alena', 'admin');
      const custom = 'Opravujeme přerušený kabel u nádraží.';
      const form = await admin.get('/console/outages/new');
      const declared = await admin.post('/console/outages', { _csrf: csrfOf(form.text), ...declareForm({ 'text-cs': custom }) });
      const id = /^\/console\/outages\/([^?]+)/.exec(declared.location ?? '')?.[1] as string;
      expect(id).toBeDefined();

      const page = await admin.get(`/console/outages/${id}`);
      expect(page.text).toContain(`action="/console/outages/${id}/update"`);
      // The form comes filled in with the outage as it is.
      expect(page.text).toContain('value="2026-11-23T14:00"');
      expect(page.text).toContain(`>${custom}</textarea>`);
      const unchanged = await admin.post(`/console/outages/${id}/update`, {
        _csrf: csrfOf(page.text),
        status: 'investigating',
        eta: '2026-11-23T14:00',
        title: 'Plzeň – výpadek páteře',
        'text-cs': custom,
      });
      expect(unchanged.location).toBe(`/console/outages/${id}?done=unchanged`);
      const bad = await admin.post(`/console/outages/${id}/update`, { _csrf: csrfOf(page.text), status: 'resolved-ish', eta: '', title: '' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Vyberte stav ze seznamu.');

      const updated = await admin.post(`/console/outages/${id}/update`, {
        _csrf: csrfOf(page.text),
        status: 'identified',
        eta: '2026-11-23T16:30',
        title: 'Plzeň – výpadek páteře',
        'text-cs': custom,
      });
      expect(updated.location).toBe(`/console/outages/${id}?done=updated`);
      const resolved = await admin.post(`/console/outages/${id}/resolve`, { _csrf: csrfOf(page.text) });
      expect(resolved.location).toBe(`/console/outages/${id}?done=resolved`);
      const viaConsole = await textsByTarget();
      expect(Object.keys(viaConsole).sort()).toEqual(['sms:+420603123456', 'telegram:5005', 'telegram:7003']);
      for (const texts of Object.values(viaConsole)) expect(texts).toHaveLength(3);
      const resolvedPage = await admin.get(`/console/outages/${id}`);
      expect(resolvedPage.text).not.toContain('/update"');
      expect(resolvedPage.text).toMatch(/<dt>Odeslaná upozornění<\/dt><dd>9<\/dd>/);

      // The same outage through the CLI, on the same database and channels: the same texts to the same people.
      const last = Math.max(...(await replies()).map((r) => r.id));
      const dir = mkdtempSync(path.join(tmpdir(), 'linka-console-outage-'));
      try {
        writeFileSync(path.join(dir, 'linka.config.yaml'), CONFIG_YAML);
        const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...env, DATABASE_URL: t.url, LINKA_CONFIG: path.join(dir, 'linka.config.yaml') };
        for (const k of ['NODE_ENV', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete cliEnv[k];
        const cli = async (...args: string[]) => {
          const run = await runLinka(['outage', ...args], { env: cliEnv, cwd: dir });
          expect(run.code, run.stderr).toBe(0);
          return run.stdout;
        };
        const started = await cli(
          'start',
          '--area',
          'Plzeň-Bory,Plzeň-Doubravka,AP-Bory-1',
          '--title',
          'Plzeň – výpadek páteře',
          '--eta',
          '2026-11-23 14:00',
          '--text-cs',
          custom,
        );
        const cliId = /^Declared: (\S+)/.exec(started)?.[1] as string;
        expect(cliId).toBeDefined();
        await cli('update', cliId, '--status', 'identified', '--eta', '2026-11-23 16:30');
        await cli('resolve', cliId);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(await textsByTarget(last)).toEqual(viaConsole);
    },
    60_000,
  );

  it.skipIf(skip)(
    'maintenance is planned, moved and cancelled from the console: the customers in its areas are told as the CLI and the job tell them',
    async () => {
      const admin = await signedIn('alena', 'admin');
      const form = await admin.get('/console/maintenance/new');
      expect(form.status).toBe(200);
      const csrf = csrfOf(form.text);
      const plan = { 'area-0': 'Plzeň-Bory', 'service-internet': '1', start: '2026-11-25T22:00', end: '2026-11-25T23:30' };
      // The end before the start, and a start in the past: refused, nothing planned.
      const backwards = await admin.post('/console/maintenance', { _csrf: csrf, ...plan, end: '2026-11-25T21:00' });
      expect(backwards.status).toBe(400);
      expect(backwards.text).toContain('Konec musí být později než začátek.');
      const past = await admin.post('/console/maintenance', { _csrf: csrf, ...plan, start: '2026-11-22T22:00' });
      expect(past.status).toBe(400);
      expect(past.text).toContain('Začátek musí být v budoucnosti.');
      expect(await t.linka.db.prisma.maintenance.count()).toBe(0);

      const planned = await admin.post('/console/maintenance', { _csrf: csrf, ...plan });
      expect(planned.status).toBe(303);
      const id = /^\/console\/maintenance\/(\d+)\?done=planned$/.exec(planned.location ?? '')?.[1];
      expect(id).toBeDefined();
      // 61 hours ahead: no lead time is due yet, so no customer has been told.
      expect(await replies()).toHaveLength(0);
      const list = await admin.get('/console/outages');
      expect(list.text).toContain(`href="/console/maintenance/${id}"`);
      expect(list.text).toContain('25. 11. 2026 22:00');

      // Moved within 24 hours: the 24-hour notice is due at once, to Jan (Karel opted out).
      const detail = await admin.get(`/console/maintenance/${id}`);
      expect(detail.text).toContain('value="2026-11-25T22:00"');
      const moved = await admin.post(`/console/maintenance/${id}/reschedule`, { _csrf: csrf, start: '2026-11-23T22:00', end: '2026-11-23T23:30' });
      expect(moved.location).toBe(`/console/maintenance/${id}?done=rescheduled`);
      const told = await textsByTarget();
      expect(Object.keys(told)).toEqual(['sms:+420603123456']);
      expect(told['sms:+420603123456']?.[0]).toContain('23. 11. 2026 22:00');

      const cancelled = await admin.post(`/console/maintenance/${id}/cancel`, { _csrf: csrf });
      expect(cancelled.location).toBe(`/console/maintenance/${id}?done=cancelled`);
      const after = await textsByTarget();
      expect(after['sms:+420603123456']).toHaveLength(2);
      expect((await t.linka.db.prisma.maintenance.findUnique({ where: { id: Number(id) } }))?.status).toBe('cancelled');
      // Cancelled: no more forms, and a second cancel is refused with the reason.
      const page = await admin.get(`/console/maintenance/${id}`);
      expect(page.text).not.toContain('/cancel"');
      const twice = await admin.post(`/console/maintenance/${id}/cancel`, { _csrf: csrf });
      expect(twice.status).toBe(409);
      expect(twice.text).toContain('Údržba je zrušená, nelze ji měnit.');
      expect((await admin.get('/console/maintenance/999')).status).toBe(404);
      expect((await admin.get('/console/maintenance/abc')).status).toBe(404);
    },
  );
});
