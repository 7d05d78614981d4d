// The support mailbox's handling of one message (src/runtime/mail-inbox.ts, docs/email.md
// "Receiving") on a real SQLite database, with a stand-in for the dispatcher that records what it
// got and, like the real one, writes the history row and runs the inbox's work in its transaction.
// Needs no mail server: de-duplication, automatic mail, the flood limit, the attachment limits,
// too big messages, long Message-IDs and attachments sent before the ticket.
import { describe, expect, it } from 'vitest';
import type { InboundEnvelope } from '../src/engine/envelope.js';
import { silentLogger } from '../src/observability/logger.js';
import { MAX_ATTACHMENTS } from '../src/runtime/mail-attachments.js';
import { createMailInbox } from '../src/runtime/mail-inbox.js';
import type { ReceivedMail } from '../src/runtime/ports.js';
import type { Tx } from '../src/store/types.js';
import { databaseForEachTest } from './helpers/db.js';

const NOW = new Date('2026-12-02T09:00:00Z');
let seq = 0;

function mail(o: Partial<ReceivedMail> = {}): ReceivedMail {
  seq += 1;
  return {
    messageId: `<m${seq}@example.test>`,
    from: { address: 'jana@example.test', name: 'Jana' },
    subject: 'Nejde internet',
    text: 'Od rána nejde internet.',
    inReplyTo: null,
    references: [],
    signs: { from: ['jana@example.test'] },
    date: NOW,
    attachments: [],
    ...o,
  };
}

const file = (name: string, size: number) => ({ filename: name, contentType: 'text/plain', size, content: Buffer.alloc(size, 97) });

describe('the support mailbox, one message at a time (SQLite, a stand-in dispatcher)', () => {
  const db = databaseForEachTest('sqlite');

  /** The inbox with a dispatcher that opens the ticket `ticketFor` names (when it names one) and records the message. */
  function inbox(o: { perSenderPerHour?: number; ticketFor?: (env: InboundEnvelope) => string | null } = {}) {
    const envelopes: InboundEnvelope[] = [];
    const prisma = db().prisma;
    const at = new Date(NOW);
    const mailbox = createMailInbox({
      prisma,
      clock: () => at,
      log: silentLogger(),
      ownAddress: 'support@example.test',
      ticketPrefix: 'T',
      perSenderPerHour: o.perSenderPerHour ?? 0,
      maxAttachmentBytes: 100,
      teamLanguage: 'cs',
      teamPlatforms: ['slack'],
      publicUrl: 'https://linka.example.test',
      async dispatch(env, extra) {
        envelopes.push(env);
        // The dispatcher reads its clock a little later than the inbox did.
        const later = new Date(at.getTime() + 7);
        await prisma.$transaction(async (tx) => {
          const number = o.ticketFor?.(env) ?? null;
          const state = { ticketNumber: number };
          await tx.conversation.upsert({
            where: { id: env.conversationId },
            create: { id: env.conversationId, channel: 'email', flow: 'main', step: 'menu', flowVersion: 1, state, sessionStartedAt: later },
            update: { state },
          });
          const ticket = number
            ? await tx.ticket.upsert({
                where: { number },
                create: { number, category: 'internet', answers: {}, summary: 'x', conversationId: env.conversationId },
                update: {},
              })
            : null;
          await tx.message.create({
            data: {
              conversationId: env.conversationId,
              direction: 'in',
              channel: 'email',
              kind: 'text',
              text: 'x',
              platformMessageId: env.platformMessageId,
              ticketId: ticket?.id,
              createdAt: later,
            },
          });
          await extra?.(tx as unknown as Tx);
        });
        return { duplicate: false, replies: [], ticketNumber: null, state: null };
      },
    });
    return { mailbox, envelopes, prisma, tick: () => at.setTime(at.getTime() + 1000) };
  }

  it('handles a message once by its Message-ID', async () => {
    const { mailbox, envelopes, prisma } = inbox();
    const m = mail();
    expect((await mailbox.receive(m)).outcome).toBe('dispatched');
    expect((await mailbox.receive({ ...m, text: 'jiný text' })).outcome).toBe('duplicate');
    expect(envelopes).toHaveLength(1);
    expect(await prisma.inboundMail.count()).toBe(1);
  });

  it('records automatic mail and never dispatches it', async () => {
    const { mailbox, envelopes, prisma } = inbox();
    expect((await mailbox.receive(mail({ signs: { from: ['jana@example.test'], autoSubmitted: 'auto-replied' } }))).outcome).toBe('auto_reply');
    expect((await mailbox.receive(mail({ signs: { from: ['support@example.test'] } }))).outcome).toBe('own');
    expect(envelopes).toEqual([]);
    expect((await prisma.inboundMail.findMany({ orderBy: { outcome: 'asc' } })).map((r) => r.outcome)).toEqual(['auto_reply', 'own']);
  });

  it('records a sender over the hourly limit as flood, not dispatched', async () => {
    const { mailbox, envelopes, tick } = inbox({ perSenderPerHour: 2 });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push((await mailbox.receive(mail())).outcome);
      tick();
    }
    expect(outcomes).toEqual(['dispatched', 'dispatched', 'flood', 'flood']);
    expect(envelopes).toHaveLength(2);
  });

  it(`keeps at most ${MAX_ATTACHMENTS} attachments of one e-mail and says how many were not kept, in one line`, async () => {
    const { mailbox, prisma } = inbox({ ticketFor: () => 'T-2026-00001' });
    const many = Array.from({ length: 1000 }, (_, i) => file(`f${i}.txt`, 10));
    await mailbox.receive(mail({ attachments: [file('velky.bin', 150), ...many] }));
    expect(await prisma.attachment.count()).toBe(MAX_ATTACHMENTS - 1);
    const lines = (await prisma.message.findMany({ where: { direction: 'system' }, orderBy: { id: 'asc' } })).map((m) => m.text);
    expect(lines).toHaveLength(MAX_ATTACHMENTS + 1);
    expect(lines.filter((l) => l.startsWith('Příloha: f'))).toHaveLength(MAX_ATTACHMENTS - 1);
    expect(lines.filter((l) => l.includes('velky.bin') && l.includes('přesahuje povolenou velikost 100 B'))).toHaveLength(1);
    expect(lines.at(-1)).toBe('E-mail měl více než 20 příloh: uloženo je prvních 20, ostatní ne (neuloženo: 981).');
    expect(await prisma.outboxItem.count({ where: { kind: 'team.thread' } })).toBe(MAX_ATTACHMENTS + 1);
  });

  it('keeps attachments together at most five times the limit', async () => {
    const { mailbox, prisma } = inbox({ ticketFor: () => 'T-2026-00001' });
    await mailbox.receive(mail({ attachments: Array.from({ length: 7 }, (_, i) => file(`f${i}.txt`, 100)) }));
    expect(await prisma.attachment.count()).toBe(5);
  });

  it('records a message too big to download from its envelope, and nothing else', async () => {
    const { mailbox, envelopes, prisma } = inbox();
    const receipt = await mailbox.tooBig({ messageId: '<huge@example.test>', from: 'Jana@Example.test', subject: 'Video\r\nBcc: x', size: 40_000_000 });
    expect(receipt.outcome).toBe('too_big');
    expect(await prisma.inboundMail.findMany({ select: { messageId: true, fromAddress: true, subject: true, outcome: true } })).toEqual([
      { messageId: '<huge@example.test>', fromAddress: 'jana@example.test', subject: 'Video Bcc: x', outcome: 'too_big' },
    ]);
    expect((await mailbox.tooBig({ messageId: '<huge@example.test>', from: null, subject: '', size: 1 })).outcome).toBe('duplicate');
    expect(envelopes).toEqual([]);
  });

  it('keeps a Message-ID of kilobytes as its hash, and still recognises the message again', async () => {
    const { mailbox, envelopes, prisma } = inbox();
    const long = mail({ messageId: `<${'x'.repeat(3000)}@example.test>` });
    expect((await mailbox.receive(long)).outcome).toBe('dispatched');
    expect((await mailbox.receive(long)).outcome).toBe('duplicate');
    const [row] = await prisma.inboundMail.findMany();
    expect(row?.messageId).toMatch(/^<[0-9a-f]{64}@linka\.invalid>$/);
    expect(envelopes[0]?.platformMessageId).toBe(row?.messageId);
  });

  it('moves attachments sent before the ticket to it when it opens, and tells the technicians', async () => {
    let opened = false;
    const { mailbox, prisma } = inbox({ ticketFor: () => (opened ? 'T-2026-00007' : null) });
    await mailbox.receive(mail({ attachments: [file('foto.jpg', 50)] }));
    expect(await prisma.attachment.findMany({ select: { ticketId: true } })).toEqual([{ ticketId: null }]);
    expect(await prisma.outboxItem.count()).toBe(0);
    opened = true;
    await mailbox.receive(mail({ text: 'Smlouva 2024-0153' }));
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { number: 'T-2026-00007' } });
    const [kept] = await prisma.attachment.findMany();
    expect(kept?.ticketId).toBe(ticket.id);
    const posts = await prisma.outboxItem.findMany({ where: { kind: 'team.thread' } });
    expect(posts.map((p) => (p.payload as { text: string }).text)).toEqual([
      `Příloha: foto.jpg (50 B) https://linka.example.test/console/attachments/${kept?.id}`,
    ]);
  });
});
