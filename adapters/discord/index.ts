/**
 * The Discord team channel: ticket cards in the queue channel (a message with an embed and
 * buttons, edited in place), a thread per ticket made on first use, and
 * `POST /discord/interactions` for button clicks and `/linka` commands, verified with the
 * application's Ed25519 key. Outbound goes through discord.js's REST client only.
 */
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { TicketCard } from '../../src/domain/ticket-card.js';
import type { Lang } from '../../src/engine/types.js';
import { json, parseJson, type Route } from '../../src/runtime/routes.js';
import type { Logger } from '../../src/observability/logger.js';
import type { AdapterDeps, ChannelAdapter, TeamPort, TeamPostRef } from '../../src/runtime/ports.js';
import { createInteractionHandler } from './interactions.js';
import { parseInteraction } from './parse.js';
import { numberOfCardMessage, renderCard, renderText } from './render.js';
import { createDiscordRest, discordCode, THREAD_ALREADY_CREATED, wrapDiscordError } from './rest.js';
import { createVerifier } from './verify.js';

export { parseDuration } from '../../src/domain/team-commands.js';
export { customIdOf, parseCustomId, parseInteraction, discordTechnicianId } from './parse.js';
export { renderCard, renderText } from './render.js';
export { LINKA_COMMAND, registerCommands } from './commands.js';
export { createDiscordRest } from './rest.js';
export { isPublicKeyHex } from './verify.js';

export interface DiscordConfig {
  token: string;
  /** The application's public key, 64 hex characters (developer portal, General Information). */
  publicKey: string;
  /** Base URL instead of https://discord.com (a fake in tests); `/api` is appended. */
  apiUrl?: string;
  /** The channel id where ticket cards are posted. */
  queueChannel: string;
  /** The channel id for outage and maintenance notices (default: the queue channel). */
  statusChannel?: string;
  technicians: readonly string[];
  technicianRoles: readonly string[];
  /** Who SLA warnings mention: user ids, or "role:<id>". */
  onCall?: readonly string[];
  teamLanguage: Lang;
  timezone: string;
  /** The ticket numbers' prefix (config tickets.prefix). */
  ticketPrefix: string;
  log: Logger;
  /** How often discord.js retries a 5xx itself before the outbox takes over (default 3). */
  restRetries?: number;
}

/** The path Discord posts interactions to (the application's Interactions Endpoint URL). */
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

/** Thread auto-archive after a week of silence; a new message brings it back. */
const AUTO_ARCHIVE_MINUTES = 10080;

export function createDiscordAdapter(config: DiscordConfig): ChannelAdapter & { team: TeamPort; rest: REST } {
  const rest = createDiscordRest(config.token, config.apiUrl, { retries: config.restRetries });
  const verify = createVerifier(config.publicKey);

  async function call<T>(request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T;
    } catch (err) {
      if ((err as { status?: number }).status === 401) rest.setToken(config.token); // discord.js drops it on a 401
      throw wrapDiscordError(err);
    }
  }

  async function post(channelId: string, text: string, onCall?: readonly string[]): Promise<void> {
    for (const body of renderText(text, onCall)) await call(() => rest.post(Routes.channelMessages(channelId), { body }));
  }

  /** Starts the card's thread, named by its ticket number. A message that has one already shares its id. */
  async function startThread(ref: TeamPostRef): Promise<string> {
    const message = await call<unknown>(() => rest.get(Routes.channelMessage(ref.channelId, ref.messageId)));
    const name = numberOfCardMessage(message) ?? 'Linka';
    try {
      const thread = await call<{ id: string }>(() =>
        rest.post(Routes.threads(ref.channelId, ref.messageId), { body: { name, auto_archive_duration: AUTO_ARCHIVE_MINUTES } }),
      );
      return thread.id;
    } catch (err) {
      // Made before, but its id was not saved (a crash, a lost answer): threads share their message's id.
      if (discordCode((err as Error).cause) === THREAD_ALREADY_CREATED) return ref.messageId;
      throw err;
    }
  }

  const team: TeamPort = {
    platform: 'discord',
    async postTicket(card: TicketCard) {
      const message = await call<{ id: string; channel_id?: string }>(() => rest.post(Routes.channelMessages(config.queueChannel), { body: renderCard(card) }));
      return { channelId: message.channel_id ?? config.queueChannel, messageId: message.id, threadId: null };
    },
    async updateTicket(ref, card) {
      await call(() => rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: renderCard(card) }));
    },
    async postToThread(ref, text) {
      const created = ref.threadId ? null : await startThread(ref);
      await post(created ?? (ref.threadId as string), text);
      return created ? { threadId: created } : {};
    },
    async postToChannel(text, opts) {
      await post(
        opts?.status && config.statusChannel ? config.statusChannel : config.queueChannel,
        text,
        opts?.mentionOnCall ? (config.onCall ?? []) : undefined,
      );
    },
  };

  function routes(deps: AdapterDeps): Route[] {
    const handle = createInteractionHandler(deps, config);
    return [
      {
        method: 'POST',
        path: DISCORD_INTERACTIONS_PATH,
        async handler({ req, body }) {
          const header = (name: string) => {
            const v = req.headers[name];
            return Array.isArray(v) ? v[0] : v;
          };
          if (!verify(header('x-signature-ed25519'), header('x-signature-timestamp'), body)) {
            return json(401, { error: 'invalid request signature' });
          }
          let payload: unknown;
          try {
            payload = parseJson(body.toString('utf8'));
          } catch {
            return json(400, { error: 'body is not JSON' });
          }
          const parsed = parseInteraction(payload);
          if (parsed.kind === 'invalid') return json(400, { error: parsed.reason });
          return json(200, await handle(parsed));
        },
      },
    ];
  }

  return { team, routes, rest };
}
