/** `linka discord register-commands`: register the /linka slash command with Discord. */
import { createDiscordRest, registerCommands } from '../../adapters/discord/index.js';
import { SUB_COMMAND_GROUPS, SUB_COMMANDS } from '../../adapters/discord/commands.js';
import { LinkaError } from '../errors.js';
import type { CliIo } from './command.js';

/** Runs `linka discord register-commands`; returns the exit code. */
export async function discordRegister({ env, out }: CliIo): Promise<number> {
  const token = env.DISCORD_BOT_TOKEN;
  if (!token) throw new LinkaError('env_missing', 'DISCORD_BOT_TOKEN is not set (see README.md, "Connecting Discord")');
  // One retry of a 5xx is enough for a command a person runs and watches.
  const client = createDiscordRest(token, env.DISCORD_API_URL || undefined, { retries: 1 });
  try {
    const done = await registerCommands(client);
    out(
      `Registered /linka (${SUB_COMMANDS.join(', ')}; ${SUB_COMMAND_GROUPS.map((g) => `${g} start|update|resolve|list`).join('; ')}) for the application ${done.applicationName} (${done.applicationId}).`,
    );
    out('Technicians can use it in every server the bot was invited to with the applications.commands scope.');
    return 0;
  } catch (err) {
    throw new LinkaError('discord_failed', `Discord answered: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
