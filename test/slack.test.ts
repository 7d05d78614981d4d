// Slack end to end: the real Bolt app behind Linka's /slack/events (signed requests), its
// WebClient against a fake Slack Web API, a customer on Telegram (real telegraf, fake Bot API),
// a real database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pgAvailable } from './helpers/db.js';
import { RACERS, startSlackWorld, type SlackWorld } from './helpers/slack-world.js';
import { eventually } from './fakes/fake-server.js';
import { FORM, JSON_TYPE, signed, slack } from './fakes/slack-fake.js';

const PG = await pgAvailable();
/** Twenty rounds of twenty signed clicks through Bolt: seconds on an idle 2-core machine; a busy one (load 12) took over 60 s. */
const RACE_TIMEOUT = 180_000;

type Block = {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ action_id: string; value: string; text: { text: string }; style?: string }>;
};

const buttonsOf = (call: Record<string, unknown>) => (call.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? [];
const ephemerals = (w: SlackWorld) => w.slackFake.calls('chat.postEphemeral') as Array<{ channel: string; user: string; text: string }>;

describe('Slack on sqlite', () => {
  let w: SlackWorld;
  beforeEach(async () => {
    w = await startSlackWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('posts a Telegram ticket to the queue channel as Block Kit with buttons, and updates the same message on a claim', async () => {
    const number = await w.openTicketOnTelegram();
    const card = await w.card(number);
    expect(card.posted).toHaveLength(1);
    const post = card.posted[0] as Record<string, unknown>;
    expect(post).toMatchObject({ channel: 'CQUEUE', text: `${number} · Něco jiného · Čeká na technika` });
    const blocks = post.blocks as Block[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: `${number} · Něco jiného` } });
    expect(blocks[1]?.text?.text).toBe('🟡 *Čeká na technika*');
    // The customer (phone partly masked), the area, the tier and the reaction deadline in Prague time:
    // opened Monday 23 November 2026 at 10:00 in Prague, PLUS reacts within 8 business hours
    // (Mon-Fri 8:30-17:00): 7 h on Monday, the last one on Tuesday from 8:30.
    expect((await w.ticket(number))?.deadline).toEqual(new Date('2026-11-24T08:30:00Z'));
    expect(blocks.flatMap((b) => b.fields ?? []).map((f) => f.text)).toEqual(
      expect.arrayContaining([
        '*Zákazník*\nJan Novák',
        '*Smlouva*\n2024-0153',
        '*Oblast*\nPlzeň-Bory',
        '*Telefon*\n+420 603 ••• 456',
        '*Úroveň podpory*\nPLUS',
        '*Reakce do*\n24. 11. 2026 9:30',
      ]),
    );
    expect(JSON.stringify(blocks)).not.toContain('603123456');
    expect(blocks.some((b) => b.text?.text.includes('Nejde mi odeslat e-mail přes váš server.'))).toBe(true);
    expect(buttonsOf(post).map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      ['linka_claim', number, 'Převzít'],
      ['linka_resolve', number, 'Vyřešeno'],
      ['linka_offer', number, 'Nabídnout placený výjezd'],
    ]);
    expect(card).toMatchObject({ channel: 'CQUEUE', threadId: card.ts });

    const res = await w.click('claim', number, 'UPETR');
    expect(res.status).toBe(200);
    expect(await w.ticket(number)).toMatchObject({ status: 'claimed', claimedBy: 'slack:UPETR', claimedByName: 'Petr' });
    await w.t.settle();
    // The same message was updated, not reposted.
    expect((await w.card(number)).posted).toHaveLength(1);
    const update = w.slackFake.calls('chat.update').at(-1) as Record<string, unknown>;
    expect(update).toMatchObject({ channel: 'CQUEUE', ts: card.ts, text: `${number} · Něco jiného · Převzal(a) Petr` });
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(['linka_release', 'linka_resolve', 'linka_offer']);
    // The claim is told in the card's thread and to the customer on Telegram.
    expect(w.slackFake.calls('chat.postMessage')).toContainEqual(
      expect.objectContaining({ channel: 'CQUEUE', thread_ts: card.ts, text: 'Petr převzal(a) požadavek.' }),
    );
    expect(w.customerGot().at(-1)).toBe(`Váš požadavek ${number} převzal technik Petr. Ozve se vám zde.`);
    expect(ephemerals(w)).toEqual([]);
  });

  it('shows the checklist answers on the card of a ticket from the restart checklist', async () => {
    const number = await w.openChecklistTicketDirect('telegram:8101');
    const post = (await w.card(number)).posted[0] as Record<string, unknown>;
    expect(post.text).toBe(`${number} · Nefunguje internet · Čeká na technika`);
    const text = (post.blocks as Block[]).map((b) => b.text?.text ?? '').join('\n');
    for (const answer of ['Od kdy: od včerejšího večera', 'Kontrolky: Něco svítí červeně', 'Nenačte se žádná stránka, router svítí červeně.']) {
      expect(text).toContain(answer);
    }
  });

  it('returns a claimed ticket to the queue: only its holder may, by button or /linka release, and the card shows Claim again', async () => {
    const number = await w.openTicketOnTelegram();
    const { ts } = await w.card(number);
    await w.click('claim', number, 'UPETR');
    await w.t.settle();
    // Someone else cannot release it, by command or by button; nothing changes.
    const updates = w.slackFake.calls('chat.update').length;
    expect(await w.command(`release ${number}`, 'UGRP')).toEqual({ status: 200, text: `Požadavek ${number} drží Petr; vrátit ho může jen on(a).` });
    await w.click('release', number, 'UGRP');
    expect(ephemerals(w).at(-1)).toMatchObject({ user: 'UGRP', text: `Požadavek ${number} drží Petr; vrátit ho může jen on(a).` });
    await w.t.settle();
    expect(await w.ticket(number)).toMatchObject({ status: 'claimed', claimedByName: 'Petr' });
    expect(w.slackFake.calls('chat.update')).toHaveLength(updates);

    expect(await w.command(`release ${number.toLowerCase()}`, 'UPETR')).toEqual({ status: 200, text: `Hotovo: ${number}.` });
    await w.t.settle();
    expect(await w.ticket(number)).toMatchObject({ status: 'open', claimedBy: null, claimedByName: null });
    const update = w.slackFake.calls('chat.update').at(-1) as Record<string, unknown>;
    expect(update).toMatchObject({ channel: 'CQUEUE', ts, text: `${number} · Něco jiného · Čeká na technika` });
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(['linka_claim', 'linka_resolve', 'linka_offer']);
    expect(w.slackFake.calls('chat.postMessage')).toContainEqual(expect.objectContaining({ thread_ts: ts, text: 'Petr vrátil(a) požadavek do fronty.' }));
    expect((await w.card(number)).posted).toHaveLength(1);
    // Back in the queue, anyone may claim it; releasing an unclaimed ticket is explained.
    expect(await w.command(`release ${number}`, 'UPETR')).toMatchObject({ status: 200, text: expect.stringContaining(number) });
    await w.click('claim', number, 'UGRP');
    expect(await w.ticket(number)).toMatchObject({ status: 'claimed', claimedByName: 'Gustav' });
    // A bad id gets the usage.
    expect((await w.command('release T-2026-99999', 'UPETR')).text).toContain('T-2026-99999');
  });

  it(
    'lets one of twenty simultaneous signed Claim clicks win, twenty times over; the others are told who has it',
    async () => {
      for (let round = 0; round < 20; round++) {
        const number = await w.openTicketDirect('telegram:8001');
        const before = ephemerals(w).length;
        const responses = await Promise.all(RACERS.map((u) => w.click('claim', number, u)));
        expect(responses.map((r) => r.status)).toEqual(RACERS.map(() => 200));
        const ticket = await w.ticket(number);
        expect(ticket?.status).toBe('claimed');
        expect(ticket?.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
        const winner = RACERS.indexOf((ticket?.claimedBy ?? '').replace('slack:', ''));
        expect(winner).toBeGreaterThanOrEqual(0);
        const told = ephemerals(w).slice(before);
        expect(told).toHaveLength(19);
        expect(new Set(told.map((e) => e.user))).toEqual(new Set(RACERS.filter((_, i) => i !== winner)));
        for (const e of told) expect(e.text).toBe(`Požadavek ${number} už převzal(a) Technik ${winner}.`);
      }
    },
    RACE_TIMEOUT,
  );

  it('refuses a click from someone who is not a technician, changing nothing; a member of the technician group may act', async () => {
    const number = await w.openTicketDirect('telegram:8002');
    await w.t.settle();
    const updates = w.slackFake.calls('chat.update').length;
    const res = await w.click('claim', number, 'UEVA');
    expect(res.status).toBe(200);
    expect(ephemerals(w)).toEqual([{ channel: 'CQUEUE', user: 'UEVA', text: 'S požadavky mohou pracovat jen technici. Požádejte správce o přidání.' }]);
    for (const action of ['resolve', 'offer']) await w.click(action, number, 'UEVA');
    await w.t.settle();
    const ticket = await w.ticket(number);
    expect(ticket).toMatchObject({ status: 'open', claimedBy: null, resolvedAt: null });
    expect(ticket?.events.map((e) => e.type)).not.toContain('claimed');
    expect(w.slackFake.calls('chat.update')).toHaveLength(updates);
    expect(ephemerals(w)).toHaveLength(3);

    // Gustav is in the technician group (usergroups.users.list).
    expect((await w.click('claim', number, 'UGRP')).status).toBe(200);
    expect(await w.ticket(number)).toMatchObject({ status: 'claimed', claimedByName: 'Gustav' });
    // The group's members are cached for a few minutes, then asked again.
    w.slackFake.groups.set('SGROUP', []);
    expect((await w.click('release', number, 'UGRP')).status).toBe(200);
    expect(await w.ticket(number)).toMatchObject({ status: 'open' });
    w.t.clock.advance(6);
    await w.click('claim', number, 'UGRP');
    expect(await w.ticket(number)).toMatchObject({ status: 'open' });
    expect(ephemerals(w).at(-1)).toMatchObject({ user: 'UGRP', text: expect.stringContaining('jen technici') });
    expect(w.slackFake.calls('usergroups.users.list')).toHaveLength(2);
  });

  it("relays a technician's thread reply to the customer signed with their name, keeps note: internal, and shows the customer's answer in the thread", async () => {
    const number = await w.openTicketOnTelegram();
    const { ts } = await w.card(number);
    const sent = () => w.customerGot().length;

    let before = sent();
    expect((await w.send(slack.message('Dobrý den, zkuste prosím SMTP port 587.', 'UPETR', { threadTs: ts }), JSON_TYPE)).status).toBe(200);
    await w.t.settle();
    expect(w.customerGot().slice(before)).toEqual(['Petr (technik): Dobrý den, zkuste prosím SMTP port 587.']);

    // Slack's markup is undone for the customer.
    before = sent();
    await w.send(slack.message('Návod: <https://podpora.example.cz/smtp|nastavení pošty> &amp; heslo &lt;nové&gt;', 'UPETR', { threadTs: ts }), JSON_TYPE);
    await w.t.settle();
    expect(w.customerGot().slice(before)).toEqual(['Petr (technik): Návod: nastavení pošty (https://podpora.example.cz/smtp) & heslo <nové>']);

    // A note stays internal; bots, edits, non-technicians, top-level messages and other threads are not relayed.
    before = sent();
    await w.send(slack.message('note: Asi špatné heslo v klientovi.', 'UPETR', { threadTs: ts }), JSON_TYPE);
    await w.send(slack.message('Tohle je bot.', 'UPETR', { threadTs: ts, botId: 'BOTHER' }), JSON_TYPE);
    await w.send(slack.message('Upravená zpráva', 'UPETR', { threadTs: ts, subtype: 'message_changed' }), JSON_TYPE);
    await w.send(slack.message('Já nejsem technik.', 'UEVA', { threadTs: ts }), JSON_TYPE);
    await w.send(slack.message('Zpráva do kanálu.', 'UPETR'), JSON_TYPE);
    await w.send(slack.message('Jiné vlákno.', 'UPETR', { threadTs: '1234.5678' }), JSON_TYPE);
    await w.t.settle();
    expect(w.customerGot().slice(before)).toEqual([]);
    const ticket = await w.ticket(number);
    expect(ticket?.events.filter((e) => e.type === 'note').map((e) => (e.data as { text: string }).text)).toEqual(['Asi špatné heslo v klientovi.']);
    expect(ticket?.events.filter((e) => e.type === 'technician_message')).toHaveLength(2);
    // The thread already shows the technician's words: Linka does not repeat them there.
    const threadLines = () =>
      w.slackFake
        .calls('chat.postMessage')
        .filter((c) => c.thread_ts === ts)
        .map((c) => String(c.text));
    expect(threadLines().filter((l) => l.includes('Asi špatné heslo') || l.includes('SMTP port 587'))).toEqual([]);
    // A note by /linka is only in the private answer, so the thread gets a copy.
    await w.command(`note ${number} Volal jsem mu.`, 'UPETR');
    await w.t.settle();
    expect(threadLines()).toContain('Poznámka (Petr): Volal jsem mu.');

    // The customer answers on Telegram: it appears in the card's thread.
    await w.customerSays('Pořád to nejde, píše to chybu 535.');
    expect(w.slackFake.calls('chat.postMessage')).toContainEqual(
      expect.objectContaining({ channel: 'CQUEUE', thread_ts: ts, text: 'Zákazník: Pořád to nejde, píše to chybu 535.' }),
    );
  });

  it("does not relay a file shared in the card's thread, with or without a comment; a reply in words after it is relayed", async () => {
    const number = await w.openTicketOnTelegram();
    const { ts } = await w.card(number);
    const before = w.customerGot().length;
    const file = {
      id: 'F0SCREEN',
      name: 'nastaveni-routeru.png',
      title: 'nastaveni-routeru.png',
      mimetype: 'image/png',
      filetype: 'png',
      user: 'UPETR',
      url_private: 'https://files.slack.example/files-pri/T1-F0SCREEN/nastaveni-routeru.png',
      permalink: 'https://linka-test.slack.example/files/UPETR/F0SCREEN/nastaveni-routeru.png',
    };
    // A screenshot with a comment, then one alone, as Slack delivers file uploads in a thread.
    for (const comment of ['Takhle má vypadat nastavení routeru.', '']) {
      const res = await w.send(slack.message(comment, 'UPETR', { threadTs: ts, subtype: 'file_share', files: [file] }), JSON_TYPE);
      expect(res.status).toBe(200);
    }
    // Then the technician describes it in words: that reaches the customer, and it is the only thing
    // that does (the outbox delivers a customer's messages in order, so a relayed file would come first).
    await w.send(slack.message('Na routeru zapněte prosím WPA2 a uložte.', 'UPETR', { threadTs: ts }), JSON_TYPE);
    await w.t.settle();
    await eventually(() => w.customerGot().length > before, 3000, 'the reply in words');
    expect(w.customerGot().slice(before)).toEqual(['Petr (technik): Na routeru zapněte prosím WPA2 a uložte.']);
    expect(w.tgFake.requests.filter((r) => /send(Photo|Document)$/.test(r.path))).toEqual([]);
    const ticket = await w.ticket(number);
    expect(ticket?.events.filter((e) => e.type === 'technician_message')).toHaveLength(1);
    const history = (ticket?.messages ?? []).map((m) => `${m.direction}:${m.text}`);
    expect(history).toContain('out:Petr (technik): Na routeru zapněte prosím WPA2 a uložte.');
    expect(history.filter((h) => h.includes('F0SCREEN') || h.includes('nastaveni-routeru') || h.includes('Takhle má vypadat'))).toEqual([]);
  });

  it('refuses forged, unsigned and stale requests with 401 and changes nothing; acts once on a retried event; answers url_verification', async () => {
    const number = await w.openTicketOnTelegram();
    const { ts } = await w.card(number);
    const counts = async () => [
      await w.t.linka.db.prisma.processedInbound.count(),
      await w.t.linka.db.prisma.ticketEvent.count(),
      w.customerGot().length,
      w.slackFake.requests.filter((r) => !r.path.endsWith('auth.test')).length,
    ];
    const start = await counts();
    const click = slack.click('claim', number, 'UPETR');
    const reply = slack.message('Zkuste restart routeru.', 'UPETR', { threadTs: ts });
    const now = Math.floor(Date.now() / 1000);
    const forged = signed(click, FORM, { secret: 'not-the-secret' });
    const unsigned = { body: click, contentType: FORM, headers: {} };
    const noTimestamp = { ...signed(click, FORM), headers: { 'x-slack-signature': signed(click, FORM).headers['x-slack-signature'] as string } };
    const stale = signed(reply, JSON_TYPE, { timestamp: now - 6 * 60 });
    const future = signed(reply, JSON_TYPE, { timestamp: now + 6 * 60 });
    const tampered = { ...signed(reply, JSON_TYPE), body: reply.replace('restart', 'reset') };
    for (const d of [forged, unsigned, noTimestamp, stale, future, tampered]) expect((await w.sendRaw(d)).status).toBe(401);
    await w.t.settle();
    expect(await counts()).toEqual(start);
    expect(await w.ticket(number)).toMatchObject({ status: 'open' });

    // Just inside the window is fine; the same event delivered again (Slack's retry) acts once.
    const first = signed(reply, JSON_TYPE, { timestamp: now - 4 * 60 });
    expect((await w.sendRaw(first)).status).toBe(200);
    expect((await w.send(reply, JSON_TYPE, { extra: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    expect((await w.send(reply, JSON_TYPE, { extra: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    await w.t.settle();
    expect(w.customerGot().filter((m) => m === 'Petr (technik): Zkuste restart routeru.')).toHaveLength(1);
    expect(await w.t.linka.db.prisma.processedInbound.count({ where: { id: { startsWith: 'slack:event:' } } })).toBe(1);

    const challenge = await w.send(JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' }), JSON_TYPE);
    expect(challenge).toMatchObject({ status: 200, body: { challenge: 'c-123' } });
    // An unsigned url_verification is refused like anything else.
    expect((await w.sendRaw({ body: '{"type":"url_verification","challenge":"x"}', contentType: JSON_TYPE, headers: {} })).status).toBe(401);
    // Signed but malformed: 400, and the process goes on.
    expect((await w.send('{not json', JSON_TYPE)).status).toBe(400);
    expect((await w.send('payload=%7Bnot', FORM)).status).toBe(400);
    expect((await w.send('hello=1', FORM)).status).toBe(400);
    expect((await w.send(JSON.stringify({ type: 'event_callback' }), JSON_TYPE)).status).toBe(400);
    expect((await w.click('claim', number, 'UPETR')).status).toBe(200);
    expect(await w.ticket(number)).toMatchObject({ status: 'claimed' });
  });

  it('answers 500 when acting fails, so Slack retries, and the retry acts', async () => {
    const number = await w.openTicketOnTelegram();
    const { ts } = await w.card(number);
    const reply = slack.message('Zkusím to na dálku.', 'UPETR', { threadTs: ts });
    // The queue fails (a database outage, say) on the first delivery.
    const queue = w.t.linka.runtime.queue;
    const original = queue.reply;
    queue.reply = async () => {
      throw new Error('database is down');
    };
    try {
      expect((await w.send(reply, JSON_TYPE)).status).toBe(500);
    } finally {
      queue.reply = original;
    }
    expect((await w.send(reply, JSON_TYPE, { extra: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } })).status).toBe(200);
    await w.t.settle();
    await eventually(() => w.customerGot().includes('Petr (technik): Zkusím to na dálku.'), 3000, 'the retried reply');
  });
});

describe('Slack with another note prefix', () => {
  it('keeps thread messages starting with the configured prefix internal, and relays "note:" as an ordinary reply', async () => {
    const w = await startSlackWorld({ config: { team: { notePrefix: 'int:' } } });
    try {
      const number = await w.openTicketOnTelegram();
      const { ts } = await w.card(number);
      const before = w.customerGot().length;
      await w.send(slack.message('int: Zákazník má starý router.', 'UPETR', { threadTs: ts }), JSON_TYPE);
      await w.send(slack.message('note: tohle uvidí zákazník.', 'UPETR', { threadTs: ts }), JSON_TYPE);
      await w.t.settle();
      expect(w.customerGot().slice(before)).toEqual(['Petr (technik): note: tohle uvidí zákazník.']);
      const ticket = await w.ticket(number);
      expect(ticket?.events.filter((e) => e.type === 'note').map((e) => (e.data as { text: string }).text)).toEqual(['Zákazník má starý router.']);
    } finally {
      await w.stop();
    }
  });
});

describe.skipIf(!PG)('Slack on postgresql', () => {
  it(
    'lets one of twenty simultaneous signed Claim clicks win, twenty times over',
    async () => {
      const w = await startSlackWorld({ provider: 'postgresql' });
      try {
        for (let round = 0; round < 20; round++) {
          const number = await w.openTicketDirect('telegram:8001');
          const before = ephemerals(w).length;
          const responses = await Promise.all(RACERS.map((u) => w.click('claim', number, u)));
          expect(responses.every((r) => r.status === 200)).toBe(true);
          const ticket = await w.ticket(number);
          expect(ticket?.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
          const winner = RACERS.indexOf((ticket?.claimedBy ?? '').replace('slack:', ''));
          const told = ephemerals(w).slice(before);
          expect(told).toHaveLength(19);
          for (const e of told) expect(e.text).toBe(`Požadavek ${number} už převzal(a) Technik ${winner}.`);
        }
      } finally {
        await w.stop();
      }
    },
    RACE_TIMEOUT,
  );
});
