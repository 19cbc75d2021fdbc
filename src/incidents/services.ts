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

/** Longest a turn of card rendering holds the event loop (ms); each card takes about half a millisecond. */
const CARD_TURN_MS = 2;

/** Sends each card's coalesced patch when it falls due. */
export class CardRefresher extends DueTimer {
  constructor(deps: IncidentDeps) {
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'card refresh',
      nextDueAt: () => deps.store.alerting.nextCardDueAt(),
      run: () => {
        // A couple of milliseconds of cards per turn, so rendering never holds webhook answers for long.
        const { refreshed, more } = refreshDueCards(deps, CARD_TURN_MS);
        if (refreshed > 0) deps.changed?.();
        return more;
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
