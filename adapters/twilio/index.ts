/**
 * The SMS channel (Twilio): `POST /sms/twilio` takes inbound SMS, `POST /sms/twilio/status`
 * takes delivery reports; both check `X-Twilio-Signature` against PUBLIC_URL + path. Replies
 * go out through the outbox with twilio's REST client (TWILIO_API_URL overrides the host).
 */
import twilio from 'twilio';
import type { LinkaConfig } from '../../src/config/schema.js';
import { smsSegments } from '../../src/domain/sms.js';
import { platformError } from '../../src/errors.js';
import { json, type HttpResponse, type Route, type RouteRequest } from '../../src/runtime/routes.js';
import type { Logger } from '../../src/observability/logger.js';
import type { Metrics } from '../../src/observability/metrics.js';
import type { AdapterDeps, ChannelAdapter, ChannelPort } from '../../src/runtime/ports.js';
import { parseForm, parseTwilioInbound, parseTwilioStatus, smsNumberOf, type FormParams } from './parse.js';
import { renderSms } from './render.js';
import { TwilioHttpClient, toPlatformError } from './rest.js';

export { optKeyword, parseForm, parseTwilioInbound, parseTwilioStatus, smsConversationId, smsNumberOf } from './parse.js';
export { renderSms, type SmsRenderOptions } from './render.js';

/** Where Twilio posts inbound messages. */
export const TWILIO_INBOUND_PATH = '/sms/twilio';
/** Where Twilio posts delivery reports (sent as each message's StatusCallback). */
export const TWILIO_STATUS_PATH = '/sms/twilio/status';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** The sending number in E.164, or a Messaging Service SID (MG...). */
  from: string;
  /** Override of Twilio's REST host (TWILIO_API_URL); a fake in tests. */
  apiUrl?: string;
  /** The URL Twilio calls Linka at (PUBLIC_URL); signatures are computed over it. */
  publicUrl: string;
  phoneRegion: string;
  sms: LinkaConfig['sms'];
  log: Logger;
  /** Counts billed segments (linka_sms_segments_total). */
  metrics?: Metrics;
  /** REST call timeout (default 15 s); a timeout is retried by the outbox. */
  timeoutMs?: number;
}

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();
const twiml = (): HttpResponse => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: EMPTY_TWIML });

/**
 * Creates the SMS channel: its port (sends through Twilio's REST API, counts billed segments)
 * and its two webhook routes. Only translates: the dispatcher and the delivery-report runtime decide.
 */
export function createTwilioAdapter(config: TwilioConfig): ChannelAdapter & { client: twilio.Twilio } {
  const publicBase = config.publicUrl.replace(/\/+$/, '');
  const client = twilio(config.accountSid, config.authToken, {
    httpClient: new TwilioHttpClient(config.apiUrl, config.timeoutMs ?? 15_000),
    autoRetry: false,
  });
  const sender = config.from.startsWith('MG') ? { messagingServiceSid: config.from } : { from: config.from };

  const port: ChannelPort = {
    channel: 'sms',
    async send(conversationId, reply) {
      const to = smsNumberOf(conversationId);
      if (to === null) throw platformError('twilio', new Error(`not an SMS conversation: ${conversationId}`), { permanent: true });
      const body = renderSms(reply, config.sms);
      let sid: string;
      try {
        ({ sid } = await client.messages.create({ to, body, statusCallback: publicBase + TWILIO_STATUS_PATH, ...sender }));
      } catch (err) {
        throw toPlatformError(err);
      }
      const { segments } = smsSegments(body);
      config.metrics?.smsSegments.inc(segments);
      return { platformMessageId: sid, segments };
    },
  };

  /** The form parameters of a request Twilio signed; a Response when it is malformed (400) or not signed (403). */
  function signedParams({ req, url, body }: RouteRequest): { params: FormParams } | { refused: HttpResponse } {
    const params = parseForm(req.headers['content-type'], body);
    if (!params) return { refused: json(400, { error: 'the body is not a valid form (application/x-www-form-urlencoded)' }) };
    const header = req.headers['x-twilio-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature || !twilio.validateRequest(config.authToken, signature, publicBase + url.pathname + url.search, params)) {
      return { refused: json(403, { error: 'missing or wrong X-Twilio-Signature' }) };
    }
    return { params };
  }

  function routes(deps: AdapterDeps): Route[] {
    return [
      {
        method: 'POST',
        path: TWILIO_INBOUND_PATH,
        async handler(r) {
          const signed = signedParams(r);
          if ('refused' in signed) return signed.refused;
          const parsed = parseTwilioInbound(signed.params, config.phoneRegion);
          if (parsed.kind === 'invalid') return json(400, { error: parsed.reason });
          if (parsed.kind === 'ignored') config.log.info({ reason: parsed.reason }, 'twilio: inbound message ignored');
          else await deps.dispatch(parsed.envelope);
          return twiml();
        },
      },
      {
        method: 'POST',
        path: TWILIO_STATUS_PATH,
        async handler(r) {
          const signed = signedParams(r);
          if ('refused' in signed) return signed.refused;
          const parsed = parseTwilioStatus(signed.params);
          if (parsed.kind === 'invalid') return json(400, { error: parsed.reason });
          if (parsed.kind === 'report') {
            await deps.deliveries.record(parsed.report, {
              redeliver: config.sms.redeliverFailed,
              redeliveryDelayMs: config.sms.redeliveryDelayMinutes * 60_000,
            });
          }
          return twiml();
        },
      },
    ];
  }

  return { port, routes, client };
}
