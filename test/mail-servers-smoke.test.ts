import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';

describe.skipIf(!dovecotAvailable())('smoke', () => {
  let dovecot: Dovecot;
  let smtp: SmtpSink;
  beforeAll(async () => {
    dovecot = await startDovecot({ support: 's1', jana: 'j1' });
    smtp = await startSmtpSink(dovecot);
  });
  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
  });
  it('delivers', async () => {
    const t = nodemailer.createTransport(smtp.url);
    await t.sendMail({ from: 'support@example.test', to: 'jana@example.test', subject: 'Ahoj', text: 'hi' });
    const got = await dovecot.read('jana');
    expect(got.map((m) => m.subject)).toEqual(['Ahoj']);
  });
});
