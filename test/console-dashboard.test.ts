// The console's dashboard (issue 17, "Dashboard with pictures"), over HTTP against a real Linka:
// a customer on SMS whom the checklist helps, one on Telegram whose problem becomes a ticket that
// a technician claims half an hour later, bills, resolves and is rated, and an outage notice. The
// dashboard's figures are what happened, and they agree with /metrics (tickets opened, SMS
// segments, service levels) and with `linka statement` (the work billed) on the same database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { postSigned, startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { runLinka } from './helpers/run-linka.js';
import { smsSegments } from '../src/domain/sms.js';

const PG = await pgAvailable();
const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'twilio-dashboard-token';
const PUBLIC_URL = 'https://linka.example.net';
const JAN = '+420603123456';
const ZUZANA_CHAT = 7002;
const NOVEMBER = '/console/dashboard?period=custom&from=2026-11-01&to=2026-11-30';

/** The figures of a dashboard page: data-value of each tile, and each chart table's rows. */
export function figuresOf(page: string): Record<string, string> {
  return Object.fromEntries([...page.matchAll(/data-figure="(\w+)" data-value="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]));
}
function tableOf(page: string, id: string): Array<[string, ...number[]]> {
  const table = page.slice(page.indexOf(`id="${id}-data"`), page.indexOf('</table>', page.indexOf(`id="${id}-data"`)));
  return [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/g)].map((m) => [
    m[1] as string,
    ...[...(m[2] as string).matchAll(/data-value="(\d+)"/g)].map((v) => Number(v[1])),
  ]);
}
/** A counter's value in the Prometheus text (summed over its labels). */
function metric(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the console dashboard on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  let dir: string;

  beforeEach(async () => {
    if (skip) return;
    dir = mkdtempSync(path.join(tmpdir(), 'linka-dashboard-'));
    telegram = await startTelegramFake();
    twilio = await startTwilioFake(SID);
    t = await startTestLinka({
      provider,
      env: {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
        TELEGRAM_API_ROOT: telegram.url,
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: '+420700800900',
        TWILIO_API_URL: twilio.url,
      },
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        sms: { segmentPrice: 150 },
      },
    });
    await seedCustomers(t.linka.db);
    await t.linka.db.prisma.customer.update({ where: { contractNumber: 'SK-77' }, data: { telegramId: String(ZUZANA_CHAT) } });
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await telegram.close();
    await twilio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let smsSeq = 0;
  async function sms(text: string) {
    const res = await postSigned({
      localBase: t.base,
      publicUrl: PUBLIC_URL,
      authToken: TOKEN,
      path: '/sms/twilio',
      params: { MessageSid: `SMin${++smsSeq}`, AccountSid: SID, From: JAN, To: '+420700800900', Body: text, NumMedia: '0', FromCountry: 'CZ' },
    });
    expect(res.status).toBe(200);
    await t.settle();
  }
  async function telegramSays(text: string) {
    const res = await t.post('/telegram/webhook', tg.text(text, { chatId: ZUZANA_CHAT }), { 'x-telegram-bot-api-secret-token': 'tg-secret' });
    expect(res.status).toBe(200);
    await t.settle();
  }
  async function signedIn(role: 'admin' | 'viewer') {
    const password = await addOperator(t.linka.db.prisma, `${role}1`, role);
    const browser = new ConsoleClient(t.base);
    expect((await browser.signIn(`${role}1`, password)).status).toBe(303);
    return browser;
  }

  /** Two customers, two sessions: one solved by the checklist over SMS, one a ticket on Telegram, worked and rated; an outage notice by SMS. */
  async function aDayAtTheHelpdesk(admin: ConsoleClient): Promise<string> {
    await sms('Dobrý den');
    await sms('1');
    await sms('hotovo');
    await t.settle(4); // the restart's wait
    await sms('ano, funguje');
    await telegramSays('Dobrý den');
    await telegramSays('4');
    await telegramSays('Nejde mi odeslat e-mail přes váš server.');
    await telegramSays('dnes');
    await telegramSays('ano');
    const ticket = await t.linka.db.prisma.ticket.findFirstOrThrow();
    await t.settle(30); // the technician reacts half an hour after the ticket was opened
    const act = async (action: string, form: Record<string, string> = {}) => {
      const page = await admin.get(`/console/tickets/${ticket.number}`);
      expect((await admin.post(`/console/tickets/${ticket.number}/${action}`, { _csrf: csrfOf(page.text), ...form })).status).toBe(303);
      await t.settle();
    };
    await act('claim');
    await act('time', { minutes: '90', activity: 'placene: Nastavení odchozí pošty' });
    await act('resolve', { note: 'Opraveno nastavení SMTP.' });
    await telegramSays('5');
    await t.linka.runtime.outages.declare({ areas: ['Plzeň-Bory'], services: ['internet'], title: 'Porucha optiky', source: 'test', actor: 'test' });
    await t.settle();
    // Both come back later with something new: two more sessions (the second message of one is not a third).
    await sms('Dobrý den');
    await telegramSays('Dobrý den');
    await telegramSays('1');
    return ticket.number;
  }

  it.skipIf(skip)('shows what happened, in numbers that agree with /metrics and linka statement', async () => {
    const admin = await signedIn('admin');
    await aDayAtTheHelpdesk(admin);

    const page = await admin.get(NOVEMBER);
    expect(page.status).toBe(200);
    const f = figuresOf(page.text);
    expect(f.sessions).toBe('4'); // two problems, and both customers back once more
    expect(page.text).toContain('ukončených: 2');
    expect(f.checklistShare).toBe('50'); // one of the two problems solved without a technician
    expect(tableOf(page.text, 'chart-outcomes')).toEqual([
      ['Vyřešeno kontrolním postupem', 1],
      ['Založen požadavek', 1],
      ['Zodpovězena častá otázka', 0],
      ['Nedokončeno', 0],
    ]);
    expect(f.ticketsOpened).toBe('1');
    const days = tableOf(page.text, 'chart-tickets');
    expect(days).toHaveLength(30);
    expect(days.find(([day]) => day === '23. 11.')).toEqual(['23. 11.', 1, 1]);
    expect(days.reduce((n, [, opened]) => n + (opened as number), 0)).toBe(1);
    expect(f.medianReaction).toBe('30');
    expect(f.satisfaction).toBe('5');
    expect(tableOf(page.text, 'chart-satisfaction')).toEqual([
      ['1', 0],
      ['2', 0],
      ['3', 0],
      ['4', 0],
      ['5', 1],
    ]);
    expect(f.outageNotices).toBe('1'); // Jan, by SMS
    // Every SMS the fake Twilio took, counted as billed segments, is on the dashboard, priced.
    const segments = twilio.sent.reduce((n, m) => n + smsSegments(m.body).segments, 0);
    expect(segments).toBeGreaterThan(4);
    expect(f.smsSegments).toBe(String(segments));
    expect(page.text).toContain(`zprávy: ${twilio.sent.length}, cena: ${(segments * 1.5).toFixed(2).replace('.', ',')} CZK`);

    // /metrics counted the same.
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metric(metrics, 'linka_tickets_opened_total')).toBe(1);
    expect(metric(metrics, 'linka_sms_segments_total')).toBe(segments);
    const slaDecided = metric(metrics, 'linka_sla_met_total') + metric(metrics, 'linka_sla_missed_total');
    expect(page.text).toContain(`dodrženo ${metric(metrics, 'linka_sla_met_total')} / ${slaDecided} se lhůtou`);

    // linka statement on the same database bills what the dashboard says.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url };
    for (const k of ['LINKA_CONFIG', 'NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'TWILIO_ACCOUNT_SID']) delete env[k];
    const run = await runLinka(['statement', '--month', '2026-11', '--format', 'json'], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const statement = JSON.parse(run.stdout) as { customers: Array<{ totals: { amount: number; minutes: number } }> };
    const billed = statement.customers.reduce((n, c) => n + c.totals.amount, 0);
    expect(billed).toBeGreaterThan(0);
    expect(f.billedAmount).toBe(String(billed));
    expect(statement.customers.reduce((n, c) => n + c.totals.minutes, 0)).toBe(90);
    expect(page.text).toContain('vykázáno 1 h 30 min');

    // A period before any of it shows nothing; the last 7 days (the default) show the same day.
    expect(figuresOf((await admin.get('/console/dashboard?period=custom&from=2026-10-01&to=2026-10-31')).text)).toMatchObject({
      sessions: '0',
      ticketsOpened: '0',
      checklistShare: '',
      smsSegments: '0',
      billedAmount: '0',
    });
    expect(figuresOf((await admin.get('/console/dashboard')).text)).toMatchObject({ sessions: '4', ticketsOpened: '1', smsSegments: String(segments) });
    // Dates typed beside a preset are what was meant; a period in the year 9999 is refused at once.
    expect(figuresOf((await admin.get('/console/dashboard?period=week&from=2026-10-01&to=2026-10-31')).text)).toMatchObject({ sessions: '0' });
    const far = await admin.get('/console/dashboard?period=custom&from=9999-12-01&to=9999-12-30');
    expect(far.status).toBe(400);
  });

  it.skipIf(skip)('answers a bad period with a clear message, is read-only for a viewer, and asks who you are first', async () => {
    const viewer = await signedIn('viewer');
    const backwards = await viewer.get('/console/dashboard?period=custom&from=2026-11-30&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(backwards.text).toContain('Zadejte prosím platné datum od a do (od nesmí být po do). Zobrazuji posledních 7 dní.');
    const long = await viewer.get('/console/dashboard?period=custom&from=2020-01-01&to=2026-11-01');
    expect(long.text).toContain('Období může mít nejvýše 366 dní.');
    const garbage = await viewer.get(`/console/dashboard?period=custom&from=${encodeURIComponent('<script>')}&to=x`);
    expect(garbage.status).toBe(400);
    expect(garbage.text).not.toContain('<script>');
    const fine = await viewer.get('/console/dashboard?period=month');
    expect(fine.status).toBe(200);
    expect(fine.text).not.toMatch(/<form method="post" action="\/console\/(?!logout)/);
    expect(fine.text).toContain('<canvas id="chart-outcomes" role="img"');
    expect((await new ConsoleClient(t.base).get('/console/dashboard')).location).toBe('/console/login');
  });
});
