/** What the `/linka` sub-commands' handlers are and get (commands.ts, outage-command.ts). */
import type { Lang } from '../../src/engine/types.js';
import type { Outages } from '../../src/services/outages.js';
import type { Queue, Technician } from '../../src/services/queue.js';
import type { TeamActions } from '../team/actions.js';

/** What a sub-command's handler gets. */
export interface CommandContext {
  /** The command as typed in Slack ("/linka"), for usage lines. */
  command: string;
  /** The Slack user who typed it, and as a technician (display name looked up on demand). */
  userId: string;
  technician(): Promise<Technician>;
  queue: Queue;
  /** Declaring, updating and resolving outages (`/linka outage`). */
  outages: Outages;
  /** Carrying out checked commands (shared with Discord). */
  actions: TeamActions;
  lang: Lang;
  timezone: string;
  ticketPrefix: string;
  now: () => Date;
}

export interface SubCommand {
  /** The arguments, for usage lines: "ID [note]". */
  args: string;
  /** True when anyone may run it (help); otherwise only technicians. */
  open?: boolean;
  /** `name` is the sub-command as registered, for usage lines. */
  run(rest: string, ctx: CommandContext, name: string): Promise<string>;
}

export type CommandRouter = Map<string, SubCommand>;
