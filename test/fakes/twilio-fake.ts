// A fake Twilio on 127.0.0.1: the REST API's Messages.json (answered with a message resource,
// or with what a test scripts), and Twilio's side of the webhooks (signed form posts).
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { startFakeServer, type FakeAnswer, type FakeServer, type RecordedRequest } from './fake-server.js';

/** One message Twilio accepted. */
export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
  /** The Basic auth the client sent, decoded ("AC...:token"). */
  auth: string;
  at: number;
}

export interface TwilioFake {
  url: string;
  server: FakeServer;
  /** Every message accepted, in order. */
  sent: FakeSms[];
  /** Every call to Messages.json, answered or refused. */
  calls(): RecordedRequest[];
  /** Scripts the next answers of Messages.json (429, 500, a 400 with an error code...). */
  script(...answers: FakeAnswer[]): void;
  /** Runs after a message is accepted and before the answer goes out (a callback racing the answer). */
  onAccept: ((sms: FakeSms) => Promise<void> | void) | null;
  close(): Promise<void>;
}

export const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/;

export function newSid(prefix = 'SM'): string {
  return prefix + randomBytes(16).toString('hex');
}

export async function startTwilioFake(accountSid: string): Promise<TwilioFake> {
  const sent: FakeSms[] = [];
  const fake: TwilioFake = {
    url: '',
    server: null as unknown as FakeServer,
    sent,
    onAccept: null,
    calls: () => fake.server.requests.filter((r) => r.method === 'POST' && MESSAGES_PATH.test(r.path)),
    script: (...answers) => fake.server.script(MESSAGES_PATH, ...answers),
    close: () => fake.server.close(),
  };
  fake.server = await startFakeServer(async (req) => {
    if (req.method !== 'POST' || !MESSAGES_PATH.test(req.path)) return { status: 404, body: { code: 20404, message: 'not found', status: 404 } };
    const form = (req.body ?? {}) as Record<string, string>;
    const auth = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    const sms: FakeSms = {
      sid: newSid(),
      to: form.To ?? '',
      from: form.From ?? '',
      body: form.Body ?? '',
      statusCallback: form.StatusCallback,
      auth,
      at: req.at,
    };
    sent.push(sms);
    await fake.onAccept?.(sms);
    return {
      status: 201,
      body: {
        sid: sms.sid,
        account_sid: accountSid,
        status: 'queued',
        to: sms.to,
        from: sms.from,
        body: sms.body,
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
        date_created: new Date(req.at).toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sms.sid}.json`,
      },
    };
  });
  fake.url = fake.server.url;
  return fake;
}

/**
 * Posts form `params` to Linka at `localBase + path` as Twilio would: signed over `publicUrl + path`
 * with the auth token. `signature: null` leaves the header out; a string sends that one instead.
 */
export async function postSigned(args: {
  localBase: string;
  publicUrl: string;
  authToken: string;
  path: string;
  params: Record<string, string>;
  signature?: string | null;
}): Promise<Response> {
  const { localBase, publicUrl, authToken, path, params } = args;
  const signature = args.signature === undefined ? twilio.getExpectedTwilioSignature(authToken, publicUrl + path, params) : args.signature;
  return fetch(localBase + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    body: new URLSearchParams(params).toString(),
  });
}
