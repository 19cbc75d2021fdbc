/**
 * The alerting background work, on the injected clock: escalation timers, coalesced card patches, the Watchdog
 * heartbeat and (with ALERTMANAGER_URL) the silence watcher. `changed()` is called after any state change so
 * timers re-arm at once; `onChange` lets the composition root also wake the outbox worker.
 */
import { WatchdogMonitor } from '../alerts/heartbeat.js';
import type { AlertmanagerPort } from '../ports/alertmanager.js';
import type { IncidentDeps } from './deps.js';
import { DueTimer } from './due-timer.js';
import { EscalationScheduler } from './escalation.js';
import { refreshDueCards } from './publish.js';
import { SilenceWatcher } from './silence.js';

const CARDS_PER_TURN = 10;

/** Sends each card's coalesced patch when it falls due. */
export class CardRefresher extends DueTimer {
  constructor(deps: IncidentDeps) {
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'card refresh',
      nextDueAt: () => deps.store.alerting.nextCardDueAt(),
      run: () => {
        // A few cards per turn, so rendering never holds the event loop (and webhook answers) for long.
        const n = refreshDueCards(deps, CARDS_PER_TURN);
        if (n > 0) deps.changed?.();
        return n === CARDS_PER_TURN;
      },
      isOpen: () => deps.store.isOpen(),
    });
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
