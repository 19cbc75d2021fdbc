import { describe, expect, it } from 'vitest';
import { correlationKeyOf, groupKeyOf, workloadOf } from '../../../src/alerts/grouping.js';

describe('workloadOf', () => {
  it('names the owner from labels or strips generated suffixes from pod names', () => {
    expect(workloadOf({ deployment: 'checkout' })).toEqual({ kind: 'deployment', name: 'checkout' });
    expect(workloadOf({ pod: 'checkout-7d9f8b6c5-x2x9q' })).toEqual({ kind: 'deployment', name: 'checkout' });
    expect(workloadOf({ pod: 'redis-2' })).toEqual({ kind: 'statefulset', name: 'redis' });
    expect(workloadOf({ pod: 'node-exporter-zx5kq' })).toEqual({ kind: 'daemonset', name: 'node-exporter' });
    expect(workloadOf({ pod: 'standalone' })).toEqual({ kind: 'pod', name: 'standalone' });
    expect(workloadOf({ replicaset: 'api-6b8f9c7d5' })).toEqual({ kind: 'deployment', name: 'api' });
    expect(workloadOf({ job_name: 'backup' })).toEqual({ kind: 'job', name: 'backup' });
    expect(workloadOf({ instance: '10.0.0.1:9100' })).toBeUndefined();
  });
});

describe('keys', () => {
  it('relates a pod alert and its deployment alert by workload but keeps their group keys apart', () => {
    const pod = { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'checkout-7d9f8b6c5-x2x9q', cluster: 'c1' };
    const dep = {
      alertname: 'KubeDeploymentReplicasMismatch',
      namespace: 'shop',
      deployment: 'checkout',
      cluster: 'c1',
    };
    expect(correlationKeyOf(pod, 'cluster')).toBe('c1/shop/checkout');
    expect(correlationKeyOf(dep, 'cluster')).toBe(correlationKeyOf(pod, 'cluster'));
    const by = ['alertname', 'namespace', 'workload'];
    expect(groupKeyOf(pod, by, 'cluster')).not.toBe(groupKeyOf(dep, by, 'cluster'));
    expect(groupKeyOf(pod, by, 'cluster')).toBe(groupKeyOf({ ...pod, pod: 'checkout-7d9f8b6c5-bbbbb' }, by, 'cluster'));
    expect(groupKeyOf(pod, by, 'cluster')).not.toBe(groupKeyOf({ ...pod, cluster: 'c2' }, by, 'cluster'));
  });
});
