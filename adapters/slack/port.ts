/**
 * The Slack TeamPort: ticket cards in the queue channel (chat.postMessage, then chat.update
 * of the same message), their threads (thread_ts = the card's ts) and channel messages.
 * Failures become LinkaErrors the outbox understands: 429 -> retryAfterMs, a missing
 * channel or a revoked token -> permanent.
 */
import type { webApi } from '@slack/bolt';
import { platformError } from '../../src/errors.js';
import type { TeamPort, TeamPostRef } from '../../src/runtime/ports.js';
import { fillOnCall } from '../../src/services/enqueue-team-posts.js';
import { renderText, renderTicketCard } from './render.js';

/** "U123" -> "<@U123>", "S456" (a user group) -> "<!subteam^S456>". */
export function slackMention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** Slack error codes that no retry can fix. */
const PERMANENT = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'message_not_found',
  'cant_update_message',
  'msg_too_long',
  'invalid_blocks',
]);

/** Wraps a WebClient failure for the outbox. */
export function toPlatformError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e?.code === 'slack_webapi_rate_limited_error') return platformError('slack', err, { retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 });
  if (e?.code === 'slack_webapi_platform_error' && PERMANENT.has(e.data?.error ?? '')) return platformError('slack', err, { permanent: true });
  if (e?.code === 'slack_webapi_http_error' && (e.statusCode === 401 || e.statusCode === 403 || e.statusCode === 404))
    return platformError('slack', err, { permanent: true });
  return platformError('slack', err);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toPlatformError(err);
  }
}

/** The Slack side of the queue: cards in `queueChannel`, outage and maintenance notices in `statusChannel` (default: the queue channel). */
export function createSlackTeamPort(client: webApi.WebClient, queueChannel: string, onCall: readonly string[] = [], statusChannel = ''): TeamPort {
  return {
    platform: 'slack',
    async postTicket(card) {
      const res = await call(() => client.chat.postMessage({ channel: queueChannel, ...renderTicketCard(card), unfurl_links: false }));
      if (!res.ts) throw platformError('slack', new Error('chat.postMessage answered without a ts'));
      const ref: TeamPostRef = { channelId: res.channel ?? queueChannel, messageId: res.ts, threadId: res.ts };
      return ref;
    },
    async updateTicket(post, card) {
      await call(() => client.chat.update({ channel: post.channelId, ts: post.messageId, ...renderTicketCard(card) }));
    },
    async postToThread(post, text) {
      const threadTs = post.threadId ?? post.messageId;
      await call(() => client.chat.postMessage({ channel: post.channelId, thread_ts: threadTs, text: renderText(text), unfurl_links: false }));
      return post.threadId ? {} : { threadId: threadTs };
    },
    async postToChannel(text, opts) {
      // Mentions are filled in after escaping, so Slack sees them as mentions.
      const body = opts?.mentionOnCall ? fillOnCall(renderText(text), onCall.map(slackMention)) : renderText(text);
      await call(() => client.chat.postMessage({ channel: opts?.status && statusChannel ? statusChannel : queueChannel, text: body }));
    },
  };
}
