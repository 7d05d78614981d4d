// Delivery reports over SMS: Twilio's status callbacks recorded on the message, an undelivered
// message sent once more, a permanent failure marked at once, a report racing the send.
import { afterEach, describe, expect, it } from 'vitest';
import { conversationHistory } from '../src/store/messages.js';
import { postSigned, type FakeSms } from './fakes/twilio-fake.js';
import { AUTH_TOKEN, JAN, PUBLIC_URL, REDELIVERY_MS, ask, quiet, startWorld, stopWorld, until } from './helpers/sms-world.js';

afterEach(stopWorld);

describe('SMS delivery reports on sqlite', () => {
  it('records delivery reports on the message, once each, never going backwards', async () => {
    const w = await startWorld();
    await ask(w, 'Dobrý den, nejde mi internet');
    const sid = w.fake.sent[0]?.sid ?? '';
    const prisma = w.linka.db.prisma;
    const statusOf = async () => (await prisma.message.findFirst({ where: { platformMessageId: sid } }))?.status;
    for (const s of ['queued', 'sent', 'delivered', 'sent', 'delivered']) expect((await w.status(sid, s)).status).toBe(200);
    expect(await statusOf()).toBe('delivered');
    expect(await prisma.processedInbound.count({ where: { id: { startsWith: `twilio:status:${sid}:` } } })).toBe(3);
    expect(await prisma.message.count({ where: { direction: 'system' } })).toBe(0);
    // A report of a status Linka does not track, or without a status: answered, nothing recorded.
    expect((await w.status(sid, 'receiving')).status).toBe(200);
    expect(
      (await postSigned({ localBase: w.base, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, path: '/sms/twilio/status', params: { MessageSid: sid } })).status,
    ).toBe(400);
    expect(await statusOf()).toBe('delivered');
  });

  it('sends an undelivered message once more after the delay, then marks it failed; the history says so', async () => {
    const w = await startWorld();
    await ask(w, 'Dobrý den, nejde mi internet');
    const first = w.fake.sent[0] as FakeSms;
    const reported = Date.now();
    expect((await w.status(first.sid, 'undelivered', '30003')).status).toBe(200);
    expect((await w.status(first.sid, 'undelivered', '30003')).status).toBe(200); // a duplicate changes nothing
    const again = (await w.sent(2))[1] as FakeSms;
    expect(again.body).toBe(first.body);
    expect(again.at - reported).toBeGreaterThanOrEqual(REDELIVERY_MS);
    const prisma = w.linka.db.prisma;
    const message = await until(() => prisma.message.findFirst({ where: { platformMessageId: again.sid } }), 'the new SID saved', 3000);
    expect(message.status).toBe('sent');
    expect((await w.status(again.sid, 'failed', '30003')).status).toBe(200);
    expect((await prisma.message.findUnique({ where: { id: message.id } }))?.status).toBe('failed');
    const history = await conversationHistory(prisma, `sms:${JAN}`);
    expect(history.filter((m) => m.direction === 'system').map((m) => m.text)).toEqual([
      'Zprávu se nepodařilo doručit (twilio: undelivered, chyba 30003: unreachable destination handset); pošlu ji znovu za 1 s.',
      'Zprávu se nepodařilo doručit (twilio: failed, chyba 30003: unreachable destination handset), ani napodruhé; zpráva je označena jako nedoručená.',
    ]);
    // The report is recorded (above). Linka's clock moved far past any redelivery delay and the
    // outbox drained: a third attempt would have reached the fake.
    w.advanceMs(10 * REDELIVERY_MS);
    await w.settle();
    expect(w.fake.sent).toHaveLength(2); // no third attempt
  });

  it('a number that can never be reached fails at once, with the reason in the history', async () => {
    const w = await startWorld();
    const prisma = w.linka.db.prisma;
    // Refused by the REST API.
    w.fake.script({
      status: 400,
      body: { code: 21211, message: `The 'To' number ${JAN} is not a valid phone number.`, more_info: 'https://docs.example/errors/21211', status: 400 },
    });
    await w.sms('Dobrý den, nejde mi internet');
    const failed = await until(() => prisma.outboxItem.findFirst({ where: { status: 'failed' } }), 'the item failed', 3000);
    expect(failed.attempts).toBe(1);
    expect(w.fake.calls()).toHaveLength(1);
    const line = await until(() => prisma.message.findFirst({ where: { direction: 'system' } }), 'a history line', 3000);
    expect(line.text).toBe("Zprávu nelze doručit: twilio: HTTP 400, error 21211 (invalid 'To' phone number)");
    expect((await prisma.message.findFirst({ where: { direction: 'out' } }))?.status).toBe('failed');
    // Accepted, then reported failed by the carrier with a permanent code: no second attempt.
    const sms = await ask(w, '1').then(() => w.fake.sent[0] as FakeSms);
    await until(() => prisma.message.findFirst({ where: { platformMessageId: sms.sid } }), 'the SID saved', 3000);
    expect((await w.status(sms.sid, 'failed', '21610')).status).toBe(200);
    expect((await prisma.message.findFirst({ where: { platformMessageId: sms.sid } }))?.status).toBe('failed');
    const lines = await prisma.message.findMany({ where: { direction: 'system' }, orderBy: { id: 'asc' } });
    expect(lines.at(-1)?.text).toBe(
      'Zprávu se nepodařilo doručit (twilio: failed, chyba 21610: the recipient unsubscribed (STOP)), číslo nelze zastihnout; zpráva je označena jako nedoručená.',
    );
    // Linka's clock moved far past the redelivery delay and the outbox drained: no second attempt.
    w.advanceMs(10 * REDELIVERY_MS);
    await w.settle();
    expect(w.fake.sent).toHaveLength(1);
  });

  it('matches a report that races the send once the message id is saved', async () => {
    const w = await startWorld();
    let callback: Promise<Response> | null = null;
    w.fake.onAccept = async (sms) => {
      callback = w.status(sms.sid, 'delivered'); // Twilio reports before our REST call has returned
      await quiet(300);
    };
    await ask(w, 'Dobrý den, nejde mi internet');
    const sid = w.fake.sent[0]?.sid ?? '';
    expect((await (callback as unknown as Promise<Response>)).status).toBe(200);
    expect((await w.linka.db.prisma.message.findFirst({ where: { platformMessageId: sid } }))?.status).toBe('delivered');
  });
});
