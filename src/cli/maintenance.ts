/**
 * `linka maintenance schedule|cancel|reschedule|list`: planned maintenance from the command
 * line. The command writes; the running server's job (every minute) sends the notices to the
 * team channels and, at the lead times, to the customers (src/services/maintenance.ts).
 * Times are local to the config's time zone: "2026-11-24 22:00" or "24. 11. 2026 22:00".
 */
import { parseArgs } from 'node:util';
import { parseLocalDateTime } from '../domain/business-time.js';
import { leadTimeText } from '../domain/maintenance.js';
import { operatorTime } from '../domain/date-format.js';
import { LinkaError } from '../errors.js';
import { createMaintenance, leadTimesOf, type MaintenanceRow } from '../services/maintenance.js';
import { type CliCommand, configOf, withDatabase } from './command.js';

export const MAINTENANCE_USAGE = `usage:
  linka maintenance schedule --area AREA [--area AREA...] --start "2026-11-24 22:00" --end "2026-11-25 02:00"
                             [--service internet ...] [--text-cs TEXT] [--text-sk TEXT] [--text-en TEXT]
  linka maintenance cancel ID
  linka maintenance reschedule ID [--start "..."] [--end "..."]
  linka maintenance list [--all]`;

const list = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

function localInstant(option: string, text: string | undefined, timeZone: string): Date | undefined {
  if (text === undefined) return undefined;
  const at = parseLocalDateTime(text, timeZone);
  if (!at) throw new LinkaError('usage', `--${option} must be a local date and time such as "2026-11-24 22:00", not "${text}"`);
  return at;
}

/** Runs `linka maintenance ...`; returns the exit code. Usage errors throw LinkaError('usage'). */
export const maintenanceCommand: CliCommand = async (args, io) => {
  const { out } = io;
  const [sub, ...rest] = args;
  if (!sub || !['schedule', 'cancel', 'reschedule', 'list'].includes(sub)) throw new LinkaError('usage', MAINTENANCE_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      area: { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
      start: { type: 'string' },
      end: { type: 'string' },
      'text-cs': { type: 'string' },
      'text-sk': { type: 'string' },
      'text-en': { type: 'string' },
      all: { type: 'boolean' },
    },
  });
  const id = positionals[0];
  if ((sub === 'cancel' || sub === 'reschedule') && (positionals.length !== 1 || !/^#?\d+$/.test(id ?? '')))
    throw new LinkaError('usage', `linka maintenance ${sub} needs the maintenance's number (see linka maintenance list)\n${MAINTENANCE_USAGE}`);
  if ((sub === 'schedule' || sub === 'list') && positionals.length)
    throw new LinkaError('usage', `unexpected argument "${positionals[0]}"\n${MAINTENANCE_USAGE}`);
  const config = configOf(io);
  const tz = config.timezone;
  const start = localInstant('start', values.start, tz);
  const end = localInstant('end', values.end, tz);
  if (sub === 'schedule' && (!list(values.area).length || !start || !end))
    throw new LinkaError('usage', `schedule needs --area, --start and --end\n${MAINTENANCE_USAGE}`);
  if (sub === 'reschedule' && !start && !end) throw new LinkaError('usage', `reschedule needs --start or --end\n${MAINTENANCE_USAGE}`);

  const leadTimes = leadTimesOf(config);
  const describe = (m: MaintenanceRow) =>
    `#${m.id} ${operatorTime(m.startsAt, tz)} – ${operatorTime(m.endsAt, tz)} · areas ${(m.areas as string[]).join(', ')} · services ${(m.services as string[]).join(', ')}`;
  return withDatabase(io.env, async (db) => {
    const service = createMaintenance({ prisma: db.prisma, clock: () => new Date(), timezone: tz, teamLanguage: config.teamLanguage, leadTimes });
    switch (sub) {
      case 'schedule': {
        const m = await service.schedule({
          areas: list(values.area),
          services: list(values.service),
          startsAt: start as Date,
          endsAt: end as Date,
          actor: 'cli',
          texts: { cs: values['text-cs'], sk: values['text-sk'], en: values['text-en'] },
        });
        out(`Scheduled maintenance ${describe(m)}.`);
        out(`The running server tells the team now and the customers in these areas ${leadTimes.map(leadTimeText).join(' and ')} before the start.`);
        return 0;
      }
      case 'cancel': {
        const m = await service.cancel(id as string, 'cli');
        out(`Cancelled maintenance ${describe(m)}. Customers already told get a cancellation notice from the running server.`);
        return 0;
      }
      case 'reschedule': {
        const current = await service.get(id as string);
        // Only --start: the same duration from the new start; only --end: the same start.
        const startsAt = start ?? current.startsAt;
        const endsAt = end ?? new Date(startsAt.getTime() + current.endsAt.getTime() - current.startsAt.getTime());
        const m = await service.reschedule(current.id, { startsAt, endsAt }, 'cli');
        out(
          m.revision === current.revision
            ? `Maintenance #${m.id} already has this time; nothing changed.`
            : `Rescheduled maintenance ${describe(m)}. Customers already told get a "moved" notice; the lead-time notices follow the new time.`,
        );
        return 0;
      }
      default: {
        const rows = await service.list({ all: values.all === true });
        if (!rows.length) out(values.all ? 'No maintenance.' : 'No maintenance planned.');
        for (const m of rows) out(`${describe(m)} · ${m.status} · customers told: ${m.told}`);
        return 0;
      }
    }
  });
};
