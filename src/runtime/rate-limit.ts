/**
 * The platforms' rate limits, kept by the outbox worker: sliding windows keyed by
 * (channel, key), where the key is '*' (everything the channel sends: Telegram's overall
 * limit, the one SMS sending number, the one team queue channel) or one target (a Telegram chat).
 *
 * Exact, at the platform: a send holds its slot until `windowMs` after its platform call
 * returned, and a send may start only when fewer than `limit` slots are held. The platform
 * received each request somewhere between its call's start and end, so no window of
 * `windowMs` at the platform ever holds more than `limit` requests, whatever the network
 * and the event loop delay. The price is one call's latency per window: the rate sustained is
 * limit / (window + latency), ~0.98 of the limit against a platform 20 ms away.
 *
 * Used fully: the outbox claims an item up to LEAD_MS before its slot frees (its database work
 * happens meanwhile), and the port waits for the exact moment at the last step before the
 * platform call (holdBackPort, with the permit travelling with the delivery).
 *
 * Per process: each process keeps its own windows. Several processes sending through the
 * same bot or number must each be given their share (the limits divided by the number of
 * processes), or they will together exceed them; the platform's 429 then slows them down.
 *
 * One outbox item is one send. The few items that take several calls are not counted more:
 * a Telegram reply over 4,096 characters (sent in parts), a Discord card's first thread
 * message (up to three calls; discord.js keeps Discord's own buckets), and the retries of a
 * 5xx that Slack's WebClient and discord.js make by themselves.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LinkaConfig } from '../config/schema.js';
import { LinkaError } from '../errors.js';
import type { ChannelPort, MailPort, TeamPort } from './ports.js';
import { teamChannelTarget } from '../services/enqueue-team-posts.js';

/** '*': one window for all of a channel's sends; 'target': one window per target (conversation). */
export type LimitScope = 'channel' | 'target';

/** At most `limit` sends in any `windowMs`, per channel or per target. */
export interface WindowLimit {
  scope: LimitScope;
  limit: number;
  windowMs: number;
  /**
   * Scope 'channel' only: splits the channel's sends into lanes with a window each (a team
   * platform's queue channel and its status channel, each with its own limit). Default: one lane.
   */
  lane?: (target: string) => string;
}

/** The limits of each channel ('telegram', 'sms', 'slack', 'discord'); a channel without any is not limited. */
export type RateRules = Readonly<Record<string, readonly WindowLimit[]>>;

/** How long before its slot frees an item may be claimed (time for the claim and the deliverer's database work). */
export const LEAD_MS = 100;

/**
 * The limits from the configuration. Linka sends all SMS from one number (TWILIO_FROM) and
 * posts all team messages (cards, threads, digests) into one queue channel per platform, so
 * those limits are per channel ('*'). A separate status channel (`separateStatus`: slack.statusChannel
 * or discord.statusChannel set and not the queue channel) is a lane of its own with the same limit.
 */
/** Which platforms post notices to a status channel of their own (set, and not the queue channel): the argument of rateRules. */
export function separateStatusChannels(config: Pick<LinkaConfig, 'slack' | 'discord'>): { slack: boolean; discord: boolean } {
  const separate = (c: { statusChannel: string; queueChannel: string }) => c.statusChannel !== '' && c.statusChannel !== c.queueChannel;
  return { slack: separate(config.slack), discord: separate(config.discord) };
}

export function rateRules(limits: LinkaConfig['rateLimits'], separateStatus: { slack?: boolean; discord?: boolean } = {}): RateRules {
  const lane = (platform: 'slack' | 'discord') =>
    separateStatus[platform] ? { lane: (target: string) => (target === teamChannelTarget(platform, true) ? 'status' : '') } : {};
  return {
    telegram: [
      { scope: 'channel', limit: limits.telegram.perSecond, windowMs: 1000 },
      { scope: 'target', limit: limits.telegram.perChatPerSecond, windowMs: 1000 },
    ],
    sms: [{ scope: 'channel', limit: limits.sms.perNumberPerSecond, windowMs: 1000 }],
    slack: [{ scope: 'channel', limit: limits.slack.perChannelPerSecond, windowMs: 1000, ...lane('slack') }],
    discord: [{ scope: 'channel', limit: limits.discord.perChannel, windowMs: limits.discord.windowSeconds * 1000, ...lane('discord') }],
  };
}

/** A slot taken in each window of one send. Call exactly one of done() and release(), once. */
export interface Permit {
  /** The send may start at this time of the limiter's clock, not before. */
  readonly readyAt: number;
  /** Resolves at `readyAt` (by the wall of the process: performance.now()). */
  ready(): Promise<void>;
  /** The platform call has ended (answered or failed): the slots stay taken one more window from now. */
  done(): void;
  /** Nothing reached the platform (the item was not claimed, the address opted out): the slots are free again. */
  release(): void;
}

const NO_LIMIT: Permit = { readyAt: 0, ready: async () => undefined, done: () => undefined, release: () => undefined };

class Window {
  /** Sends admitted whose call has not ended yet (held until they end). */
  open = 0;
  /** When the ended calls ended, oldest first (done() is called in time order). */
  private ends: number[] = [];
  private head = 0;
  pausedUntil = 0;
  /** A lane's window (its channel has lanes): the targets it has seen, for `blocked()`. */
  readonly seen: Set<string> | null;

  constructor(
    readonly channel: string,
    readonly target: string | null,
    readonly limit: number,
    readonly windowMs: number,
    laned = false,
  ) {
    this.seen = laned ? new Set() : null;
  }

  private prune(now: number): void {
    while (this.head < this.ends.length && (this.ends[this.head] as number) + this.windowMs <= now) this.head++;
    if (this.head > 64 && this.head * 2 > this.ends.length) {
      this.ends = this.ends.slice(this.head);
      this.head = 0;
    }
  }

  /** The earliest time from `now` a new send could start here; Infinity until an open call ends. */
  readyAt(now: number): number {
    this.prune(now);
    let at = Math.max(now, this.pausedUntil);
    const over = this.open + this.ends.length - this.head - this.limit; // >= 0: this many ends, and one more, must expire first
    if (over >= 0) {
      const end = this.ends[this.head + over];
      at = end === undefined ? Number.POSITIVE_INFINITY : Math.max(at, end + this.windowMs);
    }
    return at;
  }

  /** Unused and not paused: the window can be forgotten. */
  idle(now: number): boolean {
    this.prune(now);
    return this.open === 0 && this.head === this.ends.length && this.pausedUntil <= now;
  }

  end(now: number): void {
    this.open--;
    this.ends.push(now);
  }
}

/** The rate limits of one process (see the module comment). Time is a monotonic clock in milliseconds. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly rules: RateRules,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The channel's lane function, when its limits are split into lanes. */
  private laneFn(channel: string): ((target: string) => string) | undefined {
    return (this.rules[channel] ?? []).find((r) => r.scope === 'channel' && r.lane)?.lane;
  }

  /** The channel-wide window of `target`'s lane (target null: the window of that one target). */
  private window(channel: string, target: string | null, create: { limit: number; windowMs: number } | null, laneOf?: string): Window | undefined {
    const lanes = target === null ? this.laneFn(channel) : undefined;
    const lane = lanes && laneOf !== undefined ? lanes(laneOf) : '';
    const key = target === null ? `${channel}\n*${lane}` : `${channel}\n${target}`;
    let w = this.windows.get(key);
    if (!w && create) {
      w = new Window(channel, target, create.limit, create.windowMs, lanes !== undefined);
      this.windows.set(key, w);
    }
    if (w?.seen && laneOf !== undefined) w.seen.add(laneOf);
    return w;
  }

  /** The windows a send of `channel` to `target` counts in (created when first needed). */
  private windowsOf(channel: string, target: string): Window[] {
    const out: Window[] = [];
    for (const rule of this.rules[channel] ?? []) {
      out.push(this.window(channel, rule.scope === 'channel' ? null : target, rule, target) as Window);
    }
    // A paused key that no rule limits (a pause of a channel without limits).
    for (const key of [null, target]) {
      const w = this.window(channel, key, null, target);
      if (w && !out.includes(w)) out.push(w);
    }
    return out;
  }

  /**
   * Takes a slot in every window of the send when one frees within `leadMs`, or returns null
   * (nothing taken). The send must not start before the permit's `readyAt`.
   */
  tryAcquire(channel: string, target: string, leadMs = LEAD_MS): Permit | null {
    const now = this.now();
    const windows = this.windowsOf(channel, target);
    if (windows.length === 0) return NO_LIMIT;
    const readyAt = Math.max(...windows.map((w) => w.readyAt(now)));
    if (readyAt > now + leadMs) return null;
    for (const w of windows) w.open++;
    let settled = false;
    return {
      readyAt,
      ready: async () => {
        // Timers may fire a little early by this clock: check again until it is time.
        for (let ms = readyAt - this.now(); ms > 0; ms = readyAt - this.now()) await new Promise((resolve) => setTimeout(resolve, Math.ceil(ms)));
      },
      done: () => {
        if (settled) return;
        settled = true;
        const end = this.now();
        for (const w of windows) w.end(end);
      },
      release: () => {
        if (settled) return;
        settled = true;
        for (const w of windows) w.open--;
      },
    };
  }

  /**
   * The platform answered 429 with retry-after: nothing more goes to the target (scope
   * 'target') or to the whole channel (scope 'channel') for `ms`.
   */
  pause(channel: string, target: string, ms: number, scope: LimitScope): void {
    const rule = (this.rules[channel] ?? []).find((r) => r.scope === scope) ?? { limit: Number.POSITIVE_INFINITY, windowMs: 0 };
    const w = this.window(channel, scope === 'channel' ? null : target, rule, target) as Window;
    w.pausedUntil = Math.max(w.pausedUntil, this.now() + ms);
  }

  /** Milliseconds a 429 still holds back sends of `channel` to `target` (0: none). */
  pausedMs(channel: string, target: string): number {
    const now = this.now();
    const until = Math.max(this.window(channel, null, null, target)?.pausedUntil ?? 0, this.window(channel, target, null)?.pausedUntil ?? 0);
    return Math.max(0, Math.ceil(until - now));
  }

  /** Channels and targets that cannot send within `leadMs` (the outbox leaves their items alone); forgets idle windows. */
  blocked(leadMs = LEAD_MS): { channels: string[]; targets: string[] } {
    const now = this.now();
    const channels: string[] = [];
    const targets: string[] = [];
    for (const [key, w] of this.windows) {
      if (w.readyAt(now) > now + leadMs) {
        if (w.target !== null) targets.push(w.target);
        else if (w.seen)
          targets.push(...w.seen); // one lane of the channel: its targets only
        else channels.push(w.channel);
      } else if (w.idle(now)) this.windows.delete(key);
    }
    return { channels, targets };
  }

  /** Whether the channel as a whole can send within `leadMs`. */
  channelOpen(channel: string, leadMs = LEAD_MS): boolean {
    const now = this.now();
    return (this.window(channel, null, null)?.readyAt(now) ?? now) <= now + leadMs;
  }

  /**
   * Milliseconds until a blocked window can admit a send `leadMs` ahead of its slot; null when
   * no window waits on time alone (none is blocked, or only calls ending can free one).
   */
  waitMs(leadMs = LEAD_MS): number | null {
    const now = this.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const w of this.windows.values()) {
      const at = w.readyAt(now) - leadMs;
      if (at > now && at < soonest) soonest = at;
    }
    return soonest === Number.POSITIVE_INFINITY ? null : Math.ceil(soonest - now);
  }
}

/** The code of a send held back by a 429's pause just before it went out: nothing was sent. */
export const HELD_BACK = 'held_back';

/** The permit of the delivery in progress, for the port to wait on (see withPermit). */
const current = new AsyncLocalStorage<Permit>();

/** Runs a delivery with its permit: the held-back ports it calls wait for the permit's slot. */
export function withPermit<T>(permit: Permit, deliver: () => Promise<T>): Promise<T> {
  return current.run(permit, deliver);
}

/** The last step before a platform call: waits for the delivery's slot; refuses if a 429 paused it meanwhile. */
async function gate(limiter: RateLimiter, channel: string, target: string): Promise<void> {
  await current.getStore()?.ready();
  const ms = limiter.pausedMs(channel, target);
  if (ms > 0) throw new LinkaError(HELD_BACK, `${channel}: held back ${ms} ms more by a 429's retry-after`, { platform: channel, retryAfterMs: ms });
}

/**
 * The port, sending only when the delivery's slot has come (withPermit) and refusing
 * (HELD_BACK) a send that a 429 paused after the outbox admitted it. The checks are the last
 * thing before the platform call, after the deliverer's own database work.
 */
export function holdBackPort(limiter: RateLimiter, port: ChannelPort): ChannelPort {
  return {
    channel: port.channel,
    async send(conversationId, reply, context) {
      await gate(limiter, port.channel, conversationId);
      return port.send(conversationId, reply, context);
    },
  };
}

/** E-mail's port for composed messages, likewise (every message on the channel `email`). */
export function holdBackMail(limiter: RateLimiter, port: MailPort): MailPort {
  return {
    address: port.address,
    domain: port.domain,
    async sendMail(mail, messageId) {
      const first = mail.to[0] ?? '';
      await gate(limiter, 'email', `email:${first.toLowerCase()}`);
      return port.sendMail(mail, messageId);
    },
  };
}

/** The team port, likewise (team messages go to the queue channel, notices to the status channel: a pause of that lane applies). */
export function holdBackTeamPort(limiter: RateLimiter, port: TeamPort): TeamPort {
  const check = (status = false) => gate(limiter, port.platform, status ? teamChannelTarget(port.platform, true) : '');
  return {
    platform: port.platform,
    postTicket: async (card) => {
      await check();
      return port.postTicket(card);
    },
    updateTicket: async (post, card) => {
      await check();
      return port.updateTicket(post, card);
    },
    postToThread: async (post, text) => {
      await check();
      return port.postToThread(post, text);
    },
    postToChannel: async (text, opts) => {
      await check(opts?.status);
      return port.postToChannel(text, opts);
    },
  };
}
