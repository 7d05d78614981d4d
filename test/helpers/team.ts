// A team platform (Slack/Discord stand-in) that records cards, thread lines and channel posts.
import type { TicketCard } from '../../src/domain/ticket-card.js';
import type { TeamPort, TeamPostRef } from '../../src/runtime/ports.js';

/** A team platform that records cards and thread lines. */
export function recordingTeam(platform: 'slack' | 'discord') {
  let n = 0;
  const port = {
    platform,
    cards: new Map<string, TicketCard>(),
    threads: new Map<string, string[]>(),
    channel: [] as string[],
    async postTicket(card: TicketCard): Promise<TeamPostRef> {
      const id = `m${++n}`;
      port.cards.set(id, card);
      return { channelId: 'C1', messageId: id, threadId: platform === 'slack' ? id : null };
    },
    async updateTicket(post: TeamPostRef, card: TicketCard) {
      port.cards.set(post.messageId, card);
    },
    async postToThread(post: TeamPostRef, text: string) {
      port.threads.set(post.messageId, [...(port.threads.get(post.messageId) ?? []), text]);
      return post.threadId ? {} : { threadId: `th-${post.messageId}` };
    },
    async postToChannel(text: string) {
      port.channel.push(text);
    },
  } satisfies TeamPort & Record<string, unknown>;
  return port;
}
