/**
 * The alerting background work, on the injected clock: escalation timers, coalesced card patches, the Watchdog
 * heartbeat and (with ALERTMANAGER_URL) the silence watcher. `changed()` is called after any state change so
 * timers re-arm at once; `onChange` lets the composition root also wake the outbox worker.
 */
import { WatchdogMonitor } from '../alerts/heartbeat.js';
import type { AlertmanagerPort } from '../ports/alertmanager.js';
import type { TimerHandle } from '../ports/clock.js';
import type { IncidentDeps } from './deps.js';
import { EscalationScheduler } from './escalation.js';
import { refreshDueCards } from './publish.js';
import { SilenceWatcher } from './silence.js';

const CARDS_PER_TURN = 10;

/** Keeps one timer armed for the earliest card due for its coalesced patch. */
export class CardRefresher {
  private timer: TimerHandle | undefined;
  private armedFor: number | undefined;
  private stopped = true;

  constructor(private readonly deps: IncidentDeps) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }

  poke(): void {
    if (this.stopped) return;
    const next = this.deps.store.alerting.nextCardDueAt();
    if (next === this.armedFor) return;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = next;
    if (next === undefined) return;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), Math.max(0, next - this.deps.clock.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    if (this.stopped || !this.deps.store.isOpen()) return;
    let more = false;
    try {
      // A few cards per turn, so rendering never holds the event loop (and webhook answers) for long.
      const n = refreshDueCards(this.deps, CARDS_PER_TURN);
      more = n === CARDS_PER_TURN;
      if (n > 0) this.deps.changed?.();
    } catch (err) {
      this.deps.log.error({ err }, 'card refresh failed');
    }
    if (more && !this.stopped) {
      if (this.timer) this.deps.clock.clearTimeout(this.timer);
      this.armedFor = this.deps.clock.now();
      this.timer = this.deps.clock.setTimeout(() => this.tick(), 0);
      return;
    }
    this.poke();
  }
}

export class AlertingServices {
  readonly escalation: EscalationScheduler;
  readonly cards: CardRefresher;
  readonly watchdog: WatchdogMonitor;
  readonly silences: SilenceWatcher | undefined;
  private onChange: (() => void) | undefined;

  constructor(deps: IncidentDeps, alertmanager: AlertmanagerPort | undefined) {
    this.escalation = new EscalationScheduler(deps);
    this.cards = new CardRefresher(deps);
    this.watchdog = new WatchdogMonitor(deps);
    this.silences = alertmanager ? new SilenceWatcher(deps, alertmanager) : undefined;
    deps.changed = () => this.changed();
  }

  /** Also called after every change (e.g. to wake the outbox worker). */
  setOnChange(fn: () => void): void {
    this.onChange = fn;
  }

  start(): void {
    this.escalation.start();
    this.cards.start();
    this.watchdog.start();
    this.silences?.start();
  }

  async stop(): Promise<void> {
    this.escalation.stop();
    this.cards.stop();
    this.watchdog.stop();
    await this.silences?.stop();
  }

  changed(): void {
    this.escalation.poke();
    this.cards.poke();
    this.onChange?.();
  }
}
