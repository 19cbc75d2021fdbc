import { describe, expect, it } from 'vitest';
import { templateOf } from '../../../../../src/sandbox/cluster/controller/deployment.js';
import type { Pod, ReplicaSet } from '../../../../../src/sandbox/cluster/objects.js';
import { demoWorld, type Harness, isReady } from './harness.js';

function rollback(h: Harness, ns: string, name: string): void {
  const rev = (r: ReplicaSet) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision']);
  const previous = (h.replicasets(ns, name) as ReplicaSet[]).sort((a, b) => rev(b) - rev(a))[1];
  if (!previous) throw new Error('no previous revision');
  h.patch(ns, name, (d) => {
    d.spec.template = templateOf(previous) as never;
  });
}

const newest = (pods: Pod[]) =>
  [...pods].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0]!;

async function healthy(h: Harness, ns: string, app: string, replicas: number) {
  const pods = h.pods(ns, app);
  expect(pods).toHaveLength(replicas);
  expect(pods.every((p) => p.status.phase === 'Running' && isReady(p))).toBe(true);
  expect(h.series('kube_pod_container_status_waiting_reason', { namespace: ns })).toEqual([]);
  expect(h.deployment(ns, app).status).toMatchObject({ availableReplicas: replicas, updatedReplicas: replicas });
}

describe('workload failure scenarios', () => {
  it('oomkilled: exit code 137 OOMKilled, healed by raising the memory limit', async () => {
    const h = await demoWorld();
    h.world.inject('oomkilled', { namespace: 'shop', deployment: 'checkout' });
    await h.run(45);
    const pod = h.pods('shop', 'checkout').find((p) => p.spec.containers[0]?.image.endsWith(':2.3.1'))!;
    const cs = h.container(pod);
    expect(cs.lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(cs.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(
      h.metric('kube_pod_container_status_last_terminated_reason', { pod: pod.metadata.name, reason: 'OOMKilled' }),
    ).toBe(1);
    expect(h.metric('kube_pod_container_status_last_terminated_exitcode', { pod: pod.metadata.name })).toBe(137);
    expect(h.store.logs('shop', pod.metadata.name, 'checkout', { previous: true })).toContain(
      'memory usage close to limit',
    );

    h.patch('shop', 'checkout', (d) => {
      const c = d.spec.template.spec.containers[0] as unknown as { resources: { limits: Record<string, string> } };
      c.resources.limits.memory = '512Mi';
    });
    await h.run(40);
    await healthy(h, 'shop', 'checkout', 3);
    expect(h.pods('shop', 'checkout').every((p) => p.spec.containers[0]?.image.endsWith(':2.3.1'))).toBe(true);
  });

  it('image-pull: ErrImagePull then ImagePullBackOff, healed by rollback', async () => {
    const h = await demoWorld();
    h.world.inject('image-pull', { namespace: 'shop', deployment: 'cart' });
    await h.run(1);
    let pod = newest(h.pods('shop', 'cart'));
    expect(h.container(pod).state.waiting?.reason).toBe('ErrImagePull');
    expect(h.container(pod).state.waiting?.message).toContain('not found');
    await h.run(3);
    pod = newest(h.pods('shop', 'cart'));
    expect(pod.status.phase).toBe('Pending');
    expect(h.container(pod).state.waiting).toMatchObject({
      reason: 'ImagePullBackOff',
      message: expect.stringContaining('Back-off pulling image'),
    });
    expect(
      h.metric('kube_pod_container_status_waiting_reason', { pod: pod.metadata.name, reason: 'ImagePullBackOff' }),
    ).toBe(1);
    expect(
      h
        .events('Failed', 'shop')
        .some((e) => e.message?.startsWith('Failed to pull image "registry.local/shop/cart:1.8.3-rc.1"')),
    ).toBe(true);
    rollback(h, 'shop', 'cart');
    await h.run(10);
    await healthy(h, 'shop', 'cart', 2);
  });

  it('missing-configmap: CreateContainerConfigError until the ConfigMap is created', async () => {
    const h = await demoWorld();
    h.world.inject('missing-configmap', { namespace: 'shop', deployment: 'checkout' });
    await h.run(5);
    const pod = newest(h.pods('shop', 'checkout'));
    expect(h.container(pod).state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "checkout-feature-flags" not found',
    });
    expect(
      h.metric('kube_pod_container_status_waiting_reason', {
        pod: pod.metadata.name,
        reason: 'CreateContainerConfigError',
      }),
    ).toBe(1);
    h.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'checkout-feature-flags', namespace: 'shop' },
      data: { NEW_CART: 'on' },
    });
    await h.run(30);
    await healthy(h, 'shop', 'checkout', 3);
  });

  it('missing-configmap (volume): ContainerCreating with FailedMount until the ConfigMap is created', async () => {
    const h = await demoWorld();
    h.world.inject('missing-configmap', { namespace: 'shop', deployment: 'cart', via: 'volume' });
    await h.run(5);
    const pod = newest(h.pods('shop', 'cart'));
    expect(pod.status.phase).toBe('Pending');
    expect(h.container(pod).state.waiting).toEqual({ reason: 'ContainerCreating' });
    expect(h.events('FailedMount', 'shop')[0]?.message).toBe(
      'MountVolume.SetUp failed for volume "flags" : configmap "cart-feature-flags" not found',
    );
    expect(
      h.metric('kube_pod_container_status_waiting_reason', { pod: pod.metadata.name, reason: 'ContainerCreating' }),
    ).toBe(1);
    h.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cart-feature-flags', namespace: 'shop' },
      data: { a: '1' },
    });
    await h.run(30);
    await healthy(h, 'shop', 'cart', 2);
  });

  it('missing-secret: CreateContainerConfigError until the Secret is created', async () => {
    const h = await demoWorld();
    h.world.inject('missing-secret', { namespace: 'payments', deployment: 'api' });
    await h.run(5);
    const pod = newest(h.pods('payments', 'api'));
    expect(h.container(pod).state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'secret "api-db-credentials" not found',
    });
    expect(
      h.events('Failed', 'payments').some((e) => e.message === 'Error: secret "api-db-credentials" not found'),
    ).toBe(true);
    h.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api-db-credentials', namespace: 'payments' },
      data: { password: 'c2VjcmV0' },
    });
    await h.run(30);
    await healthy(h, 'payments', 'api', 2);
  });

  it('readiness-fail: Running but never ready, Unhealthy events, healed by rollback', async () => {
    const h = await demoWorld();
    h.world.inject('readiness-fail', { namespace: 'shop', deployment: 'checkout' });
    await h.run(30);
    const pod = newest(h.pods('shop', 'checkout'));
    expect(pod.status.phase).toBe('Running');
    expect(isReady(pod)).toBe(false);
    expect(h.container(pod)).toMatchObject({ ready: false, restartCount: 0, state: { running: {} } });
    const unhealthy = h.events('Unhealthy', 'shop');
    expect(unhealthy[0]?.message).toMatch(
      /^Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8081\/healthz": dial tcp .*connection refused$/,
    );
    expect(h.metric('kube_pod_status_ready', { pod: pod.metadata.name, condition: 'false' })).toBe(1);
    expect(h.metric('kube_pod_status_phase', { pod: pod.metadata.name, phase: 'Running' })).toBe(1);
    const ep = h.store.get('Endpoints', 'shop', 'checkout') as { subsets?: { notReadyAddresses?: { ip: string }[] }[] };
    expect(ep.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual([pod.status.podIP]);
    rollback(h, 'shop', 'checkout');
    await h.run(10);
    await healthy(h, 'shop', 'checkout', 3);
  });

  it('liveness-fail: the kubelet kills and restarts the container (exit 137), healed by rollback', async () => {
    const h = await demoWorld();
    h.world.inject('liveness-fail', { namespace: 'shop', deployment: 'cart' });
    await h.run(120);
    const pod = newest(h.pods('shop', 'cart'));
    const cs = h.container(pod);
    expect(cs.restartCount).toBeGreaterThanOrEqual(2);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(
      h.events('Killing', 'shop').some((e) => e.message === 'Container cart failed liveness probe, will be restarted'),
    ).toBe(true);
    expect(
      h.events('Unhealthy', 'shop').some((e) => e.message?.startsWith('Liveness probe failed: Get "http://')),
    ).toBe(true);
    rollback(h, 'shop', 'cart');
    await h.run(20);
    await healthy(h, 'shop', 'cart', 2);
    expect(h.pods('shop', 'cart').every((p) => h.container(p).restartCount === 0)).toBe(true);
  });

  it('unschedulable: Pending with the scheduler message, healed by labelling a node', async () => {
    const h = await demoWorld();
    h.world.inject('unschedulable', { namespace: 'shop', deployment: 'frontend', cause: 'nodeSelector' });
    await h.run(3);
    const pod = newest(h.pods('shop', 'frontend'));
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    });
    expect(h.events('FailedScheduling', 'shop')).toHaveLength(1);
    expect(h.metric('kube_pod_status_unschedulable', { pod: pod.metadata.name })).toBe(1);
    expect(h.metric('kube_pod_status_phase', { pod: pod.metadata.name, phase: 'Pending' })).toBe(1);
    const node = h.store.get('Node', undefined, 'node-1')!;
    node.metadata.labels = { ...node.metadata.labels, disktype: 'nvme' };
    h.store.update(node);
    await h.run(20);
    await healthy(h, 'shop', 'frontend', 2);
    expect(h.pods('shop', 'frontend').every((p) => p.spec.nodeName === 'node-1')).toBe(true);
  });

  it('unschedulable (cpu): Insufficient cpu, healed by rollback', async () => {
    const h = await demoWorld();
    h.world.inject('unschedulable', { namespace: 'shop', deployment: 'cart', cause: 'cpu' });
    await h.run(3);
    const pod = newest(h.pods('shop', 'cart'));
    expect(pod.status.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
    rollback(h, 'shop', 'cart');
    await h.run(5);
    await healthy(h, 'shop', 'cart', 2);
  });

  it('rejects unknown scenarios and bad targets', async () => {
    const h = await demoWorld();
    expect(() => h.world.inject('meteor-strike', {})).toThrow(/unknown scenario/);
    expect(() => h.world.inject('crashloop', { namespace: 'shop', deployment: 'nope' })).toThrow(/not found/);
    expect(() => h.world.inject('unschedulable', { cause: 'gpu' })).toThrow(/invalid target/);
  });
});
