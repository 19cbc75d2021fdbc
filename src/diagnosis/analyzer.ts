/**
 * The analyzer contract: one pure, synchronous function per kind over a snapshot, returning drafts — a
 * finding before collapsing, change detection, runbook choice and wording. A draft is a `symptom` when another
 * finding may explain it (a Service without endpoints because its pods crash); the engine folds those.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { formatResourceRef, type ResourceRef } from '../shared/resource-ref.js';
import type { Confidence, Evidence, PatternId, Severity } from './finding.js';
import { iso, type Snapshot } from './snapshot.js';

export type Vars = Record<string, string | number>;

export interface Draft {
  pattern: PatternId;
  /** What the finding is about: the workload for its pods' failures, else the object itself. */
  resource: ResourceRef;
  /** The object showing it (a pod of the workload); defaults to `resource`. */
  subject?: ResourceRef;
  /** Further objects it affects (the pods on a node, the pods mounting a claim). */
  affects?: ResourceRef[];
  severity: Severity;
  confidence: Confidence;
  /** Message variables for `diagnosis.<pattern>.title|cause`. */
  vars: Vars;
  evidence: Evidence[];
  /** Objects this draft touches (owner, pods, claims, node, service): folding and focus go by them. */
  related: ResourceRef[];
  symptom?: boolean;
  /** A container whose logs explain it. */
  logs?: { namespace: string; pod: string; container: string; previous: boolean };
  /** Facts the runbook choice and the metrics need (container, memory limit…). */
  facts?: Record<string, string>;
}

export interface Analyzer {
  /** The kind it reads, for the "checked N …" line. */
  kind: string;
  analyze(snap: Snapshot): Draft[];
}

export const refKey = (r: ResourceRef) => formatResourceRef(r);

export function eventEvidence(e: CoreV1Event, source: ResourceRef): Evidence {
  return {
    type: 'event',
    source: refKey(source),
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.count ?? 1,
    ...(iso(e.lastTimestamp ?? e.firstTimestamp) ? { at: iso(e.lastTimestamp ?? e.firstTimestamp) } : {}),
  };
}

/** The newest events about an object with one of these reasons (all non-Normal ones when none are given). */
export function eventsWith(
  snap: Snapshot,
  ref: ResourceRef,
  apiKind: string,
  reasons?: readonly string[],
): CoreV1Event[] {
  return snap
    .eventsFor(apiKind, ref.namespace, ref.name)
    .filter((e) => (reasons ? reasons.includes(e.reason ?? '') : e.type !== 'Normal'));
}

export function statusEvidence(
  source: ResourceRef,
  field: string,
  reason: string,
  extra: { message?: string | undefined; exitCode?: number | undefined; at?: string | undefined } = {},
): Evidence {
  return {
    type: 'status',
    source: refKey(source),
    field,
    reason,
    ...(extra.message ? { message: extra.message } : {}),
    ...(extra.exitCode !== undefined ? { exitCode: extra.exitCode } : {}),
    ...(extra.at ? { at: extra.at } : {}),
  };
}

export function specEvidence(source: ResourceRef, field: string, value: string): Evidence {
  return { type: 'spec', source: refKey(source), field, value };
}

/** `app=checkout,tier=web` */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Kubernetes quantities to bytes / cores, for comparing memory with a limit. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    K: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  const f = unit[m[2] ?? ''];
  return f === undefined ? undefined : n * f;
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${+(n / 2 ** 30).toFixed(1)}Gi`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)}Mi`;
  return `${Math.round(n / 2 ** 10)}Ki`;
}
