// The decisions behind the technicians' actions and a ticket's opening (src/domain/ticket-actions.ts):
// who may claim, release, resolve; the first reaction; what a logged time entry is; the repeat
// rule; the reaction promise; and what a failed dispatch transaction means.
import { describe, expect, it } from 'vitest';
import { parseTimeNote } from '../src/domain/time-note.js';
import {
  afterFailure,
  claimRefusal,
  firstReaction,
  isRepeatedTopic,
  reactionPromise,
  releaseRefusal,
  resolvedRefusal,
  timeEntryOf,
  type TicketFacts,
} from '../src/domain/ticket-actions.js';

const open: TicketFacts = { status: 'open', claimedBy: null, firstReactionAt: null, workCategory: 'diagnostics' };
const claimed: TicketFacts = { ...open, status: 'claimed', claimedBy: 'slack:UPETR', firstReactionAt: new Date('2026-11-23T09:05:00Z') };
const resolved: TicketFacts = { ...claimed, status: 'resolved' };
const NOW = new Date('2026-12-01T10:00:00Z'); // 11:00 in Prague, Tuesday
const TZ = 'Europe/Prague';

describe('claim, release, resolve', () => {
  it('lets only an open, unclaimed ticket be claimed', () => {
    expect(claimRefusal(open)).toBeNull();
    expect(claimRefusal(claimed)).toBe('team.alreadyClaimed');
    expect(claimRefusal(resolved)).toBe('team.alreadyResolved');
    // A row that says open but names a holder (a claim under way elsewhere) is not claimable.
    expect(claimRefusal({ ...open, claimedBy: 'discord:1' })).toBe('team.alreadyClaimed');
  });

  it('lets only the holder release a claimed ticket', () => {
    expect(releaseRefusal(claimed, 'slack:UPETR')).toBeNull();
    expect(releaseRefusal(claimed, 'slack:UEVA')).toBe('team.notYours');
    expect(releaseRefusal(open, 'slack:UPETR')).toBe('team.notClaimed');
    expect(releaseRefusal(resolved, 'slack:UPETR')).toBe('team.alreadyResolved');
  });

  it('resolves (or offers a call-out on) open and claimed tickets only', () => {
    expect(resolvedRefusal(open)).toBeNull();
    expect(resolvedRefusal(claimed)).toBeNull();
    expect(resolvedRefusal(resolved)).toBe('team.alreadyResolved');
  });

  it('keeps the first reaction once it is set', () => {
    expect(firstReaction(open, NOW).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(firstReaction(claimed, NOW).toISOString()).toBe('2026-11-23T09:05:00.000Z');
  });
});

describe('a logged time entry', () => {
  const entry = (ticket: TicketFacts, minutes: number, text: string) => timeEntryOf(ticket, minutes, parseTimeNote(text), NOW, TZ);

  it('is billable exactly when the work category is paid, unless the technician says otherwise', () => {
    expect(entry(open, 45, 'Restart ONT')).toEqual({
      ok: true,
      minutes: 45,
      activity: 'Restart ONT',
      billable: false,
      travel: false,
      workDate: null,
      workedAt: null,
    });
    expect(entry({ ...open, workCategory: 'outage' }, 30, 'Kontrola')).toMatchObject({ ok: true, billable: false });
    expect(entry({ ...open, workCategory: 'configuration' }, 30, 'Nastavení routeru')).toMatchObject({ ok: true, billable: true });
    expect(entry({ ...open, workCategory: 'customer_fault' }, 30, 'Výměna kabelu')).toMatchObject({ ok: true, billable: true });
    expect(entry({ ...open, workCategory: 'configuration' }, 30, 'zdarma: Nastavení routeru')).toMatchObject({
      ok: true,
      billable: false,
      activity: 'Nastavení routeru',
    });
    expect(entry(open, 30, 'placene: Pokročilá diagnostika')).toMatchObject({ ok: true, billable: true, activity: 'Pokročilá diagnostika' });
  });

  it('keeps travel apart and dates the work when told', () => {
    expect(entry(open, 40, 'cesta: Plzeň')).toMatchObject({ ok: true, travel: true, billable: false, activity: 'Plzeň' });
    // 30 November noon in Prague is 11:00 UTC.
    expect(entry(open, 20, '2026-11-30 Kontrola linky')).toEqual({
      ok: true,
      minutes: 20,
      activity: 'Kontrola linky',
      billable: false,
      travel: false,
      workDate: '2026-11-30',
      workedAt: new Date('2026-11-30T11:00:00Z'),
    });
  });

  it('refuses a duration that is not a positive whole number of minutes, a missing activity, and a bad work date', () => {
    expect(entry(open, 0, 'Nic')).toEqual({ ok: false, reason: 'team.badDuration' });
    expect(entry(open, -5, 'Nic')).toEqual({ ok: false, reason: 'team.badDuration' });
    expect(entry(open, 2.5, 'Nic')).toEqual({ ok: false, reason: 'team.badDuration' });
    expect(entry(open, 1, 'Nic')).toMatchObject({ ok: true, minutes: 1 });
    expect(entry(open, 15, 'cesta:')).toEqual({ ok: false, reason: 'team.usage' });
    expect(entry(open, 15, '2026-12-02 Zítřek')).toEqual({ ok: false, reason: 'team.badWorkDate' });
    expect(entry(open, 15, '2026-09-29 Dávno')).toEqual({ ok: false, reason: 'team.badWorkDate' });
    expect(entry(open, 15, '2026-13-01 Nesmysl')).toEqual({ ok: false, reason: 'team.badWorkDate' });
  });
});

describe('a new ticket', () => {
  // The first argument counts the earlier tickets on the topic: the new one makes one more.
  it('is a repeat from the configured count on, counting the new ticket, and never with the rule off', () => {
    expect(isRepeatedTopic(1, 3)).toBe(false); // the 2nd ticket
    expect(isRepeatedTopic(2, 3)).toBe(true); // the 3rd: warned
    expect(isRepeatedTopic(4, 3)).toBe(true);
    expect(isRepeatedTopic(0, 2)).toBe(false);
    expect(isRepeatedTopic(1, 2)).toBe(true);
    expect(isRepeatedTopic(5, 0)).toBe(false);
  });

  it('promises the tier deadline, says so when the tier has none, and promises nothing to an unknown sender', () => {
    const deadline = new Date('2026-11-23T17:00:00Z');
    expect(reactionPromise(deadline, true)).toEqual({ kind: 'deadline', deadline });
    expect(reactionPromise(deadline, false)).toEqual({ kind: 'deadline', deadline });
    expect(reactionPromise(null, true)).toEqual({ kind: 'none' });
    expect(reactionPromise(null, false)).toEqual({ kind: 'unknown' });
  });
});

describe('a failed dispatch transaction', () => {
  const none = { duplicateInbound: false, uniqueViolation: false, conversationConflict: false };

  it('is a duplicate when the inbound id was seen, or when a retry clashes on a unique key', () => {
    expect(afterFailure({ ...none, duplicateInbound: true }, 0, 5)).toBe('duplicate');
    expect(afterFailure({ ...none, uniqueViolation: true }, 1, 5)).toBe('duplicate');
    expect(afterFailure({ ...none, uniqueViolation: true }, 5, 5)).toBe('duplicate');
  });

  it('retries a first unique-key clash and a conversation saved meanwhile, up to the limit', () => {
    expect(afterFailure({ ...none, uniqueViolation: true }, 0, 5)).toBe('retry');
    expect(afterFailure({ ...none, conversationConflict: true }, 0, 5)).toBe('retry');
    expect(afterFailure({ ...none, conversationConflict: true }, 4, 5)).toBe('retry');
    expect(afterFailure({ ...none, conversationConflict: true }, 5, 5)).toBe('throw');
    expect(afterFailure({ ...none, uniqueViolation: true }, 0, 0)).toBe('throw');
  });

  it('throws anything else', () => {
    expect(afterFailure(none, 0, 5)).toBe('throw');
  });
});
