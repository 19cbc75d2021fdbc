import type { AlertRouter } from '../alerts/grading.js';
import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';
import type { OncallDirectory } from './oncall.js';

/** What alert and incident functions need: the app context's parts plus routing and the on-call directory. */
export interface IncidentDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  t: Translate;
  router: AlertRouter;
  people: OncallDirectory;
  /** Told after state changed that may need timers re-armed (escalations) or messages sent (outbox). */
  changed?: () => void;
}
