// Telegram end to end: the real telegraf client against a fake Bot API on 127.0.0.1, Linka
// in-process with its webhook route, a real database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTelegram, splitText } from '../adapters/telegram/index.js';
import { conversationHistory } from '../src/store/messages.js';
import { ticketByNumber } from '../src/store/tickets.js';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { eventually, startFakeServer } from './fakes/fake-server.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'test-secret_123';
const PG = await pgAvailable();

type Sent = {
  chat_id: number | string;
  text: string;
  reply_markup?: {
    inline_keyboard?: Array<Array<{ text: string; callback_data: string }>>;
    keyboard?: Array<Array<{ text: string; request_contact?: boolean }>>;
  };
};

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('Telegram on $provider', ({ provider, skip }) => {
  let fake: TelegramFake;
  let t: TestLinka;

  beforeEach(async () => {
    if (skip) return;
    fake = await startTelegramFake();
    t = await startTestLinka({
      provider,
      env: { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url },
    });
    await seedCustomers(t.linka.db);
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await fake.close();
  });

  const hook = (update: unknown, secret: string | null = SECRET) =>
    t.post('/telegram/webhook', update, secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret });
  const sent = () => fake.calls('sendMessage') as unknown as Sent[];
  const lastSent = () => sent().at(-1) as Sent;
  /** The messages Telegram accepted, with the message_id the fake Bot API gave each. */
  const delivered = () => fake.messages as Array<{ message_id: number; text: string; reply_markup?: Sent['reply_markup'] }>;
  /** Presses the button `data` on the last message the bot delivered, under the id Telegram gave it. */
  async function press(data: string) {
    const msg = delivered().at(-1);
    if (!msg) throw new Error('no message was delivered: no button to press');
    const buttons = msg.reply_markup?.inline_keyboard?.flat() ?? [];
    expect(
      buttons.map((b) => b.callback_data),
      `buttons of "${msg.text.slice(0, 40)}"`,
    ).toContain(data);
    const res = await hook(tg.press(data, msg.message_id, msg.text, buttons));
    expect(res.status).toBe(200);
    await t.settle();
    return lastSent();
  }
  async function say(update: unknown) {
    expect((await hook(update)).status).toBe(200);
    await t.settle();
    return lastSent();
  }

  it.skipIf(skip)('walks the whole restart checklist with buttons and contact sharing, ending in a ticket', async () => {
    const hello = await say(tg.text('Dobrý den'));
    expect(hello.text).toContain('sdílejte prosím své telefonní číslo');
    expect(hello.reply_markup?.keyboard?.[0]?.[0]).toEqual({ text: 'Sdílet telefonní číslo', request_contact: true });

    const welcome = await say(tg.contact('420603123456', 7001));
    expect(welcome.text).toContain('vaši smlouvu jsem našla (Jan Novák)');
    expect(welcome.reply_markup?.inline_keyboard?.map((r) => r[0]?.text)).toEqual([
      'Nefunguje internet',
      'Nefunguje VoIP telefon',
      'Nefunguje domácí Wi-Fi',
      'Něco jiného',
    ]);
    // The customer record now knows the Telegram id: next time no identification is needed.
    expect((await t.linka.db.prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } }))?.telegramId).toBe('7001');

    const menuId = delivered().at(-1)?.message_id;
    const unplug = await press('internet');
    expect(unplug.text).toContain('Odpojte prosím ze zásuvky všechna zařízení');
    // The button stopped spinning and the menu message (the one pressed) shows the choice instead of the buttons.
    expect(fake.calls('answerCallbackQuery').length).toBe(1);
    expect(fake.calls('editMessageText').at(-1)).toMatchObject({ chat_id: 7001, message_id: menuId, text: expect.stringContaining('✅ Nefunguje internet') });
    expect(fake.calls('editMessageText').at(-1)?.reply_markup).toBeUndefined();

    expect((await press('done')).text).toContain('chvíli to potrvá. Za 3 min se vám ozvu');
    const before = sent().length;
    await t.settle(3);
    expect(sent().length).toBe(before + 1);
    expect(lastSent().text).toContain('Funguje vám teď internet?');
    expect((await press('no')).text).toContain('Restartujte prosím ještě počítače');
    await press('done');
    expect((await press('no')).text).toContain('Od kdy závada trvá?');
    expect((await say(tg.text('od rána'))).text).toContain('kontrolky');
    await say(tg.photo('AgADphoto1', 'takhle svítí'));
    await press('blinking');
    await press('all');
    const summary = await say(tg.text('Nic se nenačte, ani e-mail nejde.'));
    expect(summary.text).toContain('Kontrolky: Něco bliká');
    const opened = await press('send');
    const number = /T-\d{4}-\d{5}/.exec(opened.text)?.[0];
    expect(number).toMatch(/^T-2026-\d{5}$/);

    const ticket = await ticketByNumber(t.linka.db.prisma, number as string);
    expect(ticket).toMatchObject({ category: 'internet', verified: true });
    const history = ticket?.messages.map((m) => `${m.direction}:${m.text}`) ?? [];
    expect(history).toContain('in:Dobrý den');
    expect(history).toContain('in:[contact +420603123456]');
    expect(history).toContain('in:Něco bliká');
    expect(history.some((h) => h.startsWith('in:[photo AgADphoto1]'))).toBe(true);
    expect(history.filter((h) => h.startsWith('out:')).length).toBe(sent().length);
    expect(ticket?.messages.filter((m) => m.direction === 'out').every((m) => m.status === 'sent' && m.platformMessageId)).toBe(true);
  });

  it.skipIf(skip)('refuses a missing or forged secret token, storing and answering nothing', async () => {
    const count = async () => [
      await t.linka.db.prisma.processedInbound.count(),
      await t.linka.db.prisma.message.count(),
      await t.linka.db.prisma.conversation.count(),
    ];
    expect((await hook(tg.text('Dobrý den'), null)).status).toBe(403);
    expect((await hook(tg.text('Dobrý den'), 'wrong-secret')).status).toBe(403);
    expect((await hook(tg.text('Dobrý den'), `${SECRET}x`)).status).toBe(403);
    await t.settle();
    expect(await count()).toEqual([0, 0, 0]);
    expect(sent()).toHaveLength(0);
    // Malformed bodies get 400, the process goes on.
    expect((await hook('{not json')).status).toBe(400);
    expect((await hook({ hello: 1 })).status).toBe(400);
    expect((await hook(tg.text('Dobrý den'))).status).toBe(200);
  });

  it.skipIf(skip)('answers an update delivered twice only once', async () => {
    const update = tg.text('Dobrý den');
    expect((await hook(update)).status).toBe(200);
    expect((await hook(update)).status).toBe(200);
    await t.settle();
    expect(sent()).toHaveLength(1);
    expect(await t.linka.db.prisma.message.count({ where: { direction: 'in' } })).toBe(1);
  });

  it.skipIf(skip)('waits for the retry_after of a 429 before delivering', async () => {
    fake.script(/sendMessage/, {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
    });
    await hook(tg.text('/start 2024-0153'));
    await t.linka.runtime.outbox.drain();
    expect(sent()).toHaveLength(1); // the refused attempt
    const item = await t.linka.db.prisma.outboxItem.findFirst();
    expect(item).toMatchObject({ status: 'pending', attempts: 1 });
    expect(item?.lastError).toContain('429');
    // Not before the platform's retry-after...
    await t.settle(0.5 / 60);
    expect(sent()).toHaveLength(1);
    // ...but after it.
    await t.settle(0.6 / 60);
    expect(sent()).toHaveLength(2);
    expect(lastSent().text).toContain('Dobrý den, tady Linka');
    expect(lastSent().text).toContain('S čím vám mohu pomoci?');
    expect(await t.linka.db.prisma.message.findFirst({ where: { direction: 'out' } })).toMatchObject({ status: 'sent' });
  });

  it.skipIf(skip)("refuses someone else's contact, ignores groups, and asks for text instead of stickers", async () => {
    await say(tg.text('Dobrý den'));
    expect((await say(tg.contact('+420603123456', 9999))).text).toContain('jen vlastní telefonní číslo');
    expect((await say(tg.sticker())).text).toContain('Napište mi to prosím textem');
    const n = sent().length;
    expect((await hook(tg.text('Dobrý den', { chatId: -100200, chatType: 'supergroup' }))).status).toBe(200);
    await t.settle();
    expect(sent()).toHaveLength(n);
    expect(await conversationHistory(t.linka.db.prisma, 'telegram:-100200')).toEqual([]);
  });

  it.skipIf(skip)('takes the language from the Telegram client until the customer picks one', async () => {
    const first = await say(tg.text('Hello', { chatId: 7002, lang: 'en' }));
    expect(first.text).toContain('share your phone number');
    expect(first.reply_markup?.keyboard?.[0]?.[0]?.text).toBe('Share my number');
    // Slovak from language_code; a language Linka does not speak falls back to Czech.
    expect((await say(tg.text('Dobrý deň', { chatId: 7003, lang: 'sk' }))).text).toContain('zdieľajte prosím svoje telefónne číslo');
    expect((await say(tg.text('Guten Tag', { chatId: 7004, lang: 'de' }))).text).toContain('sdílejte prosím své telefonní číslo');
    expect((await say(tg.text('Hallo', { chatId: 7005, lang: 'de-AT' }))).text).toContain('sdílejte prosím své telefonní číslo');
    // The customer's own choice wins over language_code from then on.
    expect((await say(tg.text('česky', { chatId: 7002, lang: 'en' }))).text).toContain('Dobře, budeme pokračovat česky.');
    expect((await say(tg.text('nevím', { chatId: 7002, lang: 'en' }))).text).toContain('Číslo smlouvy tvoří číslice');
  });

  /** A message kind the engine does not read, as Telegram sends it. */
  const voice = (chatId = 7001) => {
    const id = 900_000 + Math.floor(Math.random() * 100_000);
    return {
      update_id: id,
      message: {
        message_id: id,
        date: 1795300000,
        chat: { id: chatId, type: 'private' },
        from: tg.user(chatId),
        voice: { file_id: 'vo1', file_unique_id: 'vo1', duration: 3 },
      },
    };
  };
  /** Presses `data` on the bot's `index`-th delivered message (0-based), under the id Telegram gave it. */
  async function pressOn(index: number, data: string) {
    const msg = delivered()[index];
    if (!msg) throw new Error(`no delivered message number ${index}`);
    const buttons = msg.reply_markup?.inline_keyboard?.flat() ?? [];
    const update = tg.press(data, msg.message_id, msg.text, buttons);
    return { update, res: await hook(update) };
  }

  it.skipIf(skip)('asks for text instead of a voice message', async () => {
    await say(tg.text('/start 2024-0153'));
    const n = sent().length;
    const reply = await say(voice());
    expect(sent()).toHaveLength(n + 1);
    expect(reply.text).toContain('Napište mi to prosím textem');
    expect(reply.text).toContain('S čím vám mohu pomoci?'); // and the question again
    expect((await conversationHistory(t.linka.db.prisma, 'telegram:7001')).some((m) => m.direction === 'in' && m.text === '[voice]')).toBe(true);
  });

  it.skipIf(skip)('identifies the customer from a /start deep link, and handles an unknown contract in it', async () => {
    const found = await say(tg.text('/start 2024-0153', { chatId: 7010 }));
    expect(found.text).toContain('vaši smlouvu jsem našla (Jan Novák)');
    expect(found.reply_markup?.inline_keyboard?.map((r) => r[0]?.callback_data)).toEqual(['internet', 'voip', 'wifi', 'other']);
    const jan = await t.linka.db.prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } });
    expect((await t.linka.db.prisma.conversation.findUnique({ where: { id: 'telegram:7010' } }))?.customerId).toBe(jan?.id);
    expect(jan?.telegramId).toBe('7010');

    const unknown = await say(tg.text('/start 9999-0000', { chatId: 7011 }));
    expect(unknown.text).toContain('Smlouvu s tímto číslem jsem bohužel nenašla');
    expect(unknown.text).toContain('zbývá pokusů: 2');
    expect(unknown.reply_markup?.keyboard?.[0]?.[0]).toEqual({ text: 'Sdílet telefonní číslo', request_contact: true });
    expect((await t.linka.db.prisma.conversation.findUnique({ where: { id: 'telegram:7011' } }))?.customerId).toBeNull();
  });

  it.skipIf(skip)('answers a button of an older question without showing it as chosen', async () => {
    await say(tg.text('Dobrý den'));
    await say(tg.contact('420603123456', 7001));
    const menuIndex = delivered().length - 1;
    await press('internet'); // the menu's button: shown as chosen
    expect(fake.calls('editMessageText')).toHaveLength(1);
    const before = sent().length;
    // The menu's buttons again (the message still shows them in an older client): not the question asked now.
    const { res } = await pressOn(menuIndex, 'voip');
    expect(res.status).toBe(200);
    await t.settle();
    expect(fake.calls('answerCallbackQuery')).toHaveLength(2); // the spinner stops
    expect(fake.calls('editMessageText')).toHaveLength(1); // but the old message is not edited
    expect(fake.calls('editMessageReplyMarkup')).toHaveLength(0);
    expect(sent()).toHaveLength(before + 1);
    expect(lastSent().text).toContain('Toto tlačítko patří k dřívější otázce'); // and the current question's buttons, offered again
    expect(
      lastSent()
        .reply_markup?.inline_keyboard?.flat()
        .map((b) => b.callback_data),
    ).toEqual(['done', 'cannot']);
    expect((await t.linka.db.prisma.conversation.findUnique({ where: { id: 'telegram:7001' } }))?.flow).toBe('internet');
  });

  it.skipIf(skip)('takes a button of an earlier message as stale even when the question asked now has the same button', async () => {
    await say(tg.text('/start 2024-0153'));
    await press('internet');
    const unplug = delivered().length - 1; // "unplug everything": Hotovo (done)
    await press('done');
    await t.settle(4); // the wait is over: "does it work now?"
    await press('no');
    expect(
      lastSent()
        .reply_markup?.inline_keyboard?.flat()
        .map((b) => b.callback_data),
    ).toContain('done'); // "restart the computers": Hotovo too
    const edits = fake.calls('editMessageText').length;
    const before = sent().length;
    const { res } = await pressOn(unplug, 'done');
    expect(res.status).toBe(200);
    await t.settle();
    expect(fake.calls('editMessageText')).toHaveLength(edits); // not shown as chosen
    expect(sent()).toHaveLength(before + 1);
    expect(lastSent().text).toContain('Toto tlačítko patří k dřívější otázce');
    expect(lastSent().text).toContain('Restartujte prosím ještě počítače');
    const conv = await t.linka.db.prisma.conversation.findUnique({ where: { id: 'telegram:7001' } });
    expect(`${conv?.flow}.${conv?.step}`).toBe('internet.restartPc');
    // The same button on the latest question is taken.
    await press('done');
    expect(lastSent().text).toContain('Funguje vám teď internet?');
    expect(fake.calls('editMessageText')).toHaveLength(edits + 1);
  });

  it.skipIf(skip)('answers a button press and a shared contact delivered twice only once', async () => {
    await say(tg.text('Dobrý den'));
    const contact = tg.contact('420603123456', 7001);
    expect((await hook(contact)).status).toBe(200);
    expect((await hook(contact)).status).toBe(200);
    await t.settle();
    expect(sent()).toHaveLength(2);
    expect(lastSent().text).toContain('vaši smlouvu jsem našla');

    const { update } = await pressOn(1, 'internet');
    expect((await hook(update)).status).toBe(200);
    await t.settle();
    expect(sent()).toHaveLength(3);
    expect(fake.calls('editMessageText')).toHaveLength(1); // edited once, not again for the repeat
    expect(fake.calls('answerCallbackQuery')).toHaveLength(2); // both deliveries stop the spinner
    expect(await t.linka.db.prisma.message.count({ where: { conversationId: 'telegram:7001', direction: 'in' } })).toBe(3);
  });

  it.skipIf(skip)('marks a reply to a user who blocked the bot failed at once, with the reason in the history', async () => {
    fake.script(/sendMessage/, { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    await hook(tg.text('/start 2024-0153'));
    await t.settle();
    expect(sent()).toHaveLength(1); // tried once, not retried
    const prisma = t.linka.db.prisma;
    expect(await prisma.outboxItem.findFirst()).toMatchObject({ status: 'failed', attempts: 1 });
    const history = await conversationHistory(prisma, 'telegram:7001');
    expect(history.find((m) => m.direction === 'out')).toMatchObject({ status: 'failed' });
    expect(history.at(-1)).toMatchObject({ direction: 'system' });
    expect(history.at(-1)?.text).toContain('Zprávu nelze doručit');
    expect(history.at(-1)?.text).toContain('bot was blocked by the user');
  });

  it.skipIf(skip)('splits a reply longer than Telegram allows into several messages, the buttons on the last', async () => {
    const port = t.linka.runtime.ports.get('telegram');
    const paragraph = 'Slovo '.repeat(300).trim();
    const text = Array.from({ length: 5 }, () => paragraph).join('\n\n');
    const result = await port?.send('telegram:7001', { text, choices: [{ id: 'a', label: 'A' }] });
    const parts = sent();
    expect(parts).toHaveLength(3);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    expect(parts.map((p) => p.reply_markup)).toEqual([undefined, undefined, { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }]);
    // The three parts got three ids from Telegram; the message is known by the last part's.
    const ids = delivered().map((m) => m.message_id);
    expect(new Set(ids).size).toBe(3);
    expect(result).toEqual({ platformMessageId: String(ids[2]) });
  });
});

describe('Telegram on sqlite, a Bot API that does not answer', () => {
  it('gives up on a send after its time limit and delivers the message once, after the back-off', async () => {
    // A Bot API whose first sendMessage never gets an answer; it records the ids it gives.
    let messageId = 100;
    const given: number[] = [];
    let hang = true;
    const api = await startFakeServer((req) => {
      if (!req.path.endsWith('/sendMessage')) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      if (hang) {
        hang = false;
        return new Promise(() => undefined);
      }
      const body = req.body as { chat_id: number; text: string };
      given.push(++messageId);
      return {
        status: 200,
        body: { ok: true, result: { message_id: messageId, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } },
      };
    });
    // The call time limit is a quarter of the outbox lease (15 s with the default 60 s lease): 250 ms here.
    const t = await startTestLinka({
      env: { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url },
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50, leaseSeconds: 1 },
        outbox: { backoffBaseMs: 200 },
      },
    });
    try {
      await seedCustomers(t.linka.db);
      const prisma = t.linka.db.prisma;
      const sends = () => api.requests.filter((r) => r.path.endsWith('/sendMessage'));
      expect((await t.post('/telegram/webhook', tg.text('/start 2024-0153'), { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(200);
      const delivering = t.linka.runtime.outbox.drain();
      // The attempt ends as a failure (a background poll may be the one that made it), and the
      // error names the limit the call was given: 250 ms, not telegraf's 500 s.
      const item = await eventually(
        async () => {
          const i = await prisma.outboxItem.findFirst();
          return i?.attempts === 1 ? i : null;
        },
        10_000,
        'the hung send to be given up',
      );
      await delivering;
      expect(item).toMatchObject({ status: 'pending', attempts: 1, lastError: 'telegram: sendMessage got no answer within 250 ms (timed out)' });
      expect(sends()).toHaveLength(1);
      expect(given).toEqual([]);
      await t.settle(1 / 60); // past the back-off
      expect(sends()).toHaveLength(2);
      expect(await prisma.outboxItem.findFirst()).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
      expect(given).toHaveLength(1);
      expect(await prisma.message.findFirst({ where: { direction: 'out' } })).toMatchObject({ status: 'sent', platformMessageId: String(given[0]) });
      // Longer than the lease, and more polls (each drain() is one): nothing is sent again.
      t.clock.advance(1);
      for (let poll = 0; poll < 3; poll++) await t.linka.runtime.outbox.drain();
      await t.settle();
      expect(sends()).toHaveLength(2);
      expect(await prisma.outboxItem.findFirst()).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await t.stop();
      await api.close();
    }
  });
});

describe('Telegram rendering', () => {
  it('splits messages longer than Telegram allows and keeps the buttons on the last part', () => {
    const paragraph = 'Slovo '.repeat(300).trim();
    const text = Array.from({ length: 5 }, () => paragraph).join('\n\n');
    const parts = renderTelegram({ text, choices: [{ id: 'a', label: 'A' }] });
    expect(parts.length).toBe(3);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    expect(parts[0]?.reply_markup).toBeUndefined();
    expect(parts[2]?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] });
    expect(splitText('x'.repeat(5000))).toEqual(['x'.repeat(4096), 'x'.repeat(904)]);
  });
});

describe('linka telegram set-webhook / info', () => {
  function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(root, 'bin/linka.js'), ...args], { env: { ...process.env, ...env }, cwd: root }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  it('registers the webhook with the secret and reports what Telegram has, including the last error', async () => {
    const fake = await startTelegramFake();
    try {
      const env = {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: fake.url,
        PUBLIC_URL: 'https://support.example.com/',
      };
      const before = await cli(['telegram', 'info'], env);
      expect(before.code).toBe(1);
      expect(before.stdout).toContain('(none: Telegram will not deliver any update)');
      expect(before.stdout).toContain('linka telegram set-webhook');

      const set = await cli(['telegram', 'set-webhook'], env);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('https://support.example.com/telegram/webhook');
      expect(fake.webhook).toMatchObject({ url: 'https://support.example.com/telegram/webhook', secret: SECRET });

      fake.webhook.lastError = 'Wrong response from the webhook: 502 Bad Gateway';
      const info = await cli(['telegram', 'info'], env);
      expect(info.code).toBe(1);
      expect(info.stdout).toContain('pending updates:  3');
      // In company time (the default Europe/Prague), as every time the linka command shows.
      expect(info.stdout).toContain('last error:       21 Nov 2026, 23:26 CET Wrong response from the webhook: 502 Bad Gateway');

      const missing = await cli(['telegram', 'set-webhook'], { ...env, PUBLIC_URL: '' });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('PUBLIC_URL is not set');
    } finally {
      await fake.close();
    }
  });

  it('exits 1 and says to register again when the webhook points elsewhere, though Telegram reports no error', async () => {
    const fake = await startTelegramFake();
    try {
      // Another installation (or an old address) registered its own URL; deliveries there succeed.
      fake.webhook.url = 'https://old-support.example.com/telegram/webhook';
      const env = { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_API_ROOT: fake.url, PUBLIC_URL: 'https://support.example.com' };
      const info = await cli(['telegram', 'info'], env);
      expect(info.code).toBe(1);
      expect(info.stdout.split('\n')).toEqual(
        expect.arrayContaining([
          'registered URL:   https://old-support.example.com/telegram/webhook',
          'expected URL:     https://support.example.com/telegram/webhook',
          'last error:       none',
          '-> the registered URL is not this Linka: run `linka telegram set-webhook`.',
        ]),
      );
      // Asking changed nothing at Telegram: info only reads.
      expect(fake.calls('setWebhook')).toHaveLength(0);
      expect(fake.webhook.url).toBe('https://old-support.example.com/telegram/webhook');
    } finally {
      await fake.close();
    }
  });
});
