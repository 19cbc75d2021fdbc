/**
 * The simulated cluster with its control plane running, driven over HTTP: a scenario injected through the
 * sandbox endpoint, observed with @kubernetes/client-node and /metrics, and healed by a rollback done the way
 * `kubectl rollout undo` does it (the previous ReplicaSet's template patched back into the deployment).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../../src/sandbox/cluster/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

let sim: ClusterSimulator;
let kc: k8s.KubeConfig;
const clock = new FakeClock();
const REV = 'deployment.kubernetes.io/revision';

async function waitingReasons(): Promise<string[]> {
  const text = await (await fetch(`${sim.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('kube_pod_container_status_waiting_reason{') && l.includes('namespace="shop"'))
    .map((l) => /reason="([^"]+)"/.exec(l)?.[1] ?? '');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-world-'));
  sim = await startClusterSimulator({
    kubeconfigPath: join(dir, 'kubeconfig'),
    clock,
    world: { seed: 3, tickMs: 1000 },
  });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath ?? '');
  await clock.advance(10_000);
});

afterAll(async () => {
  await sim?.close();
});

describe('cluster world over HTTP', () => {
  it('lists the running demo cluster and serves metrics', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listPodForAllNamespaces();
    const byNs = new Map<string, number>();
    for (const p of pods.items) byNs.set(p.metadata?.namespace ?? '', (byNs.get(p.metadata?.namespace ?? '') ?? 0) + 1);
    expect(Object.fromEntries(byNs)).toEqual({ 'kube-system': 2, payments: 2, shop: 7 });
    expect(pods.items.every((p) => p.status?.phase === 'Running')).toBe(true);
    const res = await fetch(`${sim.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await res.text()).toContain(
      'kube_deployment_status_replicas_available{namespace="shop",deployment="checkout"} 3',
    );
    const list = (await (await fetch(`${sim.url}/sandbox/scenarios`)).json()) as { scenarios: { name: string }[] };
    expect(list.scenarios.map((s) => s.name)).toContain('crashloop');
  });

  it('a crashloop injected over HTTP is healed by a kubectl-style rollback', async () => {
    const bad = await fetch(`${sim.url}/sandbox/scenarios/crashloop`, {
      method: 'POST',
      body: JSON.stringify({ deployment: 'nope' }),
    });
    expect(bad.status).toBe(404);
    const res = await fetch(`${sim.url}/sandbox/scenarios/crashloop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace: 'shop', deployment: 'checkout' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { fix: string }).fix).toContain('rollback');
    await clock.advance(60_000);

    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
    const looping = pods.items.find(
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(looping).toBeDefined();
    const name = looping?.metadata?.name ?? '';
    expect(looping?.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
    const previous = await core.readNamespacedPodLog({
      name,
      namespace: 'shop',
      container: 'checkout',
      previous: true,
    });
    expect(previous).toContain('panic: runtime error');
    expect(await waitingReasons()).toContain('CrashLoopBackOff');

    // kubectl rollout undo: find the previous revision's ReplicaSet and patch its template back.
    const rss = await apps.listNamespacedReplicaSet({ namespace: 'shop', labelSelector: 'app=checkout' });
    const sorted = rss.items.sort(
      (a, b) => Number(b.metadata?.annotations?.[REV]) - Number(a.metadata?.annotations?.[REV]),
    );
    const prev = sorted[1];
    const template = structuredClone(prev?.spec?.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [{ op: 'replace', path: '/spec/template', value: template }],
    });
    await clock.advance(30_000);

    const healed = await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' });
    expect(healed.metadata?.annotations?.[REV]).toBe('3');
    expect(healed.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    const after = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
    expect(after.items).toHaveLength(3);
    expect(after.items.every((p) => p.status?.containerStatuses?.[0]?.ready === true)).toBe(true);
    expect(after.items.every((p) => p.spec?.containers[0]?.image === 'registry.local/shop/checkout:2.3.0')).toBe(true);
    expect(await waitingReasons()).toEqual([]);
  });
});
