/**
 * Diagnosis benchmark. A namespace of 500 pods in the cluster simulator — 480 healthy (48 deployments with
 * their ReplicaSets, Services and Endpoints) and 20 broken in 8 different ways (crash loop, OOMKilled, image
 * pull, unschedulable, missing ConfigMap, readiness probe, evicted, failing init container) — diagnosed through
 * the real cluster reader (client-node over loopback HTTP). Prints p50/p99 over 20 runs of a full diagnosis
 * against the raw calls it needs (the same lists in parallel, then the same log reads) measured in the same
 * run, and the ratio. Goal: < 1 s and ≤ 2× the raw calls.
 * Run: npx tsx scripts/bench/diagnosis.ts   (BENCH_RUNS=20)
 */
import { KubeConfig } from '@kubernetes/client-node';
import { diagnose } from '../../src/diagnosis/engine.js';
import { clientsFor } from '../../src/mcp/k8s/clusters.js';
import { KubeClusterReader } from '../../src/mcp/k8s/reader.js';
import { systemClock } from '../../src/ports/clock.js';
import type { ReadKind } from '../../src/ports/cluster.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { startClusterApiServer } from '../../src/sandbox/cluster/server.js';
import { ClusterStore, type K8sObject } from '../../src/sandbox/cluster/store.js';
import { translator } from '../../src/shared/i18n.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const NS = 'bench';
const store = new ClusterStore();
const add = (o: K8sObject) => store.create(o);

add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
for (let n = 0; n < 5; n++)
  add({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } },
    spec: {},
    status: {
      allocatable: { cpu: '8', memory: '32Gi' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  });
add({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'x' });

type Broken = (c: Record<string, unknown>) => {
  status: Record<string, unknown>;
  spec?: Record<string, unknown>;
  event?: [string, string];
};
const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const waiting = (reason: string, message = '') => ({
  phase: 'Running',
  containerStatuses: [
    { name: 'app', ready: false, restartCount: 7, state: { waiting: { reason, message } }, lastState: {} },
  ],
});
const WAYS: [string, number, Broken][] = [
  [
    'crash',
    3,
    () => ({
      status: {
        ...waiting('CrashLoopBackOff'),
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 9,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'Error', exitCode: 1 } },
          },
        ],
      },
      event: ['BackOff', 'Back-off restarting failed container app'],
    }),
  ],
  [
    'oom',
    3,
    () => ({
      status: {
        ...waiting('CrashLoopBackOff'),
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      },
    }),
  ],
  [
    'pull',
    2,
    () => ({
      status: { ...waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.com/x:9"'), phase: 'Pending' },
      event: ['Failed', 'Failed to pull image "registry.example.com/x:9": not found'],
    }),
  ],
  [
    'sched',
    3,
    () => ({
      spec: { nodeName: undefined, nodeSelector: { disktype: 'nvme' } },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: "0/5 nodes are available: 5 node(s) didn't match Pod's node affinity/selector.",
          },
        ],
      },
    }),
  ],
  [
    'config',
    2,
    () => ({
      status: { ...waiting('CreateContainerConfigError', 'configmap "bench-flags" not found'), phase: 'Pending' },
    }),
  ],
  [
    'ready',
    2,
    () => ({
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] },
      event: ['Unhealthy', 'Readiness probe failed: connection refused'],
    }),
  ],
  [
    'evicted',
    2,
    () => ({ status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }),
  ],
  [
    'init',
    3,
    () => ({
      spec: { initContainers: [{ name: 'init', image: 'x' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'init',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'Error', exitCode: 2 } },
          },
        ],
      },
    }),
  ],
];

function workload(app: string, pods: number, broken?: Broken) {
  const d = add({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: NS, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: pods,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'app', image: `registry.example.com/${app}:1.0.0` }] },
      },
    },
    status: { replicas: pods, availableReplicas: broken ? 0 : pods, readyReplicas: broken ? 0 : pods },
  });
  const rs = add({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${app}-5d`,
      namespace: NS,
      labels: { app, 'pod-template-hash': '5d' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: d.metadata.uid as string, controller: true },
      ],
    },
    spec: {
      replicas: pods,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app, 'pod-template-hash': '5d' } },
        spec: { containers: [{ name: 'app', image: `registry.example.com/${app}:1.0.0` }] },
      },
    },
    status: { replicas: pods },
  });
  const addresses: unknown[] = [];
  for (let i = 0; i < pods; i++) {
    const b = broken?.({});
    const name = `${app}-5d-${i}`;
    const p = add({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: NS,
        labels: { app, 'pod-template-hash': '5d' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid as string,
            controller: true,
          },
        ],
      },
      spec: {
        nodeName: `node-${i % 5}`,
        containers: [
          { name: 'app', image: `registry.example.com/${app}:1.0.0`, resources: { limits: { memory: '256Mi' } } },
        ],
        ...b?.spec,
      },
      status: b?.status ?? {
        ...running,
        podIP: `10.1.${i}.1`,
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      },
    });
    if (b?.event) store.recordEvent(p, b.event[0], b.event[1], 'Warning');
    if (broken)
      for (const l of ['starting', 'ERROR cannot connect to db: connection refused', 'FATAL exiting'])
        store.appendLog(NS, name, 'app', l);
    else addresses.push({ ip: `10.1.${i}.1`, targetRef: { kind: 'Pod', name } });
  }
  add({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: NS },
    spec: { selector: { app }, ports: [{ port: 80 }] },
  });
  add({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: app, namespace: NS },
    subsets: addresses.length ? [{ addresses, ports: [{ port: 80 }] }] : [],
  });
}

for (let i = 0; i < 48; i++) workload(`svc-${i}`, 10);
for (const [way, n, broken] of WAYS) workload(`broken-${way}`, n, broken);

const server = await startClusterApiServer({ store });
const kc = new KubeConfig();
kc.loadFromString(kubeconfigYaml(server.url));
const reader = new KubeClusterReader({
  clusters: new Map([['bench', clientsFor(kc, 'bench')]]),
  defaultCluster: 'bench',
  now: Date.now,
});
const t = translator('en-US');

const KINDS: ReadKind[] = [
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
];
async function raw(logPods: string[]): Promise<void> {
  await Promise.all([
    reader.events('bench', NS),
    ...KINDS.map((k) => reader.list('bench', k, NS)),
    reader.list('bench', 'node'),
    reader.list('bench', 'storageclass'),
  ]);
  await Promise.all(logPods.map((p) => reader.logs('bench', NS, p, { container: 'app', tail: 100, previous: true })));
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
const first = await diagnose({ kind: 'namespace', cluster: '', namespace: NS }, { reader, clock: systemClock, t });
const logPods = first.findings.flatMap((f) =>
  f.evidence.flatMap((e) => (e.type === 'log' ? [e.source.split('/').at(-1) ?? ''] : [])),
);
const rawMs: number[] = [];
const diagMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let t0 = performance.now();
  await raw(logPods);
  rawMs.push(performance.now() - t0);
  t0 = performance.now();
  await diagnose({ kind: 'namespace', cluster: '', namespace: NS }, { reader, clock: systemClock, t });
  diagMs.push(performance.now() - t0);
}
const f = (x: number) => `${x.toFixed(1)} ms`;
console.log(
  `namespace ${NS}: ${store.list('Pod', NS).length} pods, findings ${first.findings.length}: ${first.findings.map((x) => x.pattern).join(', ')}`,
);
console.log(
  `raw list/get calls (${KINDS.length + 3} lists + ${logPods.length} log reads): p50 ${f(pct(rawMs, 50))}  p99 ${f(pct(rawMs, 99))}`,
);
console.log(`full diagnosis:                               p50 ${f(pct(diagMs, 50))}  p99 ${f(pct(diagMs, 99))}`);
console.log(`ratio diagnosis/raw (p50): ${(pct(diagMs, 50) / pct(rawMs, 50)).toFixed(2)}×   (${RUNS} runs)`);
await server.close();
