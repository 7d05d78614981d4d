// The technicians' commands, read once for Slack and Discord (src/domain/team-commands.ts):
// durations, ticket numbers, kinds of work, outage arguments, who may act, the queue listing.
import { describe, expect, it } from 'vitest';
import { parseDuration as discordParseDuration } from '../adapters/discord/index.js';
import { parseDuration as slackParseDuration, parseTicketNumber as slackParseTicketNumber } from '../adapters/slack/index.js';
import {
  isListedTechnician,
  isTicketCommand,
  MAX_QUEUE_LINES,
  parseAreas,
  parseDuration,
  parseEta,
  parseOutageStatus,
  parseTicketNumber,
  parseTicketReference,
  problemText,
  queueListing,
  readOutageCommand,
  readTicketCommand,
  type QueueRow,
} from '../src/domain/team-commands.js';

const opts = { ticketPrefix: 'T', timezone: 'Europe/Prague' };

describe('durations', () => {
  it('reads a bare number as minutes, on both platforms (Slack said 90, Discord refused it)', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration(' 15 ')).toBe(15);
    expect(slackParseDuration).toBe(parseDuration);
    expect(discordParseDuration).toBe(parseDuration);
  });

  it('reads minutes, hours, both, and clock style the same everywhere', () => {
    const cases: Array<[string, number]> = [
      ['45m', 45],
      ['45min', 45],
      ['45 min', 45],
      ['90min', 90],
      ['1h', 60],
      [' 2H ', 120],
      ['1 h', 60],
      ['1h30', 90],
      ['1h30m', 90],
      ['1h 30m', 90],
      ['1h 30', 90],
      ['1h30min', 90],
      ['2h5min', 125],
      ['1:30', 90],
      ['0:45', 45],
      ['24:00', 1440],
      ['1440', 1440],
      ['24h', 1440],
    ];
    expect(cases.map(([text]) => parseDuration(text))).toEqual(cases.map(([, minutes]) => minutes));
  });

  it('refuses anything else, zero and more than a day', () => {
    const bad = [
      '',
      ' ',
      'h',
      'm',
      'min',
      '0',
      '0m',
      '0h',
      '0:00',
      '1.5h',
      '1,5h',
      '-5',
      '-5m',
      '45s',
      'abc',
      'hodinu',
      '25h',
      '1441',
      '24:01',
      '1h90x',
      '1:5',
      '1:60',
      '1:300',
      ':30',
      '1:',
      'h30',
      '1m30',
      '99999999999999999999',
    ];
    expect(bad.map(parseDuration)).toEqual(bad.map(() => null));
  });
});

describe('ticket numbers', () => {
  it('reads any case, leading zeros or none, into the stored form', () => {
    expect(parseTicketNumber('t-2026-00042', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-42', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber(' T-2026-000042 ', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-123456', 'T')).toBe('T-2026-123456');
    expect(parseTicketNumber('isp-2026-7', 'ISP')).toBe('ISP-2026-00007');
    expect(slackParseTicketNumber).toBe(parseTicketNumber);
  });

  it("reads a bare number as a ticket of the given year, and a full number as it is (the shell's :ticket, linka time)", () => {
    expect(parseTicketReference('42', 'T', 2026)).toBe('T-2026-00042');
    expect(parseTicketReference(' 00001 ', 'T', 2027)).toBe('T-2027-00001');
    expect(parseTicketReference('123456789', 'ISP', 2026)).toBe('ISP-2026-123456789');
    expect(parseTicketReference('t-2025-7', 'T', 2026)).toBe('T-2025-00007');
    for (const bad of ['', '1234567890', '4a', 'a4', '-4', 'X-2026-1', '4 2']) expect(parseTicketReference(bad, 'T', 2026), bad).toBeNull();
  });

  it('refuses other prefixes and shapes', () => {
    const bad = ['42', 'X-2026-00042', 'T-26-00042', 'T-2026-', 'T-2026-00042x', 'T 2026 42', ''];
    expect(bad.map((b) => parseTicketNumber(b, 'T'))).toEqual(bad.map(() => null));
  });
});

describe('who may act', () => {
  const roster = { users: ['U1', '111'], groups: ['S-TECH', 'role-9'] };
  it('is a listed user or a member of a listed group, whatever the platform', () => {
    expect(isListedTechnician({ userId: 'U1', groups: [] }, roster)).toBe(true);
    expect(isListedTechnician({ userId: 'U2', groups: ['S-TECH'] }, roster)).toBe(true);
    expect(isListedTechnician({ userId: '222', groups: ['role-1', 'role-9'] }, roster)).toBe(true);
    expect(isListedTechnician({ userId: 'U2', groups: ['S-OTHER'] }, roster)).toBe(false);
    expect(isListedTechnician({ userId: 'U2', groups: [] }, { users: [], groups: [] })).toBe(false);
  });
});

describe('ticket commands', () => {
  it('reads each command into what the queue needs', () => {
    expect(readTicketCommand('claim', { ticket: 't-2026-42' }, opts)).toEqual({ ok: true, command: { name: 'claim', number: 'T-2026-00042' } });
    expect(readTicketCommand('release', { ticket: 'T-2026-00042', text: 'ignored' }, opts)).toEqual({
      ok: true,
      command: { name: 'release', number: 'T-2026-00042' },
    });
    expect(readTicketCommand('resolve', { ticket: 'T-2026-00042' }, opts)).toEqual({ ok: true, command: { name: 'resolve', number: 'T-2026-00042' } });
    expect(readTicketCommand('resolve', { ticket: 'T-2026-00042', text: ' Vyměněn router. ' }, opts)).toEqual({
      ok: true,
      command: { name: 'resolve', number: 'T-2026-00042', note: 'Vyměněn router.' },
    });
    expect(readTicketCommand('note', { ticket: 'T-2026-00042', text: 'Starý router' }, opts)).toEqual({
      ok: true,
      command: { name: 'note', number: 'T-2026-00042', text: 'Starý router' },
    });
    expect(readTicketCommand('reply', { ticket: 'T-2026-00042', text: 'Dobrý den' }, opts)).toEqual({
      ok: true,
      command: { name: 'reply', number: 'T-2026-00042', text: 'Dobrý den' },
    });
    expect(readTicketCommand('time', { ticket: 'T-2026-00042', duration: '90', text: 'cesta: Plzeň' }, opts)).toEqual({
      ok: true,
      command: { name: 'time', number: 'T-2026-00042', minutes: 90, activity: 'cesta: Plzeň' },
    });
    expect(readTicketCommand('time', { ticket: 'T-2026-00042', duration: '1:30', text: 'Výjezd' }, opts)).toEqual({
      ok: true,
      command: { name: 'time', number: 'T-2026-00042', minutes: 90, activity: 'Výjezd' },
    });
    expect(readTicketCommand('category', { ticket: 'T-2026-00042', kind: 'konfigurace' }, opts)).toEqual({
      ok: true,
      command: { name: 'category', number: 'T-2026-00042', category: 'configuration' },
    });
    expect(readTicketCommand('category', { ticket: 'T-2026-00042', kind: 'customer_fault' }, opts)).toEqual({
      ok: true,
      command: { name: 'category', number: 'T-2026-00042', category: 'customer_fault' },
    });
    // 14:30 in Prague in November (CET, UTC+1).
    expect(readTicketCommand('visit', { ticket: 'T-2026-00042', when: '2026-11-24 14:30' }, opts)).toEqual({
      ok: true,
      command: { name: 'visit', number: 'T-2026-00042', at: new Date('2026-11-24T13:30:00Z') },
    });
  });

  it('explains a missing or unreadable ticket first', () => {
    expect(readTicketCommand('claim', {}, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('time', { ticket: ' ', duration: 'bad' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('claim', { ticket: '42x' }, opts)).toEqual({ ok: false, problem: 'notFound', typed: '42x' });
    expect(readTicketCommand('time', { ticket: 'X-2026-00042', duration: 'bad' }, opts)).toEqual({ ok: false, problem: 'notFound', typed: 'X-2026-00042' });
  });

  it("then the command's own arguments, in one order for both platforms", () => {
    const n = { ticket: 'T-2026-00042' };
    expect(readTicketCommand('note', n, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('reply', { ...n, text: '  ' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('time', n, opts)).toEqual({ ok: false, problem: 'usage' });
    // An unreadable duration is said before a missing activity (Slack's "time ID hodinu").
    expect(readTicketCommand('time', { ...n, duration: 'hodinu' }, opts)).toEqual({ ok: false, problem: 'badDuration' });
    expect(readTicketCommand('time', { ...n, duration: 'hodinu', text: 'x' }, opts)).toEqual({ ok: false, problem: 'badDuration' });
    expect(readTicketCommand('time', { ...n, duration: '45m' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('category', n, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('category', { ...n, kind: 'levné' }, opts)).toEqual({ ok: false, problem: 'badCategory' });
    expect(readTicketCommand('visit', n, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('visit', { ...n, when: 'zítra' }, opts)).toEqual({ ok: false, problem: 'badTime' });
  });

  it('knows which names are ticket commands', () => {
    expect(['claim', 'release', 'resolve', 'note', 'time', 'reply', 'visit', 'category'].every(isTicketCommand)).toBe(true);
    expect(['queue', 'help', 'outage', 'CLAIM', ''].some(isTicketCommand)).toBe(false);
  });
});

describe('outage arguments', () => {
  it('reads areas, statuses and expected ends', () => {
    expect(parseAreas('Bory, Doubravka; Lochotín,,Bory')).toEqual(['Bory', 'Doubravka', 'Lochotín']);
    expect(parseAreas(' , ')).toEqual([]);
    expect(parseOutageStatus(' Monitoring ')).toBe('monitoring');
    expect(parseOutageStatus('fixed')).toBeNull();
    expect(parseEta(undefined, 'Europe/Prague')).toBeUndefined();
    expect(parseEta('  ', 'Europe/Prague')).toBeUndefined();
    expect(parseEta('-', 'Europe/Prague')).toBeNull();
    expect(parseEta('2026-11-24 14:30', 'Europe/Prague')).toEqual(new Date('2026-11-24T13:30:00Z'));
    expect(parseEta('zítra', 'Europe/Prague')).toBe('bad');
  });

  it('reads each outage command', () => {
    const tz = 'Europe/Prague';
    expect(readOutageCommand('start', { areas: 'Plzeň-Bory, Doubravka', title: ' Přerušené vlákno ' }, tz)).toEqual({
      ok: true,
      command: { name: 'start', areas: ['Plzeň-Bory', 'Doubravka'], title: 'Přerušené vlákno' },
    });
    expect(readOutageCommand('start', { areas: 'Bory', eta: '2026-11-24 14:30' }, tz)).toEqual({
      ok: true,
      command: { name: 'start', areas: ['Bory'], eta: new Date('2026-11-24T13:30:00Z') },
    });
    expect(readOutageCommand('start', { areas: ' , ' }, tz)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('start', { areas: 'Bory', eta: 'zítra' }, tz)).toEqual({ ok: false, problem: 'badTime' });
    expect(readOutageCommand('update', { outage: 'o1', status: 'Identified' }, tz)).toEqual({
      ok: true,
      command: { name: 'update', id: 'o1', status: 'identified' },
    });
    expect(readOutageCommand('update', { outage: 'o1', eta: '-' }, tz)).toEqual({ ok: true, command: { name: 'update', id: 'o1', eta: null } });
    expect(readOutageCommand('update', { outage: 'o1', status: 'monitoring', eta: '2026-11-24 14:30' }, tz)).toEqual({
      ok: true,
      command: { name: 'update', id: 'o1', status: 'monitoring', eta: new Date('2026-11-24T13:30:00Z') },
    });
    // A bad status is said before a bad time, and both before a missing id.
    expect(readOutageCommand('update', { status: 'fixed', eta: '14:30' }, tz)).toEqual({ ok: false, problem: 'badStatus' });
    expect(readOutageCommand('update', { eta: 'zítra' }, tz)).toEqual({ ok: false, problem: 'badTime' });
    expect(readOutageCommand('update', { outage: 'o1' }, tz)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('update', { status: 'resolved' }, tz)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('resolve', { outage: ' o1 ' }, tz)).toEqual({ ok: true, command: { name: 'resolve', id: 'o1' } });
    expect(readOutageCommand('resolve', {}, tz)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('list', {}, tz)).toEqual({ ok: true, command: { name: 'list' } });
    expect(readOutageCommand('reboot', {}, tz)).toEqual({ ok: false, problem: 'usage' });
  });
});

describe('answers', () => {
  it("says what is wrong in the team's language, with the platform's usage line", () => {
    expect(problemText({ problem: 'usage' }, 'cs', '/linka claim T-2026-00042')).toBe('Použití: /linka claim T-2026-00042');
    expect(problemText({ problem: 'notFound', typed: '42x' }, 'cs', '/linka claim T-2026-00042')).toBe(
      'Požadavek 42x neexistuje.\nPoužití: /linka claim T-2026-00042',
    );
    expect(problemText({ problem: 'badDuration' }, 'cs', 'x')).toBe('Čas zadejte jako 45m, 1h nebo 1h30m.');
    expect(problemText({ problem: 'badTime' }, 'cs', 'x')).toBe('Termín zadejte jako 2026-11-24 14:30.');
    expect(problemText({ problem: 'badStatus' }, 'cs', 'x')).toBe('Stav výpadku zadejte jako investigating, identified, monitoring nebo resolved.');
    expect(problemText({ problem: 'usage' }, 'en', '/linka note text:… ticket:T-2026-00042')).toBe('Usage: /linka note text:… ticket:T-2026-00042');
  });
});

describe('the queue listing', () => {
  const now = new Date('2026-11-23T09:00:00Z');
  const rows: QueueRow[] = [
    {
      number: 'T-2026-00042',
      category: 'internet',
      status: 'claimed',
      claimedByName: 'Petr *Novák*',
      deadline: new Date('2026-11-23T13:00:00Z'),
      customer: { name: 'Jan _Novák_' },
    },
    { number: 'T-2026-00043', category: 'weird', status: 'open', claimedByName: null, deadline: null, customer: null },
  ];

  it('lists one line per ticket in the order given', () => {
    expect(queueListing(rows, { lang: 'cs', timezone: 'Europe/Prague', now })).toBe(
      [
        'Otevřené požadavky (2):',
        'T-2026-00042 · Nefunguje internet · Jan _Novák_ · Převzal(a) Petr *Novák* · 23. 11. 2026 14:00 (zbývá 4 h 0 min)',
        'T-2026-00043 · weird · neověřený zákazník · Čeká na technika · bez garance',
      ].join('\n'),
    );
    expect(queueListing([], { lang: 'cs', timezone: 'Europe/Prague', now })).toBe('Fronta je prázdná.');
  });

  it("escapes the names in the platform's markup", () => {
    const escapeMarkup = (s: string) => s.replace(/[*_]/g, '\\$&');
    expect(queueListing(rows.slice(0, 1), { lang: 'en', timezone: 'Europe/Prague', now, escape: escapeMarkup })).toBe(
      ['Open tickets (1):', 'T-2026-00042 · No internet · Jan \\_Novák\\_ · Taken by Petr \\*Novák\\* · 23 Nov 2026, 14:00 (4 h 0 min left)'].join('\n'),
    );
  });

  it('shows at most 40 tickets, and within a character limit, ending a cut listing with "…"', () => {
    const many = Array.from(
      { length: 45 },
      (_, i): QueueRow => ({
        number: `T-2026-${String(i + 1).padStart(5, '0')}`,
        category: 'weird',
        status: 'open',
        claimedByName: null,
        deadline: null,
        customer: null,
      }),
    );
    const lines = queueListing(many, { lang: 'cs', timezone: 'Europe/Prague', now }).split('\n');
    expect(MAX_QUEUE_LINES).toBe(40);
    expect(lines).toHaveLength(42);
    expect(lines[0]).toBe('Otevřené požadavky (45):');
    expect(lines[40]).toBe('T-2026-00040 · weird · neověřený zákazník · Čeká na technika · bez garance');
    expect(lines[41]).toBe('…');
    expect(queueListing(many.slice(0, 40), { lang: 'cs', timezone: 'Europe/Prague', now }).split('\n')).toHaveLength(41);

    // Each line is 74 characters, the title 24: title + 2 lines + "\n…" fit in 24 + 2 × 75 + 2 = 176.
    const cut = queueListing(many, { lang: 'cs', timezone: 'Europe/Prague', now, maxChars: 176 });
    expect(cut).toBe(
      [
        'Otevřené požadavky (45):',
        'T-2026-00001 · weird · neověřený zákazník · Čeká na technika · bez garance',
        'T-2026-00002 · weird · neověřený zákazník · Čeká na technika · bez garance',
        '…',
      ].join('\n'),
    );
    expect(cut.length).toBe(176);
    expect(queueListing(many.slice(0, 2), { lang: 'cs', timezone: 'Europe/Prague', now, maxChars: 176 }).split('\n')).toHaveLength(3);
    expect(queueListing(many, { lang: 'cs', timezone: 'Europe/Prague', now, maxChars: 175 }).split('\n')).toHaveLength(3);
  });
});

// Issue 16, rule 2: "when the fault is on the provider's side, a technician is sent free of charge".
describe('a free visit', () => {
  const opts = { ticketPrefix: 'T', timezone: 'Europe/Prague' };
  it('is "zdarma"/"free" before or after the time, or the free option as "true"', () => {
    const at = new Date('2026-11-24T13:30:00Z');
    for (const when of ['2026-11-24 14:30 zdarma', 'zdarma 2026-11-24 14:30', '2026-11-24 14:30 FREE', '2026-11-24 14:30 bezplatně']) {
      expect(readTicketCommand('visit', { ticket: 'T-2026-42', when }, opts), when).toEqual({
        ok: true,
        command: { name: 'visit', number: 'T-2026-00042', at, free: true },
      });
    }
    expect(readTicketCommand('visit', { ticket: 'T-2026-42', when: '2026-11-24 14:30', free: 'true' }, opts)).toMatchObject({ command: { free: true } });
    expect(readTicketCommand('visit', { ticket: 'T-2026-42', when: '2026-11-24 14:30', free: 'false' }, opts)).toEqual({
      ok: true,
      command: { name: 'visit', number: 'T-2026-00042', at },
    });
    expect(readTicketCommand('visit', { ticket: 'T-2026-42', when: 'zdarma' }, opts)).toMatchObject({ ok: false, problem: 'usage' });
    expect(readTicketCommand('visit', { ticket: 'T-2026-42', when: 'zítra zdarma' }, opts)).toMatchObject({ ok: false, problem: 'badTime' });
  });
});
