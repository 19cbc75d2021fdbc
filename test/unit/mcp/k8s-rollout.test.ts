/** Rollout status for the kinds the cluster simulator does not serve (statefulsets, daemonsets), from objects. */
import { describe, expect, it } from 'vitest';
import { diff } from '../../../src/mcp/k8s/diff.js';
import { rolloutState } from '../../../src/mcp/k8s/rollout-status.js';

describe('rolloutState', () => {
  it('statefulset: pods not ready, revision not rolled, done', () => {
    const sts = (status: object) => ({
      metadata: { name: 'db', generation: 2 },
      spec: { replicas: 3 },
      status: { observedGeneration: 2, ...status },
    });
    expect(rolloutState('statefulset', sts({ readyReplicas: 2 }))).toEqual({
      state: 'progressing',
      message: '2 of 3 pods are ready',
    });
    expect(
      rolloutState(
        'statefulset',
        sts({ readyReplicas: 3, currentRevision: 'db-1', updateRevision: 'db-2', updatedReplicas: 1 }),
      ),
    ).toEqual({ state: 'progressing', message: '1 of 3 pods are at revision db-2' });
    expect(
      rolloutState('statefulset', sts({ readyReplicas: 3, currentRevision: 'db-2', updateRevision: 'db-2' })).state,
    ).toBe('done');
  });

  it('daemonset: scheduling, availability, done', () => {
    const ds = (status: object) => ({
      metadata: { name: 'node-exporter' },
      spec: {},
      status: { desiredNumberScheduled: 4, ...status },
    });
    expect(rolloutState('daemonset', ds({ updatedNumberScheduled: 2 })).message).toBe(
      '2 of 4 updated pods are scheduled',
    );
    expect(rolloutState('daemonset', ds({ updatedNumberScheduled: 4, numberAvailable: 3 })).message).toBe(
      '3 of 4 updated pods are available',
    );
    expect(rolloutState('daemonset', ds({ updatedNumberScheduled: 4, numberAvailable: 4 }))).toEqual({
      state: 'done',
      message: 'daemon set "node-exporter" successfully rolled out',
    });
  });

  it('deployment: not yet observed, deadline exceeded', () => {
    expect(
      rolloutState('deployment', { metadata: { generation: 3 }, spec: {}, status: { observedGeneration: 2 } }).message,
    ).toContain('waiting for the rollout to be observed');
    const failed = rolloutState('deployment', {
      metadata: { generation: 1 },
      spec: { replicas: 2 },
      status: {
        observedGeneration: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "cart-1" has timed out progressing.',
          },
        ],
      },
    });
    expect(failed.state).toBe('failed');
  });
});

describe('diff', () => {
  it('names containers by name and shows maps leaf by leaf', () => {
    expect(
      diff(
        {
          template: {
            spec: {
              containers: [
                { name: 'a', image: 'x:1' },
                { name: 'b', image: 'y:1' },
              ],
            },
          },
        },
        {
          template: {
            metadata: { annotations: { k: 'v' } },
            spec: {
              containers: [
                { name: 'a', image: 'x:1' },
                { name: 'b', image: 'y:2' },
              ],
            },
          },
        },
        'spec',
      ),
    ).toEqual([
      { path: 'spec.template.spec.containers[b].image', from: 'y:1', to: 'y:2' },
      { path: 'spec.template.metadata.annotations.k', from: null, to: 'v' },
    ]);
  });
});
