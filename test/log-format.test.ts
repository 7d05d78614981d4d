// The start-up log as a person sees it: readable lines on a terminal (pino-pretty), JSON lines
// when standard output is not a terminal or LOG_FORMAT=json; a hint naming the command a clone's
// user runs (./linka). The terminal is a real pseudo-terminal from util-linux's `script`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/child-linka.js';
import { runLinka } from './helpers/run-linka.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linka-logfmt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TERM: 'xterm',
  PORT: '0',
  DATABASE_URL: `file:${path.join(dir, `${Math.random().toString(36).slice(2)}.db`)}`,
  ...extra,
});

/**
 * `linka serve` with `terminal` as its standard output; its output until it has stopped: on
 * Ctrl-C typed into the terminal, or SIGTERM without one.
 */
async function serve(env: NodeJS.ProcessEnv, terminal: boolean): Promise<string> {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} serve`;
  const child = terminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    for (const start = Date.now(); !out.includes('linka is serving'); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() - start > 30_000) throw new Error(`linka never served:\n${out}`);
    if (terminal) child.stdin?.write('\x03');
    else process.kill(-(child.pid as number), 'SIGTERM');
    for (const start = Date.now(); !out.includes('stopped; leases released'); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() - start > 30_000) throw new Error(`linka never stopped:\n${out}`);
    await closed;
  } finally {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what is removed
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');

describe('start-up log format', () => {
  it('prints readable lines on a terminal, with the hint a clone user can run', async () => {
    const out = plain(await serve(baseEnv(), true));
    expect(out).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO: linka is serving$/m);
    expect(out).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO: stopped; leases released$/m);
    expect(out).toMatch(/^ {4}port: \d+$/m);
    expect(out).toContain('none (try `./linka shell`)');
    expect(out).not.toContain('{"level"');
  }, 90_000);

  it('prints JSON lines on a terminal when LOG_FORMAT=json', async () => {
    const out = plain(await serve(baseEnv({ LOG_FORMAT: 'json' }), true));
    // The terminal echoes the Ctrl-C as "^C" before the next line.
    const lines = out
      .split('\n')
      .map((l) => l.replace(/^\^C/, ''))
      .filter((l) => l.trim());
    const serving = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'linka is serving');
    expect(serving).toMatchObject({ level: 30, host: '127.0.0.1', channels: ['none (try `./linka shell`)'] });
  }, 90_000);

  it('prints JSON lines when standard output is not a terminal (a log collector, systemd, a pipe)', async () => {
    const out = await serve(baseEnv(), false);
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['linka is serving', 'stopped; leases released']));
  }, 90_000);

  it('refuses an unknown LOG_FORMAT, saying which values it takes', async () => {
    const r = await runLinka(['serve'], { env: baseEnv({ LOG_FORMAT: 'yaml' }), cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LOG_FORMAT must be json or pretty');
  }, 60_000);
});
