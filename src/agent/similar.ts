/**
 * Memory of past incidents: resolved incidents like this one — the same alertname on the same workload, or the
 * same finding pattern on the same workload kind — with their root cause (the agent's summary, else the engine's
 * first finding) and the runbook whose verification passed. Only a `verified` run counts as "fixed it"; who
 * approved it comes from the timeline's `approved` entry for that run's approval.
 */
import type { Incident, TimelineEntry } from '../incidents/model.js';
import type { Store } from '../store/index.js';

export interface SimilarIncident {
  id: number;
  title: string;
  resolvedAt: number;
  rootCause: string;
  /** Why it is similar: `alertname+workload` or `pattern`. */
  match: 'alertname+workload' | 'pattern';
  fix?: { runbookId: string; runId: string; approvedBy?: string };
}

const LOOKBACK_MS = 90 * 86_400_000;

function patternsOf(tl: readonly TimelineEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of tl) if (e.kind === 'diagnosed') for (const f of e.detail.findings) out.add(f.pattern);
  return out;
}

export function workloadOf(i: Pick<Incident, 'correlationKey' | 'labels'>): string | undefined {
  if (i.correlationKey) return i.correlationKey;
  const l = i.labels;
  const w = l.deployment ?? l.statefulset ?? l.daemonset ?? l.workload ?? l.pod;
  return w ? `${l.namespace ?? ''}/${w}` : undefined;
}

export function similarIncidents(
  store: Store,
  incident: Incident,
  opts: { now: number; patterns?: readonly string[]; limit?: number },
): SimilarIncident[] {
  const alertname = store.alerts.leadOf(incident.id)?.alertname ?? incident.labels.alertname;
  const workload = workloadOf(incident);
  const patterns = new Set(opts.patterns ?? []);
  for (const p of patternsOf(store.timeline.list(incident.id))) patterns.add(p);
  const out: SimilarIncident[] = [];
  for (const past of store.incidents.list({ status: 'resolved', since: opts.now - LOOKBACK_MS, limit: 500 })) {
    if (past.id === incident.id) continue;
    const sameWorkload = workload !== undefined && workloadOf(past) === workload;
    const pastName = store.alerts.leadOf(past.id)?.alertname ?? past.labels.alertname;
    const tl = store.timeline.list(past.id);
    let match: SimilarIncident['match'] | undefined;
    if (sameWorkload && alertname && pastName === alertname) match = 'alertname+workload';
    else if (sameWorkload && [...patternsOf(tl)].some((p) => patterns.has(p))) match = 'pattern';
    if (!match) continue;
    out.push({
      id: past.id,
      title: past.title,
      resolvedAt: past.resolvedAt ?? past.lastSeen,
      rootCause: rootCause(tl),
      match,
      ...fixOf(tl),
    });
  }
  out.sort((a, b) => Number(Boolean(b.fix)) - Number(Boolean(a.fix)) || b.resolvedAt - a.resolvedAt);
  return out.slice(0, opts.limit ?? 3);
}

function rootCause(tl: readonly TimelineEntry[]): string {
  for (let i = tl.length - 1; i >= 0; i--) {
    const e = tl[i];
    if (e?.kind === 'investigated') return e.detail.summary;
  }
  for (const e of tl) if (e.kind === 'diagnosed' && e.detail.findings[0]) return e.detail.findings[0].cause;
  return 'root cause not recorded';
}

function fixOf(tl: readonly TimelineEntry[]): { fix?: SimilarIncident['fix'] } {
  const verified = tl.filter((e) => e.kind === 'verified');
  for (const v of verified.reverse()) {
    if (v.kind !== 'verified') continue;
    const started = tl.find((e) => e.kind === 'run_started' && e.detail.runId === v.detail.runId);
    if (started?.kind !== 'run_started') continue;
    const requested = tl.find(
      (e) => e.kind === 'approval_requested' && e.detail.runbookId === started.detail.runbookId && e.at <= started.at,
    );
    const approvalId = requested?.kind === 'approval_requested' ? requested.detail.approvalId : undefined;
    const approved = tl.find((e) => e.kind === 'approved' && e.detail.approvalId === approvalId);
    return {
      fix: {
        runbookId: started.detail.runbookId,
        runId: v.detail.runId,
        ...(approved ? { approvedBy: approved.actor } : {}),
      },
    };
  }
  return {};
}
