import { describe, expect, it } from 'vitest';
import { demoWorld, isReady } from './harness.js';

const REV = 'deployment.kubernetes.io/revision';

describe('deployment controller', () => {
  it('the seeded cluster converges: ReplicaSets with revision 1, owned pods named <rs>-<5 chars>, all ready', async () => {
    const h = await demoWorld();
    const [rs] = h.replicasets('shop', 'checkout');
    expect(rs?.metadata.name).toMatch(/^checkout-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs?.metadata.annotations?.[REV]).toBe('1');
    expect(rs?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'checkout', controller: true });
    const pods = h.pods('shop', 'checkout');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs?.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs?.metadata.name });
      expect(p.metadata.labels?.['pod-template-hash']).toBe(rs?.metadata.labels?.['pod-template-hash']);
      expect(p.status.phase).toBe('Running');
      expect(isReady(p)).toBe(true);
      expect(p.status.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
    }
    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2']));
    const d = h.deployment('shop', 'checkout');
    expect(d.metadata.annotations?.[REV]).toBe('1');
    expect(d.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      unavailableReplicas: 0,
      observedGeneration: 1,
    });
    expect(d.status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(h.events('Scheduled', 'shop').length).toBeGreaterThan(0);
    expect(h.events('SuccessfulCreate', 'shop').length).toBeGreaterThan(0);
    expect(h.store.logs('shop', pods[0]!.metadata.name, 'checkout')).toContain('http server listening');
    await h.run(30, 5000);
    const served = (h.store.logs('shop', pods[0]!.metadata.name, 'checkout') ?? '')
      .split('\n')
      .filter((l) => l.includes('request served'));
    expect(served.length).toBe(2);
  });

  it('rollout restart creates a new ReplicaSet (revision 2) and scales the old one to 0', async () => {
    const h = await demoWorld();
    const [old] = h.replicasets('shop', 'checkout');
    const before = h.pods('shop', 'checkout').map((p) => p.metadata.name);
    h.patch('shop', 'checkout', (d) => {
      const t = d.spec.template as { metadata?: { annotations?: Record<string, string> } };
      t.metadata = { ...t.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T08:05:00Z' } };
    });
    await h.run(2);
    // Mid-rollout: surge of one new pod, old ones still serving.
    expect(h.pods('shop', 'checkout').filter(isReady).length).toBeGreaterThanOrEqual(3);
    await h.run(30);
    const rss = h.replicasets('shop', 'checkout');
    expect(rss).toHaveLength(2);
    const fresh = rss.find((r) => r.metadata.uid !== old?.metadata.uid);
    expect(fresh?.metadata.annotations?.[REV]).toBe('2');
    expect(fresh?.spec?.template).toMatchObject({
      metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T08:05:00Z' } },
    });
    expect(h.store.get('ReplicaSet', 'shop', old?.metadata.name ?? '')?.spec?.replicas).toBe(0);
    const after = h.pods('shop', 'checkout');
    expect(after).toHaveLength(3);
    expect(after.every((p) => isReady(p) && !before.includes(p.metadata.name))).toBe(true);
    const d = h.deployment('shop', 'checkout');
    expect(d.metadata.annotations?.[REV]).toBe('2');
    expect(d.metadata.generation).toBe(2);
    expect(d.status).toMatchObject({ observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3 });
    expect(h.events('ScalingReplicaSet', 'shop').map((e) => e.message)).toContain(
      `Scaled down replica set ${old?.metadata.name} to 0 from 1`,
    );
    expect(h.events('Killing', 'shop').length).toBeGreaterThan(0);
  });

  it('scales up and down through spec.replicas', async () => {
    const h = await demoWorld();
    h.patch('shop', 'cart', (d) => {
      d.spec.replicas = 5;
    });
    await h.run(6);
    expect(h.pods('shop', 'cart').filter(isReady)).toHaveLength(5);
    expect(h.deployment('shop', 'cart').status).toMatchObject({ replicas: 5, availableReplicas: 5 });
    expect(h.metric('kube_deployment_spec_replicas', { deployment: 'cart' })).toBe(5);
    h.patch('shop', 'cart', (d) => {
      d.spec.replicas = 1;
    });
    await h.run(2);
    expect(h.pods('shop', 'cart')).toHaveLength(1);
    expect(h.deployment('shop', 'cart').status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(h.replicasets('shop', 'cart')).toHaveLength(1);
  });

  it('a deleted pod is replaced by its ReplicaSet', async () => {
    const h = await demoWorld();
    const victim = h.pods('shop', 'frontend')[0]!;
    h.store.delete('Pod', 'shop', victim.metadata.name);
    await h.run(4);
    const pods = h.pods('shop', 'frontend');
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
    expect(pods.every(isReady)).toBe(true);
  });

  it('the HPA reports its target and holds replicas within bounds', async () => {
    const h = await demoWorld();
    const hpa = h.store.get('HorizontalPodAutoscaler', 'shop', 'frontend');
    expect(hpa?.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
    expect(h.metric('kube_horizontalpodautoscaler_spec_max_replicas', { horizontalpodautoscaler: 'frontend' })).toBe(5);
    expect(h.metric('kube_horizontalpodautoscaler_spec_min_replicas', { horizontalpodautoscaler: 'frontend' })).toBe(2);
    expect(
      h.metric('kube_horizontalpodautoscaler_status_current_replicas', { horizontalpodautoscaler: 'frontend' }),
    ).toBe(2);
    expect(
      h.metric('kube_horizontalpodautoscaler_status_desired_replicas', { horizontalpodautoscaler: 'frontend' }),
    ).toBe(2);
  });
});
