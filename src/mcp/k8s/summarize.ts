/** Compact, kubectl-like views of Kubernetes objects: one row per object for lists, trimmed objects for gets. */
import type { Kind } from './kinds.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are read field by field, defensively
type Obj = any;

export function age(created: unknown, now: number): string {
  const t = created instanceof Date ? created.getTime() : typeof created === 'string' ? Date.parse(created) : NaN;
  if (Number.isNaN(t)) return '?';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export function podStatus(p: Obj): { ready: string; status: string; restarts: number } {
  const cs: Obj[] = p.status?.containerStatuses ?? [];
  const ready = `${cs.filter((c) => c.ready).length}/${p.spec?.containers?.length ?? cs.length}`;
  let status: string = p.status?.reason ?? p.status?.phase ?? 'Unknown';
  for (const c of cs) {
    const waiting = c.state?.waiting?.reason;
    const terminated = c.state?.terminated?.reason;
    if (waiting) status = waiting;
    else if (terminated && status === 'Running') status = terminated;
  }
  if (p.metadata?.deletionTimestamp) status = 'Terminating';
  return { ready, status, restarts: cs.reduce((n, c) => n + (c.restartCount ?? 0), 0) };
}

/** One row of a list: name, namespace and the columns that matter for the kind. */
export function row(kind: Kind, o: Obj, now: number): Record<string, unknown> {
  const base: Record<string, unknown> = { name: o.metadata?.name };
  if (o.metadata?.namespace) base.namespace = o.metadata.namespace;
  const s = o.status ?? {};
  const spec = o.spec ?? {};
  switch (kind) {
    case 'pod':
      return { ...base, ...podStatus(o), node: spec.nodeName, age: age(o.metadata?.creationTimestamp, now) };
    case 'deployment':
    case 'statefulset':
    case 'replicaset':
      return {
        ...base,
        ready: `${s.readyReplicas ?? 0}/${spec.replicas ?? 0}`,
        upToDate: s.updatedReplicas,
        available: s.availableReplicas ?? 0,
        images: images(spec.template),
        age: age(o.metadata?.creationTimestamp, now),
      };
    case 'daemonset':
      return { ...base, desired: s.desiredNumberScheduled, ready: s.numberReady, available: s.numberAvailable ?? 0 };
    case 'service':
      return {
        ...base,
        type: spec.type,
        clusterIP: spec.clusterIP,
        ports: (spec.ports ?? []).map(port),
        selector: spec.selector,
      };
    case 'endpoints':
      return {
        ...base,
        addresses: (o.subsets ?? []).flatMap((ss: Obj) => (ss.addresses ?? []).map((a: Obj) => a.ip)),
        notReady: (o.subsets ?? []).flatMap((ss: Obj) => (ss.notReadyAddresses ?? []).map((a: Obj) => a.ip)),
      };
    case 'ingress':
      return { ...base, hosts: (spec.rules ?? []).map((r: Obj) => r.host).filter(Boolean) };
    case 'node': {
      const readyCond = (s.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      return {
        ...base,
        status: `${readyCond?.status === 'True' ? 'Ready' : 'NotReady'}${spec.unschedulable ? ',SchedulingDisabled' : ''}`,
        version: s.nodeInfo?.kubeletVersion,
        age: age(o.metadata?.creationTimestamp, now),
      };
    }
    case 'namespace':
      return { ...base, status: s.phase };
    case 'configmap':
      return { ...base, keys: Object.keys(o.data ?? {}) };
    case 'secret':
      // names only: never the data, not even key names in lists
      return { ...base, type: o.type };
    case 'persistentvolumeclaim':
      return {
        ...base,
        status: s.phase,
        volume: spec.volumeName,
        capacity: s.capacity?.storage,
        storageClass: spec.storageClassName,
      };
    case 'storageclass':
      return { ...base, provisioner: o.provisioner };
    case 'horizontalpodautoscaler':
      return {
        ...base,
        target: `${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`,
        min: spec.minReplicas,
        max: spec.maxReplicas,
        current: s.currentReplicas,
        desired: s.desiredReplicas,
      };
    case 'job':
      return { ...base, succeeded: s.succeeded ?? 0, failed: s.failed ?? 0, active: s.active ?? 0 };
    case 'cronjob':
      return { ...base, schedule: spec.schedule, suspend: spec.suspend ?? false, lastSchedule: s.lastScheduleTime };
    case 'event':
      return eventRow(o, now);
    case 'poddisruptionbudget':
      return {
        ...base,
        minAvailable: spec.minAvailable,
        maxUnavailable: spec.maxUnavailable,
        allowedDisruptions: s.disruptionsAllowed ?? 0,
        healthy: `${s.currentHealthy ?? 0}/${s.expectedPods ?? 0}`,
      };
    case 'networkpolicy':
      return {
        ...base,
        podSelector:
          Object.entries(spec.podSelector?.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '(all pods)',
        policyTypes: (spec.policyTypes ?? []).join(','),
      };
    default: {
      const never: never = kind;
      return { ...base, kind: never };
    }
  }
}

export function eventRow(e: Obj, now: number): Record<string, unknown> {
  const last = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return {
    type: e.type,
    reason: e.reason,
    object: `${e.involvedObject?.kind}/${e.involvedObject?.name}`,
    namespace: e.metadata?.namespace,
    message: e.message,
    count: e.count ?? 1,
    lastSeen: age(last, now),
  };
}

function port(p: Obj): string {
  return `${p.port}${p.targetPort !== undefined ? `→${p.targetPort}` : ''}/${p.protocol ?? 'TCP'}`;
}

export function images(template: Obj): string[] {
  return (template?.spec?.containers ?? []).map((c: Obj) => `${c.name}=${c.image}`);
}

/** A full object minus noise (managedFields); a Secret keeps only its metadata, type and key names. */
export function trimObject(kind: Kind, o: Obj): Obj {
  const metadata = { ...(o.metadata ?? {}) };
  delete metadata.managedFields;
  if (kind === 'secret') {
    const annotations = { ...(metadata.annotations ?? {}) };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    return { kind: 'Secret', metadata: { ...metadata, annotations }, type: o.type, keys: Object.keys(o.data ?? {}) };
  }
  return { ...o, metadata };
}

export function table(rows: Record<string, unknown>[]): string {
  return rows
    .map((r) =>
      Object.entries(r)
        .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
        .map(
          ([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
        )
        .join(' '),
    )
    .join('\n');
}
