/**
 * Telegram updates for the load: many distinct private chats, each writing "my internet is down"
 * and, `block` updates later, "done" (unplugged): the first opens a conversation (the restart
 * checklist with a follow-up timer), the second moves it on (a 3-minute wait timer).
 */
import type { PrismaClient } from '../../src/store/types.js';
import type { Shot } from './load.js';

export const SECRET = 'bench-secret_1';
export const TOKEN = '123456:BENCH';
const MESSAGES = ['Dobrý den, nejde mi internet', 'hotovo'];
let updateId = 1_000_000;

/** The chat id of the `k`th chat of a range starting at `first`. */
export const chatId = (first: number, k: number): number => first + k;

/** How many distinct chats `updates` updates use. */
export const chatsFor = (updates: number): number => Math.ceil(updates / 2);

/**
 * The `i`th update of a run whose chats start at `first`: in blocks of 2 x `block` updates, the
 * block's chats first write the complaint, then "done".
 */
export function updateShot(first: number, i: number, block = 500): Shot {
  const b = Math.floor(i / (2 * block));
  const j = i % (2 * block);
  const chat = chatId(first, b * block + (j % block));
  const id = ++updateId;
  const update = {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private' },
      from: { id: chat, is_bot: false, first_name: 'Jan', language_code: 'cs' },
      text: MESSAGES[j < block ? 0 : 1],
    },
  };
  return { path: '/telegram/webhook', body: JSON.stringify(update), headers: { 'x-telegram-bot-api-secret-token': SECRET } };
}

/** Customers whose Telegram ids are the chats `first`..`first + count - 1` (so they are recognised). */
export async function seedTelegramCustomers(prisma: PrismaClient, first: number, count: number): Promise<void> {
  for (let k = 0; k < count; k += 1000) {
    const n = Math.min(1000, count - k);
    await prisma.customer.createMany({
      data: Array.from({ length: n }, (_, x) => ({
        contractNumber: `B-${first + k + x}`,
        name: `Zákazník ${first + k + x}`,
        telegramId: String(chatId(first, k + x)),
        tier: 'none',
      })),
    });
  }
}
