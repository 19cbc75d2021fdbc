/**
 * "Break something" and "heal" for the sandbox page: every scenario of the cluster simulator, plus the two the
 * alerting rules need that are not Kubernetes faults as such (a volume filling up, a CPU limit throttling its
 * container). Before the first breakage the objects a scenario may touch are remembered; "heal" puts them
 * back as they were (a changed deployment template rolls back, created objects are deleted, deleted ones
 * recreated) and runs the host-side recovery of scenarios that have one (a node's kubelet back).
 */
import { CodedError } from '../../shared/errors.js';
import type { ClusterSimulator } from '../cluster/index.js';
import type { K8sObject } from '../cluster/store.js';
import { USED_PERCENT_ANNOTATION } from './extra-metrics.js';

/** Kinds whose spec a scenario may change; pods, replicasets and endpoints follow from the controllers. */
const REMEMBERED = [
  'Deployment',
  'StatefulSet',
  'Job',
  'Service',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'StorageClass',
  'HorizontalPodAutoscaler',
  'Ingress',
] as const;

export interface Breakage {
  name: string;
  summary: string;
  fix: string;
  /** The alerts kube-prometheus raises for it. */
  alerts: string[];
}

/** Which alerts each breakage raises (as the rules evaluate the simulator's series). */
const ALERTS: Record<string, string[]> = {
  crashloop: ['KubePodCrashLooping', 'KubePodNotReady'],
  oomkilled: ['KubePodCrashLooping', 'KubePodNotReady'],
  'image-pull': ['KubeContainerWaiting', 'KubePodNotReady'],
  unschedulable: ['KubePodNotReady'],
  'missing-configmap': ['KubeContainerWaiting', 'KubePodNotReady'],
  'missing-secret': ['KubeContainerWaiting', 'KubePodNotReady'],
  'readiness-fail': ['KubePodNotReady'],
  'liveness-fail': ['KubePodCrashLooping', 'KubePodNotReady'],
  'pvc-pending': ['KubePodNotReady'],
  'node-notready': ['KubeNodeNotReady'],
  'crash-killed': ['KubePodCrashLooping'],
  'hpa-maxed': ['KubeHpaMaxedOut', 'CPUThrottlingHigh'],
  'statefulset-missing-service': ['KubeStatefulSetReplicasMismatch'],
  'job-failed': ['KubeJobFailed'],
  'volume-filling': ['KubePersistentVolumeFillingUp'],
  'cpu-throttling': ['CPUThrottlingHigh'],
};

const EXTRA: (Breakage & { inject(c: Cluster): string })[] = [
  {
    name: 'volume-filling',
    summary: 'The ledger database fills its volume: payments/ledger-data is 98% used.',
    fix: 'free space or grow the claim (the sandbox: annotate the claim with a lower used-percent)',
    alerts: ALERTS['volume-filling'] ?? [],
    inject(c) {
      annotate(c, 'PersistentVolumeClaim', 'payments', 'ledger-data', { [USED_PERCENT_ANNOTATION]: '98' });
      return 'claim payments/ledger-data is 98% full';
    },
  },
  {
    name: 'cpu-throttling',
    summary: 'checkout gets a CPU limit of 20m, below what it uses: the kernel throttles it most of the time.',
    fix: 'raise the container CPU limit (kubectl set resources deployment/checkout -n shop --limits=cpu=500m)',
    alerts: ALERTS['cpu-throttling'] ?? [],
    inject(c) {
      const d = c.store.get('Deployment', 'shop', 'checkout');
      if (!d) throw new CodedError('not_found', 'deployment shop/checkout not found');
      const spec = d.spec as {
        template: { spec: { containers: { resources?: { limits?: Record<string, string> } }[] } };
      };
      const first = spec.template.spec.containers[0];
      if (first) first.resources = { ...first.resources, limits: { ...first.resources?.limits, cpu: '20m' } };
      d.metadata.annotations = {
        ...d.metadata.annotations,
        'kubernetes.io/change-cause': 'kubectl set resources deployment/checkout --limits=cpu=20m',
      };
      c.store.update(d);
      return 'deployment shop/checkout now has a 20m CPU limit';
    },
  },
];

type Cluster = Pick<ClusterSimulator, 'store' | 'world' | 'inject'>;

/** Targets the menu uses when none is given, where the scenario's own default breaks nothing a rule sees. */
const DEFAULT_TARGETS: Record<string, Record<string, unknown>> = {
  // A claim alone stays Pending silently; a deployment mounting it leaves its new pod Pending.
  'pvc-pending': { namespace: 'payments', deployment: 'api' },
};

function annotate(c: Cluster, kind: string, ns: string, name: string, annotations: Record<string, string>): void {
  const o = c.store.get(kind, ns, name);
  if (!o) throw new CodedError('not_found', `${kind} ${ns}/${name} not found`);
  o.metadata.annotations = { ...o.metadata.annotations, ...annotations };
  c.store.update(o);
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** What a person restores: the desired state, not the status or the bookkeeping. */
function desired(o: K8sObject): string {
  const { spec, data, stringData } = o as K8sObject & { data?: unknown; stringData?: unknown };
  return JSON.stringify({
    labels: o.metadata.labels ?? {},
    annotations: o.metadata.annotations ?? {},
    spec,
    data,
    stringData,
  });
}

export class BreakMenu {
  private snapshot: Map<string, K8sObject> | undefined;
  private readonly broken: { name: string; target: unknown }[] = [];

  constructor(private readonly cluster: Cluster) {}

  list(): Breakage[] {
    const scenarios = this.cluster.world?.scenarios() ?? [];
    return [
      ...scenarios.map((s) => ({ name: s.name, summary: s.summary, fix: s.fix, alerts: ALERTS[s.name] ?? [] })),
      ...EXTRA.map(({ name, summary, fix, alerts }) => ({ name, summary, fix, alerts })),
    ];
  }

  /** What is broken since the last heal, in order. */
  active(): string[] {
    return this.broken.map((b) => b.name);
  }

  breakIt(name: string, target: unknown = {}): { done: string; fix: string } {
    const extra = EXTRA.find((e) => e.name === name);
    const known = extra ?? this.list().find((b) => b.name === name);
    if (!known) throw new CodedError('not_found', `no breakage named "${name}"`);
    this.snapshot ??= this.remember();
    const given = target && typeof target === 'object' && Object.keys(target).length > 0 ? target : undefined;
    const chosen = given ?? DEFAULT_TARGETS[name] ?? {};
    const done = extra ? extra.inject(this.cluster) : this.cluster.inject(name, chosen).done;
    this.broken.push({ name, target: chosen });
    return { done, fix: known.fix };
  }

  /** Puts back what the breakages changed; returns one line per thing done. */
  heal(): string[] {
    const done: string[] = [];
    const world = this.cluster.world;
    for (const b of this.broken.splice(0).reverse()) {
      const recoverable = world?.scenarios().find((s) => s.name === b.name)?.recoverable;
      if (recoverable && world) done.push(world.recover(b.name, b.target).done);
    }
    const before = this.snapshot;
    this.snapshot = undefined;
    if (!before) return done;
    const store = this.cluster.store;
    const now = new Map(REMEMBERED.flatMap((k) => store.list(k)).map((o) => [key(o), o]));
    for (const [k, o] of now)
      if (!before.has(k)) {
        store.delete(o.kind, o.metadata.namespace, o.metadata.name);
        done.push(`deleted ${k}`);
      }
    for (const [k, was] of before) {
      const cur = now.get(k);
      if (!cur) {
        const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ...meta } = was.metadata;
        store.create({ ...was, metadata: meta, status: {} } as K8sObject);
        done.push(`recreated ${k}`);
      } else if (desired(cur) !== desired(was)) {
        store.update({
          ...cur,
          spec: was.spec,
          ...('data' in was ? { data: (was as { data?: unknown }).data } : {}),
          metadata: { ...cur.metadata, labels: was.metadata.labels ?? {}, annotations: was.metadata.annotations ?? {} },
        } as K8sObject);
        done.push(`restored ${k}`);
      }
    }
    return done;
  }

  private remember(): Map<string, K8sObject> {
    return new Map(REMEMBERED.flatMap((k) => this.cluster.store.list(k)).map((o) => [key(o), o]));
  }
}
