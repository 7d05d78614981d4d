/**
 * `linka visit TICKET WHEN [--free] [--technician NAME]`: book a technician's visit from the
 * command line, as `/linka visit` does in Slack and Discord (the same rules: src/services/queue.ts).
 * A paid visit needs the customer's accepted consent; a free one (`--free`, the fault is on the
 * provider's side) needs none and tells the customer it is free (docs/billing.md, "A free
 * technician visit"). The customer's notice goes through the outbox that `linka serve` delivers.
 */
import { userInfo } from 'node:os';
import { loadChannels } from '../channels.js';
import { parseLocalDateTime } from '../domain/business-time.js';
import { parseTicketReference } from '../domain/team-commands.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { offerSettings } from '../runtime/create-runtime.js';
import { createQueue } from '../services/queue.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** Runs `linka visit TICKET WHEN... [--free] [--technician NAME]`; returns the exit code. */
export async function visitCommand(typed: string, when: string[], values: { free?: boolean; technician?: string }, io: CliIo): Promise<number> {
  const config = configOf(io);
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: config.timezone, year: 'numeric' }).format(new Date()));
  const number = parseTicketReference(typed, config.tickets.prefix, year);
  if (!number) throw new LinkaError('usage', `"${typed}" is not a ticket number such as ${config.tickets.prefix}-${year}-00042 or 42`);
  const at = parseLocalDateTime(when.join(' '), config.timezone);
  if (!at) throw new LinkaError('usage', `"${when.join(' ')}" is not a local date and time such as 2026-11-24 14:30`);
  const name = values.technician?.trim() || osUser();
  // The ticket's thread on the team platforms that are on in this environment gets the line too.
  const { adapters } = await loadChannels(io.env, config, silentLogger());
  const teamPlatforms = adapters.flatMap((a) => (a.team ? [a.team.platform] : []));
  return withDatabase(io.env, async (db) => {
    const queue = createQueue({
      prisma: db.prisma,
      clock: () => new Date(),
      teamPlatforms,
      teamLanguage: config.teamLanguage,
      timezone: config.timezone,
      offers: offerSettings(config, teamPlatforms),
    });
    const result = await queue.bookVisit(number, { id: `cli:${name}`, name, platform: 'cli' }, at, values.free ? { free: true } : {});
    if (!result.ok) throw new LinkaError('visit_refused', result.message);
    io.out(result.message);
    return 0;
  });
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}
