import type { Clock, TimerHandle } from '../ports/clock.js';
import { type DomainEventType, type EventBus, hasEvent } from '../shared/domain-events.js';
import type { Logger } from '../shared/log.js';

export interface DueTimerOptions {
  clock: Clock;
  log: Logger;
  /** What the timer drives, for the log line when a run fails. */
  name: string;
  /** The earliest time work is due (from SQLite), or undefined when nothing is pending. */
  nextDueAt: () => number | undefined;
  /** Does the due work; returns true when more is due right away (it yields between batches). */
  run: () => boolean;
  /** False once the store is closed: the timer then does nothing. */
  isOpen: () => boolean;
  /** While started, re-arms when a committed change announces one of `wakeOn` on `bus`. */
  bus?: EventBus;
  wakeOn?: readonly DomainEventType[];
}

/**
 * Keeps one clock timer armed for the earliest due time of work kept in SQLite. The state lives in the
 * database, so a restart re-arms from it; it re-arms when the domain events it is told to watch commit (or on
 * `poke`).
 */
export class DueTimer {
  private timer: TimerHandle | undefined;
  private armedFor: number | undefined;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: DueTimerOptions) {}

  start(): void {
    const { bus, wakeOn = [] } = this.options;
    if (bus && wakeOn.length > 0) {
      this.unsubscribe ??= bus.subscribe((events) => {
        if (hasEvent(events, ...wakeOn)) this.poke();
      });
    }
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.disarm();
  }

  /** Re-arms for the earliest due time (cheap when it did not change). */
  poke(): void {
    if (this.stopped) return;
    const next = this.options.nextDueAt();
    if (next === this.armedFor) return;
    this.arm(next);
  }

  private arm(at: number | undefined): void {
    this.disarm();
    this.armedFor = at;
    if (at === undefined) return;
    const { clock } = this.options;
    this.timer = clock.setTimeout(() => this.tick(), Math.max(0, at - clock.now()));
  }

  private disarm(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    if (this.stopped || !this.options.isOpen()) return;
    let more = false;
    try {
      more = this.options.run();
    } catch (err) {
      this.options.log.error({ err }, `${this.options.name} failed`);
    }
    if (more && !this.stopped) this.arm(this.options.clock.now());
    else this.poke();
  }
}
