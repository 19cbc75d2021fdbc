/** What report builders need: the app's parts, the read models and the vote store. */
import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { LlmPort } from '../ports/llm.js';
import type { Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';
import type { ReportVotesRepo } from '../store/repos/report-votes.js';
import type { ReportQueries } from './queries.js';

export interface ReportDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  t: Translate;
  queries: ReportQueries;
  votes: ReportVotesRepo;
  /** Writes the postmortem up when configured; without it the draft is built from the timeline alone. */
  llm?: LlmPort;
}

/** The chat digests go to: `reports.chat_id`, else FEISHU_DEFAULT_CHAT_ID. */
export function reportsChat(config: Config): string | undefined {
  return config.file.reports.chat_id ?? config.feishu.defaultChatId;
}
