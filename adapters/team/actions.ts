/**
 * What the team adapters (Slack, Discord) share once a technician's click, command or thread
 * reply is read: acting at most once per platform event id (de-duplication), counting what was
 * acted on (linka_inbound_total), and carrying out a checked command (src/domain/team-commands.ts)
 * on the queue or the outage service. Who may act is asked by the adapter first (each platform
 * says which user and groups an event comes from; the rule is `isListedTechnician`).
 */
import type { CardAction } from '../../src/domain/ticket-card.js';
import type { OutageCommand, TicketCommand } from '../../src/domain/team-commands.js';
import { listOutages, resolveOutage, startOutage, updateOutage, type OutageCommandContext } from '../../src/services/outage-commands.js';
import type { AdapterDeps } from '../../src/runtime/ports.js';
import type { QueueResult, Technician } from '../../src/services/queue.js';

export interface TeamActions {
  /**
   * Runs `act` unless `dedupeId` (the platform's own event id) was acted on before: then
   * 'duplicate'. A failure un-marks the id, so the platform's retry may act. Without an id
   * (platforms that never resend the event) it just runs. Each action carried out is counted.
   */
  once<T>(dedupeId: string | null, act: () => Promise<T>): Promise<T | 'duplicate'>;
  /** A card button's action on the queue. */
  card(action: CardAction, number: string, tech: Technician): Promise<QueueResult>;
  /**
   * A ticket command on the queue. `show` fits `ticket`'s answer (the ticket and its history) to
   * the platform: its length limit and its markup's escaping.
   */
  ticket(command: TicketCommand, tech: Technician, show?: { maxChars: number; escape?: (text: string) => string }): Promise<QueueResult>;
  /** An outage command; the answer's text. `actor` is asked only for changes. */
  outage(command: OutageCommand, ctx: Omit<OutageCommandContext, 'actor'> & { actor: () => Promise<string> }): Promise<string>;
}

export function createTeamActions(deps: Pick<AdapterDeps, 'inbound' | 'metrics' | 'queue' | 'outages'>, platform: 'slack' | 'discord'): TeamActions {
  const { inbound, queue } = deps;
  const counted = () => deps.metrics?.inbound.inc({ channel: platform });

  return {
    async once(dedupeId, act) {
      if (dedupeId === null) {
        const result = await act();
        counted();
        return result;
      }
      if (!(await inbound.markProcessed(dedupeId))) return 'duplicate';
      try {
        const result = await act();
        counted();
        return result;
      } catch (err) {
        await inbound.forgetProcessed(dedupeId).catch(() => undefined);
        throw err;
      }
    },

    card(action, number, tech) {
      switch (action) {
        case 'claim':
          return queue.claim(number, tech);
        case 'release':
          return queue.release(number, tech);
        case 'resolve':
          return queue.resolve(number, tech);
        case 'offer':
          return queue.offerCallout(number, tech);
      }
    },

    ticket(c, tech, show) {
      switch (c.name) {
        case 'ticket':
          return queue.show(c.number, show ?? { maxChars: 3000 });
        case 'emergency':
          return queue.setEmergency(c.number, tech, c.on);
        case 'claim':
          return queue.claim(c.number, tech);
        case 'release':
          return queue.release(c.number, tech);
        case 'resolve':
          return queue.resolve(c.number, tech, c.note);
        case 'note':
          return queue.note(c.number, tech, c.text);
        case 'reply':
          return queue.reply(c.number, tech, c.text);
        case 'time':
          return queue.logTime(c.number, tech, c.minutes, c.activity);
        case 'category':
          return queue.setCategory(c.number, tech, c.category);
        case 'visit':
          return queue.bookVisit(c.number, tech, c.at, c.free ? { free: true } : {});
      }
    },

    async outage(c, ctx) {
      const base = { outages: ctx.outages, lang: ctx.lang, timezone: ctx.timezone, source: ctx.source };
      switch (c.name) {
        case 'list':
          return listOutages(base);
        case 'start':
          return startOutage({ ...base, actor: await ctx.actor() }, { areas: c.areas, title: c.title, eta: c.eta });
        case 'update':
          return updateOutage({ ...base, actor: await ctx.actor() }, c.id, {
            ...(c.status ? { status: c.status } : {}),
            ...(c.eta !== undefined ? { eta: c.eta } : {}),
          });
        case 'resolve':
          return resolveOutage({ ...base, actor: await ctx.actor() }, c.id);
      }
    },
  };
}
