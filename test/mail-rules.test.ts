// E-mail's pure rules (src/domain/mail.ts): which addresses are one address, which mail is never
// answered, what of a reply is the customer's own words, the ticket in a subject.
import { describe, expect, it } from 'vitest';
import { parseMail } from '../adapters/email/parse.js';
import { automaticKind, bareSubject, headerSafe, mailboxAddress, messageIdsIn, outboxMessageId, ownWords, ticketInSubject } from '../src/domain/mail.js';

describe('addresses', () => {
  it('reads an address with or without a name, lower-cased', () => {
    expect(mailboxAddress('Podpora Linka <Podpora@Example.CZ>')).toEqual({ name: 'Podpora Linka', address: 'podpora@example.cz' });
    expect(mailboxAddress('"Novák, Jan" <jan.novak@seznam.cz>')).toEqual({ name: 'Novák, Jan', address: 'jan.novak@seznam.cz' });
    expect(mailboxAddress(' jana@example.test ')).toEqual({ name: null, address: 'jana@example.test' });
  });

  it('refuses what is not exactly one address', () => {
    for (const bad of [
      '',
      'jana',
      'jana@',
      '@example.cz',
      'a@b',
      'jana@example.cz, eva@example.cz',
      'jana@example.cz\r\nBcc: x@y.cz',
      'jana novak@example.cz',
      '<>',
    ]) {
      expect(mailboxAddress(bad), bad).toBeNull();
    }
  });
});

describe('header-safe text', () => {
  it('turns line breaks and control characters into single spaces and shortens', () => {
    expect(headerSafe('Jana\r\nBcc: evil@example.test\u0000\u2028x')).toBe('Jana Bcc: evil@example.test x');
    expect(headerSafe('a'.repeat(300), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('mail that is never answered', () => {
  const own = ['podpora@example.cz'];
  const person = { from: ['jana@example.cz'] };
  it('answers a person', () => {
    expect(automaticKind(person, own)).toBeNull();
    expect(automaticKind({ ...person, autoSubmitted: 'no', precedence: 'first-class' }, own)).toBeNull();
  });
  it('recognises its own mail, bounces, auto-replies and list mail', () => {
    expect(automaticKind({ from: ['podpora@example.cz'] }, own)).toBe('own');
    expect(automaticKind({ from: ['PODPORA@example.cz'] }, ['Podpora@Example.cz'])).toBe('own');
    expect(automaticKind({ ...person, contentType: 'multipart/report; report-type=delivery-status' }, own)).toBe('bounce');
    expect(automaticKind({ from: ['mailer-daemon@mx.example.cz'] }, own)).toBe('bounce');
    expect(automaticKind({ ...person, returnPath: '<>' }, own)).toBe('bounce');
    expect(automaticKind({ ...person, autoSubmitted: 'auto-replied' }, own)).toBe('auto_reply');
    expect(automaticKind({ ...person, xAutoreply: 'yes' }, own)).toBe('auto_reply');
    expect(automaticKind({ ...person, precedence: 'auto_reply' }, own)).toBe('auto_reply');
    for (const precedence of ['bulk', 'list', 'junk', ' Bulk ']) expect(automaticKind({ ...person, precedence }, own)).toBe('list');
    expect(automaticKind({ ...person, listId: '<zpravy.example.cz>' }, own)).toBe('list');
    expect(automaticKind({ ...person, listUnsubscribe: '<mailto:unsubscribe@example.cz>' }, own)).toBe('list');
  });
  it('a person whose Exchange asks not to be auto-answered (X-Auto-Response-Suppress alone) is answered', () => {
    expect(automaticKind({ ...person, xAutoResponseSuppress: 'All' } as Parameters<typeof automaticKind>[0], own)).toBeNull();
  });
});

describe('the From header of automatic mail, as the parser reads it', () => {
  const own = ['podpora@example.cz'];
  const fromOf = async (from: string) => (await parseMail(`From: ${from}\r\nTo: podpora@example.cz\r\nSubject: x\r\n\r\nx\r\n`)).signs;
  it('knows its own address with a comment, and among several senders', async () => {
    expect(automaticKind(await fromOf('podpora@example.cz (Podpora)'), own)).toBe('own');
    expect(automaticKind(await fromOf('Jana <jana@example.cz>, Podpora <podpora@example.cz>'), own)).toBe('own');
    expect(automaticKind(await fromOf('MAILER-DAEMON@mx.example.cz (Mail Delivery System)'), own)).toBe('bounce');
    expect(automaticKind(await fromOf('jana@example.cz (Jana)'), own)).toBeNull();
  });
  it('a person whose mail carries X-Auto-Response-Suppress is answered', async () => {
    const raw = 'From: Jana <jana@example.cz>\r\nX-Auto-Response-Suppress: All\r\nSubject: x\r\n\r\nNejde internet.\r\n';
    expect(automaticKind((await parseMail(raw)).signs, own)).toBeNull();
  });
});

describe("the customer's own words of a reply", () => {
  it('stops at the quoted message, the quote header or the signature', () => {
    expect(ownWords('Pořád to nejde.\n\nDne 5. 12. 2026 v 10:00 Podpora napsal(a):\n> Zkuste restart')).toBe('Pořád to nejde.');
    expect(ownWords('Still down.\r\n\r\nOn Mon, 7 Dec 2026 at 10:00, Support wrote:\r\n> try')).toBe('Still down.');
    expect(ownWords('Už to jede, díky.\n-- \nJana Nováková\n+420 603 123 456')).toBe('Už to jede, díky.');
    expect(ownWords('Nefunguje.\n\n-----Original Message-----\nFrom: x')).toBe('Nefunguje.');
    expect(ownWords('Restart nepomohl.\n\nDne 23. 11. 2026 napsal(a) Podpora:\n> zkuste restart')).toBe('Restart nepomohl.');
    expect(ownWords('Still down.\n\nOn 7 Dec 2026, at 10:00, Support <podpora@example.cz> wrote:\n> try')).toBe('Still down.');
  });
  it('keeps the whole text when nothing is above the quote', () => {
    expect(ownWords('> jen citace')).toBe('> jen citace');
  });
});

describe('subjects and ids', () => {
  it('finds the ticket in a subject, whatever the case, and strips reply prefixes', () => {
    expect(ticketInSubject('Re: [T-2026-00042] Nejde internet', 'T')).toBe('T-2026-00042');
    expect(ticketInSubject('RE: Odp: [ t-2026-42 ] x', 'T')).toBe('T-2026-42');
    expect(ticketInSubject('T-2026-00042 without brackets', 'T')).toBeNull();
    expect(ticketInSubject('[HD-2026-00001] x', 'HD')).toBe('HD-2026-00001');
    expect(bareSubject('Re: Fwd: [T-2026-00042] Nejde internet')).toBe('Nejde internet');
  });
  it('reads Message-IDs and makes one per outbox item', () => {
    expect(messageIdsIn('<a@x> <b@y>\r\n <c@z>')).toEqual(['<a@x>', '<b@y>', '<c@z>']);
    expect(messageIdsIn(undefined)).toEqual([]);
    const id = outboxMessageId(7, 'email:jana@example.cz', 'example.cz');
    expect(id).toMatch(/^<linka\.7\.[0-9a-z]+@example\.cz>$/);
    expect(outboxMessageId(7, 'email:jana@example.cz', 'example.cz')).toBe(id);
    expect(outboxMessageId(8, 'email:jana@example.cz', 'example.cz')).not.toBe(id);
  });
});
