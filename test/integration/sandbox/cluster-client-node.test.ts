/**
 * The simulated apiserver driven by @kubernetes/client-node exactly as the product uses it: a generated
 * kubeconfig, typed API clients, patches, the scale subresource, dry runs, Status errors and watches.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../../src/sandbox/cluster/index.js';
import type { K8sObject } from '../../../src/sandbox/cluster/store.js';

let sim: ClusterSimulator;
let kc: k8s.KubeConfig;

function deployment(name: string, ns: string): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: `${name}:1.0`, env: [{ name: 'A', value: '1' }] },
            { name: 'sidecar', image: 'envoy:1.30' },
          ],
        },
      },
    },
  };
}

function pod(name: string, ns: string, app: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: `${app}:1.0` }] },
    status: { phase: 'Running' },
  };
}

/** Our plain objects carry timestamps as strings; client-node's models type them as Date. */
function asClient<T>(o: K8sObject): T {
  return o as unknown as T;
}

async function apiError(p: Promise<unknown>): Promise<{ code: number; reason: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = JSON.parse(String(err.body)) as { reason: string; kind: string };
      expect(body.kind).toBe('Status');
      return { code: err.code, reason: body.reason };
    }
    throw err;
  }
  throw new Error('expected an ApiException');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-sim-'));
  sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig') });
  const { store } = sim;
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  store.create(deployment('web', 'default'));
  store.create(deployment('cart', 'shop'));
  store.create(pod('web-1', 'default', 'web'));
  store.create(pod('cart-1', 'shop', 'cart'));
  store.appendLog('shop', 'cart-1', 'app', 'starting cart');
  store.appendLog('shop', 'cart-1', 'app', 'panic: nil map');
  store.rotateLogs('shop', 'cart-1', 'app');
  store.appendLog('shop', 'cart-1', 'app', 'starting cart again');
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath ?? '');
});

afterAll(async () => {
  await sim.close();
});

describe('cluster simulator with @kubernetes/client-node', () => {
  it('lists pods across namespaces and by label', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const all = await core.listPodForAllNamespaces();
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'default/web-1',
      'shop/cart-1',
    ]);
    const shop = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in (cart)' });
    expect(shop.items.map((p) => p.metadata?.name)).toEqual(['cart-1']);
    const running = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running,spec.nodeName=node-1' });
    expect(running.items).toHaveLength(2);
  });

  it('pages a list with limit and continue', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const first = await core.listNamespace({ limit: 3 });
    expect(first.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public']);
    expect(first.metadata?.remainingItemCount).toBe(2);
    const rest = await core.listNamespace({ limit: 3, _continue: first.metadata?._continue ?? '' });
    expect(rest.items.map((n) => n.metadata?.name)).toEqual(['kube-system', 'shop']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('reads current and previous container logs', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const current = await core.readNamespacedPodLog({ name: 'cart-1', namespace: 'shop', container: 'app' });
    expect(current).toBe('starting cart again\n');
    const previous = await core.readNamespacedPodLog({
      name: 'cart-1',
      namespace: 'shop',
      previous: true,
      tailLines: 1,
    });
    expect(previous).toBe('panic: nil map\n');
    expect(await apiError(core.readNamespacedPodLog({ name: 'web-1', namespace: 'default', previous: true }))).toEqual({
      code: 400,
      reason: 'BadRequest',
    });
  });

  it('patches a deployment with strategic merge, merging containers by name', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1.1' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=web:1.1', 'sidecar=envoy:1.30']);
    expect(containers[0]?.env).toEqual([{ name: 'A', value: '1' }]);
    expect(patched.metadata?.generation).toBe(2);
    const merged = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { metadata: { annotations: { owner: 'team-a' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.annotations).toEqual({ owner: 'team-a' });
    expect(merged.spec?.template.spec?.containers).toHaveLength(2);
    const json = await apps.patchNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'envoy:1.31' }],
    });
    expect(json.spec?.template.spec?.containers[1]?.image).toBe('envoy:1.31');
  });

  it('scales through the scale subresource', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const before = await apps.readNamespacedDeploymentScale({ name: 'cart', namespace: 'shop' });
    expect(before.spec?.replicas).toBe(2);
    expect(before.status?.selector).toBe('app=cart');
    await apps.patchNamespacedDeploymentScale(
      { name: 'cart', namespace: 'shop', body: { spec: { replicas: 5 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect((await apps.readNamespacedDeployment({ name: 'cart', namespace: 'shop' })).spec?.replicas).toBe(5);
    await apps.replaceNamespacedDeploymentScale({
      name: 'cart',
      namespace: 'shop',
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: { replicas: 1 },
      },
    });
    expect(sim.store.get('Deployment', 'shop', 'cart')?.spec?.replicas).toBe(1);
    expect(
      await apiError(
        apps.patchNamespacedDeploymentScale(
          { name: 'cart', namespace: 'shop', body: { spec: { replicas: -1 } } },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        ),
      ),
    ).toEqual({ code: 422, reason: 'Invalid' });
  });

  it('dry run returns the would-be object and leaves state unchanged', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const rv = sim.store.resourceVersion();
    const out = await apps.patchNamespacedDeployment(
      { name: 'cart', namespace: 'shop', body: { spec: { replicas: 9 } }, dryRun: 'All' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(out.spec?.replicas).toBe(9);
    await core.deleteNamespacedPod({ name: 'cart-1', namespace: 'shop', dryRun: 'All' });
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: asClient<k8s.V1Deployment>(deployment('new', 'shop')),
      dryRun: 'All',
    });
    expect(sim.store.get('Deployment', 'shop', 'cart')?.spec?.replicas).toBe(1);
    expect(sim.store.get('Pod', 'shop', 'cart-1')).toBeDefined();
    expect(sim.store.get('Deployment', 'shop', 'new')).toBeUndefined();
    expect(sim.store.resourceVersion()).toBe(rv);
  });

  it('answers NotFound, AlreadyExists, Conflict and Invalid as Status errors', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    expect(await apiError(apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }))).toEqual({
      code: 404,
      reason: 'NotFound',
    });
    expect(
      await apiError(
        apps.createNamespacedDeployment({
          namespace: 'default',
          body: asClient<k8s.V1Deployment>(deployment('web', 'default')),
        }),
      ),
    ).toEqual({
      code: 409,
      reason: 'AlreadyExists',
    });
    const stale = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    sim.store.update({ ...(sim.store.get('Deployment', 'default', 'web') as K8sObject) });
    expect(
      await apiError(apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: stale })),
    ).toEqual({
      code: 409,
      reason: 'Conflict',
    });
    const bad = deployment('Bad_Name', 'default');
    expect(
      await apiError(apps.createNamespacedDeployment({ namespace: 'default', body: asClient<k8s.V1Deployment>(bad) })),
    ).toEqual({
      code: 422,
      reason: 'Invalid',
    });
  });

  it('streams ADDED, MODIFIED and DELETED to a Watch', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    let resolveDeleted: () => void = () => {};
    const deleted = new Promise<void>((resolve) => {
      resolveDeleted = resolve;
    });
    const ctl = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { labelSelector: 'app=watched' },
      (type, obj: { metadata: { name: string } }) => {
        seen.push(`${type} ${obj.metadata.name}`);
        if (type === 'DELETED') resolveDeleted();
      },
      () => {},
    );
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'default',
      body: asClient<k8s.V1Pod>(pod('w-1', 'default', 'watched')),
    });
    await core.patchNamespacedPod(
      { name: 'w-1', namespace: 'default', body: { metadata: { annotations: { touched: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.createNamespacedPod({
      namespace: 'default',
      body: asClient<k8s.V1Pod>(pod('other', 'default', 'unwatched')),
    });
    await core.deleteNamespacedPod({ name: 'w-1', namespace: 'default' });
    await deleted;
    ctl.abort();
    expect(seen).toEqual(['ADDED w-1', 'MODIFIED w-1', 'DELETED w-1']);
  });

  it('serves the other resource groups the product reads', async () => {
    const { store } = sim;
    store.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'x',
    });
    store.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 4,
      },
    });
    const sc = await kc.makeApiClient(k8s.StorageV1Api).listStorageClass();
    expect(sc.items.map((s) => s.provisioner)).toEqual(['x']);
    const hpa = await kc.makeApiClient(k8s.AutoscalingV2Api).listHorizontalPodAutoscalerForAllNamespaces();
    expect(hpa.items[0]?.spec?.maxReplicas).toBe(4);
    const tpl = deployment('db', 'default').spec;
    store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { ...tpl, serviceName: 'db' },
    });
    store.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: tpl?.selector, template: tpl?.template },
    });
    store.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: tpl?.template } } },
    });
    store.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: { rules: [{ host: 'shop.example' }] },
    });
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    expect((await apps.listStatefulSetForAllNamespaces()).items.map((x) => x.spec?.serviceName)).toEqual(['db']);
    const sts = await apps.patchNamespacedStatefulSet(
      { name: 'db', namespace: 'default', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(sts.spec?.replicas).toBe(3);
    expect(
      (await apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'default' })).spec?.updateStrategy?.type,
    ).toBe('RollingUpdate');
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    expect((await batch.listCronJobForAllNamespaces()).items[0]?.spec?.schedule).toBe('0 3 * * *');
    expect((await batch.listJobForAllNamespaces()).items).toEqual([]);
    const ing = await kc
      .makeApiClient(k8s.NetworkingV1Api)
      .readNamespacedIngress({ name: 'web', namespace: 'default' });
    expect(ing.spec?.rules?.[0]?.host).toBe('shop.example');
    const events = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.kind=Deployment',
    });
    expect(events.items).toEqual([]);
  });
});
