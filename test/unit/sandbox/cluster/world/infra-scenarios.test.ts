import { describe, expect, it } from 'vitest';
import type { Node } from '../../../../../src/sandbox/cluster/objects.js';
import { demoWorld, isReady } from './harness.js';

type Subsets = { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[] | undefined;

describe('service, storage and node failure scenarios', () => {
  it('no-endpoints: the selector matches nothing until it is fixed', async () => {
    const h = await demoWorld();
    expect((h.store.get('Endpoints', 'shop', 'checkout')?.subsets as Subsets)?.[0]?.addresses).toHaveLength(3);
    h.world.inject('no-endpoints', { namespace: 'shop', service: 'checkout' });
    await h.run(1);
    expect(h.store.get('Endpoints', 'shop', 'checkout')?.subsets).toBeUndefined();
    expect(h.series('kube_endpoint_address', { endpoint: 'checkout' })).toEqual([]);
    const svc = h.store.get('Service', 'shop', 'checkout')!;
    (svc.spec as { selector: Record<string, string> }).selector = { app: 'checkout' };
    h.store.update(svc);
    await h.run(1);
    const subsets = h.store.get('Endpoints', 'shop', 'checkout')?.subsets as Subsets;
    expect(subsets?.[0]?.addresses?.map((a) => a.ip).sort()).toEqual(
      h
        .pods('shop', 'checkout')
        .map((p) => p.status.podIP)
        .sort(),
    );
    expect(h.series('kube_endpoint_address', { endpoint: 'checkout', ready: 'true' })).toEqual([1, 1, 1]);
  });

  it('pvc-pending: ProvisioningFailed and unschedulable pods until the StorageClass exists', async () => {
    const h = await demoWorld();
    h.world.inject('pvc-pending', { namespace: 'payments', deployment: 'api' });
    await h.run(3);
    const pvc = h.store.get('PersistentVolumeClaim', 'payments', 'api-data');
    expect(pvc?.status).toEqual({ phase: 'Pending' });
    expect(h.events('ProvisioningFailed', 'payments')[0]?.message).toBe(
      'storageclass.storage.k8s.io "fast-ssd" not found',
    );
    expect(
      h.metric('kube_persistentvolumeclaim_status_phase', { persistentvolumeclaim: 'api-data', phase: 'Pending' }),
    ).toBe(1);
    const pending = h.pods('payments', 'api').filter((p) => p.status.phase === 'Pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]?.status.conditions?.find((c) => c.type === 'PodScheduled')?.message).toContain(
      'pod has unbound immediate PersistentVolumeClaims',
    );
    h.store.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast-ssd' },
      provisioner: 'rancher.io/local-path',
    });
    await h.run(20);
    expect(h.store.get('PersistentVolumeClaim', 'payments', 'api-data')?.status).toMatchObject({ phase: 'Bound' });
    expect(
      h.metric('kube_persistentvolumeclaim_status_phase', { persistentvolumeclaim: 'api-data', phase: 'Bound' }),
    ).toBe(1);
    const pods = h.pods('payments', 'api');
    expect(pods).toHaveLength(2);
    expect(pods.every(isReady)).toBe(true);
  });

  it('node-notready: taints, NotReady pods, eviction after 5 minutes, recovery when the node reports Ready', async () => {
    const h = await demoWorld();
    const onNode2 = h.store
      .list('Pod')
      .filter((p) => p.spec?.nodeName === 'node-2')
      .map((p) => p.metadata.name);
    expect(onNode2.length).toBeGreaterThan(0);
    h.world.inject('node-notready', { node: 'node-2' });
    await h.run(2);
    const node = h.store.get('Node', undefined, 'node-2') as Node;
    expect(node.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect(node.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(h.metric('kube_node_status_condition', { node: 'node-2', condition: 'Ready', status: 'true' })).toBe(0);
    expect(h.metric('kube_node_status_condition', { node: 'node-2', condition: 'Ready', status: 'unknown' })).toBe(1);
    expect(h.metric('kube_node_spec_unschedulable', { node: 'node-2' })).toBe(0);
    expect(
      h.store
        .list('Pod')
        .filter((p) => onNode2.includes(p.metadata.name))
        .every((p) => !isReady(p as never)),
    ).toBe(true);
    expect(h.events('NodeNotReady').length).toBeGreaterThan(0);

    await h.run(300, 10_000);
    await h.run(10);
    const left = h.store.list('Pod').filter((p) => p.spec?.nodeName === 'node-2');
    expect(left).toEqual([]);
    expect(h.events('TaintManagerEviction').length).toBe(onNode2.length);
    expect(h.pods('shop', 'checkout').every((p) => p.spec.nodeName === 'node-1' && isReady(p))).toBe(true);

    h.world.recover('node-notready', { node: 'node-2' });
    await h.run(2);
    const healed = h.store.get('Node', undefined, 'node-2') as Node;
    expect(healed.spec.taints).toBeUndefined();
    expect(h.metric('kube_node_status_condition', { node: 'node-2', condition: 'Ready', status: 'true' })).toBe(1);
    expect(h.events('NodeReady').length).toBe(1);
  });

  it('node-diskpressure: DiskPressure=True, a NoSchedule taint and an evicted pod; clearing it heals', async () => {
    const h = await demoWorld();
    h.world.inject('node-diskpressure', { node: 'node-1' });
    await h.run(5);
    const node = h.store.get('Node', undefined, 'node-1') as Node;
    expect(node.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/disk-pressure:NoSchedule',
    ]);
    expect(h.metric('kube_node_status_condition', { node: 'node-1', condition: 'DiskPressure', status: 'true' })).toBe(
      1,
    );
    const evicted = h.store.list('Pod').filter((p) => (p.status as { reason?: string }).reason === 'Evicted');
    expect(evicted).toHaveLength(1);
    expect(evicted[0]?.status).toMatchObject({
      phase: 'Failed',
      message: expect.stringContaining('The node was low on resource: ephemeral-storage.'),
    });
    expect(h.metric('kube_pod_status_reason', { pod: evicted[0]!.metadata.name, reason: 'Evicted' })).toBe(1);
    // The replacement lands on the other node.
    const app = evicted[0]!.metadata.labels?.app ?? evicted[0]!.metadata.labels?.['k8s-app'];
    const replacements = h.store
      .list('Pod', evicted[0]!.metadata.namespace)
      .filter((p) => p.metadata.labels?.app === app && p.metadata.name !== evicted[0]!.metadata.name);
    expect(replacements.some((p) => p.spec?.nodeName === 'node-2')).toBe(true);

    // Clearing the condition (as the kubelet does once disk is freed) lifts the taint.
    const n = h.store.get('Node', undefined, 'node-1') as Node;
    const conditions = n.status.conditions.map((c) =>
      c.type === 'DiskPressure'
        ? {
            ...c,
            status: 'False' as const,
            reason: 'KubeletHasNoDiskPressure',
            message: 'kubelet has no disk pressure',
          }
        : c,
    );
    h.store.updateStatus('Node', undefined, 'node-1', { ...n.status, conditions });
    await h.run(120, 10_000);
    expect((h.store.get('Node', undefined, 'node-1') as Node).spec.taints).toBeUndefined();
    expect(h.store.list('Pod').filter((p) => (p.status as { reason?: string }).reason === 'Evicted')).toHaveLength(1);
  });
});
