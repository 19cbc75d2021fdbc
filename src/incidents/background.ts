/**
 * The alerting background work, on the injected clock: escalation timers, coalesced card patches, the Watchdog
 * heartbeat and (with ALERTMANAGER_URL) the silence watcher. Each timer re-arms from SQLite when the store's
 * domain events say something it cares about committed; none of them is woken by another component.
 */
import type { AlertmanagerPort } from '../ports/alertmanager.js';
import type { IncidentDeps } from './context.js';
import { DueTimer } from './due-timer.js';
import { EscalationScheduler } from './escalation.js';
import { refreshDueCards } from './publish.js';
import { SilenceWatcher } from './silence.js';
import { WatchdogMonitor } from './watchdog.js';

/** Longest a turn of card rendering holds the event loop (ms); each card takes about half a millisecond. */
const CARD_TURN_MS = 2;

/** Sends each card's coalesced patch when it falls due. */
export class CardRefresher extends DueTimer {
  constructor(deps: IncidentDeps) {
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'card refresh',
      nextDueAt: () => deps.store.cardRefresh.nextDueAt(),
      // A couple of milliseconds of cards per turn, so rendering never holds webhook answers for long.
      run: () => refreshDueCards(deps, CARD_TURN_MS).more,
      isOpen: () => deps.store.isOpen(),
      // A routine change marks its card for a patch in the same transaction as the incident's update.
      bus: deps.store.bus,
      wakeOn: ['incident.changed', 'incident.opened'],
    });
  }
}

export class AlertingServices {
  readonly escalation: EscalationScheduler;
  readonly cards: CardRefresher;
  readonly watchdog: WatchdogMonitor;
  readonly silences: SilenceWatcher | undefined;

  constructor(deps: IncidentDeps, alertmanager: AlertmanagerPort | undefined) {
    this.escalation = new EscalationScheduler(deps);
    this.cards = new CardRefresher(deps);
    this.watchdog = new WatchdogMonitor(deps);
    this.silences = alertmanager ? new SilenceWatcher(deps, alertmanager) : undefined;
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
}
