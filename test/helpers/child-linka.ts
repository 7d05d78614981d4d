// `linka serve` as a child process, the way an operator starts it (`node bin/linka.js serve`, or
// `npm start`), listening on a port the kernel picks: PORT=0, and the port it bound is read from
// its "linka is serving" log line (src/app.ts). No port is picked beforehand and closed again, so
// no other process can take it between the pick and the bind.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'linka.js');

/** Variables the child must not inherit from the test's environment: channel secrets turn channels on. */
const INHERITED_NOT = /^(TELEGRAM_|TWILIO_|SLACK_|DISCORD_)|^(LINKA_API_TOKEN|LINKA_CONFIG|DATABASE_URL|PUBLIC_URL|PORT|HOST)$/;

export type LogLine = Record<string, unknown>;

export interface ChildLinka {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, the port from the "linka is serving" line. */
  base: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, for failure messages. */
  output(): string;
  /** The JSON log lines printed so far (stdout). */
  logs(): LogLine[];
  /** Resolves to the first log line `match` accepts (already printed or still to come); rejects after `ms` or when the process exits first. */
  waitForLog(match: (line: LogLine) => boolean, what: string, ms?: number): Promise<LogLine>;
  /** How the process ended, once it has and its output is read to the end. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process has exited. */
  gone(): boolean;
  /**
   * Sends `signal` (default SIGTERM) and resolves to how the process ended. `hangGuardMs` is only
   * a guard against a hang: the process (group) is killed with SIGKILL after it, which the caller
   * sees as signal SIGKILL, never as a pass.
   */
  terminate(signal?: NodeJS.Signals, hangGuardMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for the process to exit after a signal already sent, with the same hang guard as `terminate`. */
  ended(hangGuardMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (the whole group for `npm start`), if still running; resolves when it has exited. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** The working directory (default: a directory the caller made). */
  cwd: string;
  /** Added to the cleaned environment (PORT=0 and HOST=127.0.0.1 unless given here). */
  env?: NodeJS.ProcessEnv;
  /** Run as `npm start --silent` from the repository, in its own process group. */
  npmStart?: boolean;
  /** How long to wait for the "linka is serving" line (default 30 s: a loaded 2-core machine). */
  readyMs?: number;
}

/** The environment the child gets: the test's own, without channel secrets and Linka's settings, plus `extra`. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!INHERITED_NOT.test(key)) env[key] = value;
  return { ...env, PORT: '0', HOST: '127.0.0.1', ...extra };
}

export async function startChildLinka(opts: StartOptions): Promise<ChildLinka> {
  const env = childEnv(opts.env);
  const child = opts.npmStart
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [BIN, 'serve'], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let parsed: LogLine[] = [];
  let parsedUpTo = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    wake();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  let exitedYet = false;
  // 'close', not 'exit': by then stdout and stderr are read to their end, so the logs are complete.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      exitedYet = true;
      resolve({ code, signal });
      wake();
    }),
  );
  const logs = (): LogLine[] => {
    // Complete lines only; a JSON line is parsed once.
    const end = out.lastIndexOf('\n') + 1;
    if (end > parsedUpTo) {
      for (const line of out.slice(parsedUpTo, end).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          parsed = [...parsed, JSON.parse(line) as LogLine];
        } catch {
          /* not a log line */
        }
      }
      parsedUpTo = end;
    }
    return parsed;
  };
  const killHard = () => {
    if (exitedYet) return;
    if (opts.npmStart) {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    } else {
      child.kill('SIGKILL');
    }
  };
  const waitForLog = (match: (line: LogLine) => boolean, what: string, ms = 30_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const line = logs().find(match);
        if (line) return done(() => resolve(line));
        if (exitedYet) return done(() => reject(new Error(`linka exited before logging ${what}\nstdout:\n${out}\nstderr:\n${err}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`linka did not log ${what} within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`))), ms);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        finish();
      };
      waiters.add(check);
      check();
    });

  const ended = async (hangGuardMs = 30_000) => {
    const guard = setTimeout(killHard, hangGuardMs);
    const result = await exited;
    clearTimeout(guard);
    return result;
  };

  let serving: LogLine;
  try {
    serving = await waitForLog((l) => l.msg === 'linka is serving', 'that it is serving', opts.readyMs ?? 30_000);
  } catch (error) {
    killHard();
    await exited;
    throw error;
  }
  const port = Number(serving.port);
  if (!Number.isInteger(port) || port <= 0) {
    killHard();
    throw new Error(`the "linka is serving" line has no port: ${JSON.stringify(serving)}`);
  }
  // The line is printed just before `linka serve` installs its SIGTERM handler (src/cli/index.ts, in the
  // same turn of its event loop): a SIGTERM sent the instant the line arrives can kill it outright
  // (seen about 1 run in 3 with LINKA_FROM_SOURCE=1). An answered request means that turn is over.
  const base = `http://127.0.0.1:${port}`;
  const answered = await fetch(`${base}/healthz`).then(
    (res) => res.status,
    (error: unknown) => String(error),
  );
  if (typeof answered !== 'number') {
    killHard();
    await exited;
    throw new Error(`linka logged that it is serving on ${port} but did not answer there: ${answered}\nstdout:\n${out}\nstderr:\n${err}`);
  }
  return {
    child,
    port,
    base,
    stdout: () => out,
    stderr: () => err,
    output: () => `${out}${err}`,
    logs,
    waitForLog,
    exited,
    gone: () => exitedYet,
    async terminate(signal = 'SIGTERM', hangGuardMs = 30_000) {
      if (!exitedYet) child.kill(signal);
      return ended(hangGuardMs);
    },
    ended,
    async kill() {
      killHard();
      await exited;
    },
  };
}
