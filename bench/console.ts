/**
 * The operator console under a provider's year of history: 10,000 customers and 50,000 tickets
 * (each with its conversation's messages and events, a tenth with time logged), on SQLite and
 * PostgreSQL. Linka runs as `npm start` runs it, in a child process; a signed-in admin asks for
 * each page in turn and the server time is read from the Server-Timing header (what the server
 * spent, without the client's share). Targets: the ticket list and a ticket page under 100 ms,
 * the dashboard under 300 ms (medians).
 *
 *   npx tsx bench/console.ts [--customers 10000] [--tickets 50000] [--requests 30]
 *     [--providers sqlite,postgresql] [--mode start|src|dist] [--size 1]
 *   (--size multiplies customers and tickets: --size 0.2 for a quick run)
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../src/console/password.js';
import { openDatabase, type Db } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';
import { createEmptyDatabase, pgAvailable } from '../test/helpers/db.js';
import { benchConfig, startLinkaProcess, type Mode } from './lib/linka-process.js';
import { figure, options, ROOT, table, writeResult, type BenchResult, type Figure } from './lib/report.js';

const NOW = Date.now();
const DAY = 86_400_000;
const CATEGORIES = ['internet', 'voip', 'wifi', 'other'];
const TIERS = ['none', 'STANDARD', 'PLUS', 'VIP'];

/** A year of history: customers, one conversation each, tickets with 4 messages and 2 events, time on every tenth. */
export async function seed(db: Db, customers: number, tickets: number): Promise<{ sample: string }> {
  const prisma = db.prisma;
  const batch = 1000;
  for (let k = 0; k < customers; k += batch) {
    const n = Math.min(batch, customers - k);
    await prisma.customer.createMany({
      data: Array.from({ length: n }, (_, x) => ({
        id: `c${k + x}`,
        contractNumber: `2025-${String(k + x).padStart(5, '0')}`,
        name: `Zákazník Novák ${k + x}`,
        tier: TIERS[(k + x) % TIERS.length] as string,
        area: `Oblast ${(k + x) % 40}`,
        telegramId: String(100_000 + k + x),
      })),
    });
    await prisma.conversation.createMany({
      data: Array.from({ length: n }, (_, x) => ({
        id: `telegram:${100_000 + k + x}`,
        channel: 'telegram',
        customerId: `c${k + x}`,
        flow: 'main',
        step: 'done',
        flowVersion: 1,
        state: {},
        sessionStartedAt: new Date(NOW - 400 * DAY),
      })),
    });
  }
  for (let k = 0; k < tickets; k += batch) {
    const n = Math.min(batch, tickets - k);
    const rows = Array.from({ length: n }, (_, x) => {
      const i = k + x;
      const created = NOW - Math.floor(((i * 7919) % 365) * DAY + ((i * 104_729) % DAY));
      const open = i % 10 === 0;
      return { i, created, open, customer: i % customers };
    });
    await prisma.ticket.createMany({
      data: rows.map((r) => ({
        id: `t${r.i}`,
        number: `T-${2025 + (r.i % 2)}-${String(r.i).padStart(6, '0')}`,
        customerId: `c${r.customer}`,
        conversationId: `telegram:${100_000 + r.customer}`,
        category: CATEGORIES[r.i % 4] as string,
        status: r.open ? (r.i % 20 === 0 ? 'open' : 'claimed') : 'resolved',
        tier: TIERS[r.customer % TIERS.length] as string,
        answers: { problem: 'internet', since: 'today' },
        summary: `Problém: Nejde internet\nPopis: Od rána nejde internet, případ ${r.i}`,
        deadline: new Date(r.created + 8 * 3_600_000),
        firstReactionAt: r.open && r.i % 20 === 0 ? null : new Date(r.created + ((r.i % 90) + 5) * 60_000),
        slaMet: r.open && r.i % 20 === 0 ? null : r.i % 7 !== 0,
        claimedBy: r.open && r.i % 20 === 0 ? null : `slack:U${r.i % 12}`,
        claimedByName: r.open && r.i % 20 === 0 ? null : `Technik ${r.i % 12}`,
        satisfaction: r.open ? null : (r.i % 5) + 1,
        createdAt: new Date(r.created),
        resolvedAt: r.open ? null : new Date(r.created + 3 * 3_600_000),
      })),
    });
    await prisma.message.createMany({
      data: rows.flatMap((r) => {
        const at = (m: number) => new Date(r.created + m * 60_000);
        const conversationId = `telegram:${100_000 + r.customer}`;
        const base = { conversationId, ticketId: `t${r.i}`, channel: 'telegram', kind: 'text' };
        return [
          { ...base, direction: 'in', text: 'Dobrý den, nejde mi internet.', opensSession: true, createdAt: at(0) },
          { ...base, direction: 'out', text: 'Zkuste prosím restartovat router.', status: 'delivered', createdAt: at(1) },
          { ...base, direction: 'in', text: 'Nepomohlo to.', createdAt: at(5) },
          {
            ...base,
            direction: 'system',
            kind: 'system',
            text: 'Založen požadavek.',
            outcome: r.i % 3 === 0 ? 'resolved_by_customer' : 'ticket_opened',
            createdAt: at(6),
          },
        ];
      }),
    });
    await prisma.ticketEvent.createMany({
      data: rows.flatMap((r) => [
        { ticketId: `t${r.i}`, type: 'opened', actor: 'linka', data: {}, createdAt: new Date(r.created) },
        { ticketId: `t${r.i}`, type: 'claimed', actor: `slack:U${r.i % 12}`, data: { name: `Technik ${r.i % 12}` }, createdAt: new Date(r.created + 600_000) },
      ]),
    });
    await prisma.timeEntry.createMany({
      data: rows
        .filter((r) => r.i % 10 === 1)
        .map((r) => ({
          ticketId: `t${r.i}`,
          technician: `slack:U${r.i % 12}`,
          technicianName: `Technik ${r.i % 12}`,
          minutes: 30 + (r.i % 60),
          activity: 'Nastavení routeru',
          billable: r.i % 20 === 1,
          createdAt: new Date(r.created + 3_600_000),
          workedAt: new Date(r.created + 3_600_000),
        })),
    });
  }
  const middle = Math.floor(tickets / 2) + 1; // a resolved ticket, with time logged
  return { sample: `T-${2025 + (middle % 2)}-${String(middle).padStart(6, '0')}` };
}

/** Signs in and returns the session cookie. */
async function signIn(base: string, password: string): Promise<string> {
  const form = await fetch(`${base}/console/login`);
  const formCookie = (form.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
    body: new URLSearchParams({ _csrf: csrf, username: 'bench', password }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('linka_session='));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(';')[0] as string;
}

/** The server's own time for `requests` GETs of `path` (Server-Timing), after two warm-ups: median and p90 in ms. */
async function serverTime(base: string, cookie: string, path: string, requests: number): Promise<{ median: number; p90: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests + 2; i++) {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    const dur = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
    if (i >= 2) times.push(dur);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, p90: times[Math.floor(times.length * 0.9)] as number, bytes };
}

export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const opts = options({ customers: 10_000, tickets: 50_000, requests: 30, providers: 'sqlite,postgresql', mode: 'start', size: 1 }, argv);
  const customers = Math.max(100, Math.round(opts.customers * opts.size));
  const tickets = Math.max(500, Math.round(opts.tickets * opts.size));
  const started = Date.now();
  const figures: Figure[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  for (const provider of opts.providers.split(',') as Array<'sqlite' | 'postgresql'>) {
    if (provider === 'postgresql' && !(await pgAvailable())) {
      notes.push('PostgreSQL: no server answered, skipped (LINKA_TEST_PG_URL)');
      continue;
    }
    const database = await createEmptyDatabase(provider);
    await applyMigrations(database.url);
    const db = await openDatabase(database.url);
    const t0 = Date.now();
    const { sample } = await seed(db, customers, tickets);
    const password = randomBytes(12).toString('base64url');
    await db.prisma.operatorUser.create({ data: { username: 'bench', displayName: 'Bench', role: 'admin', passwordHash: await hashPassword(password) } });
    notes.push(
      `${provider}: seeded ${customers} customers, ${tickets} tickets (${tickets * 4} messages, ${tickets * 2} events) in ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    await db.close();
    const linka = await startLinkaProcess({ databaseUrl: database.url, config: benchConfig(), mode: opts.mode as Mode, timeoutMs: 60_000 });
    try {
      const cookie = await signIn(linka.base, password);
      const pages: Array<[string, string, number]> = [
        ['ticket list (open and claimed, first page)', '/console/tickets', 100],
        ['ticket list (every status, first page)', '/console/tickets?status=all', 100],
        ['ticket list (text search "novák 4")', `/console/tickets?status=all&q=${encodeURIComponent('novák 4')}`, 0],
        ['ticket page', `/console/tickets/${sample}`, 100],
        ['customers (search "novák 42")', `/console/customers?q=${encodeURIComponent('novák 42')}`, 0],
        ['customers (search by phone)', `/console/customers?q=${encodeURIComponent('+420 603 000 042')}`, 0],
        ['dashboard (last 7 days)', '/console/dashboard', 300],
        ['dashboard (last month)', '/console/dashboard?period=lastMonth', 300],
      ];
      for (const [name, url, target] of pages) {
        const r = await serverTime(linka.base, cookie, url, opts.requests);
        details[`${provider} ${name}`] = r;
        figures.push(
          figure(
            `${name} (${provider}): median server time`,
            r.median,
            'ms',
            target ? { below: target } : undefined,
            `p90 ${r.p90.toFixed(1)} ms, ${Math.round(r.bytes / 1024)} KiB`,
          ),
        );
      }
    } finally {
      await linka.stop();
      await database.drop();
    }
  }
  const result = {
    bench: 'console',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    options: { ...opts, customers, tickets },
    figures,
    details,
    notes,
  };
  const file = writeResult(result);
  console.log(`\n${table(figures)}\n${notes.map((n) => `note: ${n}`).join('\n')}\n-> ${path.relative(ROOT, file)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await run();
