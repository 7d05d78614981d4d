/** A loop that runs `tick()` every `pollMs`, immediately again while there is work, and stops cleanly. */
import type { Logger } from '../observability/logger.js';

export abstract class PollingWorker {
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;

  constructor(
    readonly name: string,
    private readonly pollMs: number,
    protected readonly logger: Logger,
  ) {}

  /** Handles one batch; returns how many items it handled (0 = nothing due). */
  abstract tick(): Promise<number>;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** How long to wait after a tick that handled nothing before the next (default `pollMs`). */
  protected idleDelayMs(): number {
    return this.pollMs;
  }

  /** How long to wait after a tick that handled something (default 0: there may be more). */
  protected busyDelayMs(): number {
    return 0;
  }

  /** Runs a tick soon (new work was queued). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Waits for the tick in progress, if any. */
  protected async settled(): Promise<void> {
    await this.running;
  }

  /** Runs a tick in `ms` unless one is due sooner (a tick in progress schedules its own successor). */
  protected wakeIn(ms: number): void {
    if (this.stopped || this.running) return;
    if (ms <= 0) return this.wake();
    if (this.timer && this.timerAt <= Date.now() + ms) return;
    this.schedule(ms);
  }

  /** Ticks until nothing is due (tests and the shell use it). Returns the items handled. */
  async drain(maxRounds = 1000): Promise<number> {
    await this.running;
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.tick();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  /** Stops polling and waits for the tick in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.loop(), ms);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.running) return;
    let handled = 0;
    this.running = (async () => {
      try {
        handled = await this.tick();
      } catch (err) {
        this.logger.error({ worker: this.name, err: err instanceof Error ? err.message : String(err) }, 'worker tick failed');
      }
    })();
    await this.running;
    this.running = null;
    if (this.stopped) return;
    const delay = this.again ? 0 : handled > 0 ? this.busyDelayMs() : this.idleDelayMs();
    this.again = false;
    this.schedule(delay);
  }
}
