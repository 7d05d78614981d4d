/**
 * The baseline: a bare telegraf echo bot in webhook mode on node:http. It checks the secret
 * token, hands each update to `bot.handleUpdate`, and the handler replies through the same fake
 * Bot API (webhookReply false, so the reply is a real API call the webhook answer waits for).
 * env: FAKE_URL, SECRET. Sends { port } over IPC once listening.
 */
import { createServer } from 'node:http';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

const bot = new Telegraf('123456:BENCH', { telegram: { apiRoot: `${process.env.FAKE_URL}/`, webhookReply: false } });
bot.botInfo = {
  id: 42,
  is_bot: true,
  first_name: 'Echo',
  username: 'echo_bench_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
bot.catch(() => undefined);
bot.on('text', (ctx) => ctx.reply(ctx.message.text).then(() => undefined));
const secret = process.env.SECRET ?? '';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.headers['x-telegram-bot-api-secret-token'] !== secret) {
      res.writeHead(403).end();
      return;
    }
    let update: Update;
    try {
      update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
    } catch {
      res.writeHead(400).end();
      return;
    }
    bot.handleUpdate(update).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      () => res.writeHead(500).end(),
    );
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({ port: typeof addr === 'object' && addr ? addr.port : 0 });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
