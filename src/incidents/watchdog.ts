/**
 * The dead man's switch: Watchdog fires all the time, so its silence is news. Once a Watchdog has been seen,
 * going `watchdog_timeout` without one opens a P1 "alerting pipeline is down" incident in the default chat;
 * the next Watchdog closes it (see apply-webhook.ts). Checked on the injected clock.
 */
import type { TimerHandle } from '../ports/clock.js';
import { formatDuration } from '../shared/duration.js';
import type { IncidentDeps } from './context.js';
import { openIncident } from './lifecycle.js';
import { publishIncident } from './publish.js';

export const WATCHDOG = 'Watchdog';

/** Opens the pipeline-down incident when the Watchdog is overdue; returns its id when it opened one. */
export function checkWatchdog(deps: IncidentDeps): number | undefined {
  const { store, clock, config, t } = deps;
  const hb = store.heartbeats.get(WATCHDOG);
  if (!hb || hb.incidentId !== null) return undefined;
  const now = clock.now();
  const timeout = config.file.watchdog_timeout;
  if (now - hb.lastSeen <= timeout) return undefined;
  const id = store.tx(() => {
    const labels = { alertname: 'AlertingPipelineDown', severity: 'critical', heartbeat: WATCHDOG };
    const route = deps.routes.decide(labels);
    const inc = openIncident(
      deps,
      {
        groupKey: `heartbeat:${WATCHDOG}`,
        title: t('incident.pipelineDown.title', { name: WATCHDOG, for: formatDuration(now - hb.lastSeen) }),
        priority: 'P1',
        chatId: route.chatId ?? null,
        namespace: null,
        cluster: null,
        labels: { ...labels, summary: t('incident.pipelineDown.summary', { name: WATCHDOG }) },
        resources: [],
      },
      { heartbeat: WATCHDOG, lastSeen: hb.lastSeen },
    );
    store.heartbeats.setIncident(WATCHDOG, inc.id);
    publishIncident(deps, inc);
    return inc.id;
  });
  deps.log.error({ incidentId: id, lastSeen: hb.lastSeen }, 'Watchdog heartbeat missing: alerting pipeline is down');
  return id;
}

export class WatchdogMonitor {
  private timer: TimerHandle | undefined;
  private stopped = true;

  constructor(private readonly deps: IncidentDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    const every = Math.min(60_000, Math.max(1_000, Math.floor(this.deps.config.file.watchdog_timeout / 5)));
    this.timer = this.deps.clock.setTimeout(() => {
      try {
        if (this.deps.store.isOpen()) checkWatchdog(this.deps);
      } catch (err) {
        this.deps.log.error({ err }, 'watchdog check failed');
      }
      this.schedule();
    }, every);
  }
}
