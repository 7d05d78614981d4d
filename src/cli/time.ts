/**
 * `linka time TICKET DURATION ACTIVITY --technician NAME`: log time on a ticket from the command
 * line, as `/linka time` does in Slack and Discord (the same rules: src/services/queue.ts). So
 * the billing path (time, included hours, `linka statement`) can be tried without a team platform.
 */
import { rateNamed } from '../domain/prices.js';
import { parseDuration } from '../domain/team-commands.js';
import { parseTimeNote } from '../domain/time-note.js';
import { LinkaError } from '../errors.js';
import { type CliIo, configOf } from './command.js';
import { cliTechnician, typedTicket, withQueue } from './ticket-command.js';

/** Runs `linka time TICKET DURATION ACTIVITY... [--technician NAME] [--rate RATE]`; returns the exit code. */
export async function timeCommand(
  typed: string,
  duration: string,
  words: string[],
  values: { technician?: string; rate?: string },
  io: CliIo,
): Promise<number> {
  const config = configOf(io);
  const number = typedTicket(typed, config);
  const minutes = parseDuration(duration);
  if (minutes === null) throw new LinkaError('usage', `"${duration}" is not a duration such as 45m, 1h30 or 90 (minutes, at most a day)`);
  const rate = values.rate === undefined ? undefined : rateNamed(config.billing, values.rate);
  if (rate === null || (rate !== undefined && !config.billing.rates[rate]))
    throw new LinkaError('usage', `--rate "${values.rate}" is not a rate of billing.rates (rates: ${Object.keys(config.billing.rates).join(', ')})`);
  const named = parseTimeNote(words.join(' '), Object.keys(config.billing.rates)).rate;
  if (rate !== undefined && named !== undefined && rateNamed(config.billing, named) !== rate)
    throw new LinkaError('usage', `the rate is given twice, --rate ${values.rate} and "${named}:" in the activity; give it once`);
  return withQueue(io, config, async (queue) => {
    const result = await queue.logTime(number, cliTechnician(values.technician), minutes, words.join(' '), rate);
    if (!result.ok) throw new LinkaError('time_refused', result.message);
    io.out(result.message);
    return 0;
  });
}
