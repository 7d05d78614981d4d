// Each provider's deadlines as its own terms give them, from its preset as it is
// (examples/providers/<name>.yaml): for a report on a Friday at 16:30, on a Saturday at 10:00,
// the day before public holidays (24-26 December 2026 are Thursday to Saturday, in both countries)
// and around the change from summer to winter time (Sunday 25 October 2026, 3:00 CEST -> 2:00 CET).
// Every expected time is worked out by hand in the row's comment, from the sentence of the terms
// quoted above its table.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { parseLocalDateTime } from '../src/domain/business-time.js';
import { reactionDeadline, resolutionDeadline } from '../src/domain/sla.js';
import { slaCalendar } from '../src/runtime/create-runtime.js';
import { ROOT } from './helpers/child-linka.js';

const preset = (name: string) => loadConfig({ LINKA_CONFIG: path.join(ROOT, 'examples', 'providers', `${name}.yaml`) }, ROOT).config;

type Row = [report: string, tier: string, reaction: string | null, resolution: string | null];

/** Checks every row: local times in the preset's time zone; null: the tier promises none. */
function check(name: string, rows: Row[]): void {
  const config = preset(name);
  const local = (text: string) => parseLocalDateTime(text, config.timezone) as Date;
  for (const [report, tier, reaction, resolution] of rows) {
    const at = local(report);
    const show = (d: Date | null) => d && new Intl.DateTimeFormat('cs-CZ', { timeZone: config.timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);
    expect(show(reactionDeadline(config.tiers, tier, at, slaCalendar(config))), `${name} ${tier} reaction, report ${report}`).toBe(
      reaction && show(local(reaction)),
    );
    expect(show(resolutionDeadline(config.tiers, tier, at, slaCalendar(config))), `${name} ${tier} resolution, report ${report}`).toBe(
      resolution && show(local(resolution)),
    );
  }
}

describe('deadlines by the providers own terms', () => {
  it('the telecom operator: "Reakce na požadavek: negarantováno / 24 hodin / 8 hodin / 4 hodiny", incidents "v režimu 24/7"', () => {
    // The incident line runs 24/7: the hours are real hours, weekends and holidays included.
    check('telecom-operator', [
      ['2026-12-04 16:30', 'none', null, null], // "negarantováno"
      ['2026-12-04 16:30', 'STANDARD', '2026-12-05 16:30', null], // Friday 16:30 + 24 h
      ['2026-12-04 16:30', 'PLUS', '2026-12-05 00:30', null], // + 8 h, past midnight
      ['2026-12-04 16:30', 'VIP', '2026-12-04 20:30', null], // + 4 h
      ['2026-12-05 10:00', 'PLUS', '2026-12-05 18:00', null], // Saturday counts
      ['2026-12-23 16:30', 'STANDARD', '2026-12-24 16:30', null], // Christmas Eve counts
      ['2026-10-25 00:30', 'VIP', '2026-10-25 03:30', null], // 00:30 CEST + 4 real hours = 03:30 CET (the clock went back at 3:00)
      ['2026-10-25 00:30', 'STANDARD', '2026-10-25 23:30', null], // + 24 real hours = 23:30 CET the same day
    ]);
  });

  it('the VoIP/PBX distributor: "Reakčná doba 4 hodiny / 2 hodiny / 1 hodina", fixed within "3 prac. dni / 2 prac. dni / 24 hodín"', () => {
    // Variants 1 and 2: "Pon – Pia: 8.30 – 17 hod."; variant 3: "24 / 7 (So – Ne: 9:00 – 18:00)". Slovak holidays.
    check('voip-pbx-sk', [
      // Friday 16:30: half an hour left on Friday, the rest from Monday 8:30.
      ['2026-12-04 16:30', 'V1', '2026-12-07 12:00', '2026-12-09 17:00'], // 0.5 h + 3.5 h; the 3rd working day after Friday: Wednesday
      ['2026-12-04 16:30', 'V2', '2026-12-07 10:00', '2026-12-08 17:00'], // 0.5 h + 1.5 h; the 2nd working day: Tuesday
      ['2026-12-04 16:30', 'V3', '2026-12-04 17:30', '2026-12-06 16:30'], // 24 h of its time: Fri 7.5 h, Sat 9 h, Sun 9:00 + 7.5 h
      // Saturday 10:00: variants 1 and 2 start on Monday; variant 3 works 9-18 at weekends.
      ['2026-12-05 10:00', 'V1', '2026-12-07 12:30', '2026-12-09 17:00'], // Monday 8:30 + 4 h; Mon, Tue, Wed
      ['2026-12-05 10:00', 'V3', '2026-12-05 11:00', '2026-12-07 07:00'], // Sat 8 h, Sun 9 h, Monday 0:00 + 7 h
      // Wednesday 23 December 16:30, before 24-26 December.
      ['2026-12-23 16:30', 'V1', '2026-12-28 12:00', '2026-12-30 17:00'], // 0.5 h, then Monday 28th; Mon 28, Tue 29, Wed 30
      ['2026-12-23 16:30', 'V3', '2026-12-23 17:30', '2026-12-28 07:30'], // Wed 7.5 h, 24-26 off, Sun 27th 9 h, Monday 0:00 + 7.5 h
      // Saturday 24 October 17:00 CEST: the weekend window is local time before and after the change.
      ['2026-10-24 17:00', 'V3', '2026-10-24 18:00', '2026-10-26 14:00'], // Sat 1 h, Sun 9:00-18:00 CET 9 h, Monday 0:00 + 14 h
      ['2026-10-23 16:30', 'V2', '2026-10-26 10:00', '2026-10-27 17:00'], // 28 October is no holiday in Slovakia
      ['2026-12-04 16:30', 'none', null, null],
    ]);
  });

  it('the ISP billing-software vendor: VIP "s garantovanou reakční dobou do 24 hodin, resp. během následujícího pracovního dne"', () => {
    // The later of 24 real hours and the end of the next working day (Mon-Fri 8:30-17:00, Czech holidays).
    check('isp-billing-software', [
      ['2026-12-04 16:30', 'VIP', '2026-12-07 17:00', null], // 24 h: Saturday 16:30; next working day: Monday
      ['2026-12-05 10:00', 'VIP', '2026-12-07 17:00', null], // 24 h: Sunday 10:00; next working day: Monday
      ['2026-12-08 18:00', 'VIP', '2026-12-09 18:00', null], // 24 h: Wednesday 18:00 is later than Wednesday 17:00
      ['2026-12-23 16:30', 'VIP', '2026-12-28 17:00', null], // 24 h: Christmas Eve; next working day after 24-26 December: Monday 28th
      ['2026-10-24 23:00', 'VIP', '2026-10-26 17:00', null], // 24 real hours: Sunday 22:00 CET; next working day: Monday 17:00 CET
      ['2026-10-27 18:00', 'VIP', '2026-10-29 17:00', null], // 28 October is a Czech holiday: Thursday
      ['2026-12-04 16:30', 'UPDATES', null, null], // updates only: no guaranteed reaction
    ]);
  });

  it('the access-control software maker: "Většinou probíhá zpracování nejpozději do tří pracovních dnů", "v pracovní dny v čase od 8:00 – do 17:00"', () => {
    check('access-control-software', [
      ['2026-12-04 16:30', 'START', null, '2026-12-09 17:00'], // Mon 7, Tue 8, Wed 9, by the end of its hours
      ['2026-12-05 10:00', 'START', null, '2026-12-09 17:00'], // the same three working days
      ['2026-12-23 16:30', 'START', null, '2026-12-30 17:00'], // 24-26 December off: Mon 28, Tue 29, Wed 30
      ['2026-10-23 16:30', 'START', null, '2026-10-29 17:00'], // Mon 26, Tue 27, (28 October off), Thu 29; CET by then
      ['2026-12-07 07:00', 'START', null, '2026-12-10 17:00'], // the day of the report never counts, even before 8:00
    ]);
  });

  it('the fixed-wireless ISP: its terms promise no reaction time, so no deadline is set', () => {
    check('fixed-wireless-isp', [
      ['2026-12-04 16:30', 'none', null, null],
      ['2026-12-23 16:30', 'none', null, null],
    ]);
  });
});
