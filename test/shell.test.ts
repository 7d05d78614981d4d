// `linka shell`: a person chats as a known customer in the terminal, sees the bot's choices,
// fast-forwards the 3-minute wait, reaches a ticket and inspects it; --lang chooses the
// conversation's language, also for a known customer; and the CLI's usage errors.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');

let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'linka-shell-'));
  url = `file:${path.join(dir, 'linka.db')}`;
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    await db.prisma.customer.create({
      data: { contractNumber: '2024-0153', name: 'Jan Novák', language: 'cs', tier: 'PLUS', phones: { create: [{ e164: '+420603123456' }] } },
    });
    // Czech customers for the --lang tests, each in their own conversation.
    await db.prisma.customer.create({
      data: { contractNumber: '2024-0154', name: 'Eva Malá', language: 'cs', phones: { create: [{ e164: '+420603123457' }] } },
    });
    await db.prisma.customer.create({
      data: { contractNumber: '2024-0155', name: 'Petr Dvořák', language: 'cs', phones: { create: [{ e164: '+420603123458' }] } },
    });
    await db.prisma.customer.create({ data: { contractNumber: '2024-0156', name: 'Zuzana Kováčová', language: 'sk' } });
    await db.prisma.customer.create({
      data: { contractNumber: '2024-0157', name: 'Karel Veselý', language: 'cs', phones: { create: [{ e164: '+420603123459' }] } },
    });
  } finally {
    await db.close();
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function linka(args: string[], input = '', extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.LINKA_CONFIG;
  Object.assign(env, extraEnv);
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** Asserts that `needles` appear in `text` in this order; returns where each one starts. */
function inOrder(text: string, needles: Array<string | RegExp>): number[] {
  const at: number[] = [];
  let from = 0;
  for (const needle of needles) {
    const rest = text.slice(from);
    const m =
      typeof needle === 'string'
        ? { index: rest.indexOf(needle), length: needle.length }
        : (() => {
            const r = needle.exec(rest);
            return r ? { index: r.index, length: r[0].length } : { index: -1, length: 0 };
          })();
    expect(m.index, `expected ${String(needle)} after position ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
    at.push(from + m.index);
    from += m.index + m.length;
  }
  return at;
}

describe('linka shell', () => {
  it('walks a known customer through the internet checklist to a ticket, with :timers, :wait, :ticket and :quit', async () => {
    const script = [
      'Dobrý den',
      '1', // Nefunguje internet
      'hotovo',
      ':timers',
      ':wait',
      'ne',
      'hotovo',
      'ne, stále nefunguje',
      'od včerejšího večera',
      '2', // Něco svítí červeně
      'všech',
      'Nenačte se žádná stránka, router svítí červeně.',
      'ano',
      ':ticket',
      ':bogus',
      ':quit',
      'Dobrý den', // after :quit: must not be read
    ].join('\n');
    const started = Date.now();
    const run = await linka(['shell', '--phone', '603123456'], `${script}\n`);
    const out = run.stdout;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The 3-minute wait was fast-forwarded, not waited out.
    expect(run.ms).toBeLessThan(20_000);

    // The number typed in national format was normalised, and the customer recognised by it.
    expect(out).toMatch(/^Linka shell: you are the customer Jan Novák \(contract 2024-0153, phone \+420603123456\); conversation console:\+420603123456\./);
    expect(out).not.toContain('číslo své smlouvy');

    const [, , , , , , , , , timersAt, askedAt] = inOrder(out, [
      'Linka> Dobrý den, tady Linka, zákaznická podpora Linka ISP.',
      'S čím vám mohu pomoci?',
      // The bot's choices, numbered as the customer may answer them.
      /^ {7} {2}\[1\] Nefunguje internet$/m,
      /^ {7} {2}\[2\] Nefunguje VoIP telefon$/m,
      /^ {7} {2}\[3\] Nefunguje domácí Wi-Fi$/m,
      'Linka> Zkusme nejdřív restart zařízení',
      /^ {7} {2}\[1\] Hotovo, odpojeno$/m,
      /^ {7} {2}\[2\] Nemohu \/ nevím jak$/m,
      'Linka> Výborně. Teď vše znovu zapojte',
      /^ {2}wait due .+$/m,
      'Linka> Funguje vám teď internet?',
      'Linka> Restartujte prosím ještě počítače',
      'Linka> Funguje vám teď internet?',
      'Od kdy závada trvá?',
      'Linka> Jak svítí kontrolky na routeru?',
      'Linka> Kterých zařízení se závada týká?',
      'Linka> Popište prosím závadu',
      'Linka> Shrnutí pro technika:',
      /pod číslem T-\d{4}-\d{5}\./,
    ]);
    // :timers listed the pending 3-minute timer, due about 3 minutes after it was set, in company
    // time (Europe/Prague) with the zone, as the linka command writes every time.
    const due = /^ {2}wait due (\d{1,2} [A-Z][a-z]{2} \d{4}), (\d\d:\d\d) (CES?T)$/m.exec(out.slice(timersAt));
    expect(due).not.toBeNull();
    const pragueClock = (ms: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Prague', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
    const minutes = Array.from({ length: Math.ceil((Date.now() - started) / 60_000) + 3 }, (_, i) => pragueClock(started + 120_000 + i * 60_000));
    expect(minutes).toContain(due?.[2]);
    // ...and :wait made the "does it work now?" question come at once, before anything else was said.
    expect(out.indexOf('Linka>', timersAt)).toBe(askedAt);

    const number = /pod číslem (T-\d{4}-\d{5})\./.exec(out)?.[1];
    expect(number).toBeDefined();
    const ticketAt = out.indexOf(`${number} [open] internet\n`);
    expect(ticketAt).toBeGreaterThan(0);
    const ticketBlock = out.slice(ticketAt, out.indexOf('Unknown shell command'));
    // Identified by phone: a verified ticket, the summary for the technician, then the history.
    expect(ticketBlock).not.toContain('(unverified)');
    inOrder(ticketBlock, [
      'Problém: Nefunguje internet',
      'Od kdy: od včerejšího večera',
      'Kontrolky: Něco svítí červeně',
      'History:',
      /^ {2}in {5}Dobrý den$/m,
      /^ {2}in {5}hotovo$/m,
      /^ {2}out {4}Funguje vám teď internet\?/m,
      /^ {2}in {5}Nenačte se žádná stránka, router svítí červeně\.$/m,
      /^ {2}system Založen požadavek T-/m,
      /^ {2}out {4}Váš požadavek jsem předala technikům/m,
    ]);
    // Shell commands are not chat messages.
    expect(ticketBlock).not.toMatch(/in +:(timers|wait)/);
    // A message of several lines goes on in indented lines under its first, never joined with " / ".
    expect(ticketBlock).not.toContain(' / ');
    expect(ticketBlock).toMatch(/^ {2}out {4}Shrnutí pro technika:\n {9}Problém: Nefunguje internet$/m);

    const unknownAt = out.indexOf('Unknown shell command ":bogus".');
    expect(unknownAt).toBeGreaterThan(ticketAt);
    expect(out.slice(unknownAt)).toContain(':wait      fast-forward');
    // :quit ended the session: the line after it got no answer.
    expect(out.slice(unknownAt)).not.toContain('Linka>');

    const db = await openDatabase(url);
    try {
      const tickets = await db.prisma.ticket.findMany({ include: { customer: true } });
      expect(tickets.map((t) => [t.number, t.status, t.category, t.customer?.contractNumber])).toEqual([[number, 'open', 'internet', '2024-0153']]);
    } finally {
      await db.close();
    }
  });

  it(':history shows each message with its time in company time and the zone, further lines of a message indented under its first', async () => {
    const run = await linka(['shell'], ['Dobrý den', ':history', ':quit'].join('\n'));
    expect(run.code).toBe(0);
    const history = run.stdout.split('\n').filter((l) => /^ {2}\S.* (in|out) {2,}/.test(l));
    expect(history).toHaveLength(2);
    for (const line of history) expect(line).toMatch(/^ {2}\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T (in {5}|out {4})\S/);
    expect(run.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
    // The greeting has two paragraphs: the second on its own line, starting where the text does.
    const lines = run.stdout.split('\n');
    const out = lines.indexOf(history[1] as string);
    const column = (history[1] as string).indexOf('Dobrý den, tady Linka');
    expect(lines[out + 1]).toBe(`${' '.repeat(column)}Abych vás mohla ověřit, napište mi prosím číslo své smlouvy (najdete ho na smlouvě nebo na faktuře).`);
    expect(run.stdout).not.toContain(' / ');
  });

  it('offers the helpdesk number only when one is configured; without one the help and the handover end where the number would be', async () => {
    // Three wrong contract numbers (a human takes over), then the help text.
    const script = ['Dobrý den', '1111-2221', '1111-2222', '1111-2223', '?', ':quit'].join('\n');
    const bare = (await linka(['shell'], script)).stdout;
    expect(bare).toContain('Předávám vás technikovi, který vás ověří sám.\n');
    expect(bare).toContain('„hodiny“ (čerpání hodin podpory).\n');
    expect(bare).not.toMatch(/000 000|volejte|\{/);

    const config = path.join(dir, 'helpdesk.yaml');
    writeFileSync(config, 'company:\n  helpdeskPhone: "+420 378 774 777"\n');
    const told = (await linka(['shell'], script, { LINKA_CONFIG: config })).stdout;
    expect(told).toContain('Předávám vás technikovi, který vás ověří sám. Spěchá-li to, volejte +420 378 774 777.\n');
    expect(told).toContain('„hodiny“ (čerpání hodin podpory). Spěchá-li to, volejte +420 378 774 777.\n');
  });

  it('--lang en speaks English to a known Czech customer, timers included, and leaves the record in Czech', async () => {
    const run = await linka(['shell', '--phone', '603123457', '--lang', 'en'], ['Dobrý den', '1', 'done', ':wait', ':quit'].join('\n'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    inOrder(out, [
      'Linka> Hello, this is Linka, customer support for Linka ISP.',
      "What can I help you with? Please choose what isn't working.",
      /^ {9}\[1\] No internet$/m,
      /^ {9}\[3\] Home Wi-Fi not working$/m,
      "Linka> Let's start by restarting your equipment",
      /^ {9}\[1\] Done, unplugged$/m,
      'Linka> Great. Now plug everything back in',
      // The timer's question, fired by :wait without any --lang of its own.
      'Linka> Is your internet working now?',
      /^ {9}\[1\] Yes, it works$/m,
    ]);
    expect(out).not.toContain('Dobrý den, tady Linka');
    expect(out).not.toContain('Funguje vám');
    // A later session of the same conversation goes on in the language chosen for it.
    const later = await linka(['shell', '--phone', '603123457'], 'menu\n');
    expect(later.stdout).toContain("What can I help you with? Please choose what isn't working.");
    expect(later.stdout).not.toContain('S čím vám mohu pomoci');

    const db = await openDatabase(url);
    try {
      expect((await db.prisma.customer.findUnique({ where: { contractNumber: '2024-0154' } }))?.language).toBe('cs');
      const conv = await db.prisma.conversation.findUnique({ where: { id: 'console:+420603123457' } });
      expect(conv?.state).toMatchObject({ lang: 'en', langChosen: true });
    } finally {
      await db.close();
    }
  });

  it('--lang en switches a Czech conversation that already exists, and a switch in the chat still wins', async () => {
    const czech = await linka(['shell', '--phone', '603123458'], 'Dobrý den\n');
    expect(czech.stdout).toContain('Linka> Dobrý den, tady Linka');
    expect(czech.stdout).toContain('[1] Nefunguje internet');

    const english = await linka(['shell', '--phone', '603123458', '--lang', 'en'], ['menu', 'slovensky', 'menu'].join('\n'));
    expect(english.stderr).toBe('');
    inOrder(english.stdout, [
      "Linka> What can I help you with? Please choose what isn't working.",
      /^ {9}\[1\] No internet$/m,
      // The customer switches to Slovak: --lang does not take it back on the next message.
      'Linka> Dobre, budeme pokračovať po slovensky.',
      'S čím vám môžem pomôcť?',
      /^ {9}\[1\] Nefunguje internet$/m,
      'Linka> S čím vám môžem pomôcť?',
    ]);
    // The conversation's last question is shown first, as it was asked (in Czech); then English.
    const recap = english.stdout.indexOf("(Linka's last message in this conversation:)");
    const firstEnglish = english.stdout.indexOf("Linka> What can I help you with? Please choose what isn't working.");
    expect(recap).toBeGreaterThan(0);
    expect(english.stdout.slice(recap, firstEnglish)).toContain('S čím vám mohu pomoci?');
    expect(english.stdout.slice(firstEnglish)).not.toContain('S čím vám mohu pomoci');
  });

  it('--lang en without --phone: English before and after the customer is identified by contract number', async () => {
    const run = await linka(['shell', '--lang', 'en'], ['Hello', '2024-0156', ':quit'].join('\n'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    inOrder(run.stdout, [
      /^Linka shell: you are a new customer nobody knows yet: Linka will ask for a contract number \(or use --phone\); conversation console:guest-[0-9a-f]{8}\./,
      'Linka> Hello, this is Linka, customer support for Linka ISP.',
      'please send me your contract number',
      // Zuzana's record says Slovak; the shell's --lang is the choice for this conversation.
      'Linka> Thank you, I have found your contract (Zuzana Kováčová).',
      "What can I help you with? Please choose what isn't working.",
      /^ {9}\[1\] No internet$/m,
    ]);
    expect(run.stdout).not.toMatch(/Dobrý den|Ďakujem/);
  });

  it('takes an empty DATABASE_URL as unset: the default ./data/linka.db in its working directory', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'linka-shell-cwd-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' };
      delete env.LINKA_CONFIG;
      const child = spawn(process.execPath, [BIN, 'shell', '--lang', 'en'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.stdin.end('Hello\n:quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Linka> Hello, this is Linka');
      // A new operator's empty database: the shell says what to do first.
      expect(stdout).toContain(
        'There are no customers yet, so nobody can be identified: import some first, e.g. ./linka customers import examples/customers.example.csv',
      );
      expect(existsSync(path.join(cwd, 'data', 'linka.db'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses an unknown --lang, a stray argument and an unknown command with the usage and exit code 2', async () => {
    const [lang, stray, unknown] = await Promise.all([linka(['shell', '--lang', 'xx']), linka(['shell', 'extra']), linka(['frobnicate'])]);
    expect(lang.code).toBe(2);
    expect(lang.stdout).toBe('');
    expect(lang.stderr).toBe(
      "linka: option '--lang <lang>' argument 'xx' is invalid. Allowed choices are cs, sk, en.\nusage: linka shell [options]\nsee `linka shell --help` (every command: `linka --help`)\n",
    );

    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^linka: too many arguments for 'shell'\. Expected 0 arguments but got 1\.\nusage: linka shell \[options\]\n/);

    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe("linka: unknown command 'frobnicate'\nusage: linka [options] [command]\nsee `linka --help`\n");
  });

  it('is a new customer on every run without --phone, so --lang en works each time', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await linka(['shell', '--lang', 'en'], ['Hello', '2024-0156', ':quit'].join('\n')));
    const conversations = runs.map((r) => /; conversation (console:guest-[0-9a-f]{8})\./.exec(r.stdout)?.[1]);
    expect(conversations[0]).toBeDefined();
    expect(conversations[1]).not.toBe(conversations[0]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      inOrder(run.stdout, ['please send me your contract number', 'Linka> Thank you, I have found your contract (Zuzana Kováčová).']);
    }
  });

  it('starts again at the question the conversation waits on; --new starts another conversation', async () => {
    const first = await linka(['shell', '--phone', '603123459'], ['Dobrý den', '1', ':quit'].join('\n'));
    expect(first.stdout).toContain('Linka> Zkusme nejdřív restart zařízení');
    expect(first.stdout).toContain('Bye. The conversation is kept: ./linka shell --phone +420603123459 goes on with it');
    const again = await linka(['shell', '--phone', '603123459'], ['hotovo', ':quit'].join('\n'));
    inOrder(again.stdout, [
      'Linka shell: you are the customer Karel Veselý (contract 2024-0157, phone +420603123459); conversation console:+420603123459.',
      "(Linka's last message in this conversation:)",
      'Linka> Zkusme nejdřív restart zařízení',
      /^ {7} {2}\[1\] Hotovo, odpojeno$/m,
      // "hotovo" answers that question: the checklist goes on.
      'Linka> Výborně. Teď vše znovu zapojte',
    ]);
    expect(again.stdout).not.toContain('Nerozuměla jsem');
    const fresh = await linka(['shell', '--phone', '603123459', '--new'], ['Dobrý den', ':quit'].join('\n'));
    expect(fresh.stdout).toMatch(/; conversation console:\+420603123459~[0-9a-f]{8}\./);
    expect(fresh.stdout).not.toContain("(Linka's last message");
    expect(fresh.stdout).toContain('Linka> Dobrý den, tady Linka');
  });

  it('finds a ticket by :ticket T-2026-00001, t-2026-1 or the bare number', async () => {
    const db = await openDatabase(url);
    const number = (await db.prisma.ticket.findFirst({ orderBy: { createdAt: 'asc' } }))?.number;
    await db.close();
    expect(number).toMatch(/^T-\d{4}-00001$/);
    const [, year] = /^T-(\d{4})-/.exec(number ?? '') ?? [];
    const run = await linka(['shell', '--phone', '603123456'], [`:ticket ${number}`, `:ticket t-${year}-1`, ':ticket 1', ':ticket 999', ':quit'].join('\n'));
    expect(run.stdout.split(`${number} [open] internet`)).toHaveLength(4);
    expect(run.stdout).toContain(`No ticket T-${year}-00999.`);
  });

  it('leaves cleanly on Ctrl-C, saying so, with the conversation kept', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
    delete env.LINKA_CONFIG;
    const child = spawn(process.execPath, [BIN, 'shell', '--phone', '603123458', '--new'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" in:\n${stdout}\nstderr:\n${stderr}`)), 25_000);
        const check = () => {
          if (!stdout.includes(text)) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      child.stdin.write('menu\n');
      await seen('Linka> ');
      child.kill('SIGINT');
      expect(await closed).toEqual({ code: 0, signal: null });
      expect(stdout.trimEnd().split('\n').at(-1)).toBe(
        'Bye. The conversation is kept: ./linka shell --phone +420603123458 goes on with it; :ticket and ./linka statement show what was done.',
      );
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
  it('edits the line in a terminal: arrow keys move the cursor instead of becoming text', async () => {
    // A real terminal (a pseudo-terminal from util-linux's `script`), each key its own write as typed.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, TERM: 'xterm' };
    delete env.LINKA_CONFIG;
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} shell --phone 603123457 --new`, '/dev/null'], {
      cwd: dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const until = async (test: () => boolean, what: string) => {
      for (const start = Date.now(); !test(); await new Promise((r) => setTimeout(r, 50)))
        if (Date.now() - start > 25_000) throw new Error(`no ${what} in:\n${out}`);
    };
    const type = async (keys: string[]) => {
      for (const key of keys) {
        child.stdin.write(key);
        await new Promise((r) => setTimeout(r, 120));
      }
    };
    try {
      await until(() => out.includes('Vy> '), 'prompt');
      // "ab", two steps left, "X": the line is "Xab". Then the up arrow recalls it for the history.
      await type(['a', 'b', '\x1b[D', '\x1b[D', 'X', '\r']);
      await until(() => out.includes('Linka>'), 'answer');
      await type([':', 'q', 'u', 'i', 't', '\r']);
      await closed;
    } finally {
      child.kill('SIGKILL');
    }
    const db = await openDatabase(url);
    try {
      const said = await db.prisma.message.findMany({ where: { conversationId: { startsWith: 'console:+420603123457~' }, direction: 'in' } });
      expect(said.map((m) => m.text)).toEqual(['Xab']);
    } finally {
      await db.close();
    }
  });
});
