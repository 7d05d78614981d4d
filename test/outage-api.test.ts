// The outage API (POST /api/outages, /api/outages/:id, /api/outages/:id/resolve, GET /api/outages)
// on Linka in-process with Telegram on (a fake Bot API): the bearer token, field-by-field 400s,
// 404s, and notices queued for the customers in the outage's areas only. Also the router's
// `:id` templates, and the Discord `/linka outage` group on the same instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../adapters/discord/interactions.js';
import { parseInteraction } from '../adapters/discord/parse.js';
import { apiRoutes } from '../src/server/api/index.js';
import { parseConfig } from '../src/config/load.js';
import { createHttpServer, json } from '../src/server/http.js';
import { silentLogger } from '../src/observability/logger.js';
import type { Outages } from '../src/services/outages.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-fake.js';

const TOKEN = 'test-api-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JAN = 'telegram:7001'; // Plzeň-Bory
const ZUZANA = 'telegram:7002'; // Petržalka

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

type Body = Record<string, unknown> & { issues?: Array<{ path: string; message: string }>; outage?: Record<string, unknown> };
const api = async (path: string, body: unknown, headers: Record<string, string> = AUTH) => {
  const res = await t.post(path, body, { 'content-type': 'application/json', ...headers });
  return { status: res.status, body: res.body as Body };
};
const queuedFor = (target: string) => t.linka.db.prisma.outboxItem.count({ where: { target, kind: 'reply' } });
const paths = (b: Body) => (b.issues ?? []).map((i) => i.path);

describe('the outage API', () => {
  it('answers 401 without the bearer token or with a wrong one', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ];
    for (const headers of refused) {
      const res = await api('/api/outages', { areas: ['Plzeň-Bory'] }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }
    const res = await fetch(`${t.base}/api/outages`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="linka"');
    expect((await api('/api/outages/x/resolve', {}, {})).status).toBe(401);
    expect(await t.linka.db.prisma.outage.count()).toBe(0);
  });

  it('answers 400 naming each bad field, for bad JSON and bad values', async () => {
    const broken = await api('/api/outages', '{"areas": [');
    expect(broken.status).toBe(400);
    expect(broken.body.issues).toEqual([{ path: '(body)', message: expect.stringMatching(/^not valid JSON/) }]);

    const missing = await api('/api/outages', { title: 'Výpadek' });
    expect(missing.status).toBe(400);
    expect(paths(missing.body)).toEqual(['areas']);

    const bad = await api('/api/outages', {
      areas: [],
      services: ['gas'],
      status: 'down',
      estimatedEnd: '2026-11-24 14:30',
      texts: { de: 'Ausfall' },
      area: 'Bory',
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body).sort()).toEqual(['area', 'areas', 'estimatedEnd', 'services[0]', 'status', 'texts.de']);
    expect(bad.body.error).toMatch(/^invalid request: /);
    expect(bad.body.issues?.find((i) => i.path === 'status')?.message).toBe('expected one of investigating, identified, monitoring, resolved');
    expect(bad.body.issues?.find((i) => i.path === 'area')?.message).toBe('unknown field');
    expect((await api('/api/outages', { areas: ['Bory', ' '] })).body.issues?.map((i) => i.path)).toEqual(['areas[1]']);
    expect(paths((await api('/api/outages', { areas: ['Bory'], status: 'resolved' })).body)).toEqual(['status']);
    expect(paths((await api('/api/outages', [])).body)).toEqual(['(body)']);
    expect(await t.linka.db.prisma.outage.count()).toBe(0);
  });

  it('declares, repeats by key without notices, updates, lists and resolves; only affected customers are told', async () => {
    const created = await api('/api/outages', {
      key: 'ticket-4711',
      title: 'Přerušené vlákno',
      areas: ['Plzeň-Bory', 'Doubravka'],
      estimatedEnd: '2026-11-23T14:30:00+01:00',
      texts: { sk: 'Výpadok na Boroch.', cs: 'Výpadek na Borech.' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      created: true,
      changed: true,
      notified: 1,
      outage: {
        key: 'ticket-4711',
        title: 'Přerušené vlákno',
        areas: ['Plzeň-Bory', 'Doubravka'],
        services: ['internet'],
        status: 'investigating',
        estimatedEnd: '2026-11-23T13:30:00.000Z',
        source: 'api',
      },
    });
    const id = created.body.outage?.id as string;
    expect([await queuedFor(JAN), await queuedFor(ZUZANA)]).toEqual([1, 0]);

    // The same declaration again: the same outage, nothing changed, nobody told twice.
    const again = await api('/api/outages', {
      key: 'ticket-4711',
      title: 'Přerušené vlákno',
      areas: ['Plzeň-Bory', 'Doubravka'],
      estimatedEnd: '2026-11-23T14:30:00+01:00',
      texts: { cs: 'Výpadek na Borech.', sk: 'Výpadok na Boroch.' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, changed: false, notified: 0, outage: { id } });
    expect(await queuedFor(JAN)).toBe(1);

    expect((await api('/api/outages/nope', { status: 'identified' })).status).toBe(404);
    expect((await api('/api/outages/nope/resolve', {})).status).toBe(404);
    expect(paths((await api(`/api/outages/${id}`, { status: 'fixed', key: 'x' })).body).sort()).toEqual(['key', 'status']);

    const updated = await api(`/api/outages/${id}`, { status: 'identified', estimatedEnd: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ changed: true, notified: 1, outage: { status: 'identified', estimatedEnd: null } });
    // By key too, and an empty body changes nothing.
    expect((await api('/api/outages/ticket-4711', '')).body).toMatchObject({ changed: false, notified: 0 });

    const listed = await fetch(`${t.base}/api/outages`, { headers: AUTH });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { outages: Array<{ id: string }> }).outages.map((o) => o.id)).toEqual([id]);

    const resolved = await api(`/api/outages/${id}/resolve`, {});
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ changed: true, notified: 1, outage: { id, status: 'resolved' } });
    expect((await api(`/api/outages/${id}/resolve`, '')).body).toMatchObject({ changed: false, notified: 0 });
    expect((await api(`/api/outages/${id}`, { status: 'monitoring' })).status).toBe(409);
    expect([await queuedFor(JAN), await queuedFor(ZUZANA)]).toEqual([3, 0]);

    await t.settle();
    const texts = telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === '7001')
      .map((c) => String(c.text));
    expect(texts[0]).toMatch(/^Výpadek na Borech\. Předpokládaný konec: 23\. 11\. 2026 14:30\.$/);
    expect(texts.at(-1)).toMatch(/^Výpadek Přerušené vlákno je odstraněn/);
    expect(telegram.calls('sendMessage').filter((c) => String(c.chat_id) === '7002')).toEqual([]);
  });

  it('answers 405 for the wrong method on a templated path, 404 for a malformed escape', async () => {
    const res = await fetch(`${t.base}/api/outages/x/resolve`, { headers: AUTH });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await api('/api/outages/%E2%82/resolve', {})).status).toBe(404);
    expect((await api('/api/outages/a/b/resolve', {})).status).toBe(404);
  });

  it('is off (503) without LINKA_API_TOKEN', async () => {
    const { routes, status } = apiRoutes({
      env: {},
      config: parseConfig({}),
      outages: {} as Outages,
      log: silentLogger(),
      prisma: {} as never,
      clock: () => new Date(),
    });
    expect(status).toMatch(/^off \(LINKA_API_TOKEN is not set/);
    const declare = routes.find((r) => r.path === '/api/outages' && r.method === 'POST');
    const answer = await declare?.handler({
      req: { headers: AUTH } as never,
      url: new URL('http://127.0.0.1/api/outages'),
      body: Buffer.from('{}'),
      params: {},
    });
    expect(answer?.status).toBe(503);
    expect(String(answer?.body)).toContain('set LINKA_API_TOKEN');
  });
});

describe('path templates in the router', () => {
  it('matches exact paths first, decodes :params, and keeps 404/405', async () => {
    const http = createHttpServer({ log: silentLogger(), bodyLimitBytes: 1000 });
    http.add(
      { method: 'GET', path: '/things/:id', handler: async (r) => json(200, { id: r.params.id }) },
      { method: 'GET', path: '/things/special', handler: async (r) => json(200, { exact: true, params: r.params }) },
      { method: 'POST', path: '/things/:id/parts/:part', handler: async (r) => json(200, r.params) },
    );
    await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
    const port = (http.server.address() as { port: number }).port;
    const get = async (p: string, method = 'GET') => {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, { method });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    try {
      expect(await get('/things/a%20b')).toEqual({ status: 200, body: { id: 'a b' } });
      expect(await get('/things/special')).toEqual({ status: 200, body: { exact: true, params: {} } });
      expect(await get('/things/1/parts/x', 'POST')).toEqual({ status: 200, body: { id: '1', part: 'x' } });
      expect((await get('/things/1/parts/x')).status).toBe(405);
      expect((await get('/things/')).status).toBe(404);
      expect((await get('/things/1/2')).status).toBe(404);
      expect((await get('/things/:id')).status).toBe(200);
    } finally {
      await http.close();
    }
  });
});

describe('/linka outage on Discord', () => {
  it('declares, lists and resolves for technicians, and refuses everyone else', async () => {
    const deps = { ...t.linka.adapterDeps, dispatch: t.linka.runtime.dispatch, log: silentLogger(), clock: t.clock.read };
    const handle = createInteractionHandler(deps, {
      technicians: ['111'],
      technicianRoles: [],
      teamLanguage: 'cs',
      timezone: 'Europe/Prague',
      ticketPrefix: 'T',
    });
    let seq = 0;
    const run = async (sub: string, options: Record<string, string>, user = '111') => {
      const parsed = parseInteraction({
        id: `outage-${++seq}`,
        type: 2,
        channel_id: '5',
        member: { user: { id: user, username: 'petr' }, nick: 'Petr', roles: [] },
        data: {
          name: 'linka',
          options: [
            { type: 2, name: 'outage', options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })) }] },
          ],
        },
      });
      expect(parsed).toMatchObject({ kind: 'command', group: 'outage', sub });
      if (parsed.kind === 'invalid') throw new Error(parsed.reason);
      const answer = await handle(parsed);
      return (answer.data as { content: string }).content;
    };
    expect(await run('start', { areas: 'Petržalka' }, '999')).toBe('S požadavky mohou pracovat jen technici. Požádejte správce o přidání.');
    const started = await run('start', { areas: 'Petržalka, Ružinov', title: 'Výpadok optiky' });
    const id = /^Výpadek (\S+) vyhlášen: Výpadok optiky · oblasti Petržalka, Ružinov · zjišťujeme příčinu\. Upozorněno zákazníků: 1\.$/.exec(started)?.[1];
    expect(id, started).toBeTruthy();
    expect(await run('update', { outage: id as string, eta: 'zítra' })).toBe('Termín zadejte jako 2026-11-24 14:30.');
    expect(await run('update', { outage: id as string, status: 'monitoring' })).toMatch(
      /^Výpadek \S+ upraven: Výpadok optiky · opraveno, sledujeme provoz\. Upozorněno zákazníků: 1\.$/,
    );
    expect(await run('list', {})).toContain(
      `${id} · Výpadok optiky · oblasti Petržalka, Ružinov · služby internet · opraveno, sledujeme provoz · od 23. 11. 2026 10:00.`,
    );
    expect(await run('resolve', { outage: id as string })).toBe(`Výpadek ${id} je vyřešen. Upozorněno zákazníků: 1.`);
    expect(await run('resolve', { outage: 'nope' })).toMatch(/^Výpadek nope neexistuje\./);
    expect(await run('start', { areas: ' , ' })).toMatch(/^Použití: \/linka outage start areas:/);
  });
});
