/**
 * What Linka answers to a verified interaction: card buttons and `/linka` sub-commands
 * become the queue's actions for technicians (by role or by user id); everyone else gets
 * a refusal only they see. An interaction id acts at most once. The options are mapped onto
 * the shared team commands (src/domain/team-commands.ts), which check them.
 */
import { isListedTechnician, isTicketCommand, problemText, queueListing, readTicketCommand } from '../../src/domain/team-commands.js';
import type { Lang } from '../../src/engine/types.js';
import { t } from '../../src/messages/index.js';
import type { AdapterDeps } from '../../src/runtime/ports.js';
import type { Technician } from '../../src/services/queue.js';
import { createTeamActions } from '../team/actions.js';
import { discordTechnicianId, type DiscordActor, type ParsedInteraction } from './parse.js';
import { runOutageCommand } from './outage-commands.js';
import { ephemeral, LIMITS, plain, RESPONSE } from './render.js';

export interface InteractionSettings {
  technicians: readonly string[];
  technicianRoles: readonly string[];
  teamLanguage: Lang;
  timezone: string;
  /** The ticket numbers' prefix (config tickets.prefix): "t-2026-42" is read as "T-2026-00042". */
  ticketPrefix: string;
}

/** The body of an interaction response. */
export type InteractionResponse = { type: number; data?: unknown };

const USAGE: Record<string, string> = {
  claim: '/linka claim ticket:T-2026-00042',
  release: '/linka release ticket:T-2026-00042',
  resolve: '/linka resolve ticket:T-2026-00042 [note:…]',
  note: '/linka note text:… ticket:T-2026-00042',
  time: '/linka time duration:1h30m text:… ticket:T-2026-00042',
  reply: '/linka reply text:… ticket:T-2026-00042',
  visit: '/linka visit when:2026-11-24 14:30 ticket:T-2026-00042 [free:True]',
  category: '/linka category kind:configuration ticket:T-2026-00042',
  ticket: '/linka ticket ticket:T-2026-00042',
  emergency: '/linka emergency ticket:T-2026-00042 [set:off]',
};

/** A technician: a user listed by id, or one with a listed role. */
export function isTechnician(actor: DiscordActor | null, settings: Pick<InteractionSettings, 'technicians' | 'technicianRoles'>): actor is DiscordActor {
  if (!actor) return false;
  return isListedTechnician({ userId: actor.userId, groups: actor.roles }, { users: settings.technicians, groups: settings.technicianRoles });
}

export function createInteractionHandler(deps: AdapterDeps, settings: InteractionSettings) {
  const { queue } = deps;
  const lang = settings.teamLanguage;
  const say = (key: string, params: Record<string, string | number> = {}) => t(lang, key, params);
  const clock = deps.clock ?? (() => new Date());
  const actions = createTeamActions(deps, 'discord');
  /** Discord may deliver an interaction again: each id acts once. */
  const once = <T>(id: string, act: () => Promise<T>) => actions.once(`discord:interaction:${id}`, act);

  const technician = (actor: DiscordActor): Technician => ({ id: discordTechnicianId(actor.userId), name: actor.name, platform: 'discord' });

  /** The ticket a command is about: its option, else the ticket whose thread it was typed in. */
  async function ticketOf(options: Record<string, string>, channelId: string | null): Promise<string | undefined> {
    if (options.ticket) return options.ticket;
    if (!channelId) return undefined;
    return (await deps.teamThreads.ticketOfThread('discord', { threadId: channelId })) ?? undefined;
  }

  async function button(i: Extract<ParsedInteraction, { kind: 'button' }>): Promise<InteractionResponse> {
    if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
    const tech = technician(i.actor);
    const result = await once(i.id, () => actions.card(i.action, i.number, tech));
    // The card itself is updated through the outbox (PATCH), like on every other platform.
    if (result === 'duplicate' || result.ok) return { type: RESPONSE.deferredUpdate };
    return ephemeral(result.message);
  }

  async function command(i: Extract<ParsedInteraction, { kind: 'command' }>): Promise<InteractionResponse> {
    const sub = i.sub ?? '';
    if (i.name === 'linka' && i.group === 'outage') {
      if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
      const ctx = { actions, outages: deps.outages, lang, timezone: settings.timezone, actor: discordTechnicianId(i.actor.userId) };
      return ephemeral(
        await runOutageCommand(sub, i.options, ctx, async (run) => {
          const answer = await once(i.id, run);
          return answer === 'duplicate' ? say('team.done', { number: `outage ${sub}` }) : answer;
        }),
      );
    }
    if (i.name !== 'linka' || !(sub === 'queue' || sub === 'help' || isTicketCommand(sub))) {
      return ephemeral(`${say('team.unknownCommand', { command: [i.name, sub].filter(Boolean).join(' ') })}\n${say('team.help')}`);
    }
    if (sub === 'help') return ephemeral(say('team.help'));
    if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
    if (sub === 'queue') {
      return ephemeral(
        queueListing(await queue.open(), { lang, timezone: settings.timezone, now: clock(), escape: (s) => plain(s, false), maxChars: LIMITS.content }),
      );
    }
    const read = readTicketCommand(
      sub,
      {
        ticket: await ticketOf(i.options, i.channelId),
        text: sub === 'resolve' ? i.options.note : i.options.text,
        duration: i.options.duration,
        when: i.options.when,
        kind: i.options.kind,
        free: i.options.free,
        ...(sub === 'emergency' ? { text: i.options.set } : {}),
      },
      settings,
    );
    if (!read.ok) return ephemeral(problemText(read, lang, USAGE[sub] ?? '/linka help'));
    const tech = technician(i.actor);
    const result = await once(i.id, () => actions.ticket(read.command, tech, { maxChars: LIMITS.content, escape: (s) => plain(s, false) }));
    // A replayed command already acted; its first answer was the real one.
    return ephemeral(result === 'duplicate' ? say('team.done', { number: read.command.number }) : result.message);
  }

  return async function handle(i: Exclude<ParsedInteraction, { kind: 'invalid' }>): Promise<InteractionResponse> {
    switch (i.kind) {
      case 'ping':
        return { type: RESPONSE.pong };
      case 'button':
        return button(i);
      case 'command':
        return command(i);
      case 'unsupported':
        deps.log.info({ interaction: i.id, what: i.what }, 'discord: interaction Linka does not handle');
        return ephemeral(say('team.unknownCommand', { command: i.what }));
    }
  };
}
