/**
 * Applying an Alertmanager body: every alert (deduplicated by fingerprint and firing episode), heartbeats,
 * incident changes and the outbox messages they call for, inside the caller's transaction. The webhook stores
 * the raw body first (see alert-intake.ts), so what was acknowledged is never lost even before it is applied.
 */
import { alertTitle, correlationKeyOf, groupKeyOf, workloadOf, workloadRef } from '../alerts/grouping.js';
import { type Alert, maxPriority, type Priority } from '../alerts/model.js';
import { isZeroTime, type WebhookBody } from '../alerts/schema.js';
import type { Clock } from '../ports/clock.js';
import { formatResourceRef, type ResourceRef } from '../shared/resource-ref.js';
import type { IncidentDeps } from './context.js';
import { armEscalation, closeIncident, openIncident, raisePriority } from './lifecycle.js';
import { type Incident, SYSTEM } from './model.js';
import { PublishBatch, publishIncident } from './publish.js';

export interface IngestResult {
  webhookId: number;
  alerts: number;
  heartbeats: number;
  /** Incidents the body touched (opened, joined, resolved). */
  incidents: number[];
  opened: number[];
}

interface Touch {
  joined: Alert[];
  resolved: Alert[];
  opened: boolean;
}

/** Stores the raw body and applies it, in one transaction (the synchronous path, for tools and tests). */
export function ingestWebhook(deps: IncidentDeps, body: WebhookBody, raw: string): IngestResult {
  const { store, clock } = deps;
  const result = store.tx((): IngestResult => {
    const now = clock.now();
    const webhookId = store.alerts.recordWebhook(
      { groupKey: body.groupKey, status: body.status, alertCount: body.alerts.length, body: raw },
      now,
    );
    const applied = applyWebhook(deps, body, webhookId);
    store.alerts.markWebhooksProcessed([webhookId], now);
    return applied;
  });
  return result;
}

/**
 * Applies one stored body inside the caller's transaction (whose commit announces what changed).
 */
export function applyWebhook(
  deps: IncidentDeps,
  body: WebhookBody,
  webhookId: number,
  receivedAt?: number,
): IngestResult {
  const applier = new WebhookApplier(deps);
  const result = applier.apply(body, webhookId, receivedAt);
  applier.finish();
  return result;
}

/**
 * Applies several bodies in one transaction: alerts are stored as each body comes, and each incident they
 * touched is settled once at `finish` (one timeline row, one incident update, one card refresh), however
 * many of the bodies touched it. Bodies must be applied in the order Alertmanager sent them.
 *
 * A body is applied as of the time it was received (`receivedAt`): first/last seen, the correlation window,
 * heartbeats, timeline rows and escalation timers all count from when Alertmanager said it, however long the
 * body waited to be applied.
 */
export class WebhookApplier {
  private readonly touched = new Map<number, Touch>();
  private watchdogBack = false;
  private readonly heartbeatNames: Set<string>;
  private readonly clusterLabel: string;
  /** The dependencies as of the last body applied (its clock reads its receive time). */
  private at: IncidentDeps;

  constructor(private readonly deps: IncidentDeps) {
    const { config } = deps;
    this.heartbeatNames = new Set(config.file.heartbeats);
    this.clusterLabel = config.file.cluster_label;
    this.at = deps;
  }

  private touch(id: number, mine: Set<number>): Touch {
    mine.add(id);
    let t = this.touched.get(id);
    if (!t) {
      t = { joined: [], resolved: [], opened: false };
      this.touched.set(id, t);
    }
    return t;
  }

  apply(body: WebhookBody, webhookId: number, receivedAt?: number): IngestResult {
    const deps = receivedAt === undefined ? this.deps : { ...this.deps, clock: clockAt(this.deps.clock, receivedAt) };
    this.at = deps;
    const now = deps.clock.now();
    const windowStart = now - deps.config.file.correlation_window;
    const { clusterLabel } = this;
    const { store } = deps;
    const mine = new Set<number>();
    const opened = new Set<number>();
    let heartbeats = 0;

    for (const a of body.alerts) {
      const labels = a.labels;
      const alertname = labels.alertname as string;
      // A late resend of an episode that a newer one has replaced is over, whatever it says.
      const status =
        a.status === 'firing' && store.alerts.hasNewerEpisode(a.fingerprint, a.startsAt) ? 'resolved' : a.status;
      const isHeartbeat = this.heartbeatNames.has(alertname);
      const decision = isHeartbeat ? undefined : deps.routes.decide(labels);
      const prior = store.alerts.episode(a.fingerprint, a.startsAt);

      // A new episode finds (or opens) its incident first, so the alert row is written once, already linked.
      let incidentId = prior?.incidentId ?? undefined;
      let openedNow = false;
      if (decision && incidentId === undefined) {
        const groupKey = groupKeyOf(labels, decision.groupBy, clusterLabel);
        const correlationKey = correlationKeyOf(labels, clusterLabel);
        incidentId = store.incidents.findActive(groupKey, windowStart);
        if (incidentId === undefined && correlationKey) {
          incidentId = store.incidents.findActiveByCorrelation(correlationKey, windowStart);
        }
        if (incidentId === undefined && status === 'firing') {
          const w = workloadOf(labels);
          const incident = openIncident(
            deps,
            {
              groupKey,
              title: alertTitle(alertname, labels),
              priority: decision.priority,
              chatId: decision.chatId ?? null,
              namespace: labels.namespace ?? null,
              cluster: labels[clusterLabel] ?? null,
              labels,
              resources: w ? [workloadRef(labels, w, clusterLabel)] : [],
              correlationKey,
            },
            { alertname, fingerprint: a.fingerprint, routes: decision.routes },
          );
          incidentId = incident.id;
          openedNow = true;
        }
        // (a resolution of something never seen firing is recorded, attached to nothing)
      }

      const { alert, isNew, statusChanged } = store.alerts.upsert(
        {
          fingerprint: a.fingerprint,
          startsAt: a.startsAt,
          alertname,
          status,
          severity: labels.severity ?? null,
          priority: decision?.priority ?? null,
          labels,
          annotations: a.annotations,
          endsAt: isZeroTime(a.endsAt) ? null : a.endsAt,
          generatorUrl: a.generatorURL || null,
          incidentId: incidentId ?? null,
        },
        now,
        prior ?? null,
      );
      if (isNew) {
        for (const ended of store.alerts.closeEarlierEpisodes(a.fingerprint, a.startsAt, now)) {
          const earlier = ended.incidentId === null ? undefined : store.alerts.get(ended.id);
          if (earlier && ended.incidentId !== null) this.touch(ended.incidentId, mine).resolved.push(earlier);
        }
      }
      if (isHeartbeat || !decision) {
        heartbeats++;
        store.heartbeats.record(alertname, status, now);
        if (alertname === 'Watchdog' && status === 'firing') this.watchdogBack = true;
        continue;
      }
      if (incidentId === undefined) continue;
      if (prior && prior.incidentId !== null) {
        if (statusChanged && alert.status === 'resolved') this.touch(incidentId, mine).resolved.push(alert);
        else this.touch(incidentId, mine);
        continue;
      }
      if (prior) store.alerts.setIncident(alert.id, incidentId); // an unattached episode found its incident
      const t = this.touch(incidentId, mine);
      if (openedNow) {
        t.opened = true;
        opened.add(incidentId);
      }
      if (isNew || !t.opened) t.joined.push(alert);
    }
    return { webhookId, alerts: body.alerts.length, heartbeats, incidents: [...mine], opened: [...opened] };
  }

  /** Settles every incident the applied bodies touched: resources, priority, timeline, resolution, card. */
  finish(): void {
    const batch = new PublishBatch();
    for (const [id, t] of this.touched) settleIncident(this.at, id, t, batch);
    if (this.watchdogBack) recoverPipeline(this.at, batch);
    batch.flush(this.at);
    this.touched.clear();
    this.watchdogBack = false;
  }
}

/** Applies one body's effect on an incident: resources, last-seen, priority, timeline, auto-resolution, card. */
function settleIncident(deps: IncidentDeps, id: number, t: Touch, batch: PublishBatch): void {
  const { store, clock } = deps;
  const now = clock.now();
  let inc = store.incidents.get(id) as Incident;
  const resources = new Map<string, ResourceRef>(inc.resources.map((r) => [formatResourceRef(r), r]));
  let priority: Priority = inc.priority;
  const clusterLabel = deps.config.file.cluster_label;
  for (const a of t.joined) {
    const w = workloadOf(a.labels);
    if (w) {
      const ref = workloadRef(a.labels, w, clusterLabel);
      resources.set(formatResourceRef(ref), ref);
    }
    if (a.priority && a.status === 'firing') priority = maxPriority(priority, a.priority);
  }
  const joinedOthers = t.opened ? t.joined.slice(1) : t.joined;
  if (joinedOthers.length > 0) {
    const alerts = joinedOthers.map((a) => ({ alertname: a.alertname, fingerprint: a.fingerprint, status: a.status }));
    store.timeline.add(id, { kind: 'alerts_joined', detail: { alerts } }, SYSTEM, now);
  }
  if (t.resolved.length > 0) {
    const alerts = t.resolved.map((a) => ({ alertname: a.alertname, fingerprint: a.fingerprint }));
    store.timeline.add(id, { kind: 'alerts_resolved', detail: { alerts } }, SYSTEM, now);
  }
  const patch: { lastSeen: number; resources?: ResourceRef[] } = { lastSeen: now };
  if (resources.size !== inc.resources.length) patch.resources = [...resources.values()];
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
  const hb = deps.store.heartbeats.get('Watchdog');
  if (!hb?.incidentId) return;
  const inc = deps.store.incidents.get(hb.incidentId);
  deps.store.heartbeats.setIncident('Watchdog', null);
  if (inc && inc.status !== 'resolved') closeIncident(deps, inc, SYSTEM, undefined, { heartbeat: 'Watchdog' }, batch);
}

/** A clock that reads a fixed time; its timers are the real clock's. */
function clockAt(clock: Clock, now: number): Clock {
  return {
    now: () => now,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    sleep: (ms) => clock.sleep(ms),
  };
}
