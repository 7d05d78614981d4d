// A fake Slack Web API on 127.0.0.1 for @slack/bolt's WebClient: POST /api/<method>, form
// bodies (nested values such as `blocks` are JSON strings), answers like Slack's.
// Also builds signed requests to Linka's /slack/events as Slack would send them.
import { slackSignature } from '../../adapters/slack/receiver.js';
import type { FakeServer, RecordedRequest } from './fake-server.js';
import { startFakeServer } from './fake-server.js';

export interface SlackFake extends FakeServer {
  /** Calls of one Web API method, in order, with `blocks` parsed. */
  calls(method: string): Array<Record<string, unknown>>;
  /** Display names users.info answers with (user id -> name). */
  users: Map<string, string>;
  /** Members usergroups.users.list answers with (group id -> user ids). */
  groups: Map<string, string[]>;
}

export const BOT_USER = 'UBOT';
export const BOT_ID = 'BBOT';

export async function startSlackFake(): Promise<SlackFake> {
  let ts = 1795300000;
  const users = new Map<string, string>();
  const groups = new Map<string, string[]>();
  const methodOf = (r: RecordedRequest) => /^\/api\/([\w.]+)/.exec(r.path)?.[1] ?? '';
  const server = await startFakeServer((req) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const ok = (result: Record<string, unknown> = {}) => ({ status: 200, body: { ok: true, ...result } });
    const fail = (error: string) => ({ status: 200, body: { ok: false, error } });
    if (req.headers.authorization !== 'Bearer xoxb-test') return fail('invalid_auth');
    switch (methodOf(req)) {
      case 'auth.test':
        return ok({ url: 'https://linka-test.slack.example/', team: 'Linka', user: 'linka', team_id: 'T1', user_id: BOT_USER, bot_id: BOT_ID });
      case 'chat.postMessage': {
        if (!body.channel) return fail('channel_not_found');
        const messageTs = `${++ts}.000100`;
        return ok({ channel: body.channel, ts: messageTs, message: { type: 'message', text: body.text, ts: messageTs, bot_id: BOT_ID } });
      }
      case 'chat.update':
        return ok({ channel: body.channel, ts: body.ts, text: body.text });
      case 'chat.postEphemeral':
        return ok({ message_ts: `${++ts}.000200` });
      case 'users.info': {
        const name = users.get(body.user ?? '');
        if (name === undefined) return fail('user_not_found');
        return ok({
          user: { id: body.user, name: name.toLowerCase(), real_name: `${name} (real)`, profile: { display_name: name, real_name: `${name} (real)` } },
        });
      }
      case 'usergroups.users.list': {
        const members = groups.get(body.usergroup ?? '');
        return members ? ok({ users: members }) : fail('no_such_subteam');
      }
      default:
        return fail('unknown_method');
    }
  });
  return Object.assign(server, {
    users,
    groups,
    calls: (method: string) =>
      server.requests
        .filter((r) => methodOf(r) === method)
        .map((r) => {
          const body = { ...((r.body ?? {}) as Record<string, unknown>) };
          if (typeof body.blocks === 'string') body.blocks = JSON.parse(body.blocks);
          return body;
        }),
  });
}

export const SIGNING_SECRET = 'test-signing-secret';

/** A request to /slack/events: its raw body, content type and Slack's headers. */
export interface SlackDelivery {
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

/** Signs `body` as Slack does (v0, HMAC-SHA256 of "v0:<ts>:<body>"), at `timestamp` (default now). */
export function signed(body: string, contentType: string, opts: { timestamp?: number; secret?: string; extra?: Record<string, string> } = {}): SlackDelivery {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    contentType,
    headers: {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(opts.secret ?? SIGNING_SECRET, timestamp, body),
      ...opts.extra,
    },
  };
}

/** Sends a delivery to Linka; returns status and body (parsed when JSON). */
export async function deliver(base: string, d: SlackDelivery): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': d.contentType, ...d.headers }, body: d.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text };
}

let seq = 0;

/** Bodies as Slack sends them. */
export const slack = {
  /** A button click on a ticket card (interactivity: form `payload=`). */
  click(action: string, number: string, user: string, opts: { channel?: string; messageTs?: string } = {}): string {
    const payload = {
      type: 'block_actions',
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trig${++seq}`,
      team: { id: 'T1', domain: 'linka-test' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
      channel: { id: opts.channel ?? 'CQUEUE', name: 'podpora' },
      container: { type: 'message', message_ts: opts.messageTs ?? '1.0', channel_id: opts.channel ?? 'CQUEUE', is_ephemeral: false },
      message: { type: 'message', ts: opts.messageTs ?? '1.0', bot_id: BOT_ID, text: number },
      response_url: 'http://127.0.0.1:9/unused',
      actions: [
        {
          type: 'button',
          action_id: `linka_${action}`,
          block_id: 'linka_actions',
          value: number,
          text: { type: 'plain_text', text: action },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  },
  /** A message event in a channel (a thread reply when `threadTs` is given). */
  message(
    text: string,
    user: string,
    opts: { channel?: string; threadTs?: string; eventId?: string; subtype?: string; botId?: string; files?: Array<Record<string, unknown>> } = {},
  ): string {
    const ts = `${1795400000 + ++seq}.000300`;
    return JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${seq}`,
      event_time: 1795400000,
      authorizations: [{ team_id: 'T1', user_id: BOT_USER, is_bot: true }],
      event: {
        type: 'message',
        channel: opts.channel ?? 'CQUEUE',
        channel_type: 'channel',
        user,
        text,
        ts,
        event_ts: ts,
        ...(opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: BOT_USER } : {}),
        ...(opts.subtype ? { subtype: opts.subtype } : {}),
        ...(opts.botId ? { bot_id: opts.botId } : {}),
        // A file shared with the message, as Slack sends it (subtype "file_share", `files`, `upload`).
        ...(opts.files ? { files: opts.files, upload: true, display_as_bot: false } : {}),
      },
    });
  },
  /** A slash command (form). */
  command(text: string, user: string, command = '/linka'): string {
    return new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'linka-test',
      channel_id: 'CQUEUE',
      channel_name: 'podpora',
      user_id: user,
      user_name: user.toLowerCase(),
      command,
      text,
      api_app_id: 'A1',
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: `trig${++seq}`,
    }).toString();
  },
};

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
