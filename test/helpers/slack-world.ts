// Linka in-process with Slack (the real Bolt app against a fake Web API) and Telegram (the
// real telegraf against a fake Bot API), so a customer on Telegram meets technicians in Slack.
import { ticketByNumber } from '../../src/store/tickets.js';
import { startSlackFake, deliver, signed, slack, FORM, SIGNING_SECRET, type SlackDelivery, type SlackFake } from '../fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from '../fakes/telegram-fake.js';
import type { Provider } from '../../src/store/client.js';
import { seedCustomers } from './harness.js';
import { startTestLinka, type TestLinka } from './linka.js';

export const TG_SECRET = 'tg-secret';
/** Technicians listed in the config: Petr and twenty more for the claim races. */
export const RACERS = Array.from({ length: 20 }, (_, i) => `URACE${i}`);

export interface SlackWorld {
  t: TestLinka;
  slackFake: SlackFake;
  tgFake: TelegramFake;
  /** Delivers a body to /slack/events, signed unless told otherwise. */
  send(body: string, contentType: string, opts?: Parameters<typeof signed>[2]): ReturnType<typeof deliver>;
  sendRaw(d: SlackDelivery): ReturnType<typeof deliver>;
  click(action: string, number: string, user: string): ReturnType<typeof deliver>;
  command(text: string, user: string): Promise<{ status: number; text: string }>;
  /** A customer message on Telegram through the webhook. */
  customerSays(text: string, chatId?: number): Promise<void>;
  /** Opens a ticket as Jan Novák on Telegram (the webhook path); returns its number. */
  openTicketOnTelegram(chatId?: number): Promise<string>;
  /** Opens a ticket on a Telegram conversation through the runtime's dispatch (fast). */
  openTicketDirect(conversation: string, phone?: string): Promise<string>;
  /** Walks the whole internet checklist (with its timed wait) to a ticket, through the runtime's dispatch. */
  openChecklistTicketDirect(conversation: string, phone?: string): Promise<string>;
  /** Telegram messages the customer got, as texts. */
  customerGot(): string[];
  /** Where a ticket's card is (its TeamPost) and the chat.postMessage calls that posted it. */
  card(number: string): Promise<{ ts: string; channel: string; threadId: string | null; posted: Array<Record<string, unknown>> }>;
  ticket(number: string): ReturnType<typeof ticketByNumber>;
  stop(): Promise<void>;
}

let dedupe = 0;

/** `config`: more top-level config sections (e.g. `team`), merged over the world's own; `env`: more environment (SMTP_URL...). */
export async function startSlackWorld(
  opts: { provider?: Provider; technicianGroup?: string; config?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<SlackWorld> {
  const slackFake = await startSlackFake();
  const tgFake = await startTelegramFake();
  slackFake.users.set('UPETR', 'Petr');
  slackFake.users.set('UEVA', 'Eva');
  slackFake.users.set('UGRP', 'Gustav');
  for (const [i, u] of RACERS.entries()) slackFake.users.set(u, `Technik ${i}`);
  slackFake.groups.set('SGROUP', ['UGRP']);
  const t = await startTestLinka({
    provider: opts.provider,
    config: {
      company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
      workers: { outboxPollMs: 50, timerPollMs: 50 },
      slack: { queueChannel: 'CQUEUE', technicians: ['UPETR', ...RACERS], technicianGroup: opts.technicianGroup ?? 'SGROUP' },
      ...opts.config,
    },
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackFake.url,
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: tgFake.url,
      ...opts.env,
    },
  });
  await seedCustomers(t.linka.db);
  const prisma = t.linka.db.prisma;

  const world: SlackWorld = {
    t,
    slackFake,
    tgFake,
    send: (body, contentType, o) => deliver(t.base, signed(body, contentType, o)),
    sendRaw: (d) => deliver(t.base, d),
    click: (action, number, user) => deliver(t.base, signed(slack.click(action, number, user), FORM)),
    async command(text, user) {
      const res = await deliver(t.base, signed(slack.command(text, user), FORM));
      const body = res.body as { response_type?: string; text?: string };
      if (res.status === 200 && body.response_type !== 'ephemeral') throw new Error(`command answer is not ephemeral: ${res.text}`);
      return { status: res.status, text: body.text ?? res.text };
    },
    async customerSays(text, chatId = 7001) {
      const res = await t.post('/telegram/webhook', tg.text(text, { chatId }), { 'x-telegram-bot-api-secret-token': TG_SECRET });
      if (res.status !== 200) throw new Error(`telegram webhook answered ${res.status}`);
      await t.settle();
    },
    async openTicketOnTelegram(chatId = 7001) {
      for (const text of ['/start 2024-0153', '4', 'Nejde mi odeslat e-mail přes váš server.', 'dnes', 'ano']) await world.customerSays(text, chatId);
      const number = /T-\d{4}-\d{5}/.exec(world.customerGot().at(-1) ?? '')?.[0];
      if (!number) throw new Error(`no ticket number in "${world.customerGot().at(-1)}"`);
      return number;
    },
    async openTicketDirect(conversation, phone = '+420603123456') {
      for (const text of ['menu', '4', 'Nejde mi odeslat e-mail přes váš server.', 'dnes', 'ano']) {
        await t.linka.runtime.dispatch({
          dedupeId: `direct:${++dedupe}`,
          conversationId: conversation,
          channel: 'telegram',
          event: { kind: 'text', text },
          sender: { phone },
        });
      }
      const latest = await prisma.ticket.findFirst({ where: { conversationId: conversation }, orderBy: { number: 'desc' } });
      if (!latest) throw new Error(`no ticket on ${conversation}`);
      await t.settle();
      return latest.number;
    },
    async openChecklistTicketDirect(conversation, phone = '+420603123456') {
      const say = (text: string) =>
        t.linka.runtime.dispatch({
          dedupeId: `direct:${++dedupe}`,
          conversationId: conversation,
          channel: 'telegram',
          event: { kind: 'text', text },
          sender: { phone },
        });
      await say('menu');
      await say('1'); // internet down
      await say('hotovo'); // unplugged everything
      await t.settle(4); // the wait, then "does it work now?"
      const steps = ['ne', 'hotovo', 'ne', 'od včerejšího večera', '2', 'všech', 'Nenačte se žádná stránka, router svítí červeně.', 'ano'];
      for (const text of steps) await say(text);
      const latest = await prisma.ticket.findFirst({ where: { conversationId: conversation }, orderBy: { number: 'desc' } });
      if (!latest) throw new Error(`no ticket on ${conversation}`);
      await t.settle();
      return latest.number;
    },
    customerGot: () => tgFake.calls('sendMessage').map((c) => String(c.text)),
    async card(number) {
      const post = await prisma.teamPost.findFirst({ where: { platform: 'slack', ticket: { number } } });
      if (!post) throw new Error(`no Slack card for ${number}`);
      const posted = slackFake.calls('chat.postMessage').filter((c) => !c.thread_ts && String(c.text).startsWith(`${number} `));
      return { ts: post.messageId, channel: post.channelId, threadId: post.threadId, posted };
    },
    ticket: (number) => ticketByNumber(prisma, number),
    async stop() {
      await t.stop();
      await slackFake.close();
      await tgFake.close();
    },
  };
  return world;
}
