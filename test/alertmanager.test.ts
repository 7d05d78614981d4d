// POST /alerts/alertmanager with Alertmanager's own webhook payloads (version 4, fixtures in
// test/fixtures/alertmanager): a firing alert with an area label opens an outage keyed by its
// fingerprint and notifies that area's customers; the repeat changes nothing; resolved resolves;
// an alert without an area label is ignored; a bad payload is a 400 naming the fields.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-fake.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'alertmanager');
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as {
    alerts: Array<{ fingerprint: string; labels: Record<string, string>; annotations: Record<string, string> }>;
  } & Record<string, unknown>;
const TOKEN = 'alertmanager-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const OLT = '8c1f3e7a9b2d4f60'; // area Plzeň-Bory
const CPU = 'f2a90c4d7e13b856'; // no area label

let t: TestLinka;
let telegram: TelegramFake;

beforeAll(async () => {
  telegram = await startTelegramFake();
  t = await startTestLinka({
    env: { LINKA_API_TOKEN: TOKEN, TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: 'tg-secret', TELEGRAM_API_ROOT: telegram.url },
  });
  await seedCustomers(t.linka.db);
  const prisma = t.linka.db.prisma;
  await prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
  await prisma.customer.update({ where: { contractNumber: 'SK-77' }, data: { telegramId: '7002' } });
});
afterAll(async () => {
  await t?.stop();
  await telegram?.close();
});

type Answer = {
  outages: Array<{ fingerprint: string; action: string; outageId: string; notified: number }>;
  ignored: Array<{ fingerprint: string; alertname: string; reason: string }>;
  notified: number;
  issues?: Array<{ path: string; message: string }>;
};
async function alert(body: unknown, headers: Record<string, string> = AUTH): Promise<{ status: number; body: Answer }> {
  const res = await t.post('/alerts/alertmanager', body, headers);
  return { status: res.status, body: res.body as Answer };
}
const outbox = () => t.linka.db.prisma.outboxItem.count();
const outageOf = (fingerprint: string) => t.linka.db.prisma.outage.findMany({ where: { key: { in: [`am:${fingerprint}`] } } });

describe('POST /alerts/alertmanager', () => {
  it('refuses a request without the bearer token, and a payload that is not version 4 or malformed', async () => {
    expect((await alert(fixture('firing'), {})).status).toBe(401);
    expect((await alert(fixture('firing'), { authorization: 'Bearer nope' })).status).toBe(401);
    const v3 = await alert({ ...fixture('firing'), version: '3' });
    expect(v3.status).toBe(400);
    expect(v3.body.issues).toEqual([{ path: 'version', message: 'expected "4" (Alertmanager\'s webhook payload version)' }]);
    const broken = fixture('firing');
    Object.assign(broken.alerts[0] as object, { status: 'burning', fingerprint: '' });
    delete (broken.alerts[1] as Record<string, unknown>).labels;
    const bad = await alert(broken);
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path).sort()).toEqual(['alerts[0].fingerprint', 'alerts[0].status', 'alerts[1].labels']);
    expect((await alert('{"version":')).status).toBe(400);
    expect(await t.linka.db.prisma.outage.count()).toBe(0);
  });

  it('opens an outage per firing alert with an area, ignores the repeat, resolves, and reopens when it fires again', async () => {
    // Firing: the OLT alert opens an outage keyed by its fingerprint; the CPU alert has no area.
    const firing = await alert(fixture('firing'));
    expect(firing.status).toBe(200);
    expect(firing.body.outages).toEqual([{ fingerprint: OLT, alertname: 'OltPonDown', action: 'opened', outageId: expect.any(String), notified: 1 }]);
    expect(firing.body.ignored).toEqual([{ fingerprint: CPU, alertname: 'CoreRouterHighCpu', reason: 'no area label (area)' }]);
    const [opened] = await outageOf(OLT);
    expect(opened).toMatchObject({
      id: firing.body.outages[0]?.outageId,
      title: 'Přerušené optické vlákno na Borech',
      areas: ['Plzeň-Bory'],
      services: ['internet'],
      status: 'investigating',
      estimatedEndAt: null,
      source: 'alertmanager',
      createdBy: 'alertmanager:linka',
    });
    expect(await outageOf(CPU)).toEqual([]);
    const items = await t.linka.db.prisma.outboxItem.findMany({ where: { kind: 'reply' } });
    expect(items.map((i) => i.target)).toEqual(['telegram:7001']);
    const queued = await outbox();

    // The repeat notification (repeat_interval) changes nothing and tells nobody again, even
    // with a changed summary, or after a technician moved the status on.
    const repeat = await alert(fixture('firing-repeat'));
    expect(repeat.body.outages).toEqual([{ fingerprint: OLT, alertname: 'OltPonDown', action: 'unchanged', outageId: opened?.id, notified: 0 }]);
    expect(await outbox()).toBe(queued);
    await t.linka.runtime.outages.update(opened?.id as string, { status: 'identified' });
    const afterTech = await outbox();
    const changedSummary = fixture('firing-repeat');
    (changedSummary.alerts[0] as { annotations: Record<string, string> }).annotations.summary = 'PON down for 14 minutes';
    expect((await alert(changedSummary)).body.outages[0]).toMatchObject({ action: 'unchanged', notified: 0 });
    expect(await outbox()).toBe(afterTech);
    expect((await outageOf(OLT))[0]).toMatchObject({ status: 'identified', title: 'Přerušené optické vlákno na Borech' });

    // Resolved: the outage is resolved and the customer told; the CPU alert never had one.
    const resolved = await alert(fixture('resolved'));
    expect(resolved.status).toBe(200);
    expect(resolved.body.outages).toEqual([{ fingerprint: OLT, alertname: 'OltPonDown', action: 'resolved', outageId: opened?.id, notified: 1 }]);
    expect(resolved.body.ignored).toEqual([{ fingerprint: CPU, alertname: 'CoreRouterHighCpu', reason: 'no outage for this alert' }]);
    expect((await outageOf(OLT))[0]).toMatchObject({ status: 'resolved' });
    expect((await alert(fixture('resolved'))).body.outages[0]).toMatchObject({ action: 'already resolved', notified: 0 });
    await t.settle();
    const toJan = telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === '7001')
      .map((c) => String(c.text));
    expect(toJan[0]).toMatch(/^Hlásíme výpadek: Přerušené optické vlákno na Borech\./);
    expect(toJan.at(-1)).toMatch(/^Výpadek Přerušené optické vlákno na Borech je odstraněn/);
    expect(telegram.calls('sendMessage').filter((c) => String(c.chat_id) === '7002')).toEqual([]);

    // The same alert firing again next week is a new outage (the old one keeps its history).
    const again = await alert(fixture('firing'));
    expect(again.body.outages[0]).toMatchObject({ action: 'opened', notified: 1 });
    expect(again.body.outages[0]?.outageId).not.toBe(opened?.id);
    expect(await t.linka.db.prisma.outage.findMany({ orderBy: { createdAt: 'asc' }, select: { key: true, status: true } })).toEqual([
      { key: null, status: 'resolved' },
      { key: `am:${OLT}`, status: 'investigating' },
    ]);
  });
});
