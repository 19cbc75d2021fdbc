/**
 * Silencing an incident from its card: real Alertmanager silences (API v2) matching the incident's alerts —
 * one per alert name, scoped to its cluster, namespace and workload — created by the person who clicked.
 * A watcher polls them so an expired or removed silence shows on the card and in the timeline. One set per
 * incident while it is in force: a second click, an old copy of the card or two people at once get the existing
 * silences back (`already_silenced`), never a second set in Alertmanager.
 */
import { workloadOf } from '../alerts/grouping.js';
import type { Alert } from '../alerts/model.js';
import type { AlertmanagerPort, SilenceMatcherInput } from '../ports/alertmanager.js';
import type { TimerHandle } from '../ports/clock.js';
import { describeError } from '../shared/errors.js';
import type { IncidentDeps } from './context.js';
import type { Incident } from './model.js';
import { publishIncident } from './publish.js';

export type SilenceResult =
  | { ok: true; silenceIds: string[]; endsAt: number }
  | { ok: false; reason: 'not_found' | 'resolved' | 'unavailable' | 'failed'; message?: string }
  /** One set is in force already (an earlier click, an old card, someone at the same time): nothing was created. */
  | { ok: false; reason: 'already_silenced'; silenceIds: string[]; endsAt: number; createdBy: string };

const MAX_SILENCES = 10;

/** Matchers for each distinct alert of an incident (by alertname + scope), at most ten. */
export function silenceMatchers(alerts: Alert[], clusterLabel: string): SilenceMatcherInput[][] {
  const seen = new Map<string, SilenceMatcherInput[]>();
  for (const a of alerts) {
    const l = a.labels;
    const ms: SilenceMatcherInput[] = [eq('alertname', a.alertname)];
    if (l[clusterLabel]) ms.push(eq(clusterLabel, l[clusterLabel]));
    if (l.namespace) ms.push(eq('namespace', l.namespace));
    const w = workloadOf(l);
    if (w) {
      const owner = ['deployment', 'statefulset', 'daemonset', 'job_name', 'cronjob'].find((k) => l[k]);
      if (owner) ms.push(eq(owner, l[owner] as string));
      else if (l.pod) ms.push(w.kind === 'pod' ? eq('pod', l.pod) : re('pod', `${escapeRegex(w.name)}-.+`));
    } else {
      for (const k of ['instance', 'job', 'service', 'persistentvolumeclaim', 'node']) {
        if (l[k]) ms.push(eq(k, l[k]));
      }
    }
    const key = JSON.stringify(ms);
    if (!seen.has(key)) seen.set(key, ms);
  }
  return [...seen.values()].slice(0, MAX_SILENCES);
}

export async function silenceIncident(
  deps: IncidentDeps,
  alertmanager: AlertmanagerPort | undefined,
  incidentId: number,
  actor: string,
  durationMs: number,
): Promise<SilenceResult> {
  const { store, clock } = deps;
  const inc = store.incidents.get(incidentId);
  if (!inc) return { ok: false, reason: 'not_found' };
  if (inc.status === 'resolved') return { ok: false, reason: 'resolved' };
  if (!alertmanager) return { ok: false, reason: 'unavailable' };
  const active = store.silences.activeFor(inc.id, clock.now());
  const latest = active.at(-1);
  if (latest) {
    const silenceIds = active.map((s) => s.silenceId);
    const endsAt = Math.max(...active.map((s) => s.endsAt));
    return { ok: false, reason: 'already_silenced', silenceIds, endsAt, createdBy: latest.createdBy };
  }
  const claim = store.silences.claim(inc.id);
  if (!claim.ok) {
    await claim.pending.settled;
    return silenceIncident(deps, alertmanager, incidentId, actor, durationMs);
  }
  try {
    return await createSilences(deps, alertmanager, inc, actor, durationMs);
  } finally {
    claim.release();
  }
}

async function createSilences(
  deps: IncidentDeps,
  alertmanager: AlertmanagerPort,
  inc: Incident,
  actor: string,
  durationMs: number,
): Promise<SilenceResult> {
  const { store, clock } = deps;
  const alerts = store.alerts.byIncident(inc.id);
  const firing = alerts.filter((a) => a.status === 'firing');
  const sets = silenceMatchers(firing.length > 0 ? firing : alerts, deps.config.file.cluster_label);
  const start = clock.now();
  const endsAt = start + durationMs;
  const ids: string[] = [];
  try {
    for (const matchers of sets) {
      const id = await alertmanager.createSilence({
        matchers,
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        createdBy: actor,
        comment: `sre-nanobot incident #${inc.id}: ${inc.title}`,
      });
      ids.push(id);
    }
  } catch (err) {
    if (ids.length === 0) return { ok: false, reason: 'failed', message: describeError(err) };
    deps.log.warn({ err: describeError(err), incidentId: inc.id }, 'only some silences were created');
  }
  store.tx(() => {
    const now = clock.now();
    ids.forEach((silenceId, i) => {
      store.silences.add({ incidentId: inc.id, silenceId, createdBy: actor, matchers: sets[i] ?? [], endsAt }, now);
    });
    store.timeline.add(inc.id, { kind: 'silenced', detail: { silenceIds: ids, until: endsAt } }, actor, now);
    store.audit.record(
      {
        actor,
        action: 'incident.silence',
        target: `incident:${inc.id}`,
        decision: 'done',
        detail: { silenceIds: ids },
      },
      now,
    );
    publishIncident(deps, store.incidents.get(inc.id) ?? inc);
  });
  return { ok: true, silenceIds: ids, endsAt };
}

/** Checks every active silence once; returns how many ended. */
export async function checkSilences(deps: IncidentDeps, alertmanager: AlertmanagerPort): Promise<number> {
  const { store, clock } = deps;
  let ended = 0;
  for (const s of store.silences.active()) {
    let state: 'active' | 'expired' | 'removed';
    try {
      const remote = await alertmanager.getSilence(s.silenceId);
      if (!remote) state = 'removed';
      else if (remote.state === 'expired') state = Date.parse(remote.endsAt) < s.endsAt - 1_000 ? 'removed' : 'expired';
      else state = 'active';
    } catch (err) {
      deps.log.warn({ err: describeError(err), silenceId: s.silenceId }, 'could not check silence');
      continue;
    }
    if (!store.isOpen()) return ended;
    if (state === 'active') {
      store.silences.touch(s.id, clock.now());
      continue;
    }
    store.tx(() => {
      const now = clock.now();
      if (!store.silences.setState(s.id, state, now)) return;
      store.timeline.add(
        s.incidentId,
        { kind: 'silence_ended', detail: { silenceId: s.silenceId, state } },
        'system',
        now,
      );
      const inc = store.incidents.get(s.incidentId);
      if (inc) publishIncident(deps, inc);
      ended++;
    });
  }
  return ended;
}

/** Polls active silences every `silence_poll_interval`. */
export class SilenceWatcher {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: IncidentDeps,
    private readonly alertmanager: AlertmanagerPort,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.running = checkSilences(this.deps, this.alertmanager)
        .catch((err) => this.deps.log.error({ err }, 'silence check failed'))
        .finally(() => this.schedule());
    }, this.deps.config.file.silence_poll_interval);
  }
}

function eq(name: string, value: string): SilenceMatcherInput {
  return { name, value, isRegex: false, isEqual: true };
}

function re(name: string, value: string): SilenceMatcherInput {
  return { name, value, isRegex: true, isEqual: true };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
