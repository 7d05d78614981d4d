/**
 * Telegram webhook throughput and latency through Linka's whole pipeline (secret check,
 * de-duplication, conversation step, persistence, outbox) on SQLite and PostgreSQL, beside a bare
 * telegraf echo bot on the same machine, against the same fake Bot API (in its own process).
 *
 * All targets run side by side: the bare bot (node:http -> bot.handleUpdate -> ctx.reply through the
 * fake, webhookReply false) and Linka as `node bin/linka.js serve` per database. Then:
 *  1. closed loop (N clients back to back: the maximum throughput), in rounds that alternate the
 *     targets, so the machine's noise hits them alike; full/bare is the median of the rounds' ratios;
 *  2. open loop at a fixed rate (default 500 updates/s for 10 s; latency counted from when each
 *     update was due, so a backlog shows), and again at half of the target's own maximum;
 *  3. after each Linka run, the outbox lag (reply queued -> sent to the fake) from the database.
 * Every update comes from its own chat (10,000s of chats), a recognised customer: "my internet is
 * down", then "done" from the same chat 500 updates later. Linka's outbox worker delivers the
 * replies to the fake during the runs.
 *
 *   npx tsx bench/webhook.ts [--rate 500] [--seconds 10] [--clients 32] [--rounds 3] [--round-seconds 3]
 *     [--providers sqlite,postgresql] [--mode start|src|dist] [--size 1]
 *   (--mode start, the default: as `npm start` runs it, the compiled dist/ when it is up to date)
 *   (--size multiplies the durations: --size 0.5 for a quick run)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyMigrations } from '../src/store/migrate.js';
import { openDatabase, type Db } from '../src/store/client.js';
import { createEmptyDatabase, pgAvailable, testPgUrl, type EmptyDatabase } from '../test/helpers/db.js';
import { benchConfig, startLinkaProcess, type LinkaProcess, type Mode } from './lib/linka-process.js';
import { closedLoop, forkHelper, openLoop, type LoadResult } from './lib/load.js';
import { figure, options, ROOT, summarize, table, writeResult, type BenchResult, type Figure } from './lib/report.js';
import { chatsFor, seedTelegramCustomers, SECRET, TOKEN, updateShot } from './lib/telegram-updates.js';

/** Runs the bench (`npm run bench` calls it with the command line's options); returns its result. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const opts = options(
    {
      rate: 500,
      seconds: 10,
      clients: 32,
      rounds: 3,
      'round-seconds': 3,
      warmup: 400,
      providers: 'sqlite,postgresql',
      mode: 'start',
      size: 1,
      'p99-target': 25,
      'ratio-target': 0.5,
    },
    argv,
  );
  const seconds = Math.max(1, opts.seconds * opts.size);
  const roundSeconds = Math.max(1, opts['round-seconds'] * opts.size);
  const started = Date.now();
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  /** The most updates a closed-loop round is assumed to reach per second (to seed enough customers). */
  const MAX_RATE_GUESS = 1000;

  type Lag = ReturnType<typeof summarize> & { drainMs: number };
  interface Target {
    name: string;
    base: string;
    /** Chats from here on; the next unused one. */
    nextChat: number;
    db?: Db;
    linka?: LinkaProcess;
    empty?: EmptyDatabase;
    stop(): Promise<void>;
    rounds: LoadResult[];
    open?: LoadResult;
    half?: LoadResult & { rate: number };
    lag?: { open: Lag; half?: Lag; closed: Lag };
  }

  /** Hands out a fresh range of chats for `updates` updates. */
  function chats(t: Target, updates: number): number {
    const first = t.nextChat;
    t.nextChat += chatsFor(updates) + 500;
    return first;
  }

  /** Waits until no outbox item is pending; returns how long that took. */
  async function drainOutbox(db: Db, timeoutMs = 180_000): Promise<number> {
    const t0 = Date.now();
    while ((await db.prisma.outboxItem.count({ where: { status: 'pending' } })) > 0) {
      if (Date.now() - t0 > timeoutMs) {
        notes.push(`the outbox had not drained after ${timeoutMs / 1000} s`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - t0;
  }

  /** The outbox lag of the replies queued in [from, to]: queued -> sent. */
  async function lagOf(t: Target, from: Date, to: Date): Promise<Lag | undefined> {
    if (!t.db) return undefined;
    const drainMs = await drainOutbox(t.db);
    const items = await t.db.prisma.outboxItem.findMany({
      where: { kind: 'reply', createdAt: { gte: from, lte: to } },
      select: { createdAt: true, sentAt: true },
    });
    return { ...summarize(items.filter((i) => i.sentAt).map((i) => (i.sentAt as Date).getTime() - i.createdAt.getTime())), drainMs };
  }

  async function bare(fakeUrl: string): Promise<Target> {
    const bot = await forkHelper<{ port: number }>(path.join(ROOT, 'bench/lib/bare-bot.ts'), { FAKE_URL: fakeUrl, SECRET });
    return { name: 'bare', base: `http://127.0.0.1:${bot.hello.port}`, nextChat: 20_000_000, rounds: [], stop: () => bot.stop() };
  }

  async function linka(provider: 'sqlite' | 'postgresql', fakeUrl: string): Promise<Target> {
    const empty = await createEmptyDatabase(provider);
    await applyMigrations(empty.url);
    const db = await openDatabase(empty.url);
    const first = provider === 'sqlite' ? 30_000_000 : 50_000_000;
    const updates = opts.warmup + opts.rate * seconds * 1.5 + MAX_RATE_GUESS * roundSeconds * opts.rounds;
    await seedTelegramCustomers(db.prisma, first, chatsFor(updates) + 500 * 8);
    const proc = await startLinkaProcess({
      databaseUrl: empty.url,
      mode: opts.mode as Mode,
      config: benchConfig(),
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fakeUrl },
    });
    return {
      name: provider,
      base: proc.base,
      nextChat: first,
      db,
      linka: proc,
      empty,
      rounds: [],
      async stop() {
        await proc.stop();
        await db.close();
        await empty.drop();
      },
    };
  }

  const fake = await forkHelper<{ url: string }>(path.join(ROOT, 'bench/lib/telegram-fake-process.ts'));
  const targets: Target[] = [];
  try {
    targets.push(await bare(fake.hello.url));
    for (const provider of opts.providers
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean) as Array<'sqlite' | 'postgresql'>) {
      if (provider === 'postgresql' && !(await pgAvailable())) {
        notes.push(`PostgreSQL skipped: no server at ${testPgUrl().replace(/\/\/[^@]*@/, '//')} (set LINKA_TEST_PG_URL)`);
        continue;
      }
      targets.push(await linka(provider, fake.hello.url));
    }
    const ran = targets.find((t) => t.linka)?.linka?.runs;
    const from = ran === 'compiled' ? 'the compiled dist/' : 'the TypeScript sources through tsx';
    console.log(`targets: ${targets.map((t) => t.name).join(', ')} (linka from ${from})`);
    notes.push(`Linka ran from ${from}${opts.mode === 'start' ? ', as npm start chose' : ''}.`);

    // Warm-up: the JIT, connection pools, the databases' caches.
    for (const t of targets) {
      const first = chats(t, opts.warmup);
      let i = 0;
      const t0 = Date.now();
      while (i < opts.warmup && Date.now() - t0 < 30_000) await closedLoop(t.base, 4, 0.5, () => updateShot(first, Math.min(i++, opts.warmup - 1), 100));
      if (t.db) await drainOutbox(t.db);
    }

    // 1. Closed loop, in alternating rounds.
    for (let r = 0; r < opts.rounds; r++) {
      for (const t of targets) {
        const first = chats(t, MAX_RATE_GUESS * roundSeconds);
        const from = new Date();
        const result = await closedLoop(t.base, opts.clients, roundSeconds, (i) => updateShot(first, i));
        t.rounds.push(result);
        const lag = await lagOf(t, from, new Date());
        if (lag && r === opts.rounds - 1) t.lag = { ...(t.lag as { open: Lag }), closed: lag };
        console.log(`  round ${r + 1} ${t.name}: ${Math.round(result.throughput)} updates/s`);
      }
    }

    // 2. Open loop at the target rate, then at half of each target's maximum.
    for (const t of targets) {
      const first = chats(t, opts.rate * seconds);
      const from = new Date();
      t.open = await openLoop(t.base, opts.rate, seconds, (i) => updateShot(first, i));
      const lag = await lagOf(t, from, new Date());
      console.log(`  ${t.name} at ${opts.rate}/s: p50 ${t.open.latency.p50} ms, p99 ${t.open.latency.p99} ms, achieved ${Math.round(t.open.throughput)}/s`);
      const max = median(t.rounds.map((x) => x.throughput));
      const rate = Math.max(5, Math.round(max / 2));
      const firstHalf = chats(t, rate * seconds);
      const fromHalf = new Date();
      const half = await openLoop(t.base, rate, Math.min(seconds, 5), (i) => updateShot(firstHalf, i));
      t.half = { ...half, rate };
      const halfLag = await lagOf(t, fromHalf, new Date());
      if (lag) t.lag = { closed: (t.lag as { closed: Lag }).closed, open: lag, half: halfLag };
      console.log(`  ${t.name} at ${rate}/s (half its max): p50 ${half.latency.p50} ms, p99 ${half.latency.p99} ms`);
    }

    for (const t of targets) {
      if (!t.db || !t.linka) continue;
      details[`${t.name}.database`] = {
        processedInbound: await t.db.prisma.processedInbound.count(),
        outboxSent: await t.db.prisma.outboxItem.count({ where: { status: 'sent' } }),
        pendingTimers: await t.db.prisma.timer.count({ where: { firedAt: null, cancelledAt: null } }),
        linkaMemory: t.linka.memory(),
      };
    }
    details.fakeCalls = (await fake.ask<{ calls: Record<string, number> }>('stats')).calls;
  } finally {
    for (const t of targets) await t.stop().catch((err: unknown) => console.error(`stopping ${t.name}: ${String(err)}`));
    await fake.stop();
  }

  function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? ((s[Math.floor((s.length - 1) / 2)] as number) + (s[Math.ceil((s.length - 1) / 2)] as number)) / 2 : NaN;
  }
  const round1 = (n: number) => Math.round(n * 10) / 10;
  const failed = (l: LoadResult) =>
    Object.entries(l.failures)
      .map(([k, v]) => `${v}x ${k}`)
      .join(', ');

  const figures: Figure[] = [];
  const b = targets.find((t) => t.name === 'bare') as Target;
  const bareMax = median(b.rounds.map((r) => r.throughput));
  figures.push(
    figure(
      'bare telegraf echo: max throughput',
      Math.round(bareMax),
      'upd/s',
      undefined,
      `rounds: ${b.rounds.map((r) => Math.round(r.throughput)).join(', ')}`,
    ),
  );
  figures.push(figure(`bare telegraf echo: p99 at ${opts.rate}/s`, b.open?.latency.p99 ?? null, 'ms', undefined, `p50 ${b.open?.latency.p50} ms`));
  for (const t of targets.filter((x) => x !== b)) {
    const max = median(t.rounds.map((r) => r.throughput));
    const ratios = t.rounds.map((r, i) => r.throughput / ((b.rounds[i] as LoadResult).throughput || 1));
    const fails = t.rounds.map(failed).filter(Boolean).join('; ');
    figures.push(
      figure(
        `linka ${t.name}: max throughput`,
        Math.round(max),
        'upd/s',
        undefined,
        `rounds: ${t.rounds.map((r) => Math.round(r.throughput)).join(', ')}${fails ? `; failures: ${fails}` : ''}`,
      ),
    );
    figures.push(
      figure(
        `linka ${t.name}: throughput full / bare`,
        Math.round(median(ratios) * 1000) / 1000,
        '',
        { atLeast: opts['ratio-target'] },
        `median of ${ratios.length} rounds`,
      ),
    );
    if (t.open) {
      figures.push(
        figure(
          `linka ${t.name}: p99 at ${opts.rate}/s offered`,
          t.open.latency.p99,
          'ms',
          { below: opts['p99-target'] },
          `p50 ${t.open.latency.p50} ms; achieved ${Math.round(t.open.throughput)}/s${failed(t.open) ? `; ${failed(t.open)}` : ''}`,
        ),
      );
    }
    if (t.half) {
      figures.push(figure(`linka ${t.name}: p99 at ${t.half.rate}/s (half its max)`, t.half.latency.p99, 'ms', undefined, `p50 ${t.half.latency.p50} ms`));
    }
    if (t.lag) {
      const l = t.lag;
      figures.push(
        figure(
          `linka ${t.name}: outbox lag p99 at ${t.half?.rate ?? '?'}/s`,
          l.half?.p99 ?? null,
          'ms',
          undefined,
          `p50 ${l.half?.p50} ms; at ${opts.rate}/s: p50 ${round1(l.open.p50 ?? NaN)} / p99 ${round1(l.open.p99 ?? NaN)} ms, drained ${l.open.drainMs} ms after the load`,
        ),
      );
    }
  }
  for (const t of targets) details[t.name] = { rounds: t.rounds, open: t.open, half: t.half, lag: t.lag };
  notes.push("The outbox rate limits were raised for the run (telegram 5000/s): the outbox lag shows the worker, not Telegram's 30 messages a second.");
  const result = {
    bench: 'webhook',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    options: { ...opts, seconds, roundSeconds },
    figures,
    details,
    notes,
  };
  const file = writeResult(result);
  console.log(`\n${table(figures)}\n${notes.map((n) => `note: ${n}`).join('\n')}\n-> ${path.relative(ROOT, file)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await run();
