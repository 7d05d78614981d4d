/**
 * Slack requests -> what Linka acts on: the body of `POST /slack/events` (Events API JSON,
 * interactivity `payload=`, slash-command forms), thread replies, `/linka` arguments.
 * Technician ids are "slack:<user id>"; no business decisions here.
 */
import { parseJson } from '../../src/runtime/routes.js';

/** The opaque id of a Slack user acting as a technician. */
export function slackTechnicianId(userId: string): string {
  return `slack:${userId}`;
}

/** The ProcessedInbound id of an Events API delivery (retries carry the same event_id). */
export function slackEventDedupeId(eventId: string): string {
  return `slack:event:${eventId}`;
}

/** What a request to `/slack/events` is, once its signature is checked. */
export type SlackRequest =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'ssl_check' }
  /** Anything Bolt processes: an event callback, an interactive payload, a slash command. */
  | { kind: 'bolt'; type: 'event' | 'interactive' | 'command'; body: Record<string, unknown> }
  | { kind: 'malformed'; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Absent, or a value of the kind Slack sends there (Bolt reads these without checking). */
const absentOr = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);
const text = (v: unknown) => typeof v === 'string';
const textOrNull = (v: unknown) => v === null || typeof v === 'string';
const objectOrNull = (v: unknown) => v === null || isObject(v);
const withId = (v: unknown) => isObject(v) && absentOr(v.id, textOrNull);

/**
 * What is wrong with the fields of an interactive payload that Bolt and Linka read (the user,
 * team, channel, container, view, a click's actions), or null. Slack never sends such a
 * payload; Bolt would throw on it.
 */
function interactiveProblem(body: Record<string, unknown>): string | null {
  if (!isObject(body.user) || typeof body.user.id !== 'string' || !absentOr(body.user.team_id, textOrNull)) return 'payload without a user id';
  const ok =
    absentOr(body.team, (v) => v === null || withId(v)) &&
    absentOr(body.enterprise, (v) => v === null || withId(v)) &&
    absentOr(body.channel, withId) &&
    absentOr(body.container, isObject) &&
    absentOr(body.message, isObject) &&
    absentOr(body.view, isObject) &&
    (!['view_submission', 'view_closed'].includes(body.type as string) || isObject(body.view)) &&
    absentOr(
      body.actions,
      (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((a) => isObject(a) && text(a.action_id) && absentOr(a.block_id, text) && absentOr(a.value, text) && absentOr(a.type, text)),
    );
  return ok ? null : 'payload with a malformed user, team, channel, container, view or actions';
}

/** The same for an event callback's envelope and event (channel, user, item, message...). */
function eventProblem(body: Record<string, unknown>): string | null {
  const e = body.event as Record<string, unknown>;
  const ok =
    absentOr(body.authorizations, (v) => Array.isArray(v) && v.every(isObject)) &&
    [body.team_id, body.enterprise_id, body.api_app_id].every((v) => absentOr(v, textOrNull)) &&
    absentOr(e.channel, (v) => text(v) || withId(v)) &&
    absentOr(e.user, (v) => text(v) || withId(v)) &&
    absentOr(e.channel_id, text) &&
    absentOr(e.item, (v) => isObject(v) && absentOr(v.channel, text)) &&
    absentOr(e.message, objectOrNull) &&
    absentOr(e.previous_message, objectOrNull) &&
    [e.subtype, e.bot_id, e.ts, e.thread_ts, e.event_ts, e.text, e.channel_type].every((v) => absentOr(v, textOrNull));
  return ok ? null : 'event_callback with a malformed event';
}

/** Parses the raw body by its content type (JSON for events, forms for interactivity and commands). */
export function parseSlackRequest(raw: string, contentType: string | undefined): SlackRequest {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  let body: unknown;
  if (type === 'application/json') {
    try {
      body = parseJson(raw);
    } catch {
      return { kind: 'malformed', reason: 'body is not JSON' };
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (typeof form.payload === 'string') {
      try {
        body = parseJson(form.payload);
      } catch {
        return { kind: 'malformed', reason: 'payload is not JSON' };
      }
      if (!isObject(body) || typeof body.type !== 'string') return { kind: 'malformed', reason: 'payload without a type' };
      const problem = interactiveProblem(body);
      return problem ? { kind: 'malformed', reason: problem } : { kind: 'bolt', type: 'interactive', body };
    }
    if (form.ssl_check) return { kind: 'ssl_check' };
    if (typeof form.command === 'string' && form.command.startsWith('/')) {
      if (!form.user_id) return { kind: 'malformed', reason: 'slash command without user_id' };
      return { kind: 'bolt', type: 'command', body: form };
    }
    return { kind: 'malformed', reason: 'form is neither an interactive payload nor a slash command' };
  } else {
    return { kind: 'malformed', reason: `unexpected content type ${type || '(none)'}` };
  }
  if (!isObject(body)) return { kind: 'malformed', reason: 'body is not an object' };
  if (body.type === 'url_verification') {
    return typeof body.challenge === 'string'
      ? { kind: 'url_verification', challenge: body.challenge }
      : { kind: 'malformed', reason: 'url_verification without challenge' };
  }
  if (body.type === 'event_callback') {
    if (!isObject(body.event) || typeof body.event.type !== 'string') return { kind: 'malformed', reason: 'event_callback without an event' };
    if (typeof body.event_id !== 'string') return { kind: 'malformed', reason: 'event_callback without event_id' };
    const problem = eventProblem(body);
    if (problem) return { kind: 'malformed', reason: problem };
    return { kind: 'bolt', type: 'event', body };
  }
  return { kind: 'malformed', reason: `unknown body type ${JSON.stringify(body.type)}` };
}

/** A technician's reply in a ticket card's thread. */
export interface ThreadReply {
  user: string;
  channel: string;
  /** The card's ts: the thread's parent. */
  threadTs: string;
  ts: string;
  text: string;
}

/** Plain message subtypes a person writes; everything else (edits, joins, bots, files) is not a reply. */
const HUMAN_SUBTYPES = new Set([undefined, 'thread_broadcast']);

/** A `message` event that is a person's reply in a thread, or why it is not one. */
export function threadReplyOf(event: Record<string, unknown>): ThreadReply | { ignored: string } {
  if (event.type !== 'message') return { ignored: 'not a message' };
  if (!HUMAN_SUBTYPES.has(event.subtype as string | undefined)) return { ignored: `subtype ${String(event.subtype)}` };
  if (event.bot_id || event.bot_profile) return { ignored: 'a bot wrote it' };
  const { user, channel, thread_ts: threadTs, ts, text } = event;
  if (typeof user !== 'string' || typeof channel !== 'string' || typeof ts !== 'string') return { ignored: 'no user, channel or ts' };
  if (typeof threadTs !== 'string' || threadTs === ts) return { ignored: 'not in a thread' };
  const plain = slackTextToPlain(typeof text === 'string' ? text : '').trim();
  if (!plain) return { ignored: 'no text' };
  return { user, channel, threadTs, ts, text: plain };
}

/**
 * Slack's message markup -> plain text for a customer: links `<url|label>` become
 * "label (url)", mentions lose their brackets, and &amp; &lt; &gt; are unescaped.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<((?:https?|mailto|tel):[^|>]+)\|([^>]+)>/g, (_, url: string, label: string) =>
      label === url.replace(/^(mailto|tel):/, '') ? label : `${label} (${url})`,
    )
    .replace(/<((?:https?|mailto|tel):[^>]+)>/g, (_, url: string) => url.replace(/^(mailto|tel):/, ''))
    .replace(/<[@#!]([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<([@#])([^>]+)>/g, '$1$2')
    .replace(/<!([^>]+)>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** If `text` starts with the note prefix (any case), the note's text; otherwise null. */
export function noteText(text: string, prefix: string): string | null {
  const trimmed = text.trimStart();
  if (!trimmed.toLowerCase().startsWith(prefix.toLowerCase())) return null;
  return trimmed.slice(prefix.length).trim();
}

/** `/linka claim T-2026-00042` -> { name: 'claim', args: ['T-2026-00042'], rest: 'T-2026-00042' }. */
export function parseCommandText(text: string): { name: string; rest: string } {
  const trimmed = text.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  return m ? { name: (m[1] as string).toLowerCase(), rest: (m[2] as string).trim() } : { name: '', rest: '' };
}

/** Splits off the first word: "T-2026-00042 the rest" -> ["T-2026-00042", "the rest"]. */
export function firstWord(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? [m[1] as string, (m[2] as string).trim()] : ['', ''];
}
