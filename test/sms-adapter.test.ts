// The Twilio adapter's translation, without a server: keywords, forms, webhooks, rendering, errors.
import { describe, expect, it } from 'vitest';
import { optKeyword, parseForm, parseTwilioInbound, parseTwilioStatus, smsConversationId, smsNumberOf } from '../adapters/twilio/parse.js';
import { renderSms } from '../adapters/twilio/render.js';
import { retryAfterMs, toPlatformError, TwilioRateLimited } from '../adapters/twilio/rest.js';
import { allChannels } from './helpers/all-channels.js';
import { parseConfig } from '../src/config/load.js';
import { LinkaError } from '../src/errors.js';
import { silentLogger } from '../src/observability/logger.js';

const form = (s: string) => parseForm('application/x-www-form-urlencoded', Buffer.from(s));

describe('STOP / START keywords', () => {
  it('recognise whole messages, whatever the case and diacritics', () => {
    for (const s of ['STOP', 'stop', 'Stop', ' stop. ', 'STOPALL', 'odhlásit', 'ODHLASIT', 'Odhlásiť', 'odhlasit!'])
      expect(optKeyword(s), s).toEqual({ kind: 'optOut' });
    for (const s of ['START', 'start', 'Start', 'přihlásit', 'PRIHLASIT', 'Prihlásiť', 'unstop']) expect(optKeyword(s), s).toEqual({ kind: 'optIn' });
  });

  it('leave sentences that merely contain them alone', () => {
    for (const s of ['stop it', 'nestop', 'prosím stop', 'start over', 'odhlásit se z internetu', '']) expect(optKeyword(s), s).toBeNull();
  });
});

describe('parseTwilioInbound', () => {
  const base = { MessageSid: 'SM1', From: '+420603123456', To: '+420700800900', Body: 'Dobrý den', NumMedia: '0' };

  it('translates an SMS: E.164 sender, opaque conversation id, platform dedupe id', () => {
    expect(parseTwilioInbound(base, 'CZ')).toEqual({
      kind: 'event',
      envelope: {
        dedupeId: 'twilio:sms:SM1',
        conversationId: 'sms:+420603123456',
        channel: 'sms',
        event: { kind: 'text', text: 'Dobrý den' },
        sender: { phone: '+420603123456', langHint: 'cs' },
        platformMessageId: 'SM1',
      },
    });
    expect(parseTwilioInbound({ ...base, From: '+421905123456', Body: 'Stop' }, 'CZ')).toMatchObject({
      envelope: { conversationId: 'sms:+421905123456', event: { kind: 'optOut' }, sender: { langHint: 'sk' } },
    });
  });

  it('turns an MMS into a media event with the caption', () => {
    const mms = parseTwilioInbound(
      { ...base, NumMedia: '1', MediaUrl0: 'https://api.twilio.com/m/ME1', MediaContentType0: 'image/jpeg', Body: 'router' },
      'CZ',
    );
    expect(mms).toMatchObject({ envelope: { event: { kind: 'media', mediaKind: 'photo', fileId: 'https://api.twilio.com/m/ME1', caption: 'router' } } });
  });

  it('refuses what lacks MessageSid, From or Body; ignores senders that are no phone number', () => {
    const { From: _f, ...noFrom } = base;
    const { Body: _b, ...noBody } = base;
    const { MessageSid: _s, ...noSid } = base;
    for (const p of [noFrom, noBody, noSid]) expect(parseTwilioInbound(p, 'CZ').kind).toBe('invalid');
    expect(parseTwilioInbound({ ...base, From: 'Vodafone' }, 'CZ').kind).toBe('ignored');
  });
});

describe('parseTwilioStatus', () => {
  it('reports the status with what the error code means and whether it is permanent', () => {
    expect(parseTwilioStatus({ MessageSid: 'SM9', MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual({
      kind: 'report',
      report: {
        channel: 'sms',
        platform: 'twilio',
        platformMessageId: 'SM9',
        status: 'undelivered',
        errorCode: '30003',
        errorText: 'unreachable destination handset',
        permanent: false,
        dedupeId: 'twilio:status:SM9:undelivered',
      },
    });
    expect(parseTwilioStatus({ MessageSid: 'SM9', MessageStatus: 'failed', ErrorCode: '21614' })).toMatchObject({ report: { permanent: true } });
    expect(parseTwilioStatus({ MessageSid: 'SM9', MessageStatus: 'delivered' })).toMatchObject({ report: { errorCode: null, permanent: false } });
    expect(parseTwilioStatus({ MessageSid: 'SM9', MessageStatus: 'receiving' }).kind).toBe('ignored');
    expect(parseTwilioStatus({ MessageStatus: 'sent' }).kind).toBe('invalid');
  });
});

describe('parseForm', () => {
  it('reads form bodies and keeps repeated keys', () => {
    expect(form('From=%2B420603123456&Body=Dobr%C3%BD+den&x=1&x=2')).toEqual({ From: '+420603123456', Body: 'Dobrý den', x: ['1', '2'] });
    expect(form('')).toEqual({});
  });

  it('refuses other content types, broken escapes and bytes that are not UTF-8', () => {
    expect(parseForm('application/json', Buffer.from('{}'))).toBeNull();
    expect(parseForm(undefined, Buffer.from('a=b'))).toBeNull();
    expect(form('Body=%ZZ')).toBeNull();
    expect(form('Body=%C3%28')).toBeNull();
    expect(parseForm('application/x-www-form-urlencoded', Buffer.from([0x42, 0x3d, 0xff]))).toBeNull();
  });
});

describe('conversation ids', () => {
  it('encode and decode E.164 numbers only', () => {
    expect(smsConversationId('+420603123456')).toBe('sms:+420603123456');
    expect(smsNumberOf('sms:+420603123456')).toBe('+420603123456');
    for (const id of ['telegram:1', 'sms:603123456', 'sms:+420 603', 'console:+420603123456']) expect(smsNumberOf(id)).toBeNull();
  });
});

describe('renderSms', () => {
  const reply = {
    text: 'Funguje teď internet?',
    choices: [
      { id: 'yes', label: 'Ano' },
      { id: 'no', label: 'Ne' },
    ],
  };

  it('puts the choices under the text as short numbered lines, in GSM-7 by default', () => {
    expect(renderSms(reply, { transliterate: true })).toBe('Funguje ted internet?\n1 Ano\n2 Ne');
    expect(renderSms(reply, { transliterate: false })).toBe('Funguje teď internet?\n1 Ano\n2 Ne');
    expect(renderSms({ text: 'Děkuji.' }, { transliterate: true })).toBe('Dekuji.');
  });
});

describe('Twilio REST failures', () => {
  it('carry Retry-After on a 429, in seconds or as a date', () => {
    expect(retryAfterMs('1')).toBe(1000);
    expect(retryAfterMs(['2.5'])).toBe(2500);
    expect(retryAfterMs(new Date(Date.parse('2026-01-01T00:00:10Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    const limited = toPlatformError(new TwilioRateLimited(1000, 20429));
    expect(limited).toMatchObject({ code: 'rate_limited', platform: 'twilio', retryAfterMs: 1000, permanent: false });
    expect(toPlatformError(new TwilioRateLimited(undefined, undefined))).toMatchObject({ code: 'platform_failed', retryAfterMs: undefined });
  });

  it('are permanent for numbers that can never be reached, retried otherwise, and do not repeat the number', () => {
    const rest = (status: number, code?: number) => Object.assign(new Error(`The 'To' number +420603123456 is not valid`), { status, code });
    for (const code of [21211, 21610, 21614]) {
      const err = toPlatformError(rest(400, code));
      expect(err).toBeInstanceOf(LinkaError);
      expect(err.permanent, String(code)).toBe(true);
      expect(err.message).not.toContain('603123456');
    }
    expect(toPlatformError(rest(400, 21211)).message).toBe("twilio: HTTP 400, error 21211 (invalid 'To' phone number)");
    expect(toPlatformError(rest(500, 20500))).toMatchObject({ permanent: false, code: 'platform_failed' });
    expect(toPlatformError(Object.assign(new Error('timeout of 15000ms exceeded'), { code: 'ECONNABORTED' }))).toMatchObject({
      permanent: false,
      code: 'platform_failed',
    });
  });
});

describe('allChannels', () => {
  const config = parseConfig({});
  const twilioEnv = { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+420700800900' };

  it('turns SMS on with the account, token, number and PUBLIC_URL; says why it stays off otherwise', () => {
    expect(allChannels({ ...twilioEnv, PUBLIC_URL: 'https://linka.example.net' }, config, silentLogger()).status.sms).toBe('on');
    expect(allChannels(twilioEnv, config, silentLogger()).status.sms).toMatch(/^off \(PUBLIC_URL is not set/);
    expect(allChannels({ TWILIO_ACCOUNT_SID: 'AC1' }, config, silentLogger()).status.sms).toBe('off (TWILIO_AUTH_TOKEN, TWILIO_FROM are not set)');
    expect(allChannels({ ...twilioEnv, TWILIO_ACCOUNT_SID: 'SK1', PUBLIC_URL: 'https://x.example' }, config, silentLogger()).status.sms).toBe(
      'off (TWILIO_ACCOUNT_SID must start with AC)',
    );
    expect(allChannels({ ...twilioEnv, PUBLIC_URL: 'linka.example.net' }, config, silentLogger()).status.sms).toMatch(
      /^off \(PUBLIC_URL must be an http\(s\) URL/,
    );
    expect(allChannels({ ...twilioEnv, PUBLIC_URL: 'https://x.example', TWILIO_API_URL: '127.0.0.1:9' }, config, silentLogger()).status.sms).toMatch(
      /^off \(TWILIO_API_URL must be/,
    );
    expect(allChannels({}, config, silentLogger()).adapters).toHaveLength(0);
  });
});
