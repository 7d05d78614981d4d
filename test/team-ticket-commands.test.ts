// Issue 16, rules 5 and 6 on the technicians' side, through the real Bolt app (signed slash
// commands to /slack/events against a fake Slack Web API) with the customer on Telegram:
// "/linka ticket T-2026-42 shows the summary and the history, privately", and "/linka emergency"
// puts a ticket first in the queue with its card marked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from './helpers/slack-world.js';

describe('/linka ticket and /linka emergency on Slack', () => {
  let w: SlackWorld;
  beforeEach(async () => {
    w = await startSlackWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('rule 6: "a technician\'s /linka ticket T-2026-42 shows the summary and the history, privately"', async () => {
    const number = await w.openTicketOnTelegram();
    expect((await w.command(`claim ${number}`, 'UPETR')).text).toBe(`Hotovo: ${number}.`);
    expect((await w.command(`note ${number} Zákazník má starý Outlook.`, 'UPETR')).text).toBe(`Interní poznámka uložena k ${number}.`);
    expect((await w.command(`reply ${number} Pošlete mi prosím snímek chyby.`, 'UPETR')).text).toBe(`Hotovo: ${number}.`);
    await w.t.settle();
    await w.customerSays('Posílám, píše to chybu 550.');
    const posted = w.slackFake.calls('chat.postMessage').length;

    // The number as people type it: lower case, no leading zeros.
    const short = number.toLowerCase().replace(/-0+/, '-');
    const { text } = await w.command(`ticket ${short}`, 'UPETR'); // answered ephemerally (the world checks)
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${number} · Něco jiného · Převzal(a) Petr`);
    expect(text).toContain('Zákazník: Jan Novák');
    expect(text).toContain('Smlouva: 2024-0153');
    expect(text).toContain('Historie:');
    expect(text).toContain('Zákazník: Nejde mi odeslat e-mail přes váš server.');
    expect(text).toContain('Petr převzal(a) požadavek.');
    expect(text).toContain('Interní poznámka (Petr): Zákazník má starý Outlook.');
    expect(text).toMatch(/Linka: .*Pošlete mi prosím snímek chyby\./);
    expect(text).toContain('Zákazník: Posílám, píše to chybu 550.');
    // In order: the customer's first words before the claim, the claim before the note, the reply before the customer's answer.
    const at = (s: string) => text.indexOf(s);
    expect(at('Nejde mi odeslat')).toBeLessThan(at('převzal(a) požadavek'));
    expect(at('převzal(a) požadavek')).toBeLessThan(at('Interní poznámka'));
    expect(at('snímek chyby')).toBeLessThan(at('chybu 550'));
    // Private: nothing was posted to the channel or the thread for it.
    expect(w.slackFake.calls('chat.postMessage')).toHaveLength(posted);
    // Only technicians see tickets; an unknown number is said so.
    expect((await w.command(`ticket ${number}`, 'UEVA')).text).toBe('S požadavky mohou pracovat jen technici. Požádejte správce o přidání.');
    expect((await w.command('ticket T-2026-99999', 'UPETR')).text).toBe('Požadavek T-2026-99999 neexistuje.');
  });

  it('rule 6: a long history keeps the newest lines within what Slack shows in full, and says how many older ones were left out', async () => {
    const number = await w.openTicketOnTelegram();
    for (let i = 1; i <= 40; i++) await w.command(`note ${number} Poznámka číslo ${i}: ${'měření na lince, '.repeat(6)}`, 'UPETR');
    const { text } = await w.command(`ticket ${number}`, 'UPETR');
    expect(text.length).toBeLessThanOrEqual(3900);
    expect(text).toContain('Poznámka číslo 40:');
    expect(text).not.toContain('Poznámka číslo 1:');
    expect(text).toMatch(/… a \d+ starších záznamů/);
  });

  it('rule 5: "/linka emergency" puts a ticket first in the queue and marks its card; "off" takes it back', async () => {
    const zuzana = await w.openTicketDirect('telegram:9001', '+421905123456'); // STANDARD: 24 h
    const jan = await w.openTicketDirect('telegram:9002', '+420603123456'); // PLUS: 8 h, first so far
    let queue = (await w.command('queue', 'UPETR')).text.split('\n');
    expect(queue[1]).toContain(jan);
    expect((await w.command(`emergency ${zuzana}`, 'UPETR')).text).toBe(`Hotovo: ${zuzana}.`);
    queue = (await w.command('queue', 'UPETR')).text.split('\n');
    expect(queue[1]).toMatch(new RegExp(`^🚨 ${zuzana} · `));
    expect(queue[2]).toMatch(new RegExp(`^${jan} · `));
    await w.t.settle();
    const update = w.slackFake
      .calls('chat.update')
      .map((c) => JSON.stringify(c))
      .filter((c) => c.includes(zuzana))
      .at(-1);
    expect(update).toContain('Havárie – má přednost');
    expect((await w.ticket(zuzana))?.emergency).toBe(true);
    expect((await w.command(`emergency ${zuzana} maybe`, 'UPETR')).text).toBe('Použití: /linka emergency T-2026-00042 [off]');
    expect((await w.command(`emergency ${zuzana} off`, 'UPETR')).text).toBe(`Hotovo: ${zuzana}.`);
    queue = (await w.command('queue', 'UPETR')).text.split('\n');
    expect(queue[1]).toMatch(new RegExp(`^${jan} · `));
    expect((await w.ticket(zuzana))?.emergency).toBe(false);
  });
});
