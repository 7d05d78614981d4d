/**
 * Cold start: from spawning `node bin/linka.js serve` on an already migrated SQLite database to
 * the first 200 from GET /healthz (target: under 1.5 s). Runs the compiled dist/ (what `npm start`
 * runs: it is built at install, and again here with `npm run build`) and the TypeScript sources
 * through tsx (what runs after a source was edited, or with LINKA_FROM_SOURCE=1); each with only
 * Telegram on, and with every channel on (Telegram, SMS, Slack, Discord).
 *
 *   npx tsx bench/cold-start.ts [--runs 5] [--no-build] [--target-ms 1500] [--size 1]
 *   (--size below 1 makes fewer runs)
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyMigrations } from '../src/store/migrate.js';
import { modeEnv, startCommand, startNodeArgs } from './lib/linka-process.js';
import { figure, options, ROOT, summarize, table, writeResult, type BenchResult, type Figure } from './lib/report.js';

/** Runs the bench (`npm run bench` calls it with the command line's options); returns its result. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const opts = options({ runs: 5, build: true, 'target-ms': 1500, size: 1 }, argv);
  const runs = Math.max(1, Math.round(opts.runs * Math.min(1, opts.size)));
  const started = Date.now();
  const notes: string[] = [];
  const details: Record<string, unknown> = {};

  const dir = mkdtempSync(path.join(tmpdir(), 'linka-coldstart-'));
  const databaseUrl = `file:${path.join(dir, 'linka.db')}`;
  await applyMigrations(databaseUrl);
  const configFile = path.join(dir, 'linka.config.yaml');
  writeFileSync(
    configFile,
    'company:\n  name: Bench ISP\n  helpdeskPhone: "+420 377 000 000"\nslack:\n  queueChannel: C0QUEUE\ndiscord:\n  queueChannel: "1300000000000000001"\n',
  );

  const DEAD = 'http://127.0.0.1:9'; // nothing listens: no platform is called at start-up anyway
  const CHANNELS: Record<string, Record<string, string>> = {
    telegram: { TELEGRAM_BOT_TOKEN: '123456:BENCH', TELEGRAM_WEBHOOK_SECRET: 'bench', TELEGRAM_API_ROOT: DEAD },
    all: {
      TELEGRAM_BOT_TOKEN: '123456:BENCH',
      TELEGRAM_WEBHOOK_SECRET: 'bench',
      TELEGRAM_API_ROOT: DEAD,
      TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'x'.repeat(32),
      TWILIO_FROM: '+420700800900',
      TWILIO_API_URL: DEAD,
      PUBLIC_URL: 'https://linka.example.net',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench',
      SLACK_API_URL: `${DEAD}/api/`,
      DISCORD_BOT_TOKEN: 'bench',
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      DISCORD_API_URL: `${DEAD}/api`,
    },
  };

  /** A port nothing listens on now (the OS picks it). */
  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        server.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
  }

  /** One start: ms from spawn to the first 200 of /healthz. */
  async function once(mode: 'src' | 'dist', channels: Record<string, string>): Promise<number> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      ...startCommand().env,
      ...modeEnv(mode),
      DATABASE_URL: databaseUrl,
      LINKA_CONFIG: configFile,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...channels,
    };
    const t0 = performance.now();
    // As `npm start` runs it (with its node options).
    const child = spawn(process.execPath, [...startNodeArgs(), path.join(ROOT, 'bin/linka.js'), 'serve'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`linka exited (${child.exitCode}): ${stderr.slice(-2000)}`);
        if (performance.now() - t0 > 30_000) throw new Error('no 200 from /healthz within 30 s');
        const ok = await fetch(`${base}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return performance.now() - t0;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  async function series(mode: 'src' | 'dist', name: string): Promise<ReturnType<typeof summarize> & { runs: number[] }> {
    await once(mode, CHANNELS[name] as Record<string, string>); // the first start fills the OS file cache (and tsx's)
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once(mode, CHANNELS[name] as Record<string, string>));
    return { ...summarize(times), runs: times.map(Math.round) };
  }

  const figures: Figure[] = [];
  try {
    for (const name of Object.keys(CHANNELS)) {
      const s = await series('src', name);
      details[`src.${name}`] = s;
      console.log(`tsx (src), ${name}: ${s.runs.join(', ')} ms`);
      figures.push(
        figure(
          `cold start, sources through tsx, ${name === 'all' ? 'all channels' : 'Telegram only'}: median`,
          s.p50,
          'ms',
          { below: opts['target-ms'] },
          `min ${Math.min(...s.runs)}, max ${s.max} ms, ${runs} runs`,
        ),
      );
    }
    let built = existsSync(path.join(ROOT, 'dist/src/cli/index.js'));
    if (opts.build) {
      const t0 = Date.now();
      built = await new Promise<boolean>((resolve) =>
        execFile('npm', ['run', 'build'], { cwd: ROOT }, (err, _stdout, stderr) => {
          if (err)
            notes.push(
              `npm run build failed, so no compiled start: ${String(stderr || err.message)
                .trim()
                .split('\n')
                .slice(-3)
                .join(' / ')}`,
            );
          resolve(!err);
        }),
      );
      details.buildMs = Date.now() - t0;
    } else if (built) notes.push('dist/ was not rebuilt (--no-build): it may be older than the sources');
    if (built) {
      for (const name of Object.keys(CHANNELS)) {
        const s = await series('dist', name);
        details[`dist.${name}`] = s;
        console.log(`compiled (dist, NODE_ENV=production), ${name}: ${s.runs.join(', ')} ms`);
        figures.push(
          figure(
            `cold start, compiled dist/ (npm start), ${name === 'all' ? 'all channels' : 'Telegram only'}: median`,
            s.p50,
            'ms',
            { below: opts['target-ms'] },
            `min ${Math.min(...s.runs)}, max ${s.max} ms, ${runs} runs`,
          ),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const result = {
    bench: 'cold-start',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    options: { ...opts, runs },
    figures,
    details,
    notes,
  };
  const file = writeResult(result);
  console.log(`\n${table(figures)}\n${notes.map((n) => `note: ${n}`).join('\n')}\n-> ${path.relative(ROOT, file)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await run();
