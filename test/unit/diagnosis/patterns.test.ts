/**
 * Disruption budgets, network policies and what changed besides a rollout, over recorded objects: the cases
 * the simulator scenarios do not cover (budgets of unhealthy pods, percentages, additive policies, peers from
 * other namespaces, a Secret modified before the failure, a node condition that began before it).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/engine.js';
import { translator } from '../../../src/shared/i18n.js';
import { NOW, pod, type Recorded, recordedReader } from './recorded.js';

const clock = { now: () => NOW };
const t = translator('en-US');
const run = (r: Recorded) =>
  diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader: recordedReader(r), clock, t });

const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
const notReady = { conditions: [{ type: 'Ready', status: 'False' }] };
const pods = (app: string, n: number, status: object = ready, extra: object = {}) =>
  Array.from({ length: n }, (_, i) => pod(`${app}-${i}`, { labels: { app }, status, ...extra }));
const pdb = (name: string, spec: object) => ({
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app: name } }, ...spec },
});
const svc = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app: name }, ports: [{ port: 8080 }] },
});
const endpointsReady = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
});
const policy = (name: string, spec: object) => ({ metadata: { name, namespace: 'shop' }, spec });

describe('PodDisruptionBudget', () => {
  it('a budget equal to the replicas blocks every eviction; scaling up is the fix', async () => {
    const d = await run({ pod: pods('web', 2), poddisruptionbudget: [pdb('web', { minAvailable: 2 })] });
    const f = d.findings[0];
    expect(f?.pattern).toBe('pdb.disruptions_blocked');
    expect(f?.cause).toContain('2 of 2 pod(s) are healthy and 2 must stay healthy (minAvailable 2)');
    expect(f?.cause).toContain('can never be met');
    expect(f?.affectedCount).toBe(2);
  });

  it('percentages round up as the disruption controller rounds; maxUnavailable 0 cannot be fixed by replicas', async () => {
    const pct = await run({ pod: pods('web', 3), poddisruptionbudget: [pdb('web', { minAvailable: '50%' })] });
    expect(pct.findings).toEqual([]); // desired ceil(1.5) = 2 of 3 healthy: one disruption allowed
    const zero = await run({ pod: pods('web', 3), poddisruptionbudget: [pdb('web', { maxUnavailable: 0 })] });
    expect(zero.findings[0]?.pattern).toBe('pdb.disruptions_blocked');
    expect(zero.findings[0]?.cause).toContain('maxUnavailable 0');
    expect(zero.findings[0]?.runbooks).toEqual([]);
  });

  it('blocked by unhealthy pods: a symptom, folded under the pods’ own failure', async () => {
    const crashing = {
      phase: 'Running',
      ...notReady,
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'Error', exitCode: 2 } },
        },
      ],
    };
    const d = await run({
      pod: [
        ...pods('web', 1),
        ...pods('web', 1, crashing).map((p) => ({ ...p, metadata: { ...p.metadata, name: 'web-x' } })),
      ],
      poddisruptionbudget: [pdb('web', { minAvailable: 2 })],
    });
    expect(d.findings.map((f) => f.pattern)).toEqual(['pod.crash_loop']);
    expect(d.findings[0]?.folded.map((f) => f.pattern)).toContain('pdb.disruptions_blocked');
  });

  it('a budget that selects no pod protects nothing (info)', async () => {
    const d = await run({ pod: pods('web', 2), poddisruptionbudget: [pdb('wbe', { minAvailable: 1 })] });
    expect(d.findings[0]).toMatchObject({ pattern: 'pdb.no_pods', severity: 'info' });
    expect(d.findings[0]?.title).toContain('app=wbe');
  });
});

describe('NetworkPolicy', () => {
  const base = {
    pod: [...pods('api', 2), ...pods('web', 1)],
    service: [svc('api')],
    endpoints: [endpointsReady('api')],
  };

  it('a default deny with an allow rule from the real callers is fine (policies add up)', async () => {
    const d = await run({
      ...base,
      networkpolicy: [
        policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
        policy('allow-web', {
          podSelector: { matchLabels: { app: 'api' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
        }),
      ],
    });
    expect(d.findings).toEqual([]);
  });

  it('a default deny alone cuts the Service off: one finding naming the policy, the Service and its pods', async () => {
    const d = await run({
      ...base,
      networkpolicy: [policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] })],
    });
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ pattern: 'networkpolicy.deny_ingress', severity: 'critical' });
    expect(d.findings[0]?.resource.name).toBe('default-deny');
    expect(d.findings[0]?.cause).toContain('(all pods)');
    expect(d.findings[0]?.cause).toContain('api');
  });

  it('peers in other namespaces or IP blocks are callers this snapshot cannot see: no finding', async () => {
    for (const peer of [
      { namespaceSelector: { matchLabels: { team: 'edge' } } },
      { ipBlock: { cidr: '10.0.0.0/8' } },
    ]) {
      const d = await run({
        ...base,
        networkpolicy: [
          policy('api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [peer] }] }),
        ],
      });
      expect(d.findings).toEqual([]);
    }
  });

  it('a policy that selects no pod applies to nothing (info)', async () => {
    const d = await run({ ...base, networkpolicy: [policy('old', { podSelector: { matchLabels: { app: 'gone' } } })] });
    expect(d.findings[0]).toMatchObject({ pattern: 'networkpolicy.no_pods', severity: 'info' });
  });
});

describe('what changed besides a rollout', () => {
  const failing = (extra: object) =>
    pod('api-0', {
      labels: { app: 'api' },
      ...extra,
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: '2026-11-25T07:55:00Z' } },
          },
        ],
      },
    });

  it('a referenced Secret modified shortly before the failure: keys named, values never', async () => {
    const d = await run({
      pod: [
        failing({
          spec: {
            containers: [{ name: 'app', image: 'app:1', envFrom: [{ secretRef: { name: 'api-credentials' } }] }],
          },
        }),
      ],
      secret: [
        {
          metadata: {
            name: 'api-credentials',
            namespace: 'shop',
            creationTimestamp: '2026-11-20T00:00:00Z',
            managedFields: [{ manager: 'helm', operation: 'Update', time: '2026-11-25T07:50:00Z' }],
          },
          data: { PSP_API_KEY: '[REDACTED]' },
        },
      ],
    });
    const f = d.findings[0];
    expect(f?.pattern).toBe('pod.crash_loop');
    expect(f?.cause).toContain('It began after secret api-credentials modified (keys now: PSP_API_KEY), 10 min ago.');
    expect(f?.evidence.find((e) => e.type === 'recent_change')).toMatchObject({
      source: 'prod:shop/secret/api-credentials',
      manager: 'helm',
      beforeFailure: true,
    });
    // Not a rollout: rolling back is not offered.
    expect(f?.runbooks.map((r) => r.id)).not.toContain('deployment-rollback');
  });

  it('an old edit, or one after the failure began, is not what set it off', async () => {
    const d = await run({
      pod: [
        failing({
          spec: { containers: [{ name: 'app', image: 'app:1', envFrom: [{ configMapRef: { name: 'cfg' } }] }] },
        }),
      ],
      configmap: [
        {
          metadata: {
            name: 'cfg',
            namespace: 'shop',
            creationTimestamp: '2026-11-01T00:00:00Z',
            managedFields: [{ manager: 'kubectl-edit', time: '2026-11-24T07:00:00Z' }],
          },
          data: { a: '1' },
        },
      ],
    });
    expect(d.findings[0]?.evidence.some((e) => e.type === 'recent_change')).toBe(false);
    expect(d.findings[0]?.cause).not.toContain('It began after');
  });

  it('a node condition that began just before the pods failed', async () => {
    const d = await run({
      pod: [failing({ spec: { nodeName: 'node-3', containers: [{ name: 'app', image: 'app:1' }] } })],
      node: [
        {
          metadata: { name: 'node-3' },
          status: {
            conditions: [
              { type: 'Ready', status: 'True' },
              {
                type: 'MemoryPressure',
                status: 'True',
                reason: 'KubeletHasInsufficientMemory',
                lastTransitionTime: '2026-11-25T07:53:00Z',
              },
            ],
          },
        },
      ],
    });
    const crash = d.findings.find((f) => f.pattern === 'pod.crash_loop');
    expect(crash?.evidence.find((e) => e.type === 'recent_change')?.what).toContain(
      'node-3 condition MemoryPressure=True',
    );
    expect(crash?.cause).toContain('It began after node node-3 condition MemoryPressure=True');
  });
});
