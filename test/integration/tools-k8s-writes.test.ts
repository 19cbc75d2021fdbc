/**
 * The remediation write tools against the simulated cluster with its control plane running (fake clock, ticks
 * pumped while a call waits): node_drain evicts through the Eviction API and waits for a disruption budget,
 * job_rerun recreates a failed Job that then completes, pvc_resize grows a claim and refuses what a real
 * cluster refuses, hpa_set_max changes the maximum the autoscaler obeys. Dry runs change nothing.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { hpaSetMaxTool } from '../../src/mcp/k8s/hpa-set-max.js';
import { jobRerunTool } from '../../src/mcp/k8s/job-rerun.js';
import { nodeDrainTool } from '../../src/mcp/k8s/node-drain.js';
import { pvcResizeTool } from '../../src/mcp/k8s/pvc-resize.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import type { AnyToolDef, ToolOutcome } from '../../src/mcp/tool.js';
import { type ClusterSimulator, type K8sObject, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';
import { FakeClock } from '../helpers/fake-clock.js';

let sim: ClusterSimulator;
let clock: FakeClock;
let deps: KubeDeps;
// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects in assertions
const get = (kind: string, ns: string | undefined, name: string): any => sim.store.get(kind, ns, name);
// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects in assertions
const list = (kind: string, ns?: string): any[] => sim.store.list(kind, ns);

/** Lets simulated time pass (5 s per step, the controllers running) until `done` or 200 steps. */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await clock.advance(5000);
    sim.tick();
  }
  if (!done()) throw new Error('the simulated cluster did not settle');
}

/** Runs a tool while the cluster keeps moving (the tool's own retries wait in real time). */
async function run(tool: AnyToolDef<KubeDeps>, args: Record<string, unknown>): Promise<ToolOutcome> {
  let finished = false;
  const call = tool.run(tool.input.parse(args), deps, { signal: AbortSignal.timeout(20_000) }).finally(() => {
    finished = true;
  });
  const deadline = Date.now() + 20_000;
  while (!finished && Date.now() < deadline) {
    await clock.advance(2000);
    sim.tick();
    await new Promise((r) => setTimeout(r, 25));
  }
  return call;
}

const readyPods = (ns: string, app: string) =>
  list('Pod', ns).filter(
    (p) =>
      p.metadata.labels?.app === app &&
      !p.metadata.deletionTimestamp &&
      p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'),
  );

beforeAll(async () => {
  clock = new FakeClock();
  sim = await startClusterSimulator({ clock, world: { tickMs: 0 } });
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(sim.url));
  // Tool deadlines count real time; the simulated cluster's own clock is the fake one.
  deps = { clusters: new Map([['sim', clientsFor(kc, 'sim')]]), defaultCluster: 'sim', now: Date.now };
  await settle(() => readyPods('shop', 'cart').length === 2 && readyPods('shop', 'checkout').length === 3);
}, 30_000);
afterAll(async () => {
  await sim?.close();
});

describe('node_drain', () => {
  it('refuses before changing anything while an unmanaged pod sits on the node', async () => {
    const node = list('Pod', 'shop').find((p) => p.metadata.labels?.app === 'cart')?.spec.nodeName as string;
    sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug-shell', namespace: 'shop' },
      spec: { nodeName: node, containers: [{ name: 'sh', image: 'busybox:1.36' }] },
    } as K8sObject);
    const r = await run(nodeDrainTool, { name: node });
    expect(r).toMatchObject({ status: 'error', reason: 'request' });
    expect(r.status === 'error' && r.message).toContain('shop/debug-shell: no controller (set force)');
    expect(get('Node', undefined, node).spec.unschedulable).toBeFalsy();
    sim.store.delete('Pod', 'shop', 'debug-shell');
  });

  it('dry run: cordons and evicts nothing, names what it would evict and what it skips', async () => {
    const node = 'node-1';
    const mirror = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `kube-proxy-${node}`,
        namespace: 'kube-system',
        annotations: { 'kubernetes.io/config.mirror': 'abc' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: 'n1', controller: true }],
      },
      spec: { nodeName: node, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.31.2' }] },
    } as K8sObject;
    sim.store.create(mirror);
    const before = list('Pod').filter((p) => p.spec.nodeName === node).length;
    const r = await run(nodeDrainTool, { name: node, dryRun: true });
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    const data = r.data as { evicted: string[]; skipped: { pod: string; why: string }[] };
    expect(data.skipped).toContainEqual({ pod: `kube-system/kube-proxy-${node}`, why: 'skip_mirror' });
    expect(data.evicted.length).toBeGreaterThan(0);
    expect(r.text).toMatch(/^dry run — drain node node-1: would cordon/);
    expect(get('Node', undefined, node).spec.unschedulable).toBeFalsy();
    expect(list('Pod').filter((p) => p.spec.nodeName === node)).toHaveLength(before);
  });

  it('drains a node: every managed pod is evicted, a PodDisruptionBudget is waited for, replacements land elsewhere', async () => {
    // cart has 2 replicas and a budget of minAvailable 1. Both are put on node-2 first (node-1 cordoned while
    // they are recreated), so the second eviction must wait until a replacement is ready on node-1.
    sim.store.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'cart' } } },
    } as K8sObject);
    const node = 'node-2';
    const setCordon = (n: string, unschedulable: boolean) => {
      const cur = get('Node', undefined, n);
      sim.store.update({ ...cur, spec: { ...cur.spec, unschedulable } });
    };
    setCordon('node-1', true);
    for (const p of list('Pod', 'shop').filter((p) => p.metadata.labels?.app === 'cart' && p.spec.nodeName !== node))
      sim.store.delete('Pod', 'shop', p.metadata.name);
    await settle(
      () => readyPods('shop', 'cart').length === 2 && readyPods('shop', 'cart').every((p) => p.spec.nodeName === node),
    );
    setCordon('node-1', false);
    const onNode = () =>
      list('Pod').filter((p) => p.spec.nodeName === node && !p.metadata.annotations?.['kubernetes.io/config.mirror']);
    expect(onNode().length).toBeGreaterThan(0);
    const r = await run(nodeDrainTool, { name: node, timeoutSeconds: 60 });
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    expect(get('Node', undefined, node).spec.unschedulable).toBe(true);
    expect(onNode()).toEqual([]);
    expect((r.data as { complete: boolean }).complete).toBe(true);
    const waited = (r.data as { waitedForBudget: string[] }).waitedForBudget;
    expect(waited).toHaveLength(1);
    expect(waited[0]).toMatch(/^shop\/cart-/);
    await settle(() => readyPods('shop', 'cart').length === 2);
    expect(readyPods('shop', 'cart').every((p) => p.spec.nodeName !== node)).toBe(true);
    // Draining again is a no-op that still succeeds.
    const again = await run(nodeDrainTool, { name: node });
    expect(again).toMatchObject({ status: 'ok', data: { evicted: [], changes: [] } });
  }, 30_000);

  it('the eviction API refuses a pod whose budget would break (429), and the drain reports it after its timeout', async () => {
    sim.store.update({
      ...get('Node', undefined, 'node-2'),
      spec: { ...get('Node', undefined, 'node-2').spec, unschedulable: false },
    });
    sim.store.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'frontend-all', namespace: 'shop' },
      spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'frontend' } } },
    } as K8sObject);
    const node = readyPods('shop', 'frontend')[0]?.spec.nodeName as string;
    const r = await run(nodeDrainTool, { name: node, timeoutSeconds: 5 });
    expect(r.status).toBe('error');
    expect(r.status === 'error' && r.message).toMatch(
      /still refused after 5s: shop\/frontend-\S+ — Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget frontend-all needs 2 healthy pods and has 2 currently/,
    );
    expect(r.status === 'error' && r.message).toContain('the drain is incomplete');
    sim.store.delete('PodDisruptionBudget', 'shop', 'frontend-all');
  }, 30_000);
});

describe('through the ToolHost', () => {
  it('a drain the assistant proposes is an approval whose preview lists the pods it would evict; nothing changes', async () => {
    const host = await McpToolHost.start({
      builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: Date.now,
    });
    try {
      const before = list('Pod').filter((p) => p.spec.nodeName === 'node-1').length;
      const cordoned = get('Node', undefined, 'node-1').spec.unschedulable;
      const r = await host.call('k8s.node_drain', { name: 'node-1' }, { kind: 'llm' });
      expect(r).toMatchObject({
        kind: 'approval_required',
        safetyClass: 'destructive',
        decision: { rule: 'llm_write' },
      });
      const preview = (r as { preview?: { dryRun: boolean; evicted: string[] } }).preview;
      expect(preview?.dryRun).toBe(true);
      expect(preview?.evicted.length).toBeGreaterThan(0);
      expect(get('Node', undefined, 'node-1').spec.unschedulable).toBe(cordoned);
      expect(list('Pod').filter((p) => p.spec.nodeName === 'node-1')).toHaveLength(before);
    } finally {
      await host.close();
    }
  });
});

describe('the namespace guard', () => {
  it('refuses job_rerun, pvc_resize and hpa_set_max in a protected namespace, for every caller', async () => {
    const host = await McpToolHost.start({
      builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: Date.now,
    });
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['job_rerun', { name: 'x', namespace: 'kube-system' }],
        ['pvc_resize', { name: 'x', namespace: 'kube-system', size: '2Gi' }],
        ['hpa_set_max', { name: 'x', namespace: 'kube-system', maxReplicas: 3 }],
      ];
      for (const [tool, args] of calls)
        for (const caller of [{ kind: 'llm' }, { kind: 'runbook', person: 'ou_boss' }] as const)
          expect(await host.call(`k8s.${tool}`, args, caller), tool).toMatchObject({
            kind: 'denied',
            decision: { rule: 'protected_namespace' },
          });
    } finally {
      await host.close();
    }
  });
});

describe('job_rerun', () => {
  it('recreates a failed job from its spec minus the generated selector, and the new run completes', async () => {
    sim.inject('job-failed', { namespace: 'payments', job: 'ledger-migrate' });
    const old = get('Job', 'payments', 'ledger-migrate');
    expect(old.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(old.metadata.uid);

    const preview = await run(jobRerunTool, { name: 'ledger-migrate', namespace: 'payments', dryRun: true });
    expect(preview).toMatchObject({
      status: 'ok',
      data: { dryRun: true, previous: { outcome: 'failed', failedPods: 3 } },
    });
    expect(get('Job', 'payments', 'ledger-migrate').metadata.uid).toBe(old.metadata.uid);

    const r = await run(jobRerunTool, { name: 'ledger-migrate', namespace: 'payments' });
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    const fresh = get('Job', 'payments', 'ledger-migrate');
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    expect((r.data as { uid: string }).uid).toBe(fresh.metadata.uid);
    expect(fresh.spec.template.spec.containers).toEqual(old.spec.template.spec.containers);
    expect(fresh.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(fresh.metadata.uid);
    // The old pods went with the old job.
    const owners = list('Pod', 'payments')
      .flatMap((p) => p.metadata.ownerReferences ?? [])
      .map((o) => o.uid);
    expect(owners).not.toContain(old.metadata.uid);
    await settle(() =>
      get('Job', 'payments', 'ledger-migrate').status?.conditions?.some((c: { type: string }) => c.type === 'Complete'),
    );
  });

  it('refuses a job that is still running', async () => {
    sim.store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'report', namespace: 'payments' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'registry.local/payments/api:5.2.1' }] },
        },
      },
    } as K8sObject);
    await settle(() => (get('Job', 'payments', 'report').status?.active ?? 0) > 0);
    // Called without letting the cluster move on, so the job is still running when the tool reads it.
    const r = await jobRerunTool.run(jobRerunTool.input.parse({ name: 'report', namespace: 'payments' }), deps, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(r).toMatchObject({ status: 'error', reason: 'request' });
    expect(r.status === 'error' && r.message).toContain('is still running');
  });
});

describe('pvc_resize', () => {
  beforeAll(async () => {
    sim.store.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'expandable' },
      provisioner: 'ebs.csi.aws.com',
      allowVolumeExpansion: true,
    } as K8sObject);
    for (const [name, sc] of [
      ['data', 'expandable'],
      ['fixed', 'standard'],
    ] as const)
      sim.store.create({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: 'payments' },
        spec: { storageClassName: sc, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
      } as K8sObject);
    await settle(() => get('PersistentVolumeClaim', 'payments', 'fixed').status?.phase === 'Bound');
  });

  it('grows a bound claim; the capacity follows once the volume is expanded', async () => {
    const dry = await run(pvcResizeTool, { name: 'data', namespace: 'payments', size: '20Gi', dryRun: true });
    expect(dry).toMatchObject({
      status: 'ok',
      data: { changes: [{ path: 'spec.resources.requests.storage', from: '10Gi', to: '20Gi' }] },
    });
    expect(get('PersistentVolumeClaim', 'payments', 'data').spec.resources.requests.storage).toBe('10Gi');
    const r = await run(pvcResizeTool, { name: 'data', namespace: 'payments', size: '20Gi' });
    expect(r.status === 'ok' && r.text).toContain('capacity is 10Gi until the volume is expanded');
    await settle(() => get('PersistentVolumeClaim', 'payments', 'data').status.capacity.storage === '20Gi');
    const again = await run(pvcResizeTool, { name: 'data', namespace: 'payments', size: '20Gi' });
    expect(again).toMatchObject({ status: 'ok', data: { changes: [] } });
  });

  it('refuses to shrink, and refuses a class without allowVolumeExpansion — and so does the API server', async () => {
    const shrink = await run(pvcResizeTool, { name: 'data', namespace: 'payments', size: '5Gi' });
    expect(shrink.status === 'error' && shrink.message).toContain(
      '5Gi is smaller than its current 20Gi; a volume cannot shrink',
    );
    const fixed = await run(pvcResizeTool, { name: 'fixed', namespace: 'payments', size: '20Gi' });
    expect(fixed.status === 'error' && fixed.message).toContain(
      'StorageClass standard does not set allowVolumeExpansion',
    );
    const pvc = get('PersistentVolumeClaim', 'payments', 'fixed');
    expect(() =>
      sim.store.update({ ...pvc, spec: { ...pvc.spec, resources: { requests: { storage: '20Gi' } } } }),
    ).toThrow(/must support resize/);
    const data = get('PersistentVolumeClaim', 'payments', 'data');
    expect(() =>
      sim.store.update({ ...data, spec: { ...data.spec, resources: { requests: { storage: '1Gi' } } } }),
    ).toThrow(/can not be less than status.capacity/);
  });
});

describe('hpa_set_max', () => {
  it('raises the maximum the autoscaler obeys, and refuses one below minReplicas', async () => {
    const r = await run(hpaSetMaxTool, { name: 'frontend', namespace: 'shop', maxReplicas: 8 });
    expect(r).toMatchObject({ status: 'ok', data: { changes: [{ path: 'spec.maxReplicas', from: 5, to: 8 }] } });
    expect(get('HorizontalPodAutoscaler', 'shop', 'frontend').spec.maxReplicas).toBe(8);
    const low = await run(hpaSetMaxTool, { name: 'frontend', namespace: 'shop', maxReplicas: 1 });
    expect(low.status === 'error' && low.message).toContain('below its minReplicas 2');
    expect(get('HorizontalPodAutoscaler', 'shop', 'frontend').spec.maxReplicas).toBe(8);
  });
});
