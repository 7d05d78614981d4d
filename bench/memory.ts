/**
 * Resident memory of a Linka process holding 10,000 active conversations (target: under 200 MB).
 * Linka runs as `npm start` runs it (`node <its options> bin/linka.js serve`) in a child process;
 * 10,000 recognised customers each write to the Telegram webhook ("my internet is down" and, with
 * --messages 2, "done"), which leaves every conversation in the middle of the restart checklist
 * with a pending timer. Once the outbox has delivered every reply, the process collects garbage
 * and its RSS is read from /proc/<pid>/status (with its peak, VmHWM) and its V8 heap reported.
 * It measures the TypeScript sources through tsx (LINKA_FROM_SOURCE=1) and the compiled dist/
 * (what `npm start` runs once built; NODE_ENV=production; skipped without dist/) one after the
 * other (--modes).
 *
 *   npx tsx bench/memory.ts [--conversations 10000] [--messages 1|2] [--clients 16]
 *     [--provider sqlite|postgresql] [--modes src,dist] [--node-args "..."|none] [--size 1]
 *   (--size multiplies the number of conversations: --size 0.3 for a quick run)
 */
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Db } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';
import { createEmptyDatabase, pgAvailable } from '../test/helpers/db.js';
import { benchConfig, startLinkaProcess, startNodeArgs, type Mode } from './lib/linka-process.js';
import { forkHelper } from './lib/load.js';
import { figure, options, ROOT, table, writeResult, type BenchResult, type Figure } from './lib/report.js';
import { SECRET, seedTelegramCustomers, TOKEN, updateShot } from './lib/telegram-updates.js';

/** Runs the bench (`npm run bench` calls it with the command line's options); returns its result. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const opts = options(
    { conversations: 10_000, messages: 1, clients: 16, provider: 'sqlite', modes: 'src,dist', size: 1, 'target-mb': 200, 'node-args': '' },
    argv,
  );
  const conversations = Math.max(100, Math.round(opts.conversations * opts.size));
  /** node's options for Linka: those of `npm start` unless --node-args says otherwise ("none" for none). */
  const nodeArgs = opts['node-args'] === '' ? startNodeArgs() : opts['node-args'] === 'none' ? [] : opts['node-args'].split(/\s+/);
  const started = Date.now();
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const figures: Figure[] = [];
  const provider = opts.provider as 'sqlite' | 'postgresql';
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
  function post(base: URL, shot: ReturnType<typeof updateShot>): Promise<number> {
    return new Promise((resolve) => {
      const req = request(
        { agent, host: base.hostname, port: base.port, method: 'POST', path: shot.path, headers: { 'content-type': 'application/json', ...shot.headers } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(-1));
      req.end(shot.body);
    });
  }

  async function drained(db: Db): Promise<void> {
    for (let i = 0; i < 2400; i++) {
      if ((await db.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0) return;
      await sleep(50);
    }
    notes.push('the outbox had not drained after 2 minutes');
  }

  async function measure(mode: Mode, fakeUrl: string): Promise<void> {
    const empty = await createEmptyDatabase(provider);
    let db: Db | undefined;
    try {
      await applyMigrations(empty.url);
      db = await openDatabase(empty.url);
      const first = 40_000_000;
      await seedTelegramCustomers(db.prisma, first, conversations);
      const linka = await startLinkaProcess({
        databaseUrl: empty.url,
        mode,
        nodeArgs,
        // The checklist's timers stay pending for the whole run.
        config: benchConfig({ checklist: { waitMinutes: 60, followUpMinutes: 600 } }),
        env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fakeUrl },
      });
      try {
        await sleep(1000);
        const idle = await linka.collect();
        console.log(
          `${mode}: idle RSS ${idle.rssMb} MB, heap ${idle.heapUsedMb} MB (after GC); driving ${conversations} conversations (${opts.messages} message(s) each, ${opts.clients} clients)`,
        );
        const base = new URL(linka.base);
        const total = conversations * opts.messages;
        let next = 0;
        let failed = 0;
        const t0 = Date.now();
        // With one message each, chat k writes once; with two, a block of 1000 chats writes, then "done".
        const shot = (i: number) => (opts.messages >= 2 ? updateShot(first, i, 1000) : updateShot(first, 2 * 1000 * Math.floor(i / 1000) + (i % 1000), 1000));
        await Promise.all(
          Array.from({ length: opts.clients }, async () => {
            while (next < total) {
              const i = next++;
              if ((await post(base, shot(i))) !== 200) failed++;
              if (i > 0 && i % 2500 === 0)
                console.log(`  ${i} updates, ${Math.round(i / ((Date.now() - t0) / 1000))}/s, RSS ${linka.memory().rssMb.toFixed(1)} MB`);
            }
          }),
        );
        const driveMs = Date.now() - t0;
        await drained(db);
        await sleep(2000);
        const beforeGc = linka.memory();
        const loaded = await linka.collect();
        const peak = linka.memory().peakRssMb;
        const active = await db.prisma.conversation.count();
        const pendingTimers = await db.prisma.timer.count({ where: { firedAt: null, cancelledAt: null } });
        const steps = await db.prisma.conversation.groupBy({ by: ['flow', 'step'], _count: { _all: true } });
        details[mode] = {
          load: { updates: total, failed, driveMs, rate: Math.round(total / (driveMs / 1000)) },
          database: { conversations: active, pendingTimers, steps: steps.map((s) => `${s.flow}.${s.step}: ${s._count._all}`) },
          memory: { idle, beforeGc, loaded, peakRssMb: peak },
        };
        if (failed) notes.push(`${mode}: ${failed} webhook calls did not answer 200`);
        if (pendingTimers < active) notes.push(`${mode}: only ${pendingTimers} pending timers for ${active} conversations`);
        const k = Math.round(active / 1000);
        const tag = `${provider}, ${mode === 'dist' ? 'compiled' : 'tsx'}`;
        figures.push(
          figure(
            `RSS with ${k}k active conversations, after GC (${tag})`,
            loaded.rssMb,
            'MB',
            { below: opts['target-mb'] },
            `${pendingTimers} pending timers; idle ${idle.rssMb} MB; ${Math.round(beforeGc.rssMb)} MB before GC`,
          ),
        );
        figures.push(
          figure(
            `peak RSS while driving them (${tag})`,
            Math.round(peak * 10) / 10,
            'MB',
            { below: opts['target-mb'] },
            `${Math.round(total / (driveMs / 1000))} updates/s from ${opts.clients} clients`,
          ),
        );
        figures.push(
          figure(
            `V8 heap used after GC (${tag})`,
            loaded.heapUsedMb,
            'MB',
            undefined,
            `idle ${idle.heapUsedMb} MB: ${Math.round(((loaded.heapUsedMb - idle.heapUsedMb) * 1024 * 1024) / Math.max(1, active))} bytes per conversation`,
          ),
        );
      } finally {
        await linka.stop();
      }
    } finally {
      await db?.close();
      await empty.drop();
    }
  }

  if (provider === 'postgresql' && !(await pgAvailable())) {
    notes.push('PostgreSQL is not available: nothing measured');
    return { bench: 'memory', startedAt: new Date(started).toISOString(), durationMs: 0, options: opts, figures, details, notes };
  }
  const fake = await forkHelper<{ url: string }>(path.join(ROOT, 'bench/lib/telegram-fake-process.ts'));
  try {
    for (const mode of opts.modes
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean) as Mode[]) {
      if (mode === 'dist' && !existsSync(path.join(ROOT, 'dist/src/cli/index.js'))) {
        notes.push('compiled mode skipped: no dist/ (run `npm run build`)');
        continue;
      }
      await measure(mode, fake.hello.url);
    }
  } finally {
    await fake.stop();
  }
  notes.push(
    `Linka ran as npm start runs it${nodeArgs.length ? ` (node ${nodeArgs.join(' ')})` : ''}, plus --expose-gc so the bench can collect garbage before reading RSS; under tsx, the esbuild service is a separate process, not counted.`,
  );
  const result = {
    bench: 'memory',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    options: { ...opts, conversations, nodeArgs },
    figures,
    details,
    notes,
  };
  const file = writeResult(result);
  console.log(`\n${table(figures)}\n${notes.map((n) => `note: ${n}`).join('\n')}\n-> ${path.relative(ROOT, file)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await run();
