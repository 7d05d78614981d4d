/**
 * Carries out the team effects of the outbox (team.post, team.update, team.thread,
 * team.channel) through the team ports, building each card from the ticket as it is now.
 */
import { FREE_WORK, WORK_CATEGORIES } from '../domain/billing.js';
import { ticketCard } from '../domain/ticket-card.js';
import type { Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { hasOffer } from '../store/offers.js';
import { unagreedMinutesOf } from '../store/time-entries.js';
import { insertTeamPost, setTeamPostThread, teamPostOf } from '../store/team-posts.js';
import { ticketForCard } from '../store/tickets.js';
import type { OutboxItem, PrismaClient } from '../store/types.js';
import type { TeamPort } from './ports.js';

export interface TeamDeliveryDeps {
  prisma: PrismaClient;
  teamPorts: ReadonlyMap<string, TeamPort>;
  clock: () => Date;
  timezone: string;
  teamLanguage: Lang;
  /** callout.autoOffer: without it, a likely customer side is a suggestion on the card until an offer is made. */
  autoOffer?: boolean;
}

const PAID_WORK = WORK_CATEGORIES.filter((c) => !FREE_WORK.includes(c));

async function cardOf(deps: TeamDeliveryDeps, ticketId: string) {
  const ticket = await ticketForCard(deps.prisma, ticketId);
  if (!ticket) throw new LinkaError('ticket_missing', `ticket ${ticketId} does not exist`, { permanent: true });
  const c = ticket.customer;
  const suggestOffer = ticket.likelyCustomerSide && !deps.autoOffer && !(await hasOffer(deps.prisma, ticketId));
  const unagreedMinutes = await unagreedMinutesOf(deps.prisma, ticketId, PAID_WORK);
  return ticketCard(
    {
      ...ticket,
      suggestOffer,
      unagreedMinutes,
      customer: c ? { name: c.name, contractNumber: c.contractNumber, area: c.area, phone: c.phones[0]?.e164 ?? null } : null,
    },
    { timeZone: deps.timezone, lang: deps.teamLanguage, now: deps.clock() },
  );
}

/** Delivers one team item; throws (to be retried) when the platform fails. */
export async function deliverTeamItem(deps: TeamDeliveryDeps, item: OutboxItem): Promise<{ platformMessageId: string | null }> {
  const port = deps.teamPorts.get(item.channel);
  if (!port) throw new LinkaError('channel_off', `team channel ${item.channel} is not configured`);
  const payload = item.payload as { ticketId?: string; text?: string; mentionOnCall?: boolean; status?: boolean };
  if (item.kind === 'team.channel') {
    const opts = { ...(payload.mentionOnCall ? { mentionOnCall: true } : {}), ...(payload.status ? { status: true } : {}) };
    await port.postToChannel(payload.text ?? '', Object.keys(opts).length ? opts : undefined);
    return { platformMessageId: null };
  }
  const ticketId = payload.ticketId ?? '';
  const existing = await teamPostOf(deps.prisma, ticketId, item.channel);
  if (item.kind === 'team.post' || (item.kind === 'team.update' && !existing)) {
    const card = await cardOf(deps, ticketId);
    if (existing) {
      await port.updateTicket(existing, card); // a retried post: the card is already there
      return { platformMessageId: existing.messageId };
    }
    const ref = await port.postTicket(card);
    await insertTeamPost(deps.prisma, {
      ticketId,
      platform: item.channel,
      channelId: ref.channelId,
      messageId: ref.messageId,
      threadId: ref.threadId,
      createdAt: deps.clock(),
    });
    return { platformMessageId: ref.messageId };
  }
  if (!existing) throw new LinkaError('card_missing', `ticket ${ticketId} has no card on ${item.channel} yet`);
  if (item.kind === 'team.update') {
    await port.updateTicket(existing, await cardOf(deps, ticketId));
    return { platformMessageId: existing.messageId };
  }
  if (item.kind === 'team.thread') {
    const { threadId } = await port.postToThread(existing, payload.text ?? '');
    if (threadId && threadId !== existing.threadId) await setTeamPostThread(deps.prisma, existing.id, threadId);
    return { platformMessageId: null };
  }
  throw new LinkaError('unknown_effect', `unknown team effect ${item.kind}`, { permanent: true });
}
