/**
 * What the commands that act on one ticket from the command line share (`linka time`, `linka
 * visit`): the ticket as typed, who acts, and the queue service (src/services/queue.ts) with the
 * team platforms that are on in this environment, so the ticket's thread gets the line too.
 */
import { userInfo } from 'node:os';
import { loadChannels } from '../channels.js';
import type { LinkaConfig } from '../config/schema.js';
import { parseTicketReference } from '../domain/team-commands.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { offerSettings } from '../runtime/create-runtime.js';
import { createQueue, type Queue, type Technician } from '../services/queue.js';
import { type CliIo, withDatabase } from './command.js';

/** The ticket number as typed ("T-2026-42", "42": this year's), or a usage error. */
export function typedTicket(typed: string, config: LinkaConfig): string {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: config.timezone, year: 'numeric' }).format(new Date()));
  const number = parseTicketReference(typed, config.tickets.prefix, year);
  if (!number) throw new LinkaError('usage', `"${typed}" is not a ticket number such as ${config.tickets.prefix}-${year}-00042 or 42`);
  return number;
}

/** The technician acting from the command line: `--technician NAME`, else the operating system's user. */
export function cliTechnician(named: string | undefined): Technician {
  const name = named?.trim() || osUser();
  return { id: `cli:${name}`, name, platform: 'cli' };
}

/** Runs `act` with the queue on the configured database; returns its exit code. */
export async function withQueue(io: CliIo, config: LinkaConfig, act: (queue: Queue) => Promise<number>): Promise<number> {
  const { adapters } = await loadChannels(io.env, config, silentLogger());
  const teamPlatforms = adapters.flatMap((a) => (a.team ? [a.team.platform] : []));
  return withDatabase(io.env, (db) =>
    act(
      createQueue({
        prisma: db.prisma,
        clock: () => new Date(),
        teamPlatforms,
        teamLanguage: config.teamLanguage,
        timezone: config.timezone,
        offers: offerSettings(config, teamPlatforms),
      }),
    ),
  );
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}
