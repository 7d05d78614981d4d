/**
 * What Linka answers to a verified interaction: card buttons and `/linka` sub-commands
 * become the queue's actions for technicians (by role or by user id); everyone else gets
 * a refusal only they see. An interaction id acts at most once.
 */
import { parseWorkCategory, type WorkCategory } from '../../src/domain/billing.js';
import { parseLocalDateTime } from '../../src/domain/business-time.js';
import type { Lang } from '../../src/engine/types.js';
import { t } from '../../src/messages/index.js';
import type { AdapterDeps } from '../../src/runtime/ports.js';
import type { QueueResult, Technician } from '../../src/runtime/queue.js';
import { forgetProcessed, markProcessed } from '../../src/store/inbound.js';
import { discordTechnicianId, parseDuration, type DiscordActor, type ParsedInteraction } from './parse.js';
import { runOutageCommand } from './outage-commands.js';
import { ephemeral, renderQueue, RESPONSE } from './render.js';

export interface InteractionSettings {
  technicians: readonly string[];
  technicianRoles: readonly string[];
  teamLanguage: Lang;
  timezone: string;
}

/** The body of an interaction response. */
export type InteractionResponse = { type: number; data?: unknown };

const NEEDS_TICKET = new Set(['claim', 'release', 'resolve', 'note', 'time', 'reply', 'visit', 'category']);
const USAGE: Record<string, string> = {
  claim: '/linka claim ticket:T-2026-00042',
  release: '/linka release ticket:T-2026-00042',
  resolve: '/linka resolve ticket:T-2026-00042 [note:…]',
  note: '/linka note text:… ticket:T-2026-00042',
  time: '/linka time duration:1h30m text:… ticket:T-2026-00042',
  reply: '/linka reply text:… ticket:T-2026-00042',
  visit: '/linka visit when:2026-11-24 14:30 ticket:T-2026-00042',
  category: '/linka category kind:configuration ticket:T-2026-00042',
};

export function isTechnician(actor: DiscordActor | null, settings: InteractionSettings): actor is DiscordActor {
  if (!actor) return false;
  return settings.technicians.includes(actor.userId) || actor.roles.some((r) => settings.technicianRoles.includes(r));
}

export function createInteractionHandler(deps: AdapterDeps, settings: InteractionSettings) {
  const { prisma, queue } = deps;
  const lang = settings.teamLanguage;
  const say = (key: string, params: Record<string, string | number> = {}) => t(lang, key, params);
  const clock = deps.clock ?? (() => new Date());

  /** Runs `act` unless the interaction id was seen; a failure un-marks it so a retry may act. */
  async function once<T = QueueResult>(id: string, act: () => Promise<T>): Promise<T | 'duplicate'> {
    const key = `discord:interaction:${id}`;
    if (!(await prisma.$transaction((tx) => markProcessed(tx, key)))) return 'duplicate';
    deps.metrics?.inbound.inc({ channel: 'discord' });
    try {
      return await act();
    } catch (err) {
      await forgetProcessed(prisma, key).catch(() => undefined);
      throw err;
    }
  }

  const technician = (actor: DiscordActor): Technician => ({ id: discordTechnicianId(actor.userId), name: actor.name, platform: 'discord' });

  /** The ticket a command is about: its option, else the ticket whose thread it was typed in. */
  async function ticketOf(options: Record<string, string>, channelId: string | null): Promise<string | null> {
    if (options.ticket) return options.ticket.toUpperCase();
    if (!channelId) return null;
    const post = await prisma.teamPost.findFirst({ where: { platform: 'discord', threadId: channelId }, select: { ticket: { select: { number: true } } } });
    return post?.ticket.number ?? null;
  }

  async function button(i: Extract<ParsedInteraction, { kind: 'button' }>): Promise<InteractionResponse> {
    if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
    const tech = technician(i.actor);
    const result = await once(i.id, () => {
      switch (i.action) {
        case 'claim': return queue.claim(i.number, tech);
        case 'release': return queue.release(i.number, tech);
        case 'resolve': return queue.resolve(i.number, tech);
        case 'offer': return queue.offerCallout(i.number, tech);
      }
    });
    // The card itself is updated through the outbox (PATCH), like on every other platform.
    if (result === 'duplicate' || result.ok) return { type: RESPONSE.deferredUpdate };
    return ephemeral(result.message);
  }

  async function command(i: Extract<ParsedInteraction, { kind: 'command' }>): Promise<InteractionResponse> {
    const sub = i.sub ?? '';
    if (i.name === 'linka' && i.group === 'outage') {
      if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
      const ctx = { outages: deps.outages, lang, timezone: settings.timezone, actor: discordTechnicianId(i.actor.userId) };
      return ephemeral(await runOutageCommand(sub, i.options, ctx, async (run) => {
        const answer = await once(i.id, run);
        return answer === 'duplicate' ? say('team.done', { number: `outage ${sub}` }) : answer;
      }));
    }
    if (i.name !== 'linka' || !['queue', 'help', ...NEEDS_TICKET].includes(sub)) {
      return ephemeral(`${say('team.unknownCommand', { command: [i.name, sub].filter(Boolean).join(' ') })}\n${say('team.help')}`);
    }
    if (sub === 'help') return ephemeral(say('team.help'));
    if (!isTechnician(i.actor, settings)) return ephemeral(say('team.notAllowed'));
    if (sub === 'queue') {
      return ephemeral(renderQueue(await queue.open(), { lang, timeZone: settings.timezone, now: clock() }));
    }
    const number = await ticketOf(i.options, i.channelId);
    const text = i.options.text ?? '';
    const usage = ephemeral(say('team.usage', { usage: USAGE[sub] ?? '/linka help' }));
    if (!number || (['note', 'reply', 'time'].includes(sub) && !text)) return usage;
    const minutes = sub === 'time' ? parseDuration(i.options.duration ?? '') : null;
    if (sub === 'time' && minutes === null) return ephemeral(say('team.badDuration'));
    const visitAt = sub === 'visit' ? parseLocalDateTime(i.options.when ?? '', settings.timezone) : null;
    if (sub === 'visit' && visitAt === null) return ephemeral(say('team.badTime'));
    const category = sub === 'category' ? parseWorkCategory(i.options.kind ?? '') : null;
    if (sub === 'category' && category === null) return ephemeral(say('team.badCategory'));
    const tech = technician(i.actor);
    const result = await once(i.id, () => {
      switch (sub) {
        case 'claim': return queue.claim(number, tech);
        case 'release': return queue.release(number, tech);
        case 'resolve': return queue.resolve(number, tech, i.options.note || undefined);
        case 'note': return queue.note(number, tech, text);
        case 'time': return queue.logTime(number, tech, minutes as number, text);
        case 'visit': return queue.bookVisit(number, tech, visitAt as Date);
        case 'category': return queue.setCategory(number, tech, category as WorkCategory);
        default: return queue.reply(number, tech, text);
      }
    });
    // A replayed command already acted; its first answer was the real one.
    return ephemeral(result === 'duplicate' ? say('team.done', { number }) : result.message);
  }

  return async function handle(i: Exclude<ParsedInteraction, { kind: 'invalid' }>): Promise<InteractionResponse> {
    switch (i.kind) {
      case 'ping': return { type: RESPONSE.pong };
      case 'button': return button(i);
      case 'command': return command(i);
      case 'unsupported':
        deps.log.info({ interaction: i.id, what: i.what }, 'discord: interaction Linka does not handle');
        return ephemeral(say('team.unknownCommand', { command: i.what }));
    }
  };
}
