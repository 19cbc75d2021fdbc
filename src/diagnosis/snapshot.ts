/**
 * A snapshot of the cluster for one diagnosis: every kind the analyzers read, listed once (in parallel)
 * through the cluster-read port, with indexes for the chains they follow (pod → owner, events by object,
 * selector → pods). Analyzers are pure functions over it. A list that fails is recorded as a problem and
 * read as empty, so one forbidden kind does not hide the rest.
 */
import type { CoreV1Event, V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import type { ClusterReader, KubeObject, ReadKind } from '../ports/cluster.js';
import { describeError } from '../shared/errors.js';
import type { ResourceRef } from '../shared/resource-ref.js';

const NAMESPACED = [
  'pod',
  'deployment',
  'replicaset',
  'statefulset',
  'daemonset',
  'service',
  'endpoints',
  'ingress',
  'configmap',
  'secret',
  'persistentvolumeclaim',
  'horizontalpodautoscaler',
  'job',
  'cronjob',
  'poddisruptionbudget',
  'networkpolicy',
] as const satisfies readonly ReadKind[];
const CLUSTER = ['node', 'storageclass'] as const satisfies readonly ReadKind[];
export type SnapshotKind = (typeof NAMESPACED)[number] | (typeof CLUSTER)[number];

type Lists = { [K in SnapshotKind]: KubeObject<K>[] };

/** Milliseconds of a timestamp as client-node gives it (a Date) or as JSON has it (a string). */
export function ms(t: Date | string | undefined | null): number | undefined {
  if (t === undefined || t === null) return undefined;
  const v = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isFinite(v) ? v : undefined;
}

export function iso(t: Date | string | undefined | null): string | undefined {
  const v = ms(t);
  return v === undefined ? undefined : new Date(v).toISOString();
}

export function eventTime(e: CoreV1Event): number {
  return ms(e.lastTimestamp) ?? ms(e.eventTime as unknown as Date) ?? ms(e.firstTimestamp) ?? 0;
}

const nsKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export class Snapshot {
  private readonly byObject = new Map<string, CoreV1Event[]>();
  private readonly index = new Map<string, Map<string, unknown>>();

  constructor(
    readonly cluster: string,
    /** The namespace read; undefined when every namespace was. */
    readonly namespace: string | undefined,
    readonly now: number,
    readonly objects: Lists,
    readonly events: CoreV1Event[],
  ) {
    for (const e of events) {
      const io = e.involvedObject;
      const key = `${io.kind ?? ''}|${io.namespace ?? ''}|${io.name ?? ''}`;
      const list = this.byObject.get(key) ?? [];
      list.push(e);
      this.byObject.set(key, list);
    }
    for (const list of this.byObject.values()) list.sort((a, b) => eventTime(b) - eventTime(a));
  }

  /** Events about one object, newest first (Kind as the API spells it: `Pod`, `PersistentVolumeClaim`). */
  eventsFor(kind: string, namespace: string | undefined, name: string): CoreV1Event[] {
    return this.byObject.get(`${kind}|${namespace ?? ''}|${name}`) ?? [];
  }

  /** One object by name (cluster-scoped kinds: namespace undefined). */
  find<K extends SnapshotKind>(kind: K, namespace: string | undefined, name: string): KubeObject<K> | undefined {
    let idx = this.index.get(kind);
    if (!idx) {
      idx = new Map();
      for (const o of this.objects[kind] as { metadata?: { namespace?: string; name?: string } }[])
        idx.set(nsKey(o.metadata?.namespace, o.metadata?.name ?? ''), o);
      this.index.set(kind, idx);
    }
    return idx.get(nsKey(namespace, name)) as KubeObject<K> | undefined;
  }

  /** Whether a namespaced object could have been seen (its namespace was read). */
  covers(namespace: string | undefined): boolean {
    return this.namespace === undefined || namespace === this.namespace;
  }

  ref(kind: string, namespace: string | undefined, name: string): ResourceRef {
    return { cluster: this.cluster, kind, ...(namespace ? { namespace } : {}), name };
  }

  /** The workload a pod belongs to: Deployment via its ReplicaSet, StatefulSet, DaemonSet, Job (CronJob), or itself. */
  ownerOf(pod: V1Pod): ResourceRef {
    const ns = pod.metadata?.namespace;
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
    if (!owner) return this.ref('pod', ns, pod.metadata?.name ?? '');
    if (owner.kind === 'ReplicaSet') {
      const rs = this.find('replicaset', ns, owner.name);
      const dep = rs?.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment');
      return dep ? this.ref('deployment', ns, dep.name) : this.ref('replicaset', ns, owner.name);
    }
    if (owner.kind === 'Job') {
      const job = this.find('job', ns, owner.name);
      const cj = job?.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob');
      return cj ? this.ref('cronjob', ns, cj.name) : this.ref('job', ns, owner.name);
    }
    return this.ref(owner.kind.toLowerCase(), ns, owner.name);
  }

  /** Pods in a namespace whose labels match a selector (`matchLabels` and `matchExpressions`, or a plain map). */
  podsMatching(namespace: string | undefined, selector: V1LabelSelector | Record<string, string>): V1Pod[] {
    const sel: V1LabelSelector =
      'matchLabels' in selector || 'matchExpressions' in selector
        ? (selector as V1LabelSelector)
        : { matchLabels: selector as Record<string, string> };
    return this.objects.pod.filter(
      (p) => p.metadata?.namespace === namespace && matches(sel, p.metadata?.labels ?? {}),
    );
  }
}

export function matches(sel: V1LabelSelector, labels: Record<string, string>): boolean {
  const want = Object.entries(sel.matchLabels ?? {});
  if (want.length === 0 && (sel.matchExpressions ?? []).length === 0) return false;
  if (!want.every(([k, v]) => labels[k] === v)) return false;
  return (sel.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(v ?? '');
      case 'NotIn':
        return !has || !(e.values ?? []).includes(v ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Kinds a diagnosis can do without: a 403 on them is noted as skipped, not as a failed read. */
const OPTIONAL: ReadonlySet<SnapshotKind> = new Set(['secret', 'poddisruptionbudget', 'networkpolicy']);

export interface LoadedSnapshot {
  snapshot: Snapshot;
  /** Reads that failed, each with its request and status. */
  problems: string[];
  /** Optional kinds the account may not list (the default manifests grant no Secret reads). */
  skipped: string[];
  /** How many list requests were made. */
  requests: number;
}

/** Reads everything a diagnosis of `namespace` (undefined: all namespaces) needs, in parallel. */
export async function loadSnapshot(
  reader: ClusterReader,
  cluster: string,
  namespace: string | undefined,
  now: number,
): Promise<LoadedSnapshot> {
  const problems: string[] = [];
  const skipped: string[] = [];
  const read = async <T>(what: string, p: Promise<T[]>, kind?: SnapshotKind): Promise<T[]> => {
    try {
      return await p;
    } catch (err) {
      if (kind && OPTIONAL.has(kind) && (err as { status?: number }).status === 403) {
        skipped.push(kind);
        return [];
      }
      const req = (err as { request?: string }).request;
      problems.push(`${what}: ${describeError(err)}${req ? ` (${req})` : ''}`);
      return [];
    }
  };
  const kinds = [...NAMESPACED, ...CLUSTER] as SnapshotKind[];
  const [events, ...lists] = await Promise.all([
    read('events', reader.events(cluster, namespace)),
    ...kinds.map((k) =>
      read(`${k} list`, reader.list(cluster, k, (CLUSTER as readonly string[]).includes(k) ? undefined : namespace), k),
    ),
  ]);
  const objects = Object.fromEntries(kinds.map((k, i) => [k, lists[i] ?? []])) as unknown as Lists;
  return {
    snapshot: new Snapshot(cluster, namespace, now, objects, events as CoreV1Event[]),
    problems,
    skipped,
    requests: kinds.length + 1,
  };
}
