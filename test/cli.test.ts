// The `linka` command line (commander): --version, --help on every command and sub-command,
// and usage mistakes told once, with the one usage line that applies and where the help is.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../src/cli/index.js';
import type { CliIo } from '../src/cli/command.js';
import { runLinka } from './helpers/run-linka.js';

function capture(): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    env: { LINKA_CONFIG: '/nonexistent/linka.config.yaml', DATABASE_URL: 'file:/nonexistent/linka.db' },
    out: (line) => {
      out += `${line}\n`;
    },
    write: (text) => {
      out += text;
    },
    err: (line) => {
      err += `linka: ${line}\n`;
    },
    writeErr: (text) => {
      err += text;
    },
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** Every command path of the program: ['outage', 'start'], ['serve'], ... */
function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('linka command line', () => {
  it('prints its version with --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.stdout()).toBe(`${version}\n`);
      expect(c.stderr()).toBe('');
    }
  });

  it('answers --help on every command and sub-command with its own usage, description and options, without running it', async () => {
    const all = paths(buildProgram(capture().io, () => {}));
    // Every command of the README is there.
    expect(all.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining([
        'serve',
        'shell',
        'customers import',
        'statement',
        'time',
        'outage start',
        'outage list',
        'maintenance schedule',
        'balances import',
        'telegram info',
        'discord register-commands',
      ]),
    );
    for (const path of all) {
      const c = capture();
      // The configuration and database named in the environment do not exist: help must not need them.
      expect(await main([...path, '--help'], c.io), path.join(' ')).toBe(0);
      expect(c.stderr(), path.join(' ')).toBe('');
      expect(c.stdout(), path.join(' ')).toMatch(new RegExp(`^Usage: linka ${path.join(' ')} `));
      expect(c.stdout(), path.join(' ')).toContain('-h, --help');
      // `linka help outage start` is the same text.
      const viaHelp = capture();
      await main([...path.slice(0, -1), 'help', path.at(-1) as string], viaHelp.io);
      expect(viaHelp.stdout(), `help ${path.join(' ')}`).toBe(c.stdout());
    }
  });

  it('lists every command in linka --help, with the environment it reads', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const name of ['serve', 'shell', 'customers', 'statement', 'time', 'outage', 'maintenance', 'balances', 'telegram', 'discord'])
      expect(c.stdout()).toMatch(new RegExp(`\\n {2}${name}\\b`));
    expect(c.stdout()).toContain('DATABASE_URL');
  });

  it('tells a usage mistake once, with the one usage line that applies and where the help is, and exits 2', async () => {
    const cases: Array<[string[], string]> = [
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['outage', 'start', '--title', 'X'], "required option '--area <area>' not specified"],
      [['outage', 'update'], "missing required argument 'id'"],
      [['outage', 'list', '--jsn'], "unknown option '--jsn'"],
      [['statement', '--month', '2026-11', '--format', 'xlsx'], "option '--format <format>' argument 'xlsx' is invalid"],
      [['time', '42'], "missing required argument 'duration'"],
      [['customers', 'import'], "missing required argument 'file'"],
      [['maintenance', 'cancel', '1', '2'], 'too many arguments'],
      [['serve', 'now'], 'too many arguments'],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.stdout(), argv.join(' ')).toBe('');
      // A typo's suggestion ("(Did you mean --json?)") may follow the message.
      const lines = c
        .stderr()
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('(Did you mean'));
      expect(lines, argv.join(' ')).toHaveLength(3);
      expect(lines[0]).toContain(message);
      expect(c.stderr().split(message)).toHaveLength(2); // said once
      const path =
        argv[0] === 'frobnicate' ? 'linka' : ['linka', ...argv.slice(0, ['outage', 'maintenance', 'customers'].includes(argv[0] as string) ? 2 : 1)].join(' ');
      expect(lines[1]).toMatch(new RegExp(`^usage: ${path} `));
      expect(lines[2]).toContain(`see \`${path} --help\``);
      expect(lines[2]).toContain('`linka --help`');
    }
  });

  it('suggests the command or option meant by a typo', async () => {
    const c = capture();
    expect(await main(['outage', 'lst'], c.io)).toBe(2);
    expect(c.stderr()).toContain('(Did you mean list?)');
    const o = capture();
    expect(await main(['outage', 'list', '--jsn'], o.io)).toBe(2);
    expect(o.stderr()).toContain('(Did you mean --json?)');
  });

  it('tells a mistake a command finds itself (a bad month) the same way', async () => {
    const c = capture();
    expect(await main(['statement', '--month', '2026-13'], c.io)).toBe(2);
    expect(c.stderr()).toBe(
      'linka: --month must be a month as YYYY-MM (e.g. 2026-11), not "2026-13"\nusage: linka statement [options]\nsee `linka statement --help` (every command: `linka --help`)\n',
    );
  });

  it('shows the commands (exit 2) when run without one, and the sub-commands of a command without its sub-command', async () => {
    const bare = capture();
    expect(await main([], bare.io)).toBe(2);
    expect(bare.stderr()).toMatch(/^Usage: linka \[options\] \[command\]/);
    const outage = capture();
    expect(await main(['outage'], outage.io)).toBe(2);
    expect(outage.stderr()).toMatch(/^Usage: linka outage \[options\] \[command\]/);
    expect(outage.stderr()).toMatch(/\n {2}resolve <id> /);
  });

  it('works the same from the executable: --version, and a usage mistake with exit code 2', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const [v, bad] = await Promise.all([runLinka(['--version'], { env }), runLinka(['outage', 'start'], { env })]);
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "linka: required option '--area <area>' not specified\nusage: linka outage start [options]\nsee `linka outage start --help` (every command: `linka --help`)\n",
    );
  }, 60_000);
});
