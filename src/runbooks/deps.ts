/**
 * What the run engine, the launcher and the approvals need: the app's ports plus the runbook catalogue, the
 * cluster reader and the metrics query used by checks (either may be absent: checks then say they cannot
 * verify), and the ToolHost every tool call goes through as caller `runbook`.
 */
import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { ClusterReader } from '../ports/cluster.js';
import type { MetricsQuery } from '../ports/metrics-query.js';
import type { ToolHost } from '../ports/tools.js';
import type { Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Store } from '../store/index.js';
import type { Runbook } from './schema.js';

export interface RunDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  t: Translate;
  runbooks: ReadonlyMap<string, Runbook>;
  tools?: ToolHost;
  reader?: ClusterReader;
  metrics?: MetricsQuery;
  /** How often checks poll while they wait for a condition (default 5 s). */
  pollMs?: number;
}

/** How long the write steps of an approved run may be executed after the approval (their bound approvals). */
export const EXECUTION_WINDOW_MS = 6 * 3_600_000;
