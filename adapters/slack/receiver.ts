/**
 * A Bolt Receiver on Linka's own HTTP server: `POST /slack/events` checks Slack's signature,
 * answers url_verification and ssl_check itself, and hands everything else to the real Bolt
 * App (`app.processEvent`) with an `ack` whose argument becomes the HTTP response.
 *
 * The response waits for the listeners (so a failure can answer 500 and Slack retries the
 * event, and what a click did is done when its request returns) but never past `ackWaitMs`:
 * Slack gives up after 3 seconds, so by then the ack is sent and the work goes on.
 */
import { createHmac } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';
import { databaseUnavailable, json, type HttpResponse, type RouteRequest } from '../../src/runtime/routes.js';
import type { Logger } from '../../src/observability/logger.js';
import { parseSlackRequest } from './parse.js';

/** How far a request's timestamp may be from now (Slack's rule: 5 minutes). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** Slack's signature of a request body: what tests and the verifier compute. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface LinkaReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Resolves once the App is ready (auth.test answered); rejects when it cannot be yet. */
  ready: () => Promise<void>;
  /** How long a response waits for the listeners before acking anyway (default 2500 ms). */
  ackWaitMs?: number;
  /** The wall clock the signature window is checked against. */
  nowMs?: () => number;
  /** True when a listener's error means the database is unreachable: answered 503, so Slack retries (AdapterDeps.isUnavailable). */
  isUnavailable?: (err: unknown) => boolean;
}

const header = (req: RouteRequest['req'], name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

type Outcome = { ok: true } | { ok: false; err: unknown };

export class LinkaReceiver implements Receiver {
  private app: App | undefined;
  private readonly pending = new Set<Promise<Outcome>>();

  constructor(private readonly opts: LinkaReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to listen on: Linka's HTTP server carries the route. */
  async start(): Promise<void> {}

  /** Waits for listeners still running after their request was answered. */
  async stop(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** True when the request carries a valid signature made within the window. */
  verified(r: RouteRequest, raw: string): boolean {
    const signature = header(r.req, 'x-slack-signature');
    const tsHeader = header(r.req, 'x-slack-request-timestamp');
    if (!signature || !tsHeader || !/^\d{1,12}$/.test(tsHeader)) return false;
    const ts = Number(tsHeader);
    const nowMs = this.opts.nowMs?.() ?? Date.now();
    // verifySlackRequest refuses old timestamps only; one from the future is as suspicious.
    if (Math.abs(nowMs / 1000 - ts) > SIGNATURE_WINDOW_SECONDS) return false;
    try {
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: nowMs,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** The route handler of `POST /slack/events`. */
  async handle(r: RouteRequest): Promise<HttpResponse> {
    const raw = r.body.toString('utf8');
    if (!this.verified(r, raw)) {
      // Usually a wrong SLACK_SIGNING_SECRET or a server clock more than 5 minutes off.
      this.opts.log.warn(
        { timestamp: header(r.req, 'x-slack-request-timestamp') ?? null },
        'slack: refused a request with a missing, wrong or stale signature',
      );
      return json(401, { error: 'missing, wrong or stale Slack signature' });
    }
    const parsed = parseSlackRequest(raw, header(r.req, 'content-type'));
    if (parsed.kind === 'malformed') return json(400, { error: parsed.reason });
    if (parsed.kind === 'url_verification') return json(200, { challenge: parsed.challenge });
    if (parsed.kind === 'ssl_check') return { status: 200, body: '' };
    const app = this.app;
    if (!app) return json(503, { error: 'slack app not initialised' });
    try {
      await this.opts.ready();
    } catch (err) {
      this.opts.log.warn({ err: String(err) }, 'slack: the app is not ready (auth.test failed); Slack will retry');
      return json(503, { error: 'slack app not ready' });
    }

    let acked = false;
    let response: unknown;
    let onAck: () => void = () => undefined;
    const ackSeen = new Promise<void>((resolve) => {
      onAck = resolve;
    });
    const retryNum = Number(header(r.req, 'x-slack-retry-num'));
    const event: ReceiverEvent = {
      body: parsed.body,
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(header(r.req, 'x-slack-retry-reason') ? { retryReason: header(r.req, 'x-slack-retry-reason') } : {}),
      ack: async (res?: unknown) => {
        if (acked) return; // a second ack changes nothing: the first one is the response
        acked = true;
        response = res;
        onAck();
      },
    };
    const work: Promise<Outcome> = app.processEvent(event).then(
      () => ({ ok: true as const }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
    void work.then((o) => {
      if (!o.ok) this.opts.log.error({ err: o.err instanceof Error ? o.err.message : String(o.err), type: parsed.type }, 'slack: a listener failed');
    });

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.opts.ackWaitMs ?? 2500);
    });
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    if (first === 'late') await Promise.race([ackSeen, work]);
    else if (!first.ok) return this.opts.isUnavailable?.(first.err) ? databaseUnavailable() : json(500, { error: 'processing failed' });
    if (!acked) return json(404, { error: 'no listener handled this request' });
    if (response === undefined || response === null || response === '') return { status: 200, body: '' };
    if (typeof response === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: response };
    return json(200, response);
  }
}
