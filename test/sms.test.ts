// The SMS channel end to end: Linka started in-process with the real twilio library aimed at a
// fake Twilio on 127.0.0.1; webhooks signed as Twilio signs them. SQLite, and PostgreSQL for the
// whole checklist (PostgreSQL runs when the server answers; under CI it must).
// Delivery reports (status callbacks) are in sms-status.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../src/domain/sms.js';
import { conversationHistory } from '../src/store/messages.js';
import { ticketByNumber } from '../src/store/tickets.js';
import { SIGNING_SECRET, startSlackFake } from './fakes/slack-fake.js';
import { postSigned } from './fakes/twilio-fake.js';
import { pgAvailable } from './helpers/db.js';
import { ACCOUNT_SID, AUTH_TOKEN, FROM, JAN, PUBLIC_URL, ask, startWorld, stopWorld, until } from './helpers/sms-world.js';

const PG = await pgAvailable();

afterEach(stopWorld);

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('SMS over Twilio on $provider', ({ provider, skip }) => {
  it.skipIf(skip)('walks the restart checklist with numbered replies to a ticket holding every message, in 8 billed segments at most', async () => {
    const w = await startWorld(provider);
    const twiml = await w.sms('Dobrý den, nejde mi internet');
    expect(twiml.status).toBe(200);
    expect(twiml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await twiml.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    // Identified by the number and the problem recognised: straight to the checklist, written in GSM-7.
    const [first] = await w.sent(1);
    expect(first?.body).toMatch(
      /^Dobry den, tady Linka \(Test ISP\)\.\n\nOdpojte ze zasuvky vse \(zdroj anteny, router, switch[^)]*\) na 10 s\.\n1 Hotovo\n2 Nevim jak$/,
    );
    // Over SMS "does it work now?" comes with the instruction: the wait costs no message of its own.
    expect(await ask(w, '1')).toBe('Zapojte vse zpet a pockejte, az zarizeni nabehnou (do 3 min). Pak odpovezte: Funguje ted internet?\n1 Ano\n2 Ne');
    w.advance(3);
    await w.settle(); // every timer due by then has fired and what it queued has gone out: nothing
    expect(w.fake.sent).toHaveLength(2);
    expect(await ask(w, '2')).toBe('Restartujte i pocitace a dalsi zarizeni v siti. Pak odpovezte: Funguje ted internet?\n1 Ano\n2 Ne');
    expect(await ask(w, 'Ne')).toBe('Predam to technikovi, jen par otazek.\n\nOd kdy zavada trva?\n1 Dnes\n2 Vcera\n3 Dele');
    expect(await ask(w, '2')).toContain('Jak sviti kontrolky routeru?\n1 Nesviti\n2 Cervene');
    expect(await ask(w, '2')).toContain('Kterych zarizeni se to tyka?\n1 Vsech');
    expect(await ask(w, '1')).toBe('Popiste prosim zavadu vlastnimi slovy.');
    // No recap to confirm over SMS: the description opens the ticket; its number and the reaction time come in one segment.
    const opened = await ask(w, 'Nenačte se žádná stránka, router svítí červeně.');
    const number = /Pozadavek (T-\d{4}-00001) predan technikum, ozvou se zde\./.exec(opened)?.[1] ?? 'no ticket number in the reply';
    expect(opened).toMatch(/\n\nReakce technika do: \S+ \d+\. \d+\. v \d+:\d\d\.\n1 Jiny problem$/);
    expect(w.fake.sent).toHaveLength(8);
    expect(w.fake.sent.reduce((n, sms) => n + smsSegments(sms.body).segments, 0)).toBeLessThanOrEqual(8);

    // Every reply: GSM-7, from TWILIO_FROM to the customer's E.164 number, with the status callback URL.
    for (const sms of w.fake.sent) {
      expect(sms).toMatchObject({ to: JAN, from: FROM, statusCallback: `${PUBLIC_URL}/sms/twilio/status`, auth: `${ACCOUNT_SID}:${AUTH_TOKEN}` });
      expect(isGsm7(sms.body), sms.body).toBe(true);
    }
    const prisma = w.linka.db.prisma;
    // The fake has the last SMS before the outbox has marked it sent: wait for the mark.
    await until(async () => (await prisma.message.count({ where: { direction: 'out', status: 'queued' } })) === 0, 'every reply marked sent');
    const ticket = await ticketByNumber(prisma, number);
    const customer = await prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } });
    expect(ticket).toMatchObject({ customerId: customer?.id, verified: true, category: 'internet' });
    expect(ticket?.answers).toMatchObject({ checklist: 'done', afterReplug: 'no', afterRestart: 'no', since: 'yesterday', lights: 'red', devices: 'all' });
    const history = await conversationHistory(prisma, `sms:${JAN}`);
    expect(ticket?.messages.map((m) => m.id)).toEqual(history.map((m) => m.id));
    // The history keeps each reply as written (diacritics, the choices apart), next to the SMS
    // that carried it (by its MessageSid).
    const outs = history.filter((m) => m.direction === 'out');
    expect(outs).toHaveLength(w.fake.sent.length);
    const choices = (...labels: Array<[string, string]>) => labels.map(([id, label]) => ({ id, label }));
    const deadline = /\n\nReakce technika do: (\S+) (\d+\. \d+\. v \d+:\d\d)\.$/.exec(outs.at(-1)?.text ?? '');
    const GSM_DAY: Record<string, string> = {
      pondělí: 'pondeli',
      úterý: 'utery',
      středa: 'streda',
      čtvrtek: 'ctvrtek',
      pátek: 'patek',
      sobota: 'sobota',
      neděle: 'nedele',
    };
    expect(deadline?.[1] ?? '', 'the reaction deadline in the last reply').toBeOneOf(Object.keys(GSM_DAY));
    const [day, time] = [deadline?.[1] as string, deadline?.[2] as string];
    expect(
      outs.map((m) => ({ status: m.status, text: m.text, choices: m.choices, sms: w.fake.sent.find((s) => s.sid === m.platformMessageId)?.body })),
    ).toEqual(
      [
        {
          text: 'Dobrý den, tady Linka (Test ISP).\n\nOdpojte ze zásuvky vše (zdroj antény, router, switch, VoIP brána) na 10 s.',
          choices: choices(['done', 'Hotovo'], ['cannot', 'Nevím jak']),
          sms: 'Dobry den, tady Linka (Test ISP).\n\nOdpojte ze zasuvky vse (zdroj anteny, router, switch, VoIP brana) na 10 s.\n1 Hotovo\n2 Nevim jak',
        },
        {
          text: 'Zapojte vše zpět a počkejte, až zařízení naběhnou (do 3 min). Pak odpovězte: Funguje teď internet?',
          choices: choices(['yes', 'Ano'], ['no', 'Ne']),
          sms: 'Zapojte vse zpet a pockejte, az zarizeni nabehnou (do 3 min). Pak odpovezte: Funguje ted internet?\n1 Ano\n2 Ne',
        },
        {
          text: 'Restartujte i počítače a další zařízení v síti. Pak odpovězte: Funguje teď internet?',
          choices: choices(['yes', 'Ano'], ['no', 'Ne']),
          sms: 'Restartujte i pocitace a dalsi zarizeni v siti. Pak odpovezte: Funguje ted internet?\n1 Ano\n2 Ne',
        },
        {
          text: 'Předám to technikovi, jen pár otázek.\n\nOd kdy závada trvá?',
          choices: choices(['today', 'Dnes'], ['yesterday', 'Včera'], ['longer', 'Déle']),
          sms: 'Predam to technikovi, jen par otazek.\n\nOd kdy zavada trva?\n1 Dnes\n2 Vcera\n3 Dele',
        },
        {
          text: 'Jak svítí kontrolky routeru?',
          choices: choices(['off', 'Nesvítí'], ['red', 'Červeně'], ['blinking', 'Bliká'], ['normal', 'Normálně'], ['unknown', 'Nevím']),
          sms: 'Jak sviti kontrolky routeru?\n1 Nesviti\n2 Cervene\n3 Blika\n4 Normalne\n5 Nevim',
        },
        {
          text: 'Kterých zařízení se to týká?',
          choices: choices(['all', 'Všech'], ['some', 'Některých'], ['wifiOnly', 'Jen Wi-Fi'], ['phoneOnly', 'Jen telefonu']),
          sms: 'Kterych zarizeni se to tyka?\n1 Vsech\n2 Nekterych\n3 Jen Wi-Fi\n4 Jen telefonu',
        },
        { text: 'Popište prosím závadu vlastními slovy.', choices: null, sms: 'Popiste prosim zavadu vlastnimi slovy.' },
        {
          text: `Požadavek ${number} předán technikům, ozvou se zde. Doplnění pište sem.\n\nReakce technika do: ${day} ${time}.`,
          choices: choices(['newProblem', 'Jiný problém']),
          sms: `Pozadavek ${number} predan technikum, ozvou se zde. Doplneni piste sem.\n\nReakce technika do: ${GSM_DAY[day]} ${time}.\n1 Jiny problem`,
        },
      ].map((m) => ({ status: 'sent', ...m })),
    );
    const ins = history.filter((m) => m.direction === 'in').map((m) => m.text);
    expect(ins).toEqual(['Dobrý den, nejde mi internet', '1', '2', 'Ne', '2', '2', '1', 'Nenačte se žádná stránka, router svítí červeně.']);
    // The billed segments are counted.
    const segments = w.fake.sent.reduce((n, s) => n + smsSegments(s.body).segments, 0);
    const metrics = await (await fetch(`${w.base}/metrics`)).text();
    expect(metrics).toContain(`linka_sms_segments_total ${segments}`);
  });
});

describe('SMS over Twilio on sqlite', () => {
  const params = { MessageSid: 'SMforged1', AccountSid: ACCOUNT_SID, From: JAN, To: FROM, Body: 'Dobrý den', NumMedia: '0' };

  it('refuses a forged or missing signature (403) and malformed input (400), storing and sending nothing', async () => {
    const w = await startWorld();
    const before = await w.counts();
    const post = (o: Partial<Parameters<typeof postSigned>[0]>) =>
      postSigned({ localBase: w.base, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, path: '/sms/twilio', params, ...o }).then((r) => r.status);
    expect(await post({ signature: 'bm90IGEgc2lnbmF0dXJl' })).toBe(403);
    expect(await post({ signature: null })).toBe(403);
    expect(await post({ authToken: 'another-token' })).toBe(403);
    expect(await post({ publicUrl: w.base })).toBe(403); // signed for the local URL, not PUBLIC_URL
    expect(await post({ path: '/sms/twilio/status', params: { MessageSid: 'SMx', MessageStatus: 'delivered' }, signature: 'Zm9yZ2Vk' })).toBe(403);
    // Signed, but From or Body missing.
    const { From: _from, ...noFrom } = params;
    const { Body: _body, ...noBody } = params;
    expect(await post({ params: noFrom })).toBe(400);
    expect(await post({ params: noBody })).toBe(400);
    // Not a form at all, or a broken one.
    const raw = (body: string, type: string) =>
      fetch(`${w.base}/sms/twilio`, { method: 'POST', headers: { 'content-type': type, 'x-twilio-signature': 'x' }, body }).then((r) => r.status);
    expect(await raw(JSON.stringify(params), 'application/json')).toBe(400);
    expect(await raw('From=%2B420603123456&Body=%E0%A4%A', 'application/x-www-form-urlencoded')).toBe(400);
    expect(await raw('From=%2B420603123456&Body=%C3%28', 'application/x-www-form-urlencoded')).toBe(400);
    await w.settle(); // each was answered; anything one of them queued has gone out by now
    expect(await w.counts()).toEqual(before);
    expect(w.fake.calls()).toHaveLength(0);
    // The same message, properly signed, is taken.
    expect(await post({})).toBe(200);
    expect((await w.sent(1))[0]?.body).toContain('Dobry den, tady Linka');
  });

  it('answers each inbound message once, however often Twilio delivers it', async () => {
    const w = await startWorld();
    const twice = async (text: string, sid: string) => {
      const statuses = await Promise.all([w.sms(text, { sid }), w.sms(text, { sid })]);
      expect(statuses.map((r) => r.status)).toEqual([200, 200]);
      expect((await w.sms(text, { sid })).status).toBe(200); // and once more, later
    };
    await twice('Dobrý den, nejde mi internet', 'SMdup1');
    await w.sent(1);
    await twice('1', 'SMdup2');
    // Every delivery was answered after it was handled: once the outbox has delivered all that
    // is due, a reply to a duplicate would have reached the fake.
    await w.settle();
    expect(await w.linka.db.prisma.processedInbound.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).toEqual([
      { id: 'twilio:sms:SMdup1' },
      { id: 'twilio:sms:SMdup2' },
    ]);
    expect(w.fake.sent).toHaveLength(2);
    expect(w.fake.sent[1]?.body).toContain('Zapojte vse zpet');
    const history = await conversationHistory(w.linka.db.prisma, `sms:${JAN}`);
    expect(history.map((m) => m.direction)).toEqual(['in', 'out', 'in', 'out']);
    expect(history.filter((m) => m.direction === 'in').map((m) => m.platformMessageId)).toEqual(['SMdup1', 'SMdup2']);
  });

  it('waits as long as a 429 Retry-After says, and retries a 500 after the outbox back-off', async () => {
    const w = await startWorld();
    const prisma = w.linka.db.prisma;
    // Linka's clock stands still (it moves only when the test moves it), so the time the outbox
    // sets for the next attempt can be read exactly, and no retry goes before the test allows it.
    let now = w.freezeClock();
    /** The n-th reply's outbox item, once its first attempt has failed and the retry is set. */
    const failedOnce = (n: number) =>
      until(
        async () => {
          const row = (await prisma.outboxItem.findMany({ orderBy: { id: 'asc' } }))[n];
          return row?.status === 'pending' && row.attempts === 1 && row.lastError !== null && row;
        },
        `reply ${n + 1}: its failed attempt recorded`,
      );

    w.fake.script({ status: 429, headers: { 'Retry-After': '1' }, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    await w.sms('Dobrý den, nejde mi internet');
    const limitedItem = await failedOnce(0);
    expect(limitedItem.lastError).toBe('twilio: HTTP 429 Too Many Requests, error 20429');
    // Due again exactly when Retry-After says: 1 s, not the outbox's back-off (150 ms) nor a longer wait.
    expect(limitedItem.nextAttemptAt.getTime() - now.getTime()).toBe(1000);
    now = new Date(now.getTime() + 1000);
    w.advanceMs(1000);
    await w.sent(1);
    // One refused call and one accepted: the twilio library did not retry on its own, and the
    // retry did not reach Twilio before the second was over by the wall clock either.
    const [limited, delivered] = w.fake.calls();
    expect(w.fake.calls()).toHaveLength(2);
    expect((delivered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);

    w.fake.script({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
    await w.sms('1');
    const erroredItem = await failedOnce(1);
    expect(erroredItem.lastError).toBe('twilio: HTTP 500, error 20500');
    // Due again after the outbox's back-off (outbox.backoffBaseMs: 150 ms), not a long wait.
    expect(erroredItem.nextAttemptAt.getTime() - now.getTime()).toBe(150);
    w.advanceMs(150);
    await w.sent(2);
    expect(w.fake.calls()).toHaveLength(4);
    // The fake has answered; the outbox records that just after.
    const items = await until(async () => {
      const rows = await prisma.outboxItem.findMany({ orderBy: { id: 'asc' } });
      return rows.every((i) => i.status !== 'pending') && rows;
    }, 'both replies recorded');
    expect(items.map((i) => [i.status, i.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    const out = await prisma.message.findMany({ where: { direction: 'out' }, orderBy: { id: 'asc' } });
    expect(out.map((m) => [m.status, m.platformMessageId])).toEqual(w.fake.sent.map((s) => ['sent', s.sid]));
  });

  it('STOP opts the number out: the confirmation goes, later replies and follow-ups do not; START opts back in', async () => {
    const w = await startWorld();
    await ask(w, 'Dobrý den, nejde mi internet');
    const confirmation = await ask(w, 'Stop');
    expect(confirmation).toBe('Odhlasili jste se ze zprav od Linky, nic dalsiho vam uz neposleme. Chcete-li zpravy znovu dostavat, poslete START.');
    const prisma = w.linka.db.prisma;
    expect(await prisma.optOut.count({ where: { conversationId: `sms:${JAN}` } })).toBe(1);
    expect((await w.sms('1')).status).toBe(200); // answered by the engine, but not sent
    const suppressedReplies = (n: number) =>
      until(async () => {
        const rows = await prisma.message.findMany({ where: { direction: 'out', status: 'suppressed' }, orderBy: { id: 'asc' } });
        return rows.length >= n && rows;
      }, `${n} suppressed replies`);
    await suppressedReplies(1);
    w.advance(31); // the follow-up to "does it work now?"
    const suppressed = await suppressedReplies(2);
    expect(suppressed.map((m) => m.text)).toEqual([expect.stringContaining('Zapojte vše zpět'), expect.stringContaining('Jste tu ještě?')]);
    expect(w.fake.sent).toHaveLength(2);
    expect(await ask(w, 'start')).toContain('Vitejte zpet, zpravy vam budeme znovu posilat.');
    expect(await prisma.optOut.count()).toBe(0);
    expect(await ask(w, '2')).toContain('Restartujte i pocitace');
  });

  it('asks an unknown number for the contract number, in the language its country suggests', async () => {
    const w = await startWorld();
    const stranger = '+420777000111';
    expect(await ask(w, 'Dobrý den, nejde mi internet', { from: stranger })).toBe(
      'Dobry den, tady Linka (Test ISP).\n\nPro overeni poslete cislo smlouvy (je na smlouve ci fakture).',
    );
    expect(await ask(w, '2024-0153', { from: stranger })).toContain('Dekuji, smlouva nalezena (Jan Novak).');
    expect(await ask(w, 'Dobrý deň', { from: '+421905000111' })).toContain('Na overenie poslite cislo zmluvy');
    const conv = await w.linka.db.prisma.conversation.findUnique({ where: { id: `sms:${stranger}` } });
    const jan = await w.linka.db.prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } });
    expect(conv?.customerId).toBe(jan?.id);
  });

  it('costs at most 8 billed segments both for the checklist that ends in "it works now" and for the one that ends in a ticket', async () => {
    const w = await startWorld();
    const ZUZANA = '+421905123456'; // helpers/harness.ts seedCustomers: Slovak, tier STANDARD
    const converse = async (from: string, texts: string[]) => {
      for (const text of texts) await ask(w, text, { from });
      await w.settle();
      const bodies = w.fake.sent.filter((sms) => sms.to === from).map((sms) => sms.body);
      expect(bodies, 'one reply per message').toHaveLength(texts.length);
      return { bodies, segments: bodies.reduce((n, body) => n + smsSegments(body).segments, 0) };
    };
    // Unplugged, still broken after plugging back, works after the restart.
    const resolved = await converse(ZUZANA, ['Dobrý deň, nejde mi internet', '1', '2', '1']);
    expect(resolved.bodies.at(-1)).toContain('Vyborne, vsetko funguje.');
    // Still broken after the restart too: since when, lights, devices, description, ticket.
    const ticket = await converse(JAN, ['Dobrý den, nejde mi internet', '1', '2', '2', '1', '2', '1', 'Nic se nenačte, ani e-mail nejde.']);
    expect(ticket.bodies.at(-1)).toMatch(/^Pozadavek T-\d{4}-00001 predan technikum, ozvou se zde\. Doplneni piste sem\.\n\nReakce technika do: /);
    expect(resolved.segments).toBeLessThanOrEqual(8);
    expect(ticket.segments).toBeLessThanOrEqual(8);
    expect(await w.linka.db.prisma.ticket.findFirst()).toMatchObject({
      verified: true,
      answers: expect.objectContaining({ afterReplug: 'no', afterRestart: 'no', since: 'today', lights: 'red', devices: 'all' }),
    });
    const metrics = await (await fetch(`${w.base}/metrics`)).text();
    expect(metrics).toContain(`linka_sms_segments_total ${resolved.segments + ticket.segments}`);
  });

  it('hands an unknown number over to a human after three wrong contract numbers: an unverified ticket at once, posted to the team queue', async () => {
    const slackFake = await startSlackFake();
    try {
      const w = await startWorld(
        'sqlite',
        { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackFake.url },
        { slack: { queueChannel: 'CQUEUE' } },
      );
      const stranger = '+420777000111';
      expect(await ask(w, 'Dobrý den, nejde mi internet', { from: stranger })).toContain('Pro overeni poslete cislo smlouvy');
      expect(await ask(w, '9999-0000', { from: stranger })).toContain('Smlouvu jsem nenasla. Zkontrolujte cislo a poslete ho znovu (zbyva pokusu: 2).');
      expect(await ask(w, '9999 0001', { from: stranger })).toContain('Cislo smlouvy je bez mezer, napr. 2024-0153. Poslete ho znovu (zbyva pokusu: 1).');
      const handover = await ask(w, '9999-0002', { from: stranger });
      expect(handover).toMatch(
        /^Overeni se nepodarilo, predavam vas technikovi\. Specha-li to, volejte \+420 377 000 000\.\n\nPozadavek T-\d{4}-00001 predan technikum/,
      );
      const number = /T-\d{4}-00001/.exec(handover)?.[0] as string;
      const prisma = w.linka.db.prisma;
      const ticket = await ticketByNumber(prisma, number);
      expect(ticket).toMatchObject({ verified: false, customerId: null, category: 'other', status: 'open', conversationId: `sms:${stranger}` });
      expect(ticket?.answers).toMatchObject({ problem: 'identification', contractTries: '9999-0000, 9999 0001, 9999-0002' });
      expect(ticket?.summary).toContain('Zákazník neověřen');
      // Posted to the team's queue at once.
      expect(await prisma.outboxItem.count({ where: { kind: 'team.post', target: `team:slack:${number}` } })).toBe(1);
      await until(() => slackFake.calls('chat.postMessage').some((c) => JSON.stringify(c).includes(number)), 'the ticket card in Slack');
      // Exactly one reply per inbound message (once what was queued has gone out).
      await w.settle();
      expect(w.fake.sent.filter((sms) => sms.to === stranger)).toHaveLength(4);
      // The conversation stays usable: a further message joins the ticket, and the menu still works.
      expect(await ask(w, 'Jsem Jan Novák z Borů.', { from: stranger })).toContain(`Pripojeno k pozadavku ${number}`);
      expect(await ask(w, 'menu', { from: stranger })).toContain('Co nefunguje?\n1 Internet');
      expect(w.fake.sent.filter((sms) => sms.to === stranger)).toHaveLength(6);
    } finally {
      await stopWorld();
      await slackFake.close();
    }
  });

  it('gives up on a Twilio call that never answers after its time limit and delivers the reply once, after the back-off', async () => {
    // The call time limit is a quarter of the outbox lease (15 s with the default 60 s lease): 250 ms here.
    const w = await startWorld('sqlite', {}, { workers: { leaseSeconds: 1 } });
    const prisma = w.linka.db.prisma;
    let hung = 0;
    w.fake.onAccept = async (sms) => {
      if (hung++ > 0) return;
      w.fake.sent.splice(w.fake.sent.indexOf(sms), 1); // never answered, so never delivered
      await new Promise(() => undefined);
    };
    // Linka's clock stands still: the retry time the outbox sets can be read exactly.
    const frozen = w.freezeClock();
    expect((await w.sms('Dobrý den, nejde mi internet')).status).toBe(200);
    const waiting = await until(async () => {
      const row = await prisma.outboxItem.findFirst();
      return row?.status === 'pending' && row.attempts === 1 && row.lastError !== null && row;
    }, 'the timed-out attempt recorded');
    // Given up after the 250 ms limit (not twilio's or the lease's), and due again after the
    // outbox back-off (outbox.backoffBaseMs: 150 ms), not a long wait.
    expect(waiting.lastError).toBe('twilio: timeout of 250ms exceeded');
    expect(waiting.nextAttemptAt.getTime() - frozen.getTime()).toBe(150);
    expect(w.fake.calls()).toHaveLength(1);
    w.advanceMs(150);
    const [reply] = await w.sent(1);
    expect(reply?.body).toContain('Dobry den, tady Linka');
    const calls = w.fake.calls();
    expect(calls).toHaveLength(2);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    const item = await until(async () => {
      const row = await prisma.outboxItem.findFirst();
      return row?.status === 'sent' && row;
    }, 'the reply recorded as sent');
    expect(item).toMatchObject({ attempts: 2 });
    expect(await prisma.message.findFirst({ where: { direction: 'out' } })).toMatchObject({ status: 'sent', platformMessageId: reply?.sid });
    // Past the lease of the hung call (1 s) by Linka's clock, with the outbox drained, nothing
    // is sent again.
    w.advanceMs(5000);
    await w.settle();
    expect(w.fake.calls()).toHaveLength(2);
    expect(w.fake.sent).toHaveLength(1);
  });

  it('keeps the diacritics when sms.transliterate is off (UCS-2, counted as such)', async () => {
    const w = await startWorld('sqlite', {}, { sms: { transliterate: false } });
    const body = await ask(w, 'Dobrý den, nejde mi internet');
    expect(body).toMatch(/^Dobrý den, tady Linka \(Test ISP\)\.\n\nOdpojte ze zásuvky vše \(zdroj antény/);
    expect(isGsm7(body)).toBe(false);
    const metrics = await (await fetch(`${w.base}/metrics`)).text();
    expect(metrics).toContain(`linka_sms_segments_total ${smsSegments(body).segments}`);
    expect(smsSegments(body)).toMatchObject({ encoding: 'UCS-2' });
  });

  it('stays off without PUBLIC_URL, and says why', async () => {
    const w = await startWorld('sqlite', { PUBLIC_URL: '' });
    expect(w.linka.channels).not.toContain('sms');
    expect((await w.sms('Dobrý den')).status).toBe(404);
  });
});
