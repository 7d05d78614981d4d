/**
 * Linka as the operator runs it: `node bin/linka.js serve` in a child process, on a given
 * database and config. Mode "start": as `npm start` decides (the compiled dist/ built at install
 * when it is up to date, else the sources through tsx); "src": the TypeScript sources through tsx
 * (LINKA_FROM_SOURCE=1); "dist": the compiled dist/ (NODE_ENV=production).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { ROOT } from './report.js';

export interface LinkaProcess {
  child: ChildProcess;
  pid: number;
  base: string;
  /** Milliseconds from spawn to the "linka is serving" log line. */
  startedMs: number;
  /** What ran, as bin/linka.js chose: the compiled dist/ or the TypeScript sources. */
  runs: 'compiled' | 'source';
  /** Resident memory of the process now and at its peak, in MB (from /proc/<pid>/status). */
  memory(): { rssMb: number; peakRssMb: number };
  /** Collects garbage in the process (it runs with --expose-gc) and returns its memory then, in MB. */
  collect(): Promise<{ rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number }>;
  /** A value of the Prometheus text at /metrics. */
  metric(name: string): Promise<number | null>;
  stop(): Promise<void>;
}

export type Mode = 'start' | 'src' | 'dist';

/** The environment that makes bin/linka.js run `mode`. */
export function modeEnv(mode: Mode): Record<string, string> {
  if (mode === 'dist') return { NODE_ENV: 'production' };
  if (mode === 'src') return { NODE_ENV: 'development', LINKA_FROM_SOURCE: '1' };
  return {};
}

/** "[VAR=value ...] [exec] node <options> bin/linka.js": the assignments, then node's options. */
const startScriptPattern = /^((?:\w+=\S+\s+)*)(?:exec\s+)?node\s+(.*?)\s*bin\/linka\.js\b/;

/**
 * How `npm start` runs Linka (package.json: "[VAR=value ...] [exec] node <options> bin/linka.js serve";
 * `exec` replaces npm's /bin/sh with node, so a SIGTERM to npm reaches Linka): its environment
 * settings (a shell default "${VAR:-x}" resolved) and node's options, so the benches run Linka
 * as an operator does.
 */
export function startCommand(script?: string): { env: Record<string, string>; nodeArgs: string[] } {
  const start = script ?? (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.start;
  const m = startScriptPattern.exec(start ?? '');
  const env: Record<string, string> = {};
  for (const assignment of (m?.[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const [name, value] = assignment.split(/=(.*)/s) as [string, string];
    const dflt = /^\$\{(\w+):-(.*)\}$/.exec(value);
    env[name] = dflt ? process.env[dflt[1] as string] || (dflt[2] as string) : value;
  }
  return { env, nodeArgs: (m?.[2] ?? '').split(/\s+/).filter(Boolean) };
}

/** node's options of `npm start`. */
export function startNodeArgs(): string[] {
  return startCommand().nodeArgs;
}

/** Reads VmRSS and VmHWM of a process. */
export function procMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export async function startLinkaProcess(opts: {
  databaseUrl: string;
  config: unknown;
  env?: Record<string, string>;
  mode?: Mode;
  timeoutMs?: number;
  /** Options for node (default: those of `npm start`); e.g. --cpu-prof, which NODE_OPTIONS does not allow. */
  nodeArgs?: string[];
}): Promise<LinkaProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-bench-cfg-'));
  const configFile = path.join(dir, 'linka.config.yaml');
  writeFileSync(configFile, stringify(opts.config));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...modeEnv(opts.mode ?? 'start'),
    ...startCommand().env,
    DATABASE_URL: opts.databaseUrl,
    LINKA_CONFIG: configFile,
    PORT: '0',
    HOST: '127.0.0.1',
    ...opts.env,
  };
  const t0 = performance.now();
  // bin/linka.js behind a wrapper that can collect garbage on request (see linka-gc.mjs).
  const child = spawn(process.execPath, ['--expose-gc', ...(opts.nodeArgs ?? startNodeArgs()), path.join(ROOT, 'bench/lib/linka-gc.mjs'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let asks = 0;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let runs: 'compiled' | 'source' = 'source';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`linka did not start in ${opts.timeoutMs ?? 30_000} ms: ${stderr}`)), opts.timeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number; runs?: string };
        if (entry.msg === 'linka is serving' && typeof entry.port === 'number') {
          clearTimeout(timer);
          if (entry.runs === 'compiled') runs = 'compiled';
          resolve(entry.port);
        }
      } catch {
        /* not a log line */
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`linka exited (${code}) before serving: ${stderr}`));
    });
  });
  const startedMs = performance.now() - t0;
  const base = `http://127.0.0.1:${port}`;
  const pid = child.pid as number;
  return {
    child,
    pid,
    base,
    startedMs,
    runs,
    memory: () => procMemory(pid),
    collect() {
      const id = ++asks;
      return new Promise((resolve) => {
        const on = (m: { id?: number; memory?: NodeJS.MemoryUsage }) => {
          if (m.id !== id || !m.memory) return;
          child.off('message', on);
          const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
          resolve({
            rssMb: mb(m.memory.rss),
            heapUsedMb: mb(m.memory.heapUsed),
            heapTotalMb: mb(m.memory.heapTotal),
            externalMb: mb(m.memory.external),
            arrayBuffersMb: mb(m.memory.arrayBuffers),
          });
        };
        child.on('message', on);
        child.send({ cmd: 'gc', id });
      });
    },
    async metric(name) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The configuration of a bench run: the outbox keeps rate limits far above the load, so the
 * outbox lag measures the worker, not Telegram's 30 messages a second.
 */
export function benchConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    company: { name: 'Bench ISP', helpdeskPhone: '+420 377 000 000' },
    rateLimits: { telegram: { perSecond: 5000, perChatPerSecond: 100 } },
    ...extra,
  };
}
