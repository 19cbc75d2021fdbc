import { describe, expect, it } from 'vitest';
import { templateOf } from '../../../../../src/sandbox/cluster/controller/deployment.js';
import type { ReplicaSet } from '../../../../../src/sandbox/cluster/objects.js';
import { demoWorld, type Harness, isReady } from './harness.js';

/** kubectl rollout undo: copy the previous revision's template back into the deployment. */
function rollback(h: Harness, ns: string, name: string): void {
  const rss = h.replicasets(ns, name) as ReplicaSet[];
  const rev = (r: ReplicaSet) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision']);
  const previous = rss.sort((a, b) => rev(b) - rev(a))[1];
  if (!previous) throw new Error('no previous revision');
  h.patch(ns, name, (d) => {
    d.spec.template = templateOf(previous) as never;
  });
}

describe('crashloop scenario', () => {
  it('a bad release crash-loops with a stack trace, alerts fire, and a rollback heals it', async () => {
    const h = await demoWorld();
    const outcome = h.world.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    expect(outcome.done).toContain('registry.local/shop/checkout:2.3.1');
    await h.run(60);

    const bad = h.pods('shop', 'checkout').filter((p) => p.spec.containers[0]?.image.endsWith(':2.3.1'));
    expect(bad).toHaveLength(1);
    const pod = bad[0]!;
    const cs = h.container(pod);
    expect(pod.status.phase).toBe('Running');
    expect(cs.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs.state.waiting?.message).toMatch(/^back-off \d+s restarting failed container=checkout pod=checkout-/);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.restartCount).toBeGreaterThanOrEqual(3);
    const previous = h.store.logs('shop', pod.metadata.name, 'checkout', { previous: true }) ?? '';
    expect(previous).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(previous).toContain('"msg":"starting checkout","version":"2.3.1"');
    expect(previous).not.toContain('listening');
    expect(
      h.events('BackOff', 'shop').some((e) => e.message?.startsWith('Back-off restarting failed container checkout')),
    ).toBe(true);
    // The rolling update keeps the old pods serving.
    expect(h.pods('shop', 'checkout').filter(isReady)).toHaveLength(3);
    const d = h.deployment('shop', 'checkout');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, unavailableReplicas: 1 });
    expect(
      h.metric('kube_pod_container_status_waiting_reason', { pod: pod.metadata.name, reason: 'CrashLoopBackOff' }),
    ).toBe(1);
    expect(
      h.metric('kube_pod_container_status_last_terminated_reason', { pod: pod.metadata.name, reason: 'Error' }),
    ).toBe(1);
    expect(h.metric('kube_pod_container_status_restarts_total', { pod: pod.metadata.name })).toBe(cs.restartCount);

    // After the progress deadline the rollout is reported stuck (KubeDeploymentRolloutStuck).
    await h.run(600, 5000);
    const stuck = h.deployment('shop', 'checkout').status.conditions?.find((c) => c.type === 'Progressing');
    expect(stuck).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(
      h.metric('kube_deployment_status_condition', {
        deployment: 'checkout',
        condition: 'Progressing',
        status: 'false',
      }),
    ).toBe(1);

    rollback(h, 'shop', 'checkout');
    await h.run(30);
    const pods = h.pods('shop', 'checkout');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status.phase === 'Running' && isReady(p))).toBe(true);
    expect(pods.every((p) => p.spec.containers[0]?.image === 'registry.local/shop/checkout:2.3.0')).toBe(true);
    const healed = h.deployment('shop', 'checkout');
    expect(healed.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(healed.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    expect(h.series('kube_pod_container_status_waiting_reason', { namespace: 'shop' })).toEqual([]);
    const restarts = h.series('kube_pod_container_status_restarts_total', { namespace: 'shop' });
    await h.run(120, 5000);
    expect(h.series('kube_pod_container_status_restarts_total', { namespace: 'shop' })).toEqual(restarts);
  });

  it('a transient crash loop heals with a rollout restart', async () => {
    const h = await demoWorld();
    h.world.inject('crashloop', { namespace: 'payments', deployment: 'api', transient: true });
    await h.run(40);
    const looping = h.pods('payments', 'api');
    expect(looping.every((p) => h.container(p).restartCount >= 2)).toBe(true);
    expect(looping.some((p) => h.container(p).state.waiting?.reason === 'CrashLoopBackOff')).toBe(true);
    expect(h.store.logs('payments', looping[0]!.metadata.name, 'api', { previous: true })).toContain(
      'database ping failed',
    );

    h.patch('payments', 'api', (d) => {
      const t = d.spec.template as { metadata?: { annotations?: Record<string, string> } };
      t.metadata = { ...t.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T08:10:00Z' } };
    });
    await h.run(60);
    const pods = h.pods('payments', 'api');
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => isReady(p) && h.container(p).restartCount === 0)).toBe(true);
    expect(h.deployment('payments', 'api').status).toMatchObject({
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    });
  });
});
