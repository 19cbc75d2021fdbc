/**
 * A hand-built history for the report figures: eight incidents around one day (2026-11-25, UTC), with alerts,
 * acks, a diagnosis, three runbook runs (two verified, one rolled back), a fix whose alert came back on the same
 * workload, silences, and votes. The expected figures are worked out by hand in digest.test.ts.
 */
import type { AlertInput, Priority } from '../../../src/alerts/model.js';
import type { Config } from '../../../src/config.js';
import type { TimelineDetail } from '../../../src/incidents/model.js';
import type { ReportDeps } from '../../../src/reports/deps.js';
import { ReportQueries } from '../../../src/reports/queries.js';
import { translator } from '../../../src/shared/i18n.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Store } from '../../../src/store/index.js';
import { ReportRunsRepo } from '../../../src/store/repos/report-runs.js';
import { ReportVotesRepo } from '../../../src/store/repos/report-votes.js';
import { testConfig } from '../../helpers/app-context.js';
import { FakeClock } from '../../helpers/fake-clock.js';

export const D = Date.parse('2026-11-25T00:00:00Z');
export const MIN = 60_000;
export const H = 60 * MIN;

export interface World {
  store: Store;
  clock: FakeClock;
  config: Config;
  deps: ReportDeps;
  runs: ReportRunsRepo;
  ids: Record<string, number>;
}

export function reportWorld(env: Record<string, string> = {}, clockAt = D + 33 * H, path = ':memory:'): World {
  const config = testConfig({ TZ: 'UTC', FEISHU_DEFAULT_CHAT_ID: 'oc_reports', ...env });
  const store = Store.open(path);
  const clock = new FakeClock(clockAt);
  const deps: ReportDeps = {
    config,
    store,
    clock,
    log: silentLogger(),
    t: translator(config.locale),
    queries: new ReportQueries(store.db),
    votes: new ReportVotesRepo(store.db),
  };
  return { store, clock, config, deps, runs: new ReportRunsRepo(store.db), ids: {} };
}

interface IncidentSpec {
  title: string;
  priority: Priority;
  at: number;
  namespace?: string | null;
  correlationKey?: string | null;
  chatId?: string | null;
  labels?: Record<string, string>;
}

export function openIncident(w: World, spec: IncidentSpec): number {
  const inc = w.store.incidents.create(
    {
      groupKey: `g:${spec.title}:${spec.at}`,
      title: spec.title,
      priority: spec.priority,
      chatId: spec.chatId === undefined ? 'oc_shop' : spec.chatId,
      namespace: spec.namespace ?? null,
      cluster: 'c1',
      labels: { alertname: spec.title, ...(spec.namespace ? { namespace: spec.namespace } : {}), ...spec.labels },
      resources: [],
      correlationKey: spec.correlationKey ?? null,
    },
    spec.at,
  );
  w.store.timeline.add(
    inc.id,
    { kind: 'opened', detail: { priority: spec.priority, alertname: spec.title } },
    'system',
    spec.at,
  );
  return inc.id;
}

export function alert(
  w: World,
  incidentId: number,
  a: { name: string; fingerprint: string; priority: Priority; at: number; labels?: Record<string, string> },
): void {
  const input: AlertInput = {
    fingerprint: a.fingerprint,
    startsAt: new Date(a.at).toISOString(),
    alertname: a.name,
    status: 'firing',
    severity: 'warning',
    priority: a.priority,
    labels: { alertname: a.name, ...a.labels },
    annotations: { summary: `${a.name} summary` },
    endsAt: null,
    generatorUrl: `http://prometheus.local/graph?g0.expr=${a.name}`,
    incidentId,
  };
  w.store.alerts.upsert(input, a.at);
}

export function entry(w: World, incidentId: number, detail: TimelineDetail, actor: string, at: number): void {
  w.store.timeline.add(incidentId, detail, actor, at);
}

export function ack(w: World, id: number, who: string, at: number): void {
  w.store.incidents.update(id, { status: 'acknowledged', ackedAt: at, ackedBy: who });
  entry(w, id, { kind: 'acknowledged', detail: { via: 'card' } }, who, at);
}

export function resolve(w: World, id: number, who: string, at: number): void {
  w.store.incidents.update(id, { status: 'resolved', resolvedAt: at, resolvedBy: who });
  entry(w, id, { kind: 'resolved', detail: who === 'system' ? { auto: true } : { manual: true } }, who, at);
}

export function runbook(
  w: World,
  id: number,
  runId: string,
  at: number,
  end: { verifiedAt?: number; failedAt?: number; rolledBackAt?: number },
): void {
  entry(w, id, { kind: 'run_started', detail: { runId, runbookId: 'restart-deployment' } }, 'ou_alice', at);
  entry(
    w,
    id,
    { kind: 'step_done', detail: { runId, stepId: 'restart', outcome: 'ok' } },
    `runbook:${runId}`,
    at + MIN,
  );
  if (end.verifiedAt) entry(w, id, { kind: 'verified', detail: { runId } }, `runbook:${runId}`, end.verifiedAt);
  if (end.failedAt) {
    entry(
      w,
      id,
      { kind: 'verification_failed', detail: { runId, reason: 'p99 latency still above 2s' } },
      `runbook:${runId}`,
      end.failedAt,
    );
  }
  if (end.rolledBackAt) entry(w, id, { kind: 'rolled_back', detail: { runId } }, `runbook:${runId}`, end.rolledBackAt);
}

/** The history described at the top of this file. */
export function seedHistory(w: World): World {
  const ids = w.ids;
  // A: crash loop on checkout, acked in 4 min, diagnosed, restarted, verified, auto-resolved after 20 min.
  ids.A = openIncident(w, {
    title: 'KubePodCrashLooping',
    priority: 'P1',
    at: D + H,
    namespace: 'shop',
    correlationKey: 'c1/shop/checkout',
    labels: { team: 'payments' },
  });
  alert(w, ids.A, { name: 'KubePodCrashLooping', fingerprint: 'fA', priority: 'P1', at: D + H });
  alert(w, ids.A, { name: 'KubePodCrashLooping', fingerprint: 'fA2', priority: 'P1', at: D + H + MIN });
  ack(w, ids.A, 'ou_alice', D + H + 4 * MIN);
  entry(
    w,
    ids.A,
    {
      kind: 'diagnosed',
      detail: {
        findings: [
          {
            pattern: 'CrashLoopBackOff',
            cause: 'container checkout exits with code 1: missing env DATABASE_URL',
            resource: { cluster: 'c1', kind: 'Pod', namespace: 'shop', name: 'checkout-7d9f' },
          },
        ],
      },
    },
    'system',
    D + H + 2 * MIN,
  );
  entry(
    w,
    ids.A,
    { kind: 'approval_requested', detail: { approvalId: 'apr-1', runbookId: 'restart-deployment' } },
    'ou_alice',
    D + H + 8 * MIN,
  );
  entry(w, ids.A, { kind: 'approved', detail: { approvalId: 'apr-1' } }, 'ou_bob', D + H + 9 * MIN);
  runbook(w, ids.A, 'run-1', D + H + 10 * MIN, { verifiedAt: D + H + 15 * MIN });
  resolve(w, ids.A, 'system', D + H + 20 * MIN);

  // B: latency on cart, acked in 10 min, run verified, resolved by hand after 60 min — but it came back (E).
  ids.B = openIncident(w, {
    title: 'HighLatency',
    priority: 'P2',
    at: D + 3 * H,
    namespace: 'shop',
    correlationKey: 'c1/shop/cart',
  });
  alert(w, ids.B, { name: 'HighLatency', fingerprint: 'fB', priority: 'P2', at: D + 3 * H, labels: { pod: 'cart-1' } });
  ack(w, ids.B, 'ou_bob', D + 3 * H + 10 * MIN);
  runbook(w, ids.B, 'run-2', D + 3 * H + 20 * MIN, { verifiedAt: D + 3 * H + 30 * MIN });
  resolve(w, ids.B, 'ou_bob', D + 4 * H);

  // C and D: CPU throttling in default, closed on their own within minutes, nobody acted: tuning candidates.
  ids.C = openIncident(w, {
    title: 'CPUThrottlingHigh',
    priority: 'P3',
    at: D + 5 * H,
    namespace: 'default',
    labels: { team: 'platform' },
  });
  alert(w, ids.C, {
    name: 'CPUThrottlingHigh',
    fingerprint: 'fC',
    priority: 'P3',
    at: D + 5 * H,
    labels: { team: 'platform' },
  });
  resolve(w, ids.C, 'system', D + 5 * H + 6 * MIN);
  ids.D = openIncident(w, { title: 'CPUThrottlingHigh', priority: 'P3', at: D + 6 * H, namespace: 'default' });
  for (const [i, fp] of ['fD', 'fD2', 'fD3'].entries()) {
    alert(w, ids.D, { name: 'CPUThrottlingHigh', fingerprint: fp, priority: 'P3', at: D + 6 * H + i * MIN });
  }
  resolve(w, ids.D, 'system', D + 6 * H + 10 * MIN);

  // E: HighLatency back on cart 6½ h after B's fix was verified; its own run failed verification and rolled back.
  ids.E = openIncident(w, {
    title: 'HighLatency',
    priority: 'P2',
    at: D + 10 * H,
    namespace: 'shop',
    correlationKey: 'c1/shop/cart',
  });
  alert(w, ids.E, {
    name: 'HighLatency',
    fingerprint: 'fB2',
    priority: 'P2',
    at: D + 10 * H,
    labels: { pod: 'cart-2' },
  });
  ack(w, ids.E, 'ou_alice', D + 10 * H + 2 * MIN);
  runbook(w, ids.E, 'run-3', D + 10 * H + 5 * MIN, {
    failedAt: D + 10 * H + 10 * MIN,
    rolledBackAt: D + 10 * H + 12 * MIN,
  });

  // F: a node down, never acked, silenced and resolved by hand after 2 h.
  ids.F = openIncident(w, { title: 'KubeNodeNotReady', priority: 'P0', at: D + 20 * H, chatId: 'oc_infra' });
  alert(w, ids.F, { name: 'KubeNodeNotReady', fingerprint: 'fF', priority: 'P0', at: D + 20 * H });
  const silence = w.store.silences.add(
    { incidentId: ids.F, silenceId: 'sil-1', createdBy: 'ou_carol', matchers: [], endsAt: D + 26 * H },
    D + 20 * H + 5 * MIN,
  );
  entry(
    w,
    ids.F,
    { kind: 'silenced', detail: { silenceIds: [silence.silenceId], until: D + 26 * H } },
    'ou_carol',
    D + 20 * H + 5 * MIN,
  );
  resolve(w, ids.F, 'ou_carol', D + 22 * H);
  // Silences not in force at the period's end: one expired before, one removed before.
  w.store.silences.add(
    { incidentId: ids.B, silenceId: 'sil-2', createdBy: 'ou_bob', matchers: [], endsAt: D + 3 * H },
    D + 2 * H,
  );
  const removed = w.store.silences.add(
    { incidentId: ids.E, silenceId: 'sil-3', createdBy: 'ou_bob', matchers: [], endsAt: D + 48 * H },
    D + 12 * H,
  );
  w.store.silences.setState(removed.id, 'removed', D + 13 * H);

  // G: the previous day — opened, acked after 30 min, resolved after 60 min.
  ids.G = openIncident(w, { title: 'Prev', priority: 'P1', at: D - 22 * H, namespace: 'shop' });
  alert(w, ids.G, { name: 'Prev', fingerprint: 'fG', priority: 'P1', at: D - 22 * H });
  ack(w, ids.G, 'ou_alice', D - 22 * H + 30 * MIN);
  resolve(w, ids.G, 'ou_alice', D - 21 * H);
  // H: opened the previous evening, acked after 60 min, resolved in the period after 4 h.
  ids.H = openIncident(w, { title: 'DiskPressure', priority: 'P2', at: D - 2 * H, namespace: 'data' });
  alert(w, ids.H, { name: 'DiskPressure', fingerprint: 'fH', priority: 'P2', at: D - 2 * H });
  ack(w, ids.H, 'ou_bob', D - H);
  resolve(w, ids.H, 'ou_bob', D + 2 * H);

  // Votes: A right by majority; B a tie between partly and wrong (counts as wrong); F right; E is still open and
  // G was resolved the day before, so neither counts.
  const v = w.deps.votes;
  v.cast(ids.A, 'ou_alice', 'right', D + 2 * H);
  v.cast(ids.A, 'ou_bob', 'right', D + 2 * H);
  v.cast(ids.A, 'ou_carol', 'wrong', D + 2 * H);
  v.cast(ids.B, 'ou_bob', 'partly', D + 5 * H);
  v.cast(ids.B, 'ou_alice', 'wrong', D + 5 * H);
  v.cast(ids.F, 'ou_carol', 'right', D + 23 * H);
  v.cast(ids.E, 'ou_alice', 'wrong', D + 11 * H);
  v.cast(ids.G, 'ou_alice', 'right', D - 20 * H);
  return w;
}
