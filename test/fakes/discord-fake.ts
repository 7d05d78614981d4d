// A fake Discord REST API (v10) on 127.0.0.1 for discord.js's REST client: channel messages
// (post, edit, get), threads started from a message (their id is the message's, as on
// Discord), the current application and its global commands. Unknown channels get 404.
import type { FakeServer, RecordedRequest } from './fake-server.js';
import { startFakeServer } from './fake-server.js';

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: Array<{ title?: string; description?: string; color?: number; fields?: Array<{ name: string; value: string; inline?: boolean }> }>;
  components: Array<{ type: number; components: Array<{ type: number; style: number; label: string; custom_id: string }> }>;
}

export interface DiscordFake extends FakeServer {
  /** Messages by id, as they are now. */
  messages: Map<string, FakeMessage>;
  /** Thread channel id -> name. */
  threads: Map<string, string>;
  /** What PUT applications/:id/commands registered. */
  commands: unknown[];
  /** Requests matching a method and a path pattern (without the /api/v10 prefix). */
  calls(method: string, path: RegExp): RecordedRequest[];
  /** Messages posted in a channel, oldest first. */
  inChannel(channelId: string): FakeMessage[];
}

export const APP_ID = '1100000000000000001';
const PREFIX = '/api/v10';

export async function startDiscordFake(opts: { channels: string[] }): Promise<DiscordFake> {
  let seq = 1200000000000000000n;
  const nextId = () => String(++seq);
  const channels = new Set(opts.channels);
  const messages = new Map<string, FakeMessage>();
  const threads = new Map<string, string>();
  const commands: unknown[] = [];
  const notFound = (code: number, message: string) => ({ status: 404, body: { code, message } });

  const server = await startFakeServer((req) => {
    const path = req.path.startsWith(PREFIX) ? req.path.slice(PREFIX.length) : req.path;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (req.headers.authorization !== 'Bot discord-test-token') return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === '/applications/@me') return { status: 200, body: { id: APP_ID, name: 'Linka Test' } };
    if ((m = /^\/applications\/(\d+)\/commands$/.exec(path)) && req.method === 'PUT') {
      if (m[1] !== APP_ID) return notFound(10002, 'Unknown Application');
      commands.splice(0, commands.length, ...(body as unknown as unknown[]));
      return { status: 200, body: commands.map((c, i) => ({ ...(c as object), id: `${APP_ID}${i}`, application_id: APP_ID, version: '1' })) };
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && req.method === 'POST') {
      const channelId = m[1] as string;
      if (!channels.has(channelId) && !threads.has(channelId)) return notFound(10003, 'Unknown Channel');
      const message: FakeMessage = {
        id: nextId(),
        channel_id: channelId,
        content: String(body.content ?? ''),
        embeds: (body.embeds ?? []) as FakeMessage['embeds'],
        components: (body.components ?? []) as FakeMessage['components'],
      };
      messages.set(message.id, message);
      return { status: 200, body: message };
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const message = messages.get(m[2] as string);
      if (!message || message.channel_id !== m[1]) return notFound(10008, 'Unknown Message');
      if (req.method === 'GET') return { status: 200, body: message };
      if (req.method === 'PATCH') {
        if ('content' in body) message.content = String(body.content);
        if ('embeds' in body) message.embeds = body.embeds as FakeMessage['embeds'];
        if ('components' in body) message.components = body.components as FakeMessage['components'];
        return { status: 200, body: message };
      }
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && req.method === 'POST') {
      const message = messages.get(m[2] as string);
      if (!message || message.channel_id !== m[1]) return notFound(10008, 'Unknown Message');
      if (threads.has(message.id)) return { status: 400, body: { code: 160004, message: 'A thread has already been created for this message' } };
      threads.set(message.id, String(body.name));
      return { status: 201, body: { id: message.id, type: 11, parent_id: m[1], name: body.name } };
    }
    return { status: 404, body: { code: 0, message: '404: Not Found' } };
  });

  return Object.assign(server, {
    messages,
    threads,
    commands,
    calls: (method: string, path: RegExp) => server.requests.filter((r) => r.method === method && path.test(r.path.slice(PREFIX.length))),
    inChannel: (channelId: string) => [...messages.values()].filter((msg) => msg.channel_id === channelId),
  });
}
