import { AlertRouter } from '../alerts/grading.js';
import type { AppContext } from '../app/context.js';
import { translator } from '../shared/i18n.js';
import type { IncidentDeps } from './deps.js';
import { OncallDirectory } from './oncall.js';

export type { IncidentDeps } from './deps.js';

/** Builds the alert/incident dependencies from the app context. */
export function incidentDeps(ctx: AppContext, people = new OncallDirectory()): IncidentDeps {
  return {
    config: ctx.config,
    store: ctx.store,
    clock: ctx.clock,
    log: ctx.log,
    t: translator(ctx.config.locale),
    router: new AlertRouter(ctx.config.file, ctx.config.feishu.defaultChatId),
    people,
  };
}
