/** Ticket cards in team channels (TeamPost rows), looked up from the platform's side. */
import type { DbClient } from './types.js';

/**
 * The number of the ticket whose card on `platform` has the thread `threadId` in
 * `channelId` (Slack: a reply's thread_ts is its card's ts), or null.
 */
export async function ticketNumberOfThread(db: DbClient, platform: string, channelId: string, threadId: string): Promise<string | null> {
  const post = await db.teamPost.findFirst({ where: { platform, channelId, threadId }, select: { ticket: { select: { number: true } } } });
  return post?.ticket.number ?? null;
}
