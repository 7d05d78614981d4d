/**
 * HTTP load: open loop (requests sent at a fixed rate whatever the answers, latency counted from
 * the moment each was due, so a stall is not hidden) and closed loop (N clients, each sending its
 * next request when the previous one is answered: the maximum throughput).
 */
import { Agent, request } from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { summarize } from './report.js';

export interface Shot {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  ok: number;
  /** Answers other than 200, and errors, by status ("error" for a failed connection). */
  failures: Record<string, number>;
  seconds: number;
  /** Answers per second (200s only). */
  throughput: number;
  latency: ReturnType<typeof summarize>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(base: URL, shot: Shot): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: shot.path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(shot.body), ...shot.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(-1));
    req.end(shot.body);
  });
}

function result(sent: number, statuses: number[], latencies: number[], seconds: number): LoadResult {
  const failures: Record<string, number> = {};
  let ok = 0;
  for (const s of statuses) {
    if (s === 200) {
      ok++;
      continue;
    }
    const key = s === -1 ? 'error' : String(s);
    failures[key] = (failures[key] ?? 0) + 1;
  }
  return { sent, ok, failures, seconds, throughput: ok / seconds, latency: summarize(latencies) };
}

/** Sends `shot(i)` at `rate` per second for `seconds`; waits for every answer. */
export async function openLoop(baseUrl: string, rate: number, seconds: number, shot: (i: number) => Shot): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const total = Math.round(rate * seconds);
  const statuses: number[] = [];
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && t0 + (i * 1000) / rate <= now) {
      const due = t0 + (i * 1000) / rate;
      pending.push(
        post(base, shot(i)).then((status) => {
          statuses.push(status);
          latencies.push(performance.now() - due);
        }),
      );
      i++;
    }
    const next = t0 + (i * 1000) / rate - performance.now();
    await new Promise((r) => (next > 1 ? setTimeout(r, Math.min(next, 5)) : setImmediate(r)));
  }
  await Promise.all(pending);
  return result(total, statuses, latencies, (performance.now() - t0) / 1000);
}

/** `clients` loops sending `shot(i)` back to back for `seconds`. */
export async function closedLoop(baseUrl: string, clients: number, seconds: number, shot: (i: number) => Shot): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const statuses: number[] = [];
  const latencies: number[] = [];
  let i = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        statuses.push(await post(base, shot(i++)));
        latencies.push(performance.now() - started);
      }
    }),
  );
  return result(i, statuses, latencies, (performance.now() - t0) / 1000);
}

/** Forks a TypeScript helper (through tsx) and waits for its first IPC message. */
export async function forkHelper<T>(
  file: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; hello: T; ask<R>(cmd: string): Promise<R>; stop(): Promise<void> }> {
  const child = fork(file, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const hello = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  let seq = 0;
  return {
    child,
    hello,
    ask<R>(cmd: string) {
      const id = ++seq;
      return new Promise<R>((resolve) => {
        const on = (m: { id?: number }) => {
          if (m.id !== id) return;
          child.off('message', on);
          resolve(m as R);
        };
        child.on('message', on);
        child.send({ cmd, id });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
