/**
 * How many billed SMS segments the restart checklist costs (target: 8 or fewer).
 * Drives the real dispatcher, timers and outbox on a temporary SQLite database, renders each
 * reply with the SMS adapter's render, and prints every message with its encoding and segments,
 * for cs, sk and en: the checklist that ends in "it works now", the one that ends in a ticket,
 * and both from a number Linka does not know (asked for the contract number first).
 * With short texts on (the default), the checklist asks "does it work now?" together with each
 * instruction and opens the ticket without a recap (flows/*.yaml, the `sms` variants).
 *
 *   npx tsx bench/sms-segments.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderSms } from '../adapters/twilio/render.js';
import { parseConfig } from '../src/config/load.js';
import { smsSegments } from '../src/domain/sms.js';
import type { Lang, Reply } from '../src/engine/types.js';
import { silentLogger } from '../src/observability/logger.js';
import type { ChannelPort } from '../src/runtime/ports.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { openDatabase } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';

type Step = string | { waitMinutes: number } | { from: 'unknown' };

const CUSTOMERS: Record<Lang, { phone: string; name: string }> = {
  cs: { phone: '+420603123456', name: 'Jan Novák' },
  sk: { phone: '+421905123456', name: 'Zuzana Kováčová' },
  en: { phone: '+420603999888', name: 'John Smith' },
};

/** The customer's side: first message, unplugged, (wait), no, restarted, then yes or no. */
const FIRST: Record<Lang, string> = { cs: 'Dobrý den, nejde mi internet', sk: 'Dobrý deň, nejde mi internet', en: 'Hello, my internet is not working' };
const DESCRIPTION: Record<Lang, string> = {
  cs: 'Nenačte se žádná stránka, router svítí červeně.',
  sk: 'Nenačíta sa žiadna stránka, router svieti načerveno.',
  en: 'No page loads, the router shows a red light.',
};
const HELLO: Record<Lang, string> = { cs: 'Dobrý den', sk: 'Dobrý deň', en: 'Hello' };
/**
 * The customer's answers after "unplug", to "it works now" or to a ticket. `compact`: the SMS
 * variants of the steps (short texts on): "does it work now?" comes with each instruction, and
 * the ticket is opened without a recap to confirm.
 */
const toResolved = (compact: boolean): Step[] => (compact ? ['1', { waitMinutes: 3 }, '2', '1'] : ['1', { waitMinutes: 3 }, '2', '1', '1']);
const toTicket = (lang: Lang, compact: boolean): Step[] =>
  compact
    ? ['1', { waitMinutes: 3 }, '2', '2', '2', '2', '1', DESCRIPTION[lang]]
    : ['1', { waitMinutes: 3 }, '2', '1', '2', '1', '2', '1', DESCRIPTION[lang], '1'];
const SCENARIOS: Record<string, (lang: Lang, compact: boolean) => Step[]> = {
  resolved: (lang, compact) => [FIRST[lang], ...toResolved(compact)],
  ticket: (lang, compact) => [FIRST[lang], ...toTicket(lang, compact)],
  // The first message does not say what is wrong: the menu costs one more message.
  'resolved via menu': (lang, compact) => [HELLO[lang], '1', ...toResolved(compact)],
  // From a number Linka does not know: asked for the contract number, then straight to the
  // problem the first message named (no menu in between).
  'unknown resolved': (lang, compact) => [{ from: 'unknown' }, FIRST[lang], `B-${lang}-1`, ...toResolved(compact)],
  'unknown ticket': (lang, compact) => [{ from: 'unknown' }, FIRST[lang], `B-${lang}-1`, ...toTicket(lang, compact)],
};

interface Row {
  key: string;
  encoding: string;
  characters: number;
  segments: number;
  text: string;
}

interface Variant {
  name: string;
  transliterate: boolean;
  shortText: boolean;
}
const VARIANTS: Variant[] = [
  { name: 'default (GSM-7, short)', transliterate: true, shortText: true },
  { name: 'short, diacritics kept', transliterate: false, shortText: true },
  { name: 'GSM-7, long texts', transliterate: true, shortText: false },
  { name: 'long texts, diacritics', transliterate: false, shortText: false },
];

async function run(variant: Variant, lang: Lang, steps: Step[]): Promise<{ rows: Row[]; inbound: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-bench-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  try {
    await applyMigrations(url);
    const db = await openDatabase(url);
    const customer = CUSTOMERS[lang];
    const phone = steps.some((st) => typeof st === 'object' && 'from' in st) ? '+420777000111' : customer.phone;
    await db.prisma.customer.create({
      data: { contractNumber: `B-${lang}-1`, name: customer.name, language: lang, phones: { create: [{ e164: customer.phone }] } },
    });
    const config = parseConfig({
      company: { name: 'Aitex internet', helpdeskPhone: '+420 378 774 777' },
      sms: { transliterate: variant.transliterate, shortText: variant.shortText },
    });
    let now = new Date('2026-11-23T09:00:00Z');
    const rows: Row[] = [];
    const port: ChannelPort = {
      channel: 'sms',
      async send(_to: string, reply: Reply) {
        const text = renderSms(reply, config.sms);
        rows.push({ key: reply.key ?? '-', ...smsSegments(text), text });
        return { platformMessageId: `bench-${rows.length}` };
      },
    };
    const runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [port], clock: () => new Date(now) });
    let seq = 0;
    let inbound = 0;
    for (const step of steps) {
      if (typeof step === 'string') {
        inbound += 1;
        await runtime.dispatch({
          dedupeId: `bench:${++seq}`,
          conversationId: `sms:${phone}`,
          channel: 'sms',
          event: { kind: 'text', text: step },
          sender: { phone },
        });
      } else if ('waitMinutes' in step) {
        now = new Date(now.getTime() + step.waitMinutes * 60_000);
        await runtime.timers.drain();
      }
      await runtime.outbox.drain();
    }
    await db.close();
    return { rows, inbound };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);

function printTable(title: string, rows: Row[], inbound: number): void {
  console.log(`\n${title}`);
  console.log(`  ${pad('#', 3)}${pad('message key', 26)}${pad('encoding', 9)}${lpad('chars', 6)}${lpad('segs', 5)}  text`);
  rows.forEach((r, i) => {
    const text = r.text.replace(/\n/g, ' ⏎ ');
    console.log(
      `  ${pad(i + 1, 3)}${pad(r.key, 26)}${pad(r.encoding, 9)}${lpad(r.characters, 6)}${lpad(r.segments, 5)}  ${text.length > 90 ? `${text.slice(0, 87)}...` : text}`,
    );
  });
  const total = rows.reduce((n, r) => n + r.segments, 0);
  console.log(
    `  total: ${rows.length} messages, ${total} billed segments out${total > 8 ? '  (over the target of 8)' : ''}; ${inbound} messages from the customer`,
  );
}

const totals: Array<{ variant: string; lang: Lang; scenario: string; messages: number; segments: number }> = [];
for (const variant of VARIANTS) {
  for (const lang of ['cs', 'sk', 'en'] as const) {
    for (const [scenario, steps] of Object.entries(SCENARIOS)) {
      const { rows, inbound } = await run(variant, lang, steps(lang, variant.shortText));
      if (variant === VARIANTS[0]) printTable(`${lang} - ${scenario} - ${variant.name}`, rows, inbound);
      totals.push({ variant: variant.name, lang, scenario, messages: rows.length, segments: rows.reduce((n, r) => n + r.segments, 0) });
    }
  }
}

console.log('\nBilled segments out (messages in brackets), per configuration:');
console.log(`  ${pad('configuration', 26)}${['cs', 'sk', 'en'].flatMap((l) => Object.keys(SCENARIOS).map((s) => lpad(`${l} ${s}`, s.length + 6))).join('')}`);
for (const variant of VARIANTS) {
  const cells = totals.filter((t) => t.variant === variant.name).map((t) => lpad(`${t.segments} (${t.messages})`, t.scenario.length + 6));
  console.log(`  ${pad(variant.name, 26)}${cells.join('')}`);
}
