/**
 * The Slack team channel, on the real Bolt App: `POST /slack/events` takes events, button
 * clicks and `/linka` commands (signature checked by LinkaReceiver); ticket cards and their
 * threads go out through the TeamPort (the outbox calls it). Technicians' actions go to the
 * queue; the adapter only translates and answers the clicker.
 */
import { App, LogLevel, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { LinkaConfig } from '../../src/config/schema.js';
import type { Lang } from '../../src/engine/types.js';
import { t } from '../../src/messages/index.js';
import type { Route } from '../../src/runtime/routes.js';
import type { Logger } from '../../src/observability/logger.js';
import type { AdapterDeps, ChannelAdapter } from '../../src/runtime/ports.js';
import type { Technician } from '../../src/services/queue.js';
import { createTeamActions } from '../team/actions.js';
import { createTechnicianDirectory } from './auth.js';
import { createCommandRouter, runCommand, type CommandRouter } from './commands.js';
import { noteText, slackEventDedupeId, threadReplyOf } from './parse.js';
import { createSlackTeamPort } from './port.js';
import { LinkaReceiver } from './receiver.js';
import { cardActionOf, escapeSlack } from './render.js';

export { parseDuration, parseTicketNumber } from '../../src/domain/team-commands.js';
export { parseSlackRequest, slackTextToPlain, threadReplyOf } from './parse.js';
export { renderTicketCard } from './render.js';
export { slackSignature } from './receiver.js';
export { toPlatformError } from './port.js';
export type { CommandRouter, SubCommand } from './commands.js';

/** The path Slack posts events, interactivity and slash commands to. */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackConfig {
  token: string;
  signingSecret: string;
  /** The Web API's base URL (SLACK_API_URL): "https://slack-gov.com/api/", or a fake's "http://127.0.0.1:4000". */
  apiUrl?: string;
  slack: LinkaConfig['slack'];
  /** Thread messages starting with it stay internal (config.team.notePrefix). */
  notePrefix: string;
  teamLanguage: Lang;
  timezone: string;
  ticketPrefix: string;
  log: Logger;
  /**
   * The WebClient's own retries of network errors and 5xx (default 2, within about a second);
   * the outbox retries the rest with backoff. Tests pass 0.
   */
  retries?: number;
  /** How long an HTTP response waits for the listeners before acking anyway (default 2500 ms). */
  ackWaitMs?: number;
}

/** The WebClient's slackApiUrl for SLACK_API_URL: a bare origin gets Slack's "/api/" path. */
export function slackApiUrl(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  const url = new URL(apiUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

/** Bolt's and the WebClient's log lines, into Linka's logger. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function createSlackAdapter(
  config: SlackConfig,
): ChannelAdapter & { app: App; client: webApi.WebClient; commands: CommandRouter; receiver: LinkaReceiver } {
  const { log, teamLanguage: lang } = config;
  const retries = config.retries ?? 2;
  let initializing: Promise<void> | null = null;
  /** auth.test runs once it is needed, and again after a failure (Bolt's own start-up call would crash the process on one). */
  const ready = (): Promise<void> => {
    initializing ??= app.init().catch((err: unknown) => {
      initializing = null;
      throw err;
    });
    return initializing;
  };
  /** Whether a listener's error means the database is unreachable (deps.isUnavailable, once routes() has the deps). */
  let isUnavailable: (err: unknown) => boolean = () => false;
  const receiver = new LinkaReceiver({
    signingSecret: config.signingSecret,
    log,
    ready,
    ackWaitMs: config.ackWaitMs,
    isUnavailable: (err) => isUnavailable(err),
  });
  const app = new App({
    token: config.token,
    signingSecret: config.signingSecret,
    receiver,
    deferInitialization: true,
    convoStore: false,
    logger: boltLogger(log),
    clientOptions: {
      slackApiUrl: slackApiUrl(config.apiUrl),
      retryConfig: { retries, factor: 2, minTimeout: 200, maxTimeout: 800 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    },
  });
  const client = app.client;
  const team = createSlackTeamPort(client, config.slack.queueChannel, config.slack.onCall, config.slack.statusChannel);
  const commands = createCommandRouter();
  if (!config.slack.technicians.length && !config.slack.technicianGroup) {
    log.warn('slack: neither slack.technicians nor slack.technicianGroup is set; nobody can act on tickets from Slack');
  }

  let routed = false;
  function routes(deps: AdapterDeps): Route[] {
    // The listeners close over `deps`: registering them twice would act twice on each click.
    if (routed) throw new Error('slack: routes() may be called once');
    routed = true;
    isUnavailable = deps.isUnavailable;
    const clock = deps.clock ?? (() => new Date());
    const directory = createTechnicianDirectory({
      client,
      technicians: config.slack.technicians,
      technicianGroup: config.slack.technicianGroup,
      log,
      now: () => clock().getTime(),
    });
    const actions = createTeamActions(deps, 'slack');
    /** Tells one person something only they see, in the channel (and thread) they acted in. Best effort. */
    async function whisper(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
      await client.chat
        .postEphemeral({ channel, user, text: escapeSlack(text), ...(threadTs ? { thread_ts: threadTs } : {}) })
        .catch((err: unknown) => log.warn({ err: String(err) }, 'slack: chat.postEphemeral failed'));
    }

    // Card buttons. The card itself is updated by the core through the outbox. Slack does not
    // resend interactive payloads, so a click has no id to de-duplicate by.
    app.action({ type: 'block_actions', action_id: /^linka_/ }, async ({ ack, body, action }) => {
      await ack();
      const kind = 'action_id' in action ? cardActionOf(action.action_id) : null;
      const number = 'value' in action && typeof action.value === 'string' ? action.value : '';
      const channel = body.channel?.id ?? config.slack.queueChannel;
      if (!kind || !number) return;
      if (!(await directory.mayAct(body.user.id))) return whisper(channel, body.user.id, t(lang, 'team.notAllowed'));
      const tech = await directory.technician(body.user.id);
      const result = await actions.once(null, () => actions.card(kind, number, tech));
      if (result !== 'duplicate' && !result.ok) await whisper(channel, body.user.id, result.message);
    });

    // Replies in a card's thread: to the customer, or an internal note. Slack resends an event
    // it got no answer to: its event_id is acted on once.
    app.event('message', async ({ event, body }) => {
      const reply = threadReplyOf(event as unknown as Record<string, unknown>);
      if ('ignored' in reply) return;
      const number = await deps.teamThreads.ticketOfThread('slack', { channelId: reply.channel, threadId: reply.threadTs });
      if (!number || !(await directory.mayAct(reply.user))) return;
      const eventId = (body as { event_id?: string }).event_id;
      const result = await actions.once(slackEventDedupeId(eventId ?? `${reply.channel}:${reply.ts}`), async () => {
        // The thread already shows these words: the queue copies them only to other platforms.
        const tech: Technician = { ...(await directory.technician(reply.user)), echoed: true };
        const note = noteText(reply.text, config.notePrefix);
        return note === null ? deps.queue.reply(number, tech, reply.text) : note ? deps.queue.note(number, tech, note) : null;
      });
      if (result && result !== 'duplicate' && !result.ok) await whisper(reply.channel, reply.user, result.message, reply.threadTs);
    });

    // `/linka ...` (whatever the command is named in the app's settings).
    app.command(/^\//, async ({ command, ack }) => {
      const text = await runCommand(
        commands,
        command.text ?? '',
        {
          command: command.command,
          userId: command.user_id,
          technician: () => directory.technician(command.user_id),
          queue: deps.queue,
          outages: deps.outages,
          actions,
          lang,
          timezone: config.timezone,
          ticketPrefix: config.ticketPrefix,
          now: clock,
        },
        () => directory.mayAct(command.user_id),
      );
      await ack({ response_type: 'ephemeral', text: escapeSlack(text) });
    });

    // Start auth.test now, so the first click does not wait for it; a failure is retried on demand.
    void ready().catch((err: unknown) => log.warn({ err: String(err) }, 'slack: auth.test failed; retrying with the next request'));
    return [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: (r) => receiver.handle(r) }];
  }

  return { team, routes, app, client, commands, receiver };
}
