import { describe, expect, it } from 'vitest';
import { demoWorld } from './harness.js';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\} (-?[0-9.e+]+)$/;

describe('kube-state-metrics exposition', () => {
  it('is valid text format with one HELP/TYPE per family and no job label', async () => {
    const h = await demoWorld();
    const text = h.metrics();
    const families = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# HELP ')) continue;
      if (line.startsWith('# TYPE ')) {
        const name = line.split(' ')[2] ?? '';
        expect(families.has(name)).toBe(false);
        families.add(name);
        continue;
      }
      const m = SAMPLE.exec(line);
      expect(m, line).not.toBeNull();
      expect(families.has(m?.[1] ?? '')).toBe(true);
      expect(line).not.toContain('job=');
    }
    for (const f of [
      'kube_pod_container_status_restarts_total',
      'kube_pod_container_status_ready',
      'kube_pod_status_phase',
      'kube_pod_status_ready',
      'kube_pod_owner',
      'kube_deployment_spec_replicas',
      'kube_deployment_status_replicas_available',
      'kube_deployment_status_replicas_unavailable',
      'kube_deployment_status_replicas_updated',
      'kube_deployment_status_observed_generation',
      'kube_deployment_metadata_generation',
      'kube_deployment_status_condition',
      'kube_replicaset_owner',
      'kube_node_status_condition',
      'kube_node_spec_unschedulable',
      'kube_node_status_allocatable',
      'kube_persistentvolumeclaim_status_phase',
      'kube_horizontalpodautoscaler_spec_max_replicas',
      'container_memory_working_set_bytes',
      'container_cpu_usage_seconds_total',
    ])
      expect(families.has(f), f).toBe(true);
  });

  it('labels series the way the kube-prometheus rules join them', async () => {
    const h = await demoWorld();
    const pod = h.pods('shop', 'checkout')[0]!;
    const rs = pod.metadata.ownerReferences?.[0]?.name ?? '';
    expect(
      h.metric('kube_pod_owner', {
        namespace: 'shop',
        pod: pod.metadata.name,
        owner_kind: 'ReplicaSet',
        owner_name: rs,
      }),
    ).toBe(1);
    expect(
      h.metric('kube_replicaset_owner', {
        namespace: 'shop',
        replicaset: rs,
        owner_kind: 'Deployment',
        owner_name: 'checkout',
      }),
    ).toBe(1);
    expect(h.metric('kube_pod_status_ready', { namespace: 'shop', pod: pod.metadata.name, condition: 'true' })).toBe(1);
    expect(h.series('kube_pod_status_phase', { pod: pod.metadata.name })).toEqual([0, 0, 0, 0, 1]);
    expect(
      h.metric('kube_pod_container_resource_requests', { pod: pod.metadata.name, resource: 'memory', unit: 'byte' }),
    ).toBe(128 * 2 ** 20);
    expect(
      h.metric('kube_deployment_status_condition', { deployment: 'checkout', condition: 'Available', status: 'true' }),
    ).toBe(1);
    expect(h.metric('kube_deployment_metadata_generation', { deployment: 'checkout' })).toBe(
      h.metric('kube_deployment_status_observed_generation', { deployment: 'checkout' }),
    );
    expect(h.metric('kube_node_status_allocatable', { node: 'node-1', resource: 'cpu', unit: 'core' })).toBe(4);
    expect(h.series('kube_pod_container_status_waiting_reason')).toEqual([]);
    const volume = h.store.get('PersistentVolumeClaim', 'payments', 'ledger-data')?.spec?.volumeName as string;
    expect(h.metric('kube_persistentvolume_status_phase', { persistentvolume: volume, phase: 'Bound' })).toBe(1);
    expect(h.metric('kube_persistentvolume_claim_ref', { persistentvolume: volume, name: 'ledger-data' })).toBe(1);
  });

  it('reports working sets at the memory limit for a container about to be OOM-killed', async () => {
    const h = await demoWorld();
    h.world.inject('oomkilled', { namespace: 'shop', deployment: 'checkout' });
    await h.run(4);
    const pod = h.pods('shop', 'checkout').find((p) => p.spec.containers[0]?.image.endsWith(':2.3.1'))!;
    expect(h.container(pod).state.running).toBeDefined();
    const used = h.metric('container_memory_working_set_bytes', { pod: pod.metadata.name }) ?? 0;
    expect(used).toBeGreaterThan(0.9 * 256 * 2 ** 20);
    expect(used).toBeLessThanOrEqual(256 * 2 ** 20);
  });
});
