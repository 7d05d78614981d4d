/**
 * Fires due conversation timers, also those that came due while the process was down.
 * Each timer is claimed with a lease and fired through the dispatcher with the timer's
 * id as the inbound id, and marked fired in the same transaction: it fires once.
 * Each poll also expires paid call-out offers past their time (src/services/offer-expiry.ts),
 * which do not depend on any conversation timer.
 */
import { expireDueOffers } from '../services/offer-expiry.js';
import { conversationChannel } from '../store/conversations.js';
import { claimTimers, markTimerFired, releaseTimer } from '../store/timers.js';
import type { Timer } from '../store/types.js';
import type { Channel } from '../engine/types.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import type { Logger } from '../observability/logger.js';
import { PollingWorker } from './polling-worker.js';

export class TimerWorker extends PollingWorker {
  constructor(private readonly deps: { dispatch: DispatchDeps; owner: string; pollMs: number; leaseMs: number; batchSize: number; log: Logger }) {
    super('timers', deps.pollMs, deps.log);
  }

  override async tick(): Promise<number> {
    const { dispatch: d, owner, leaseMs, batchSize } = this.deps;
    const timers = await claimTimers(d.prisma, { now: d.clock(), owner, leaseMs, limit: batchSize });
    for (const timer of timers) await this.fire(timer);
    const expired = await expireDueOffers(d, batchSize);
    return timers.length + expired.length;
  }

  private async fire(timer: Timer): Promise<void> {
    const d = this.deps.dispatch;
    try {
      const channel = await conversationChannel(d.prisma, timer.conversationId);
      if (channel === null) return await markTimerFired(d.prisma, timer.id, d.clock());
      const result = await dispatch(
        d,
        {
          dedupeId: `timer:${timer.id}`,
          conversationId: timer.conversationId,
          channel: channel as Channel,
          event: { kind: 'timer', name: timer.name, token: timer.token },
        },
        (tx) => markTimerFired(tx, timer.id, d.clock()),
      );
      if (result.duplicate) await markTimerFired(d.prisma, timer.id, d.clock());
    } catch (err) {
      this.deps.log.error({ timerId: timer.id, err: err instanceof Error ? err.message : String(err) }, 'timer failed; will retry');
      await releaseTimer(d.prisma, timer.id).catch(() => undefined);
    }
  }
}
