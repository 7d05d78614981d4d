// Logs are JSON lines with tokens, secrets and phone numbers masked, wherever they appear.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

describe('logs', () => {
  it('mask phone numbers, bot tokens and secret fields, and keep the rest readable', async () => {
    const { log, lines } = capture();
    log.info(
      {
        conversationId: 'sms:+420603123456',
        err: 'twilio 400 sending to +420 603 123 456',
        authToken: 'abc',
        nested: { url: 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', slack: 'xoxb-1234567890-abcdefghij' },
      },
      'reply to +420603123456 on T-2026-00042 at 2026-11-23T09:00:00.000Z',
    );
    await new Promise((r) => setImmediate(r));
    const line = lines.join('');
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(line).not.toMatch(/603\s?123\s?456|AAHdqTcv|xoxb-1234|"abc"/);
    expect(entry).toMatchObject({
      conversationId: 'sms:[phone]',
      err: 'twilio 400 sending to [phone]',
      authToken: '[redacted]',
      msg: 'reply to [phone] on T-2026-00042 at 2026-11-23T09:00:00.000Z',
    });
    expect((entry.nested as Record<string, string>).url).toBe('https://api.telegram.org/bot[token]/sendMessage');
  });
});
