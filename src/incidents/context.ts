/**
 * What alert and incident functions need: the app context's parts plus the route table and the on-call
 * directory. Changes are announced by the store's domain events (store.bus), never by callbacks in here.
 */
import { RouteTable } from '../alerts/route-table.js';
import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import { type Translate, translator } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';
import { OncallDirectory } from './oncall.js';

export interface IncidentDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  t: Translate;
  routes: RouteTable;
  people: OncallDirectory;
}

/** Builds the alert/incident dependencies from the app's parts. */
export function incidentDeps(
  app: { config: Config; store: Store; clock: Clock; log: Logger },
  people = new OncallDirectory(),
): IncidentDeps {
  return {
    config: app.config,
    store: app.store,
    clock: app.clock,
    log: app.log,
    t: translator(app.config.locale),
    routes: new RouteTable(app.config.file, app.config.feishu.defaultChatId),
    people,
  };
}
