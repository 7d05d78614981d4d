// Issue 16, rules 5-8: the pure decisions under them (a unit test of the core, also run by the
// mutation tests): which text asks how a ticket stands, which frequent question a text asks,
// the technicians' hours in words, when they next answer, and what comes first in the queue.
import { describe, expect, it } from 'vitest';
import { techniciansAnswerFrom, type BusinessCalendar } from '../src/domain/business-time.js';
import { hoursText } from '../src/domain/date-format.js';
import { byUrgency, isEmergency } from '../src/domain/sla.js';
import { readTicketCommand } from '../src/domain/team-commands.js';
import { BUILT_IN_FAQ, matchFaq } from '../src/engine/faq.js';
import { asksStatus } from '../src/engine/side-questions.js';
import { normalize } from '../src/shared/normalize.js';

describe('rule 6: "stav T-2026-00042", "jak to vypadá s mým požadavkem" or "co je s tím" ask how a ticket stands', () => {
  const ask = (text: string, prefix = 'T') => asksStatus(normalize(text), prefix);
  it.each([
    ['stav T-2026-00042', 'T-2026-00042'],
    ['Stav t-2026-42?', 'T-2026-42'],
    ['T-2026-00042', 'T-2026-00042'],
    ['status T-2026-7', 'T-2026-7'],
    ['co je s požadavkem T-2026-42', 'T-2026-42'],
    ['stav požiadavky T-2026-42', 'T-2026-42'],
  ])('"%s" asks about %s', (text, typed) => {
    expect(ask(text)).toEqual({ typed });
  });
  it.each(['stav', 'Co je s tím?', 'Jak to vypadá s mým požadavkem?', 'Ako to vyzerá s mojou požiadavkou?', 'any news?'])(
    '"%s" asks about the latest',
    (text) => {
      expect(ask(text)).toEqual({ typed: null });
    },
  );
  it.each(['stav internetu', 'nejde mi internet', 'X-2026-42', 'stav X-2026-42', 'zítra T-2026-42', '2024-0153', 'T-26-42'])(
    '"%s" is no such question',
    (text) => {
      expect(ask(text)).toBeNull();
    },
  );
  it('follows the configured prefix', () => {
    expect(ask('stav HD-2026-5', 'HD')).toEqual({ typed: 'HD-2026-5' });
    expect(ask('stav T-2026-5', 'HD')).toBeNull();
  });
});

describe('rule 7: "frequent questions: keywords -> answer"', () => {
  const which = (text: string) => matchFaq(text, BUILT_IN_FAQ)?.id ?? null;
  it.each([
    ['Jak mám nastavit SMTP v Outlooku?', 'mail'],
    ['Nastavení pošty prosím', 'mail'],
    ['Co dělat při bouřce?', 'storm'],
    ['Počas búrky mi vypadlo všetko', 'storm'],
    ['Jaké je číslo účtu?', 'payment'],
    ['Ako zaplatiť faktúru?', 'payment'],
    ['Jaká je vaše pracovní doba?', 'hours'],
    ['What are your opening hours', 'hours'],
  ])('"%s" asks %s', (text, id) => {
    expect(which(text)).toBe(id);
  });
  it.each(['smtpx', 'nejde mi internet', 'hodiny', 'dobrý den'])('"%s" asks none', (text) => {
    expect(which(text)).toBeNull();
  });
  it('the longest keyword found wins, and a keyword counts only as whole words', () => {
    const entries = [
      { id: 'short', keywords: ['faktura'], answer: 'a' },
      { id: 'long', keywords: ['kopie faktura'], answer: 'b' },
    ];
    expect(matchFaq('Potřebuji kopie faktura', entries)?.id).toBe('long');
    expect(matchFaq('faktura', entries)?.id).toBe('short');
    expect(matchFaq('fakturace', entries)).toBeNull();
  });
});

describe("rule 8: the technicians' hours, in words and when they next answer", () => {
  it('writes the hours as a customer reads them', () => {
    expect(hoursText({ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' }, 'cs')).toBe('v pracovní dny 8:30–17:00');
    expect(hoursText({ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' }, 'sk')).toBe('v pracovné dni 8:30–17:00');
    expect(hoursText({ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' }, 'en')).toBe('on working days 08:30-17:00');
    expect(hoursText('always', 'cs')).toBe('nonstop');
    expect(hoursText({ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '22:00' }, 'cs')).toBe('denně 7:00–22:00');
    expect(
      hoursText(
        [
          { days: [1, 2, 3, 4, 5], from: '13:00', to: '17:00' },
          { days: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' },
          { days: [6, 7], from: '09:00', to: '18:00' },
        ],
        'cs',
      ),
    ).toBe('v pracovní dny 8:00–12:00 a 13:00–17:00, so, ne 9:00–18:00');
    expect(hoursText({ days: [1, 2, 3, 5], from: '08:00', to: '16:00' }, 'sk')).toBe('po–st, pi 8:00–16:00');
  });

  const team: BusinessCalendar = { hours: { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' }, holidays: 'CZ', timeZone: 'Europe/Prague' };
  it('inside the hours: now (null); outside: the next opening, skipping weekends and holidays', () => {
    expect(techniciansAnswerFrom(new Date('2026-11-23T09:00:00Z'), team, null)).toBeNull(); // Monday 10:00
    expect(techniciansAnswerFrom(new Date('2026-11-23T16:00:00Z'), team, null)).toEqual(new Date('2026-11-24T07:30:00Z')); // 17:00 sharp: closed
    expect(techniciansAnswerFrom(new Date('2026-11-28T21:00:00Z'), team, null)).toEqual(new Date('2026-11-30T07:30:00Z')); // Saturday night
    expect(techniciansAnswerFrom(new Date('2026-12-24T10:00:00Z'), team, null)).toEqual(new Date('2026-12-28T07:30:00Z')); // Christmas
  });
  it('a tier whose clock runs now has someone on duty; one whose clock stands does not', () => {
    const saturday = new Date('2026-11-28T21:00:00Z');
    expect(techniciansAnswerFrom(saturday, team, { hours: 'always' })).toBeNull();
    expect(techniciansAnswerFrom(saturday, team, { ...team, hours: { days: [6, 7], from: '09:00', to: '18:00' } })).toEqual(new Date('2026-11-30T07:30:00Z'));
  });
});

describe('rule 5: "emergencies first"', () => {
  const at = (iso: string) => new Date(iso);
  const t = (id: string, o: { deadline?: string; created: string; emergency?: boolean; workCategory?: string }) => ({
    id,
    deadline: o.deadline ? at(o.deadline) : null,
    createdAt: at(o.created),
    emergency: o.emergency ?? false,
    workCategory: o.workCategory ?? 'diagnostics',
  });
  it('an outage ticket or a marked one is an emergency; a customer-side kind of work is not', () => {
    expect(isEmergency({ workCategory: 'outage' })).toBe(true);
    expect(isEmergency({ emergency: true, workCategory: 'configuration' })).toBe(true);
    expect(isEmergency({ workCategory: 'configuration' })).toBe(false);
    expect(isEmergency({})).toBe(false);
  });
  it('orders emergencies, then tickets with a deadline by deadline, then the rest, the older first within each', () => {
    const tickets = [
      t('rest-new', { created: '2026-11-23T10:00:00Z' }),
      t('sla-late', { created: '2026-11-23T08:00:00Z', deadline: '2026-11-24T08:00:00Z' }),
      t('emergency-new', { created: '2026-11-23T09:30:00Z', emergency: true }),
      t('rest-old', { created: '2026-11-23T07:00:00Z' }),
      t('sla-soon', { created: '2026-11-23T09:00:00Z', deadline: '2026-11-23T12:00:00Z' }),
      t('outage-old', { created: '2026-11-23T09:00:00Z', workCategory: 'outage' }),
      t('emergency-with-deadline', { created: '2026-11-23T09:45:00Z', emergency: true, deadline: '2026-11-23T11:00:00Z' }),
    ];
    expect([...tickets].sort(byUrgency).map((x) => x.id)).toEqual([
      'emergency-with-deadline',
      'outage-old',
      'emergency-new',
      'sla-soon',
      'sla-late',
      'rest-old',
      'rest-new',
    ]);
  });
  it('reads /linka emergency ID [off]', () => {
    const opts = { ticketPrefix: 'T', timezone: 'Europe/Prague' };
    expect(readTicketCommand('emergency', { ticket: 't-2026-42' }, opts)).toEqual({
      ok: true,
      command: { name: 'emergency', number: 'T-2026-00042', on: true },
    });
    expect(readTicketCommand('emergency', { ticket: 'T-2026-42', text: 'OFF' }, opts)).toMatchObject({ ok: true, command: { on: false } });
    expect(readTicketCommand('emergency', { ticket: 'T-2026-42', text: 'ne' }, opts)).toMatchObject({ ok: true, command: { on: false } });
    expect(readTicketCommand('emergency', { ticket: 'T-2026-42', text: 'možná' }, opts)).toEqual({ ok: false, problem: 'usage' });
    expect(readTicketCommand('ticket', { ticket: 'T-2026-42' }, opts)).toEqual({ ok: true, command: { name: 'ticket', number: 'T-2026-00042' } });
  });
});
