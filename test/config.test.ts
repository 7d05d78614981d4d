// The configuration file (docs/architecture.md, rule 9): built-in defaults when there is no file, YAML
// overrides, and a bad file stops start-up naming the key path and what was expected.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config/load.js';
import { LinkaError } from '../src/errors.js';
import { runLinka } from './helpers/run-linka.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-config-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `yaml` to a file in a fresh directory; returns both. */
function configFile(yaml: string, name = 'linka.config.yaml'): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return { dir, file };
}

/** The error loadConfig throws for this file (fails the test when it does not throw). */
function loadError(yaml: string): { error: LinkaError; file: string } {
  const { dir, file } = configFile(yaml, 'bad.yaml');
  try {
    loadConfig({ LINKA_CONFIG: file }, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(LinkaError);
    return { error: error as LinkaError, file };
  }
  throw new Error(`loadConfig accepted:\n${yaml}`);
}

describe('loadConfig', () => {
  it('uses the built-in defaults when ./linka.config.yaml is absent and LINKA_CONFIG is unset', () => {
    const { config, path: used } = loadConfig({}, tempDir());
    expect(used).toBeNull();
    expect(config).toMatchObject({
      company: { name: 'Linka ISP', helpdeskPhone: '' },
      timezone: 'Europe/Prague',
      defaultLanguage: 'cs',
      teamLanguage: 'cs',
      phoneRegion: 'CZ',
      checklist: { waitMinutes: 3, followUpMinutes: 30, maxFollowUps: 1 },
      tickets: { prefix: 'T' },
      server: { bodyLimitBytes: 1_048_576, shutdownTimeoutMs: 10_000 },
      log: { level: 'info' },
    });
  });

  it('reads ./linka.config.yaml from the working directory; keys it does not set keep their defaults', () => {
    const { dir, file } = configFile(
      [
        'company:',
        '  name: "Aitex internet"',
        'timezone: Europe/Bratislava',
        'defaultLanguage: sk',
        'checklist:',
        '  waitMinutes: 5',
        'tickets:',
        '  prefix: AX',
      ].join('\n'),
    );
    const { config, path: used } = loadConfig({}, dir);
    expect(used).toBe(file);
    expect(config.company).toEqual({ name: 'Aitex internet', helpdeskPhone: '' });
    expect(config.timezone).toBe('Europe/Bratislava');
    expect(config.defaultLanguage).toBe('sk');
    expect(config.teamLanguage).toBe('cs');
    expect(config.checklist).toEqual({ waitMinutes: 5, followUpMinutes: 30, maxFollowUps: 1 });
    expect(config.tickets.prefix).toBe('AX');
  });

  it('reads the file LINKA_CONFIG names (relative to the working directory) instead of ./linka.config.yaml', () => {
    const { dir } = configFile('checklist:\n  waitMinutes: 9\n');
    mkdirSync(path.join(dir, 'etc'));
    writeFileSync(path.join(dir, 'etc', 'linka.yaml'), 'checklist:\n  waitMinutes: 2\n');
    const { config, path: used } = loadConfig({ LINKA_CONFIG: 'etc/linka.yaml' }, dir);
    expect(used).toBe(path.join(dir, 'etc', 'linka.yaml'));
    expect(config.checklist.waitMinutes).toBe(2);
  });

  it('treats an empty LINKA_CONFIG (as in `LINKA_CONFIG=` in an env file) as unset', () => {
    const dir = tempDir();
    expect(loadConfig({ LINKA_CONFIG: '' }, dir)).toMatchObject({ path: null, config: { checklist: { waitMinutes: 3 } } });
    writeFileSync(path.join(dir, 'linka.config.yaml'), 'checklist:\n  waitMinutes: 4\n');
    expect(loadConfig({ LINKA_CONFIG: '' }, dir).config.checklist.waitMinutes).toBe(4);
  });

  it('accepts an empty file and sections whose keys are all commented out (every key is optional)', () => {
    expect(loadConfig({}, configFile('').dir).config.checklist.waitMinutes).toBe(3);
    const { dir } = configFile('# copied from the example\ncompany:\n  name: Aitex\nchecklist:\n  # waitMinutes: 3\nserver:\n');
    const { config } = loadConfig({}, dir);
    expect(config.company.name).toBe('Aitex');
    expect(config.checklist.waitMinutes).toBe(3);
    expect(config.server.bodyLimitBytes).toBe(1_048_576);
  });

  it.each([
    ['a string where a number belongs', 'checklist:\n  waitMinutes: "3"\n', 'checklist.waitMinutes: expected number, received string'],
    ['a misspelt key inside a section', 'checklist:\n  waitMinute: 3\n', 'checklist: unknown key "waitMinute"'],
    ['an unknown top-level key', 'colour: blue\n', '(top level): unknown key "colour"'],
    ['a time zone that does not exist', 'timezone: Europe/Praha\n', 'timezone: an IANA time zone such as Europe/Prague'],
    ['a language Linka does not speak', 'defaultLanguage: de\n', 'defaultLanguage: expected one of "cs"|"sk"|"en"'],
    ['a ticket prefix in lower case', 'tickets:\n  prefix: tk\n', 'tickets.prefix: one to five capital letters'],
    ['a section given as a scalar', 'server: big\n', 'server: expected object, received string'],
  ])('rejects %s, naming the key path and what was expected', (_what, yaml, line) => {
    const { error, file } = loadError(yaml);
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe(`Invalid configuration in ${file}:\n  ${line}${line.includes('unknown key') ? ' (see linka.config.example.yaml)' : ''}`);
  });

  it('lists every problem of the file at once', () => {
    const { error } = loadError('teamLanguage: de\nchecklist:\n  waitMinutes: 0\n  maxFollowUps: 9\n');
    const lines = error.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('teamLanguage:'))).toContain('expected one of');
    expect(lines.find((l) => l.startsWith('checklist.waitMinutes:'))).toContain('expected number to be >0');
    expect(lines.find((l) => l.startsWith('checklist.maxFollowUps:'))).toContain('expected number to be <=5');
  });

  it('says a file that is not YAML is not YAML, with its path and the line of the mistake', () => {
    const { error, file } = loadError('company:\n\tname: Aitex\n');
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML:\n  .*line 2`));
    const broken = loadError('checklist: { waitMinutes: 3,, }\n');
    expect(broken.error.message).toContain(`${broken.file} is not valid YAML`);
  });

  it('shows a YAML mistake in context: the line number, the line as written and a caret under the mistake', () => {
    // A key indented one space too little, on the fourth line: yaml's own message ends with
    // "at line 4, column 1:", which alone does not show the line.
    const { error, file } = loadError('company:\n  name: Aitex\n  helpdeskPhone: "+420 378 774 777"\n checklist:\n  waitMinutes: 3\n');
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe(
      [`${file} is not valid YAML:`, '  line 4, column 1: All mapping items must start at the same column', '    4 |  checklist:', '      | ^'].join('\n'),
    );
    // A tab shown as \t (it is the mistake), the caret under it; a mistake inside a line points into it.
    expect(loadError('company:\n\tname: Aitex\n').error.message.split('\n').slice(1)).toEqual([
      '  line 2, column 1: Tabs are not allowed as indentation',
      '    2 | \\tname: Aitex',
      '      | ^^',
    ]);
    expect(loadError('checklist: { waitMinutes: 3,, }\n').error.message.split('\n').slice(1)).toEqual([
      '  line 1, column 29: Unexpected , in flow map',
      '    1 | checklist: { waitMinutes: 3,, }',
      '      |                             ^',
    ]);
  });

  it('fails when LINKA_CONFIG points to a file that does not exist, rather than silently using the defaults', () => {
    const dir = tempDir();
    expect(() => loadConfig({ LINKA_CONFIG: 'missing.yaml' }, dir)).toThrow(
      expect.objectContaining({ code: 'config_missing', message: `LINKA_CONFIG points to ${path.join(dir, 'missing.yaml')}, which does not exist` }),
    );
  });

  it('names the path when LINKA_CONFIG points to something that cannot be read', () => {
    const dir = tempDir();
    expect(() => loadConfig({ LINKA_CONFIG: dir }, dir)).toThrow(`cannot read the configuration ${dir}`);
  });
});

describe('parseConfig', () => {
  it('fills in defaults for an empty or partial object and reports its source on failure', () => {
    expect(parseConfig(null).workers).toEqual({ outboxPollMs: 500, timerPollMs: 1000, batchSize: 50, leaseSeconds: 60 });
    expect(parseConfig({ outbox: { maxAttempts: 2 } }).outbox).toEqual({ maxAttempts: 2, backoffBaseMs: 2000, backoffMaxMs: 600_000 });
    expect(() => parseConfig({ log: { level: 'loud' } }, 'the test')).toThrow(/^Invalid configuration in the test:\n {2}log\.level: expected one of/);
  });
});

describe('linka serve with a bad configuration file', () => {
  it('shows where a YAML mistake is on stderr: the file, the line and a caret, and exits 1', async () => {
    const { dir, file } = configFile('company:\n  name: Aitex\n\tcolour: blue\n', 'bad.yaml');
    const dbFile = path.join(dir, 'data', 'linka.db');
    const run = await runLinka(['serve'], {
      cwd: dir,
      env: { ...process.env, LINKA_CONFIG: file, DATABASE_URL: `file:${dbFile}`, PORT: '0', HOST: '127.0.0.1' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} is not valid YAML:\n  line 3, column 1: Tabs are not allowed as indentation\n    3 | \\tcolour: blue\n      | ^^\n`);
    expect(existsSync(dbFile)).toBe(false);
  });

  it('exits non-zero before touching the database, printing the key path on stderr', async () => {
    const { dir, file } = configFile('checklist:\n  waitMinutes: soon\n', 'bad.yaml');
    const dbFile = path.join(dir, 'data', 'linka.db');
    const env: NodeJS.ProcessEnv = { ...process.env, LINKA_CONFIG: file, DATABASE_URL: `file:${dbFile}`, PORT: '0', HOST: '127.0.0.1' };
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(stderr).toContain(`Invalid configuration in ${file}`);
    expect(stderr).toContain('checklist.waitMinutes: expected number, received string');
    expect(stdout).not.toContain('linka is serving');
    expect(existsSync(dbFile)).toBe(false);
  });
});
