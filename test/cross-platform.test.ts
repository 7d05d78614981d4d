// One ticket, two team platforms: a claim made in Discord shows on the Slack card and the
// reverse, and each platform's technicians are told who holds it. Real Bolt (signed requests,
// fake Web API), real discord.js REST (signed interactions, fake API), real telegraf for the
// customer, on SQLite and, when it is available, PostgreSQL.
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { APP_ID, startDiscordFake, type DiscordFake } from './fakes/discord-fake.js';
import { eventually } from './fakes/fake-server.js';
import { deliver, FORM, signed, SIGNING_SECRET, slack, startSlackFake, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-fake.js';

const PG = await pgAvailable();
const QUEUE = '900000000000000010';
const PETR = { user: { id: '900000000000000101', username: 'petr.n', global_name: 'Petr' }, nick: 'Petr Novotný', roles: [] as string[] };
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let seq = 1400000000000000000n;

type Block = { type: string; elements?: Array<{ action_id: string }> };

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('a ticket claimed on one team platform shows claimed on the other, on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let slackFake: SlackFake;
  let discord: DiscordFake;
  let telegram: TelegramFake;
  let number: string;

  beforeEach(async () => {
    if (skip) return;
    [slackFake, discord, telegram] = await Promise.all([startSlackFake(), startDiscordFake({ channels: [QUEUE] }), startTelegramFake()]);
    slackFake.users.set('UKAREL', 'Karel');
    t = await startTestLinka({
      provider,
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        slack: { queueChannel: 'CQUEUE', technicians: ['UKAREL'] },
        discord: { queueChannel: QUEUE, technicians: [PETR.user.id] },
      },
      env: {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
        TELEGRAM_API_ROOT: telegram.url,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slackFake.url,
        DISCORD_BOT_TOKEN: 'discord-test-token',
        DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
        DISCORD_API_URL: discord.url,
      },
    });
    await seedCustomers(t.linka.db);
    await t.linka.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
    for (const [i, text] of ['menu', '4', 'Nejde mi odeslat e-mail přes váš server.', 'dnes', 'ano'].entries()) {
      await t.linka.runtime.dispatch({
        dedupeId: `setup:${i}`,
        conversationId: 'telegram:7001',
        channel: 'telegram',
        event: { kind: 'text', text },
        sender: { telegramId: '7001' },
      });
    }
    number = (await t.linka.db.prisma.ticket.findFirstOrThrow({ where: { conversationId: 'telegram:7001' } })).number;
    await settle();
    await eventually(async () => (await t.linka.db.prisma.teamPost.count()) === 2, 5000, 'both cards');
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await Promise.all([slackFake.close(), discord.close(), telegram.close()]);
  });

  async function settle() {
    await t.settle();
    const due = () => t.linka.db.prisma.outboxItem.count({ where: { status: 'pending', nextAttemptAt: { lte: t.clock.read() } } });
    await eventually(
      async () => {
        await t.linka.runtime.outbox.drain();
        return (await due()) === 0;
      },
      5000,
      'the outbox to be delivered',
    );
  }
  async function discordClick(action: string): Promise<{ status: number; body: { type?: number; data?: { content?: string } } }> {
    const body = JSON.stringify({
      id: String(++seq),
      application_id: APP_ID,
      type: 3,
      token: 'interaction-token',
      version: 1,
      guild_id: '900000000000000001',
      channel_id: QUEUE,
      channel: { id: QUEUE, type: 0 },
      member: { ...PETR, joined_at: '2026-01-01T00:00:00Z' },
      data: { custom_id: `linka:${action}:${number}`, component_type: 2 },
      message: { id: '1', channel_id: QUEUE },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${t.base}/discord/interactions`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': ts,
        'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
      },
    });
    return { status: res.status, body: (await res.json()) as { type?: number; data?: { content?: string } } };
  }
  const slackClick = (action: string) => deliver(t.base, signed(slack.click(action, number, 'UKAREL'), FORM));
  const slackCard = () => slackFake.calls('chat.update').at(-1) as { text: string; blocks: Block[] } | undefined;
  const slackButtons = () => (slackCard()?.blocks.find((b) => b.type === 'actions')?.elements ?? []).map((e) => e.action_id);
  const discordCard = () => discord.inChannel(QUEUE)[0];
  const discordButtons = () => discordCard()?.components.flatMap((r) => r.components.map((b) => b.custom_id)) ?? [];
  const slackEphemerals = () => slackFake.calls('chat.postEphemeral').map((c) => String(c.text));

  it.skipIf(skip)('Discord claim -> Slack card claimed and Slack claim refused; Discord release -> Slack claim -> Discord card claimed', async () => {
    expect(await discordClick('claim')).toEqual({ status: 200, body: { type: 6 } });
    await settle();
    expect(slackCard()?.text).toBe(`${number} · Něco jiného · Převzal(a) Petr Novotný`);
    expect(slackButtons()).toEqual(['linka_release', 'linka_resolve', 'linka_offer']);
    expect(slackFake.calls('chat.postMessage')).toContainEqual(expect.objectContaining({ channel: 'CQUEUE', text: 'Petr Novotný převzal(a) požadavek.' }));

    // Karel in Slack cannot take it nor return it.
    await slackClick('claim');
    await slackClick('release');
    expect(slackEphemerals()).toEqual([`Požadavek ${number} už převzal(a) Petr Novotný.`, `Požadavek ${number} drží Petr Novotný; vrátit ho může jen on(a).`]);

    expect(await discordClick('release')).toEqual({ status: 200, body: { type: 6 } });
    await settle();
    expect(slackCard()?.text).toBe(`${number} · Něco jiného · Čeká na technika`);
    expect(slackButtons()).toEqual(['linka_claim', 'linka_resolve', 'linka_offer']);
    expect(discordCard()?.embeds[0]?.description).toMatch(/^\*\*Čeká na technika\*\*/);
    expect(discordButtons()).toEqual([`linka:claim:${number}`, `linka:resolve:${number}`, `linka:offer:${number}`]);

    expect((await slackClick('claim')).status).toBe(200);
    await settle();
    expect(discordCard()?.embeds[0]?.description).toMatch(/^\*\*Převzal\(a\) Karel\*\*/);
    expect(discordButtons()).toEqual([`linka:release:${number}`, `linka:resolve:${number}`, `linka:offer:${number}`]);
    const refused = await discordClick('claim');
    expect(refused.body.data?.content).toBe(`Požadavek ${number} už převzal(a) Karel.`);
    // Each platform kept its one card: updated in place, never reposted.
    expect(discord.inChannel(QUEUE)).toHaveLength(1);
    expect(slackFake.calls('chat.postMessage').filter((c) => !c.thread_ts)).toHaveLength(1);
  });
});
