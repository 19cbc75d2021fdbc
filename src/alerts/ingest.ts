/**
 * Alertmanager webhook → SQLite, in one transaction: the raw body, every alert (deduplicated by fingerprint and
 * firing episode), heartbeats, incident changes and the outbox messages they call for. Only once it committed
 * does the HTTP route answer 200, so an acknowledged alert is never lost.
 */
import type { IncidentDeps } from '../incidents/deps.js';
import { armEscalation, closeIncident, openIncident, raisePriority, SYSTEM } from '../incidents/lifecycle.js';
import { PublishBatch, publishIncident } from '../incidents/publish.js';
import type { AlertRecord, PriorityLevel } from '../store/repos/alerts.js';
import type { Incident } from '../store/repos/incidents.js';
import { maxPriority } from './grading.js';
import { correlationKeyOf, groupKeyOf, workloadOf, workloadRef } from './grouping.js';
import { isZeroTime, type WebhookBody } from './schema.js';

export interface IngestResult {
  webhookId: number;
  alerts: number;
  heartbeats: number;
  /** Incidents the body touched (opened, joined, resolved). */
  incidents: number[];
  opened: number[];
}

interface Touch {
  joined: AlertRecord[];
  resolved: AlertRecord[];
  opened: boolean;
}

export function ingestWebhook(deps: IncidentDeps, body: WebhookBody, raw: string): IngestResult {
  const { store, clock, config } = deps;
  const result = store.tx((): IngestResult => {
    const now = clock.now();
    const webhookId = store.alerts.recordWebhook(
      { groupKey: body.groupKey, status: body.status, alertCount: body.alerts.length, body: raw },
      now,
    );
    const heartbeatNames = new Set(config.file.heartbeats);
    const clusterLabel = config.file.cluster_label;
    const windowStart = now - config.file.correlation_window;
    const touched = new Map<number, Touch>();
    const touch = (id: number): Touch => {
      let t = touched.get(id);
      if (!t) {
        t = { joined: [], resolved: [], opened: false };
        touched.set(id, t);
      }
      return t;
    };
    let heartbeats = 0;
    let watchdogBack = false;

    for (const a of body.alerts) {
      const labels = a.labels;
      const alertname = labels.alertname as string;
      const isHeartbeat = heartbeatNames.has(alertname);
      const decision = isHeartbeat ? undefined : deps.router.decide(labels);
      const prior = store.alerting.episode(a.fingerprint, a.startsAt);

      // A new episode finds (or opens) its incident first, so the alert row is written once, already linked.
      let incidentId = prior?.incidentId ?? undefined;
      let opened = false;
      if (decision && incidentId === undefined) {
        const groupKey = groupKeyOf(labels, decision.groupBy, clusterLabel);
        const correlationKey = correlationKeyOf(labels, clusterLabel);
        incidentId = store.incidents.findActive(groupKey, windowStart)?.id;
        if (incidentId === undefined && correlationKey) {
          incidentId = store.alerting.findActiveByCorrelation(correlationKey, windowStart);
        }
        if (incidentId === undefined && a.status === 'firing') {
          const w = workloadOf(labels);
          const incident = openIncident(
            deps,
            {
              groupKey,
              title: titleOf(alertname, labels),
              priority: decision.priority,
              chatId: decision.chatId ?? null,
              namespace: labels.namespace ?? null,
              cluster: labels[clusterLabel] ?? null,
              labels,
              resources: w ? [workloadRef(labels, w)] : [],
              correlationKey,
            },
            { alertname, fingerprint: a.fingerprint, routes: decision.routes },
          );
          incidentId = incident.id;
          opened = true;
        }
        // (a resolution of something never seen firing is recorded, attached to nothing)
      }

      const { alert, isNew, statusChanged } = store.alerts.upsert(
        {
          fingerprint: a.fingerprint,
          startsAt: a.startsAt,
          alertname,
          status: a.status,
          severity: labels.severity ?? null,
          priority: decision?.priority ?? null,
          labels,
          annotations: a.annotations,
          endsAt: isZeroTime(a.endsAt) ? null : a.endsAt,
          generatorUrl: a.generatorURL || null,
          incidentId: incidentId ?? null,
        },
        now,
      );
      if (isNew) {
        for (const ended of store.alerting.closeEarlierEpisodes(a.fingerprint, a.startsAt, now)) {
          const earlier = ended.incidentId === null ? undefined : store.alerts.get(ended.id);
          if (earlier && ended.incidentId !== null) touch(ended.incidentId).resolved.push(earlier);
        }
      }
      if (isHeartbeat || !decision) {
        heartbeats++;
        store.alerting.recordHeartbeat(alertname, a.status, now);
        if (alertname === 'Watchdog' && a.status === 'firing') watchdogBack = true;
        continue;
      }
      if (incidentId === undefined) continue;
      if (prior && prior.incidentId !== null) {
        if (statusChanged && alert.status === 'resolved') touch(incidentId).resolved.push(alert);
        else touch(incidentId);
        continue;
      }
      if (prior) store.alerts.setIncident(alert.id, incidentId); // an unattached episode found its incident
      const t = touch(incidentId);
      if (opened) t.opened = true;
      if (isNew || !t.opened) t.joined.push(alert);
    }

    const batch = new PublishBatch();
    for (const [id, t] of touched) settleIncident(deps, id, t, batch);
    if (watchdogBack) recoverPipeline(deps, batch);
    batch.flush(deps);
    return {
      webhookId,
      alerts: body.alerts.length,
      heartbeats,
      incidents: [...touched.keys()],
      opened: [...touched].filter(([, t]) => t.opened).map(([id]) => id),
    };
  });
  deps.changed?.();
  return result;
}

/** Applies one body's effect on an incident: resources, last-seen, priority, timeline, auto-resolution, card. */
function settleIncident(deps: IncidentDeps, id: number, t: Touch, batch: PublishBatch): void {
  const { store, clock } = deps;
  const now = clock.now();
  let inc = store.incidents.get(id) as Incident;
  const resources = new Set(inc.resources);
  let priority: PriorityLevel = inc.priority;
  for (const a of t.joined) {
    const w = workloadOf(a.labels);
    if (w) resources.add(workloadRef(a.labels, w));
    if (a.priority && a.status === 'firing') priority = maxPriority(priority, a.priority);
  }
  const joinedOthers = t.opened ? t.joined.slice(1) : t.joined;
  if (joinedOthers.length > 0) {
    store.timeline.add(
      id,
      'alerts_joined',
      SYSTEM,
      { alerts: joinedOthers.map((a) => ({ alertname: a.alertname, fingerprint: a.fingerprint, status: a.status })) },
      now,
    );
  }
  if (t.resolved.length > 0) {
    store.timeline.add(
      id,
      'alerts_resolved',
      SYSTEM,
      { alerts: t.resolved.map((a) => ({ alertname: a.alertname, fingerprint: a.fingerprint })) },
      now,
    );
  }
  const patch: { lastSeen: number; resources?: string[] } = { lastSeen: now };
  if (resources.size !== inc.resources.length) patch.resources = [...resources];
  inc = store.incidents.update(id, patch) as Incident;
  // Only a resolution can bring the firing count to zero: count only then.
  if (t.resolved.length > 0 && inc.status !== 'resolved' && store.alerts.countByStatus(id).firing === 0) {
    closeIncident(deps, inc, SYSTEM, undefined, { auto: true }, batch);
    return;
  }
  if (priority !== inc.priority && inc.status !== 'resolved' && !t.opened) {
    raisePriority(deps, inc, priority, batch);
    return;
  }
  if (t.opened && priority !== inc.priority) {
    inc = store.incidents.update(id, { priority }) as Incident;
    armEscalation(deps, inc);
  }
  publishIncident(deps, inc, 'changed', { batch, defer: true });
}

/** The Watchdog is back: close the "alerting pipeline is down" incident. */
function recoverPipeline(deps: IncidentDeps, batch: PublishBatch): void {
  const hb = deps.store.alerting.heartbeat('Watchdog');
  if (!hb?.incidentId) return;
  const inc = deps.store.incidents.get(hb.incidentId);
  deps.store.alerting.setHeartbeatIncident('Watchdog', null);
  if (inc && inc.status !== 'resolved') closeIncident(deps, inc, SYSTEM, undefined, { heartbeat: 'Watchdog' }, batch);
}

function titleOf(alertname: string, labels: Record<string, string>): string {
  const w = workloadOf(labels);
  const where = [labels.namespace, w?.name].filter(Boolean).join('/');
  return where ? `${alertname} · ${where}` : alertname;
}

/**
 * Group commit: bodies that arrive while a transaction is being prepared are ingested together in one SQLite
 * transaction (each in its own savepoint, so one bad body fails alone), and each caller is answered only after
 * that transaction committed. Under load this turns many small commits into few larger ones.
 */
export class IngestBatcher {
  private queue: {
    body: WebhookBody;
    raw: string;
    resolve: (r: IngestResult) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private scheduled = false;

  constructor(
    private readonly deps: IncidentDeps,
    private readonly maxBatch = 64,
  ) {}

  submit(body: WebhookBody, raw: string): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, raw, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const outcomes: ({ ok: true; result: IngestResult } | { ok: false; error: unknown })[] = [];
    const changed = this.deps.changed;
    const quiet: IncidentDeps = { ...this.deps };
    delete quiet.changed;
    try {
      this.deps.store.tx(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, result: ingestWebhook(quiet, item.body, item.raw) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    changed?.();
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o?.ok) item.resolve(o.result);
      else item.reject(o?.error);
    });
  }
}
