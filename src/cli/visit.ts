/**
 * `linka visit TICKET WHEN [--free] [--technician NAME]`: book a technician's visit from the
 * command line, as `/linka visit` does in Slack and Discord (the same rules: src/services/queue.ts).
 * A paid visit needs the customer's accepted consent; a free one (`--free`, the fault is on the
 * provider's side) needs none and tells the customer it is free (docs/billing.md, "A free
 * technician visit"). The customer's notice goes through the outbox that `linka serve` delivers.
 */
import { parseLocalDateTime } from '../domain/business-time.js';
import { LinkaError } from '../errors.js';
import { type CliIo, configOf } from './command.js';
import { cliTechnician, typedTicket, withQueue } from './ticket-command.js';

/** Runs `linka visit TICKET WHEN... [--free] [--technician NAME]`; returns the exit code. */
export async function visitCommand(typed: string, when: string[], values: { free?: boolean; technician?: string }, io: CliIo): Promise<number> {
  const config = configOf(io);
  const number = typedTicket(typed, config);
  const at = parseLocalDateTime(when.join(' '), config.timezone);
  if (!at) throw new LinkaError('usage', `"${when.join(' ')}" is not a local date and time such as 2026-11-24 14:30`);
  return withQueue(io, config, async (queue) => {
    const result = await queue.bookVisit(number, cliTechnician(values.technician), at, values.free ? { free: true } : {});
    if (!result.ok) throw new LinkaError('visit_refused', result.message);
    io.out(result.message);
    return 0;
  });
}
