/** Team-platform threads (Slack, Discord) -> the ticket whose card they belong to. */
import type { DbClient } from './types.js';

/**
 * The number of the ticket whose card on `platform` has the thread `threadId` (and, when
 * given, is in `channelId`: a Slack reply's thread_ts is its card's ts in the queue channel;
 * a Discord thread is a channel of its own, so its id alone names it), or null.
 */
export async function ticketOfThread(db: DbClient, platform: string, thread: { threadId: string; channelId?: string }): Promise<string | null> {
  const where = { platform, threadId: thread.threadId, ...(thread.channelId !== undefined ? { channelId: thread.channelId } : {}) };
  const post = await db.teamPost.findFirst({ where, select: { ticket: { select: { number: true } } } });
  return post?.ticket.number ?? null;
}
