/**
 * Twilio's REST client, aimed at TWILIO_API_URL when set (a fake in tests), and its
 * failures as LinkaErrors: a 429 carries Retry-After, an unreachable number is permanent.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponse from 'twilio/lib/http/response.js';
import { platformError, type LinkaError } from '../../src/errors.js';
import { twilioErrorInfo } from './parse.js';

/** A 429 from Twilio; twilio's own RestException drops the headers, so the client throws this instead. */
export class TwilioRateLimited extends Error {
  constructor(
    readonly retryAfterMs: number | undefined,
    readonly code: number | undefined,
  ) {
    super(`HTTP 429 Too Many Requests${code ? `, error ${code}` : ''}`);
    this.name = 'TwilioRateLimited';
  }
}

/** Reads Retry-After (seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function codeOf(body: unknown): number | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const code = (parsed as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** twilio.RequestClient that rewrites the protocol and host (and a base path) of every call to `apiUrl`. */
export class TwilioHttpClient extends twilio.RequestClient {
  private readonly base: URL | null;

  constructor(apiUrl: string | undefined, timeoutMs: number) {
    super({ timeout: timeoutMs, autoRetry: false });
    this.base = apiUrl ? new URL(apiUrl) : null;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse.default<TData>> {
    const res = await super.request<TData>({ ...opts, uri: this.rewrite(opts.uri) });
    if (res.statusCode === 429) {
      const headers = (res.headers ?? {}) as Record<string, unknown>;
      throw new TwilioRateLimited(retryAfterMs(headers['retry-after']), codeOf(res.body));
    }
    return res;
  }

  private rewrite(uri: string): string {
    if (!this.base) return uri;
    const u = new URL(uri);
    const prefix = this.base.pathname.replace(/\/$/, '');
    return `${this.base.protocol}//${this.base.host}${prefix}${u.pathname}${u.search}`;
  }
}

/**
 * Wraps a failed REST call. The message names the HTTP status and Twilio's error code but
 * not Twilio's text, which repeats the customer's number into logs.
 */
export function toPlatformError(err: unknown): LinkaError {
  if (err instanceof TwilioRateLimited) {
    return err.retryAfterMs === undefined ? platformError('twilio', err) : platformError('twilio', err, { retryAfterMs: err.retryAfterMs });
  }
  const { status, code } = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; code?: unknown };
  if (typeof status === 'number') {
    const info = twilioErrorInfo(typeof code === 'number' || typeof code === 'string' ? code : undefined);
    const what = `HTTP ${status}${code !== undefined && code !== null ? `, error ${String(code)}` : ''}${info.text ? ` (${info.text})` : ''}`;
    return platformError('twilio', new Error(what, { cause: err }), { permanent: info.permanent });
  }
  return platformError('twilio', err);
}
