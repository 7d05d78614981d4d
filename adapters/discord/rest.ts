/**
 * discord.js's REST client (never a gateway), imported from @discordjs/rest, the package
 * discord.js re-exports it from: importing discord.js itself would also load its gateway client,
 * half a second of cold start for nothing. Aimed at DISCORD_API_URL when set (a fake in
 * tests), and its failures as LinkaErrors. discord.js itself waits out a 429 (Retry-After)
 * and retries a 5xx a few times; what still fails is retried by the outbox, except what
 * cannot get better (no access, unknown channel or message, a payload Discord refuses).
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { platformError, type LinkaError } from '../../src/errors.js';

/** Discord's JSON error code when a message already has a thread (its id is the message's). */
export const THREAD_ALREADY_CREATED = 160004;

export function createDiscordRest(token: string, apiUrl?: string, opts: { retries?: number; timeoutMs?: number } = {}): REST {
  const api = apiUrl ? `${apiUrl.replace(/\/+$/, '')}/api` : undefined;
  return new REST({
    ...(api ? { api } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  }).setToken(token);
}

/** The JSON error code of a Discord API error, or null. */
export function discordCode(err: unknown): number | null {
  return err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : null;
}

/** Wraps a discord.js failure: 4xx other than 401 and 429 is permanent; 5xx, 401 and network errors are retried. */
export function wrapDiscordError(err: unknown): LinkaError {
  if (err instanceof RateLimitError) return platformError('discord', err, { retryAfterMs: Math.max(1, err.retryAfter) });
  if (err instanceof DiscordAPIError) {
    if (err.status === 429) return platformError('discord', err, { retryAfterMs: 1000 });
    // 401: discord.js forgets the token; the client sets it again, and the operator may fix it.
    if (err.status >= 400 && err.status < 500 && err.status !== 401) return platformError('discord', err, { permanent: true });
    return platformError('discord', err);
  }
  if (err instanceof HTTPError) return platformError('discord', err);
  return platformError('discord', err);
}
