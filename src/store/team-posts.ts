/** Ticket cards in team channels (TeamPost rows), looked up from the platform's side. */
import type { DbClient, Prisma } from './types.js';

/**
 * The number of the ticket whose card on `platform` has the thread `threadId` in
 * `channelId` (Slack: a reply's thread_ts is its card's ts), or null.
 */
export async function ticketNumberOfThread(db: DbClient, platform: string, channelId: string, threadId: string): Promise<string | null> {
  const post = await db.teamPost.findFirst({ where: { platform, channelId, threadId }, select: { ticket: { select: { number: true } } } });
  return post?.ticket.number ?? null;
}

export type TeamPostRow = Prisma.TeamPostGetPayload<object>;

/** The ticket's card on `platform`, if posted. */
export async function teamPostOf(db: DbClient, ticketId: string, platform: string): Promise<TeamPostRow | null> {
  return db.teamPost.findUnique({ where: { ticketId_platform: { ticketId, platform } } });
}

/** Records the card just posted for the ticket on `platform` (one per ticket and platform). */
export async function insertTeamPost(
  db: DbClient,
  post: { ticketId: string; platform: string; channelId: string; messageId: string; threadId: string | null; createdAt: Date },
): Promise<void> {
  await db.teamPost.create({ data: post });
}

/** Remembers the thread the platform opened under a card (Discord opens it with the first reply). */
export async function setTeamPostThread(db: DbClient, id: string, threadId: string): Promise<void> {
  await db.teamPost.update({ where: { id }, data: { threadId } });
}
