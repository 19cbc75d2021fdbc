/**
 * What changed besides a rollout: the ConfigMaps and Secrets a failing workload's pods reference (env,
 * envFrom, volumes, projected volumes) that were modified shortly before the failure began — the newest
 * `managedFields` time after the object's creation, and who wrote it — and the conditions of the nodes those
 * pods run on that began around then (NotReady, MemoryPressure, DiskPressure, PIDPressure,
 * NetworkUnavailable). Keys are named, never values. The failure begins at the earliest warning event of
 * the failing pods (else their earliest termination or creation).
 */
import type { V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import { refKey } from './analyzer.js';
import type { EvidenceOf } from './finding.js';
import { eventTime, iso, ms, type Snapshot } from './snapshot.js';

/** How long before the failure a change still counts as what set it off. */
export const RECENT_WINDOW_MS = 30 * 60_000;
/** A change this soon after the failure began is still taken as before it (clock skew, event batching). */
const SLACK_MS = 60_000;
const BAD_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

/** When the failure of these pods began, in epoch ms. */
export function failureStart(snap: Snapshot, pods: readonly V1Pod[]): number | undefined {
  const times: number[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const warnings = snap.eventsFor('Pod', p.metadata?.namespace, name).filter((e) => e.type !== 'Normal');
    for (const e of warnings) {
      const t = ms(e.firstTimestamp) ?? eventTime(e);
      if (t > 0) times.push(t);
    }
    for (const cs of p.status?.containerStatuses ?? []) {
      const t = ms(cs.lastState?.terminated?.finishedAt);
      if (t !== undefined) times.push(t);
    }
  }
  if (times.length === 0)
    for (const p of pods) {
      const t = ms(p.metadata?.creationTimestamp);
      if (t !== undefined) times.push(t);
    }
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** ConfigMaps and Secrets a pod reads, as `configmap/name` / `secret/name`. */
export function configRefs(pod: V1Pod): { kind: 'configmap' | 'secret'; name: string }[] {
  const out = new Map<string, { kind: 'configmap' | 'secret'; name: string }>();
  const add = (kind: 'configmap' | 'secret', name: string | undefined) => {
    if (name) out.set(`${kind}/${name}`, { kind, name });
  };
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      add('configmap', e.configMapRef?.name);
      add('secret', e.secretRef?.name);
    }
    for (const e of c.env ?? []) {
      add('configmap', e.valueFrom?.configMapKeyRef?.name);
      add('secret', e.valueFrom?.secretKeyRef?.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    add('configmap', v.configMap?.name);
    add('secret', v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      add('configmap', s.configMap?.name);
      add('secret', s.secret?.name);
    }
  }
  return [...out.values()];
}

/** The last write to an object after its creation: time and field manager (from managedFields). */
export function lastModified(meta: V1ObjectMeta | undefined): { at: number; manager?: string } | undefined {
  const created = ms(meta?.creationTimestamp) ?? 0;
  let best: { at: number; manager?: string } | undefined;
  for (const f of meta?.managedFields ?? []) {
    const at = ms(f.time as unknown as string);
    if (at === undefined || at <= created + 1000) continue;
    if (!best || at > best.at) best = { at, ...(f.manager ? { manager: f.manager } : {}) };
  }
  return best;
}

const recentBefore = (at: number, start: number | undefined, now: number) =>
  start !== undefined ? at <= start + SLACK_MS && at >= start - RECENT_WINDOW_MS : now - at <= RECENT_WINDOW_MS;

/** Referenced ConfigMaps/Secrets modified and node conditions begun shortly before these pods began failing. */
export function recentChanges(snap: Snapshot, pods: readonly V1Pod[]): EvidenceOf<'recent_change'>[] {
  if (pods.length === 0) return [];
  const start = failureStart(snap, pods);
  const out: EvidenceOf<'recent_change'>[] = [];
  const ns = pods[0]?.metadata?.namespace;
  const seen = new Set<string>();
  for (const ref of pods.flatMap(configRefs)) {
    const key = `${ref.kind}/${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const o = snap.find(ref.kind, ns, ref.name);
    const m = lastModified(o?.metadata);
    if (!o || !m || !recentBefore(m.at, start, snap.now)) continue;
    const keys = Object.keys({ ...(o.data ?? {}), ...((o as { binaryData?: object }).binaryData ?? {}) });
    out.push({
      type: 'recent_change',
      source: refKey(snap.ref(ref.kind, ns, ref.name)),
      at: new Date(m.at).toISOString(),
      what: `${ref.kind} ${ref.name} modified (keys now: ${keys.slice(0, 8).join(', ') || 'none'})`,
      ...(m.manager ? { manager: m.manager } : {}),
      beforeFailure: start !== undefined,
    });
  }
  const nodes = new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => n !== undefined));
  for (const name of nodes) {
    const node = snap.find('node', undefined, name);
    for (const c of node?.status?.conditions ?? []) {
      const bad = c.type === 'Ready' ? c.status !== 'True' : BAD_CONDITIONS.includes(c.type) && c.status === 'True';
      const at = ms(c.lastTransitionTime);
      if (!bad || at === undefined || !recentBefore(at, start, snap.now)) continue;
      out.push({
        type: 'recent_change',
        source: refKey(snap.ref('node', undefined, name)),
        at: iso(c.lastTransitionTime) ?? new Date(at).toISOString(),
        what: `node ${name} condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''} began`,
        beforeFailure: start !== undefined,
      });
    }
  }
  return out;
}
