/**
 * `linka time TICKET DURATION ACTIVITY --technician NAME`: log time on a ticket from the command
 * line, as `/linka time` does in Slack and Discord (the same rules: src/services/queue.ts). So
 * the billing path (time, included hours, `linka statement`) can be tried without a team platform.
 */
import { userInfo } from 'node:os';
import { loadChannels } from '../channels.js';
import { rateNamed } from '../domain/prices.js';
import { parseDuration, parseTicketReference } from '../domain/team-commands.js';
import { parseTimeNote } from '../domain/time-note.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { offerSettings } from '../runtime/create-runtime.js';
import { createQueue } from '../services/queue.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** Runs `linka time TICKET DURATION ACTIVITY... [--technician NAME] [--rate RATE]`; returns the exit code. */
export async function timeCommand(
  typed: string,
  duration: string,
  words: string[],
  values: { technician?: string; rate?: string },
  io: CliIo,
): Promise<number> {
  const config = configOf(io);
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: config.timezone, year: 'numeric' }).format(new Date()));
  const number = parseTicketReference(typed, config.tickets.prefix, year);
  if (!number) throw new LinkaError('usage', `"${typed}" is not a ticket number such as ${config.tickets.prefix}-${year}-00042 or 42`);
  const minutes = parseDuration(duration);
  if (minutes === null) throw new LinkaError('usage', `"${duration}" is not a duration such as 45m, 1h30 or 90 (minutes, at most a day)`);
  const name = values.technician?.trim() || osUser();
  const rate = values.rate === undefined ? undefined : rateNamed(config.billing, values.rate);
  if (rate === null || (rate !== undefined && !config.billing.rates[rate]))
    throw new LinkaError('usage', `--rate "${values.rate}" is not a rate of billing.rates (rates: ${Object.keys(config.billing.rates).join(', ')})`);
  const named = parseTimeNote(words.join(' '), Object.keys(config.billing.rates)).rate;
  if (rate !== undefined && named !== undefined && rateNamed(config.billing, named) !== rate)
    throw new LinkaError('usage', `the rate is given twice, --rate ${values.rate} and "${named}:" in the activity; give it once`);
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
    const result = await queue.logTime(number, { id: `cli:${name}`, name, platform: 'cli' }, minutes, words.join(' '), rate);
    if (!result.ok) throw new LinkaError('time_refused', result.message);
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
