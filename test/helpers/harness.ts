// A runtime on a test database with a recording console port and a controllable clock.
import { parseConfig } from '../../src/config/load.js';
import type { LinkaConfig } from '../../src/config/schema.js';
import type { CoreEvent, Reply } from '../../src/engine/types.js';
import type { DispatchResult } from '../../src/runtime/dispatch.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { ChannelPort } from '../../src/runtime/ports.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type { Db } from '../../src/store/client.js';

/** A port that records what it was asked to send. */
export function recordingPort(): ChannelPort & { sent: Array<{ to: string; reply: Reply }>; failNext: number } {
  const port = {
    channel: 'console' as const,
    sent: [] as Array<{ to: string; reply: Reply }>,
    failNext: 0,
    async send(to: string, reply: Reply) {
      if (port.failNext > 0) {
        port.failNext -= 1;
        throw new Error('fake platform is down');
      }
      port.sent.push({ to, reply });
      return { platformMessageId: `fake-${port.sent.length}` };
    },
  };
  return port;
}

export class Clock {
  constructor(public now: Date = new Date('2026-11-23T09:00:00Z')) {}
  advance(minutes: number): void {
    this.now = new Date(this.now.getTime() + minutes * 60_000);
  }
  read = (): Date => new Date(this.now);
}

export interface Harness {
  runtime: Runtime;
  port: ReturnType<typeof recordingPort>;
  clock: Clock;
  config: LinkaConfig;
  /** Sends a customer event and delivers the replies; returns the replies' texts. */
  say(
    text: string | CoreEvent,
    opts?: { conversationId?: string; phone?: string; dedupeId?: string; langHint?: string },
  ): Promise<DispatchResult & { texts: string[] }>;
  /** Advances the clock, fires due timers and delivers; returns what was sent meanwhile. */
  wait(minutes: number): Promise<string[]>;
}

let seq = 0;

export function createHarness(db: Db, opts: { config?: unknown; clock?: Clock; conversationId?: string } = {}): Harness {
  const config = parseConfig(opts.config ?? { company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' } });
  const clock = opts.clock ?? new Clock();
  const port = recordingPort();
  const runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [port], clock: clock.read });
  const defaultConv = opts.conversationId ?? 'console:test';
  return {
    runtime,
    port,
    clock,
    config,
    async say(input, o = {}) {
      const before = port.sent.length;
      const event: CoreEvent = typeof input === 'string' ? { kind: 'text', text: input } : input;
      const result = await runtime.dispatch({
        dedupeId: o.dedupeId ?? `test:${process.pid}:${++seq}`,
        conversationId: o.conversationId ?? defaultConv,
        channel: 'console',
        event,
        sender: { phone: o.phone, langHint: o.langHint },
      });
      await runtime.outbox.drain();
      return { ...result, texts: port.sent.slice(before).map((s) => s.reply.text) };
    },
    async wait(minutes) {
      const before = port.sent.length;
      clock.advance(minutes);
      await runtime.timers.drain();
      await runtime.outbox.drain();
      return port.sent.slice(before).map((s) => s.reply.text);
    },
  };
}

/** Two customers every database test can use. */
export async function seedCustomers(db: Db): Promise<void> {
  await db.prisma.customer.create({
    data: { contractNumber: '2024-0153', name: 'Jan Novák', language: 'cs', tier: 'PLUS', area: 'Plzeň-Bory', phones: { create: [{ e164: '+420603123456' }] } },
  });
  await db.prisma.customer.create({
    data: {
      contractNumber: 'SK-77',
      name: 'Zuzana Kováčová',
      language: 'sk',
      tier: 'STANDARD',
      area: 'Petržalka',
      phones: { create: [{ e164: '+421905123456' }] },
    },
  });
}
