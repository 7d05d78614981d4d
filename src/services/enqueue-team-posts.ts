/**
 * Effects for the team channels (Slack, Discord), written to the outbox in the caller's
 * transaction. Each ticket and platform is one outbox target, so its card is posted
 * before it is updated or its thread is written to.
 */
import type { DbClient, Ticket } from '../store/types.js';
import { enqueue } from '../store/outbox.js';

/** What to do with a ticket's card. */
export type TeamEffect = { kind: 'post' } | { kind: 'update' } | { kind: 'thread'; text: string };

/** The outbox target of a ticket's card on one platform. */
export function teamTarget(platform: string, ticketNumber: string): string {
  return `team:${platform}:${ticketNumber}`;
}

/** Queues `effect` for the ticket's card on every team platform. */
export async function toTeam(db: DbClient, platforms: readonly string[], ticket: Pick<Ticket, 'id' | 'number'>, effect: TeamEffect, now: Date): Promise<void> {
  for (const platform of platforms) {
    await enqueue(db, {
      kind: `team.${effect.kind}`,
      channel: platform,
      target: teamTarget(platform, ticket.number),
      payload: { ticketId: ticket.id, ...effect },
      now,
    });
  }
}

/** What a team channel message may ask of the platform's adapter. */
export interface TeamChannelOptions {
  /**
   * The text holds the placeholder `{onCall}` (ON_CALL_PLACEHOLDER): the adapter replaces it
   * with its own mentions of the configured on-call people (slack.onCall / discord.onCall).
   */
  mentionOnCall?: boolean;
  /** An outage or maintenance notice: to the platform's status channel (the queue channel when none is set). */
  status?: boolean;
}

/** The outbox target of a platform's queue channel, or of its status channel. */
export function teamChannelTarget(platform: string, status = false): string {
  return `team:${platform}:${status ? 'status' : 'channel'}`;
}

/** The placeholder a `mentionOnCall` message holds where the on-call mentions go. */
export const ON_CALL_PLACEHOLDER = '{onCall}';

/**
 * The text with the placeholder replaced by `mentions` (already in the platform's syntax,
 * joined by spaces), or removed when nobody is on call. For the adapters.
 */
export function fillOnCall(text: string, mentions: readonly string[]): string {
  return text.split(ON_CALL_PLACEHOLDER).join(mentions.join(' ')).trimEnd();
}

/** Queues a plain message to the team channel of every platform (digests, re-announcements, SLA warnings; with `status`, notices). */
export async function toTeamChannel(db: DbClient, platforms: readonly string[], text: string, now: Date, opts: TeamChannelOptions = {}): Promise<void> {
  const payload = { text, ...(opts.mentionOnCall ? { mentionOnCall: true } : {}), ...(opts.status ? { status: true } : {}) };
  for (const platform of platforms) {
    await enqueue(db, { kind: 'team.channel', channel: platform, target: teamChannelTarget(platform, opts.status), payload, now });
  }
}
