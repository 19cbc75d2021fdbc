import { describe, expect, it } from 'vitest';
import { findResource } from '../../../../src/sandbox/cluster/kinds.js';
import type { K8sObject } from '../../../../src/sandbox/cluster/store.js';
import { toTable, wantsTable } from '../../../../src/sandbox/cluster/table.js';
import { podStatusReason } from '../../../../src/sandbox/cluster/table-pods.js';
import { humanAge } from '../../../../src/sandbox/cluster/time.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');

function pod(status: Record<string, unknown>, extra: Partial<K8sObject['metadata']> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2026-11-25T07:00:00Z', ...extra },
    spec: { containers: [{ name: 'a', image: 'x' }] },
    status,
  };
}

describe('Table output', () => {
  it('computes the pod STATUS column as kubectl does', () => {
    expect(podStatusReason(pod({ phase: 'Pending' }))).toBe('Pending');
    const waiting = {
      phase: 'Running',
      containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ImagePullBackOff' } } }],
    };
    expect(podStatusReason(pod(waiting))).toBe('ImagePullBackOff');
    const oom = {
      phase: 'Running',
      containerStatuses: [{ name: 'a', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }],
    };
    expect(podStatusReason(pod(oom))).toBe('OOMKilled');
    const init = {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }],
    };
    expect(podStatusReason(pod(init))).toBe('Init:0/1');
    expect(podStatusReason(pod({ phase: 'Running' }, { deletionTimestamp: '2026-11-25T08:00:00Z' }))).toBe(
      'Terminating',
    );
  });

  it('prints restarts with the time since the last one, and the age', () => {
    const r = findResource('', 'v1', 'pods');
    if (!r) throw new Error('pods not served');
    const crashed = pod({
      phase: 'Running',
      podIP: '10.0.0.9',
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 7, lastState: { terminated: { finishedAt: '2026-11-25T07:58:30Z' } } },
      ],
    });
    const table = toTable(r, [crashed], { now: NOW, resourceVersion: '42', include: 'Metadata' }) as {
      rows: { cells: unknown[]; object: { kind: string } }[];
      metadata: { resourceVersion: string };
    };
    expect(table.rows[0]?.cells).toEqual([
      'p',
      '0/1',
      'Running',
      '7 (90s ago)',
      '60m',
      '10.0.0.9',
      '<none>',
      '<none>',
      '<none>',
    ]);
    expect(table.rows[0]?.object.kind).toBe('PartialObjectMetadata');
    expect(table.metadata.resourceVersion).toBe('42');
  });

  it('recognises the Accept header kubectl sends', () => {
    expect(
      wantsTable(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
  });

  it('formats ages like kubectl', () => {
    expect([5_000, 150_000, 3_600_000, 14_700_000, 30 * 3_600_000, 3 * 86_400_000 + 3_600_000].map(humanAge)).toEqual([
      '5s',
      '2m30s',
      '60m',
      '4h5m',
      '30h',
      '3d1h',
    ]);
  });
});
