// The edges of what people type and configure, as the pure core reads it (src/domain): billing
// terms and entries it cannot price, lead times of ten days and more, amounts and dates with
// something around them, phone numbers with the 00 prefix, ticket numbers with zeros inside,
// blank command arguments, closed tickets, and the text of a `time` command. Every expected
// value is written out by hand from the rule, never computed by the code under test.
import { describe, expect, it } from 'vitest';
import { amountFor, billMonth, type BillingEntry, type BillingTerms } from '../src/domain/billing.js';
import { parseLeadTime } from '../src/domain/maintenance.js';
import { parseAmount, parseDate } from '../src/domain/payments.js';
import { toE164 } from '../src/domain/phone.js';
import { parseTicketNumber, problemText, queueListing, readOutageCommand, readTicketCommand } from '../src/domain/team-commands.js';
import { claimRefusal, type TicketFacts } from '../src/domain/ticket-actions.js';
import { parseTimeNote } from '../src/domain/time-note.js';

const TZ = 'Europe/Prague';
const CZK: BillingTerms = { hourlyRate: 100_000, incrementMinutes: 15, travelFee: 0, includedMinutes: 0 };
const opts = { ticketPrefix: 'T', timezone: TZ };

function entry(id: string, minutes: number): BillingEntry {
  return {
    id,
    ticketNumber: 'T-2026-00042',
    at: new Date('2026-11-03T09:00:00Z'),
    technician: 'slack:U1',
    technicianName: 'Petr',
    minutes,
    activity: 'Nastavení routeru',
    billable: true,
    travel: false,
  };
}

// ---------------------------------------------------------------------------------------------
describe('billing terms and entries that cannot be priced', () => {
  it('refuses a negative hourly rate, travel fee or allowance, and the message names the setting', () => {
    expect(() => billMonth([], { ...CZK, hourlyRate: -1 }, '2026-11', TZ)).toThrow(/^hourlyRate must be a non-negative integer, got -1$/);
    expect(() => billMonth([], { ...CZK, travelFee: -100 }, '2026-11', TZ)).toThrow(/^travelFee must be a non-negative integer, got -100$/);
    expect(() => billMonth([], { ...CZK, includedMinutes: -60 }, '2026-11', TZ)).toThrow(/^includedMinutes must be a non-negative integer, got -60$/);
    expect(() => billMonth([], { ...CZK, includedMinutes: 1.5 }, '2026-11', TZ)).toThrow(/^includedMinutes must be a non-negative integer, got 1.5$/);
  });

  it('refuses an increment of zero, below zero or a fraction of a minute', () => {
    expect(() => billMonth([], { ...CZK, incrementMinutes: 0 }, '2026-11', TZ)).toThrow(/^incrementMinutes must be a positive integer, got 0$/);
    expect(() => billMonth([], { ...CZK, incrementMinutes: -15 }, '2026-11', TZ)).toThrow(/^incrementMinutes must be a positive integer, got -15$/);
    expect(() => billMonth([], { ...CZK, incrementMinutes: 7.5 }, '2026-11', TZ)).toThrow(/^incrementMinutes must be a positive integer, got 7.5$/);
  });

  it('refuses an entry of negative minutes and says which entry it is', () => {
    expect(() => billMonth([entry('e-neg', -5)], CZK, '2026-11', TZ)).toThrow(/^entry e-neg: minutes must be a non-negative integer, got -5$/);
  });

  it('lists an entry of zero minutes without charging anything for it', () => {
    const s = billMonth([entry('e-zero', 0)], CZK, '2026-11', TZ);
    expect(s.lines.map((l) => [l.entryId, l.kind, l.minutes, l.roundedMinutes, l.billedMinutes, l.amount])).toEqual([['e-zero', 'work', 0, 0, 0, 0]]);
    expect(s.totals.amount).toBe(0);
  });

  it('tells the operator which line overflows when an amount is too large to compute exactly', () => {
    // 60 min at 1 125 899 906 842 624 minor units an hour is beyond 2^53.
    expect(() => billMonth([entry('e-big', 60)], { ...CZK, hourlyRate: 1_125_899_906_842_624 }, '2026-11', TZ)).toThrow(
      /^amount out of range: 60 min at 1125899906842624$/,
    );
  });

  it('refuses an amount that rounds below zero, but not one that rounds half up to zero', () => {
    // -1 min at 60/h is -1 minor unit; at 31/h -0.52 -> -1; at 30/h -0.5 rounds half up to 0.
    expect(() => amountFor(-1, 60)).toThrow(/^amount out of range: -1 min at 60$/);
    expect(() => amountFor(-1, 31)).toThrow(RangeError);
    expect(() => amountFor(-120, 100_000)).toThrow(RangeError);
    expect(amountFor(-1, 30)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('lead times of planned maintenance', () => {
  it('reads ten days and more, alone and with hours', () => {
    expect(parseLeadTime('10d')).toBe(14_400);
    expect(parseLeadTime('12d 6h')).toBe(17_640);
    expect(parseLeadTime('30d')).toBe(43_200);
  });
});

// ---------------------------------------------------------------------------------------------
describe('amounts and dates from the accounting exports', () => {
  it('finds a thousands group written with a no-break space just as unclear as one with a space', () => {
    expect(parseAmount('1\u00A0234')).toEqual({ error: '"1\u00A0234" is unclear: write minor units (123400) or the amount with its decimal part (1 234,00)' });
    expect(parseAmount('12\u202F345')).toEqual({
      error: '"12\u202F345" is unclear: write minor units (1234500) or the amount with its decimal part (12 345,00)',
    });
  });

  it('quotes what was typed without the surrounding spaces when it is no amount', () => {
    expect(parseAmount('  12 abc  ')).toEqual({ error: '"12 abc" is not an amount (minor units such as 123450, or 1 234,50)' });
  });

  it('refuses a date with anything before or after it', () => {
    const bad = ['x2026-11-20', '12026-11-20', 'due 2026-11-20', 'x20. 11. 2026', '120. 11. 2026', '20. 11. 20261', '20. 11. 2026 x', 'do 20.11.2026'];
    expect(bad.map(parseDate)).toEqual(bad.map(() => null));
    expect(parseDate(' 2026-11-20 ')).toBe('2026-11-20');
    expect(parseDate(' 20. 11. 2026 ')).toBe('2026-11-20');
  });
});

// ---------------------------------------------------------------------------------------------
describe('phone numbers written with the international 00 prefix', () => {
  it('reads 00 as + in any default region, also with spaces around the number', () => {
    expect(toE164('00421905123456', 'CZ')).toBe('+421905123456');
    expect(toE164('00442079460958', 'US')).toBe('+442079460958');
    expect(toE164(' 00442079460958 ', 'US')).toBe('+442079460958');
  });
});

// ---------------------------------------------------------------------------------------------
describe('ticket numbers typed by technicians', () => {
  it('refuses a ticket number with anything in front of it', () => {
    expect(parseTicketNumber('#T-2026-42', 'T')).toBeNull();
    expect(parseTicketNumber('ticket T-2026-42', 'T')).toBeNull();
    expect(parseTicketNumber('1T-2026-42', 'T')).toBeNull();
  });

  it('drops only the leading zeros, keeps the zeros inside the number and drops a long run of leading zeros whole', () => {
    expect(parseTicketNumber('T-2026-102', 'T')).toBe('T-2026-00102');
    expect(parseTicketNumber('T-2026-1000', 'T')).toBe('T-2026-01000');
    expect(parseTicketNumber('T-2026-0000042', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-000000007', 'T')).toBe('T-2026-00007');
  });
});

// ---------------------------------------------------------------------------------------------
describe('blank command arguments', () => {
  it('answers with the usage when the duration, kind of work or visit time is only spaces', () => {
    expect(readTicketCommand('time', { ticket: 'T-2026-42', duration: '   ', text: 'Nastavení routeru' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('category', { ticket: 'T-2026-42', kind: '  ' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('visit', { ticket: 'T-2026-42', when: ' \t ' }, opts)).toEqual({ ok: false, problem: 'usage' });
  });

  it('answers with the usage when an outage is started without any area', () => {
    expect(readOutageCommand('start', {}, TZ)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('start', { title: 'Přerušené vlákno' }, TZ)).toEqual({ ok: false, problem: 'usage' });
  });

  it('takes a status of only spaces in an outage update as no status, not as a wrong one', () => {
    expect(readOutageCommand('update', { outage: 'o1', status: '   ' }, TZ)).toEqual({ ok: false, problem: 'usage' });
    expect(readOutageCommand('update', { outage: 'o1', status: '  ', eta: '-' }, TZ)).toEqual({ ok: true, command: { name: 'update', id: 'o1', eta: null } });
  });
});

// ---------------------------------------------------------------------------------------------
describe('answers to the technicians', () => {
  it('lists the kinds of work when the one typed is unknown', () => {
    const usage = '/linka category T-2026-00042 konfigurace';
    expect(problemText({ problem: 'badCategory' }, 'cs', usage)).toBe(
      'Druh práce zadejte jako outage, diagnostics (zdarma), configuration, customer_fault, training nebo advanced_diagnostics (placené).',
    );
    expect(problemText({ problem: 'badCategory' }, 'en', usage)).toBe(
      'Give the kind of work as outage, diagnostics (free), configuration, customer_fault, training or advanced_diagnostics (paid).',
    );
  });

  it('shows a question mark in the queue for a claimed ticket whose technician has no name', () => {
    const row = { number: 'T-2026-00042', category: 'internet', status: 'claimed', claimedByName: null, deadline: null, customer: null };
    expect(queueListing([row], { lang: 'cs', timezone: TZ, now: new Date('2026-11-23T12:00:00Z') })).toBe(
      'Otevřené požadavky (1):\nT-2026-00042 · Nefunguje internet · neověřený zákazník · Převzal(a) ? · bez garance',
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('claiming a ticket that is not open', () => {
  const open: TicketFacts = { status: 'open', claimedBy: null, firstReactionAt: null, workCategory: 'diagnostics' };

  it('refuses a closed ticket and a claimed one, even when no technician is recorded on it', () => {
    expect(claimRefusal({ ...open, status: 'closed' })).toBe('team.alreadyClaimed');
    expect(claimRefusal({ ...open, status: 'claimed' })).toBe('team.alreadyClaimed');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the text of a time command', () => {
  it('reads the day of the work after spaces in front of it', () => {
    expect(parseTimeNote('  2026-11-30 Nastavení routeru')).toEqual({ activity: 'Nastavení routeru', travel: false, billable: null, workDate: '2026-11-30' });
    expect(parseTimeNote('\t@2026-11-30 zdarma: Kontrola')).toEqual({ activity: 'Kontrola', travel: false, billable: false, workDate: '2026-11-30' });
  });

  it('reads the prefixes after a day followed by several spaces', () => {
    expect(parseTimeNote('2026-11-30   cesta: Plzeň-Bory')).toEqual({ activity: 'Plzeň-Bory', travel: true, billable: null, workDate: '2026-11-30' });
    expect(parseTimeNote('@2026-11-30 \t placene: Nastavení')).toEqual({ activity: 'Nastavení', travel: false, billable: true, workDate: '2026-11-30' });
  });
});
