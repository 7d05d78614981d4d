/**
 * Twilio webhooks -> Linka: form bodies, inbound SMS -> InboundEnvelope, status callbacks ->
 * DeliveryReport. Conversation ids are "sms:<E.164>", encoded and decoded only here.
 */
import type { CoreEvent } from '../../src/engine/types.js';
import { toE164 } from '../../src/domain/phone.js';
import type { InboundEnvelope } from '../../src/runtime/dispatch.js';
import type { DeliveryReport, DeliveryStatus } from '../../src/runtime/delivery-status.js';

/** Form parameters; a key sent more than once keeps every value (Twilio signs them all). */
export type FormParams = Record<string, string | string[]>;

/** Encodes the conversation id of a phone number in E.164. */
export function smsConversationId(e164: string): string {
  return `sms:${e164}`;
}

/** Decodes an SMS conversation id to its E.164 number; null when it is not one. */
export function smsNumberOf(conversationId: string): string | null {
  const m = /^sms:(\+[1-9]\d{6,14})$/.exec(conversationId);
  return m ? (m[1] as string) : null;
}

/** A percent sign not followed by two hex digits: not valid form encoding. */
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * Parses an `application/x-www-form-urlencoded` body; null when the content type is another,
 * the body is not UTF-8 or holds a broken percent-escape.
 */
export function parseForm(contentType: string | undefined, body: Buffer): FormParams | null {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(body);
    if (BAD_ESCAPE.test(raw)) return null;
    decodeURIComponent(raw.replace(/\+/g, ' ')); // throws on escapes that are not UTF-8
  } catch {
    return null;
  }
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const had = params[key];
    params[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return params;
}

function one(params: FormParams, key: string): string | undefined {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Folds case and diacritics: "Odhlásiť" -> "odhlasit". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[.!]+$/, '')
    .trim();
}

const OPT_OUT = new Set(['stop', 'stopall', 'unsubscribe', 'odhlasit']);
const OPT_IN = new Set(['start', 'unstop', 'prihlasit']);

/** A whole-message STOP / START (or ODHLÁSIT / PŘIHLÁSIT, ODHLÁSIŤ / PRIHLÁSIŤ) as an event. */
export function optKeyword(text: string): CoreEvent | null {
  const word = fold(text);
  if (OPT_OUT.has(word)) return { kind: 'optOut' };
  if (OPT_IN.has(word)) return { kind: 'optIn' };
  return null;
}

/** The language a number's country suggests, used only until the customer is known. */
function langHintOf(e164: string): string | undefined {
  if (e164.startsWith('+420')) return 'cs';
  if (e164.startsWith('+421')) return 'sk';
  return undefined;
}

function mediaKindOf(contentType: string | undefined): 'photo' | 'video' | 'voice' | 'document' {
  if (contentType?.startsWith('image/')) return 'photo';
  if (contentType?.startsWith('video/')) return 'video';
  if (contentType?.startsWith('audio/')) return 'voice';
  return 'document';
}

export type ParsedInbound =
  | { kind: 'event'; envelope: InboundEnvelope }
  /** Well signed but not something to answer (a sender that is not a phone number). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Translates an inbound SMS (or MMS) webhook. */
export function parseTwilioInbound(params: FormParams, phoneRegion: string): ParsedInbound {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  const from = one(params, 'From');
  const body = one(params, 'Body');
  if (!sid) return { kind: 'invalid', reason: 'MessageSid is missing' };
  if (!from) return { kind: 'invalid', reason: 'From is missing' };
  if (body === undefined) return { kind: 'invalid', reason: 'Body is missing' };
  const phone = toE164(from, phoneRegion);
  if (!phone) return { kind: 'ignored', reason: 'the sender is not a phone number (short code or alphanumeric id)' };
  const media = Number(one(params, 'NumMedia') ?? 0);
  let event: CoreEvent;
  if (Number.isInteger(media) && media > 0) {
    const caption = body.trim();
    event = { kind: 'media', mediaKind: mediaKindOf(one(params, 'MediaContentType0')), fileId: one(params, 'MediaUrl0'), ...(caption ? { caption } : {}) };
  } else {
    event = optKeyword(body) ?? { kind: 'text', text: body };
  }
  return {
    kind: 'event',
    envelope: {
      dedupeId: `twilio:sms:${sid}`,
      conversationId: smsConversationId(phone),
      channel: 'sms',
      event,
      sender: { phone, langHint: langHintOf(phone) },
      platformMessageId: sid,
    },
  };
}

const STATUSES = new Set<string>(['queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed']);

/**
 * Twilio error codes after which sending to the number again cannot help
 * (https://www.twilio.com/docs/api/errors), with what they mean.
 */
export const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  21211: "invalid 'To' phone number",
  21214: "'To' phone number cannot be reached",
  21408: 'sending to this region is not enabled',
  21610: 'the recipient unsubscribed (STOP)',
  21612: 'Twilio cannot route to this number',
  21614: "'To' number is not a mobile number",
  30004: 'message blocked by the recipient or carrier',
  30005: 'unknown destination handset',
  30006: 'landline or unreachable carrier',
};

/** What passing error codes mean, for the history. */
const TEMPORARY_ERRORS: Readonly<Record<string, string>> = {
  30001: 'queue overflow',
  30002: 'account suspended',
  30003: 'unreachable destination handset',
  30007: 'message filtered by the carrier',
  30008: 'unknown error',
  30009: 'missing segment',
  30010: 'message price exceeds max price',
};

/** Describes a Twilio error code: what it means and whether it is permanent. */
export function twilioErrorInfo(code: string | number | undefined | null): { text: string | null; permanent: boolean } {
  const key = code === undefined || code === null ? '' : String(code);
  const permanent = PERMANENT_ERRORS[key];
  if (permanent) return { text: permanent, permanent: true };
  return { text: TEMPORARY_ERRORS[key] ?? null, permanent: false };
}

export type ParsedStatus = { kind: 'report'; report: DeliveryReport } | { kind: 'ignored'; reason: string } | { kind: 'invalid'; reason: string };

/** Translates a status callback (MessageSid, MessageStatus, ErrorCode). */
export function parseTwilioStatus(params: FormParams): ParsedStatus {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  const status = (one(params, 'MessageStatus') ?? one(params, 'SmsStatus'))?.toLowerCase();
  if (!sid) return { kind: 'invalid', reason: 'MessageSid is missing' };
  if (!status) return { kind: 'invalid', reason: 'MessageStatus is missing' };
  if (!STATUSES.has(status)) return { kind: 'ignored', reason: `status ${status} is not tracked` };
  const errorCode = one(params, 'ErrorCode')?.trim() || null;
  const info = twilioErrorInfo(errorCode);
  return {
    kind: 'report',
    report: {
      channel: 'sms',
      platform: 'twilio',
      platformMessageId: sid,
      status: status as DeliveryStatus,
      errorCode,
      errorText: info.text,
      permanent: info.permanent,
      dedupeId: `twilio:status:${sid}:${status}`,
    },
  };
}
