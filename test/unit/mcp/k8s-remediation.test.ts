/** The pure parts of the remediation and usage tools: which pods a drain evicts, what a re-run drops, quantities. */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hpaRow } from '../../../src/mcp/k8s/hpa-status.js';
import { rerunSpec } from '../../../src/mcp/k8s/job-rerun.js';
import { classify } from '../../../src/mcp/k8s/node-drain.js';
import { formatBytes, formatCores, parseQuantity } from '../../../src/mcp/k8s/quantity.js';
import { lastWrite } from '../../../src/mcp/k8s/recent-changes.js';
import { usageRow } from '../../../src/mcp/k8s/resource-usage.js';

const pod = (p: Partial<V1Pod> & { owner?: string }): V1Pod => ({
  metadata: {
    name: 'p',
    namespace: 'shop',
    ...(p.owner
      ? { ownerReferences: [{ apiVersion: 'v1', kind: p.owner, name: 'o', uid: 'u', controller: true }] }
      : {}),
    ...p.metadata,
  },
  spec: { containers: [{ name: 'c', image: 'i' }], ...p.spec },
  ...(p.status ? { status: p.status } : {}),
});
const plain = { force: false, deleteEmptyDirData: false };

describe('node_drain: which pods it evicts', () => {
  it('skips DaemonSet and mirror pods, evicts managed ones', () => {
    expect(classify(pod({ owner: 'DaemonSet' }), plain)).toBe('skip_daemonset');
    expect(
      classify(
        pod({ owner: 'Node', metadata: { name: 'm', annotations: { 'kubernetes.io/config.mirror': 'x' } } }),
        plain,
      ),
    ).toBe('skip_mirror');
    expect(classify(pod({ owner: 'ReplicaSet' }), plain)).toBe('evict');
    expect(classify(pod({ owner: 'StatefulSet' }), plain)).toBe('evict');
  });

  it('blocks an unmanaged pod unless force, and an emptyDir pod unless deleteEmptyDirData; finished pods go', () => {
    expect(classify(pod({}), plain)).toBe('blocked_unmanaged');
    expect(classify(pod({}), { ...plain, force: true })).toBe('evict');
    expect(classify(pod({ status: { phase: 'Succeeded' } }), plain)).toBe('evict');
    const scratch = pod({
      owner: 'ReplicaSet',
      spec: { containers: [{ name: 'c' }], volumes: [{ name: 'tmp', emptyDir: {} }] },
    });
    expect(classify(scratch, plain)).toBe('blocked_emptydir');
    expect(classify(scratch, { ...plain, deleteEmptyDirData: true })).toBe('evict');
  });
});

describe('job_rerun: the Job it creates', () => {
  const uid = '1f0c7a52-6d7e-4c1e-9d1b-1a2b3c4d5e6f';
  const old: V1Job = {
    metadata: {
      name: 'export',
      namespace: 'billing',
      uid,
      resourceVersion: '42',
      creationTimestamp: new Date('2026-11-25T07:00:00Z'),
      labels: { team: 'billing', 'controller-uid': uid, 'job-name': 'export' },
      annotations: { owner: 'billing', 'batch.kubernetes.io/job-tracking': '' },
    },
    spec: {
      backoffLimit: 2,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: {
        metadata: {
          labels: {
            app: 'export',
            'controller-uid': uid,
            'batch.kubernetes.io/controller-uid': uid,
            'job-name': 'export',
          },
        },
        spec: { restartPolicy: 'Never', containers: [{ name: 'export', image: 'registry/export:3' }] },
      },
    },
    status: { failed: 3 },
  };

  it('keeps the spec and own metadata, drops the generated selector, labels, uid and status', () => {
    const fresh = rerunSpec(old);
    expect(fresh.metadata).toEqual({
      name: 'export',
      namespace: 'billing',
      labels: { team: 'billing' },
      annotations: { owner: 'billing' },
    });
    expect(fresh.spec?.selector).toBeUndefined();
    expect(fresh.spec?.template.metadata?.labels).toEqual({ app: 'export' });
    expect(fresh.spec?.backoffLimit).toBe(2);
    expect(fresh.spec?.template.spec?.containers).toEqual(old.spec?.template.spec?.containers);
    expect(fresh).not.toHaveProperty('status');
    expect(old.spec?.selector).toBeDefined(); // the input is not changed
  });

  it('keeps a manual selector and its labels', () => {
    const manual = structuredClone(old);
    if (manual.spec) {
      manual.spec.manualSelector = true;
      manual.spec.selector = { matchLabels: { app: 'export' } };
    }
    const fresh = rerunSpec(manual);
    expect(fresh.spec?.selector).toEqual({ matchLabels: { app: 'export' } });
    expect(fresh.spec?.template.metadata?.labels?.['controller-uid']).toBe(uid);
  });
});

describe('quantities', () => {
  it('parses what Kubernetes writes', () => {
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('120000000n')).toBeCloseTo(0.12);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeUndefined();
    expect(formatBytes(1536 * 2 ** 20)).toBe('1.5Gi');
    expect(formatCores(0.25)).toBe('250m');
    expect(formatCores(2)).toBe('2');
  });
});

describe('resource_usage rows', () => {
  const spec = (resources: object): V1Pod => pod({ spec: { containers: [{ name: 'c', image: 'i', resources }] } });
  const m = { metadata: { name: 'p', namespace: 'shop' }, containers: [] };
  it('flags memory near the limit and CPU at the limit', () => {
    const r = usageRow(
      spec({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
      m,
      {
        name: 'c',
        usage: { cpu: '495000000n', memory: `${240 * 1024}Ki` },
      },
    );
    expect(r).toMatchObject({ cpuOfLimit: '99%', memoryOfLimit: '94%', memory: '240Mi', memoryLimit: '256Mi' });
    expect(r.flags).toBe('memory near limit (OOM kill next); CPU at limit (throttled)');
  });
  it('says when there are no limits or requests', () => {
    const r = usageRow(spec({}), m, { name: 'c', usage: { cpu: '10m', memory: '10Mi' } });
    expect(r).toMatchObject({ cpuOfLimit: '-', memoryOfLimit: '-', flags: 'no limits; no requests' });
  });
});

describe('hpa_status rows and recent_changes times', () => {
  it('an HPA at its maximum is called out, with its metric against the target', () => {
    const row = hpaRow(
      {
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 5,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          ],
        },
        status: {
          currentReplicas: 5,
          desiredReplicas: 5,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 140 } } }],
          conditions: [{ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas' }],
        },
      },
      Date.now(),
    );
    expect(row).toMatchObject({
      atMax: true,
      metrics: 'cpu 140%/70%',
      conditions: 'ScalingLimited=True (TooManyReplicas)',
      lastScale: 'never',
    });
  });
  it('the time of an object’s last write is its newest managedFields entry, else its creation', () => {
    const created = new Date('2026-11-25T07:00:00Z');
    expect(lastWrite({ creationTimestamp: created })).toBe(created.getTime());
    expect(
      lastWrite({
        creationTimestamp: created,
        managedFields: [{ time: new Date('2026-11-25T09:00:00Z') }, { time: new Date('2026-11-25T08:00:00Z') }],
      }),
    ).toBe(Date.parse('2026-11-25T09:00:00Z'));
  });
});
