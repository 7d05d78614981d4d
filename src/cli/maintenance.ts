/**
 * `linka maintenance schedule|cancel|reschedule|list`: planned maintenance from the command
 * line. The command writes; the running server's job (every minute) sends the notices to the
 * team channels and, at the lead times, to the customers (src/services/maintenance.ts).
 * Times are local to the config's time zone: "2026-11-24 22:00" or "24. 11. 2026 22:00".
 */
import { parseLocalDateTime } from '../domain/business-time.js';
import { leadTimeText } from '../domain/maintenance.js';
import { operatorTime } from '../domain/date-format.js';
import { LinkaError } from '../errors.js';
import { createMaintenance, leadTimesOf, type MaintenanceRow } from '../services/maintenance.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** The options of `linka maintenance ...` (parsed in src/cli/index.ts). */
export interface MaintenanceOptions {
  area?: string[];
  service?: string[];
  start?: string;
  end?: string;
  textCs?: string;
  textSk?: string;
  textEn?: string;
  all?: boolean;
}

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

/** Runs `linka maintenance SUB [ID] ...`; returns the exit code. Usage errors throw LinkaError('usage'). */
export async function maintenanceCommand(sub: string, id: string | undefined, values: MaintenanceOptions, io: CliIo): Promise<number> {
  const { out } = io;
  if ((sub === 'cancel' || sub === 'reschedule') && !/^#?\d+$/.test(id ?? ''))
    throw new LinkaError('usage', `"${id}" is not a maintenance number such as 12 (see linka maintenance list)`);
  const config = configOf(io);
  const tz = config.timezone;
  const start = localInstant('start', values.start, tz);
  const end = localInstant('end', values.end, tz);
  if (sub === 'schedule' && !list(values.area).length) throw new LinkaError('usage', '--area needs at least one area');
  if (sub === 'reschedule' && !start && !end) throw new LinkaError('usage', 'reschedule needs --start or --end');

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
          texts: { cs: values.textCs, sk: values.textSk, en: values.textEn },
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
}
