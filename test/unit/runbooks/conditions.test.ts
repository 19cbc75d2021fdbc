/**
 * Checks observed once and polled: resource conditions over a fake cluster reader (rollout, readiness, restarts
 * with stable_for, endpoints, nodes, jobs, absence) and PromQL comparisons — pass, fail with what was seen, and
 * "cannot verify" when the cluster or Prometheus cannot be asked.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterReader } from '../../../src/ports/cluster.js';
import type { MetricSample } from '../../../src/ports/metrics-query.js';
import { observe, type RestartMemo } from '../../../src/runbooks/conditions.js';
import type { RunDeps } from '../../../src/runbooks/deps.js';
import type { Check } from '../../../src/runbooks/schema.js';
import { runCheck } from '../../../src/runbooks/steps/check.js';
import { FakeClock } from '../../helpers/fake-clock.js';

type Obj = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

function reader(objects: Record<string, Obj>, fail = false): ClusterReader {
  const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  return {
    defaultCluster: 'c',
    async get(_c, kind, ns, name) {
      if (fail) throw new Error('connection refused');
      return objects[key(kind, ns, name)] as never;
    },
    async list(_c, kind, ns) {
      return Object.entries(objects)
        .filter(([k]) => k.startsWith(`${kind}/${ns ?? ''}/`))
        .map(([, o]) => o) as never;
    },
    async events() {
      return [];
    },
    async logs() {
      return [];
    },
    async rolloutHistory() {
      return [];
    },
  };
}

const deploy = (status: Record<string, unknown>, replicas = 2): Obj => ({
  metadata: { name: 'web', namespace: 'shop', generation: 3 } as Obj['metadata'],
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
  status: { observedGeneration: 3, ...status },
});
const pod = (name: string, ready: boolean, restarts = 0, waiting?: string): Obj => ({
  metadata: { name, namespace: 'shop', labels: { app: 'web' } },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [
      { name: 'web', restartCount: restarts, state: waiting ? { waiting: { reason: waiting } } : { running: {} } },
    ],
  },
});
const ref = { cluster: 'c', kind: 'deployment' as const, namespace: 'shop', name: 'web' };
const opts = (now = 0, stableForMs = 0, memo: RestartMemo = {}) => ({ now, stableForMs, memo });

describe('resource conditions', () => {
  it('rollout_complete: updated and available replicas, the controller caught up', async () => {
    const done = reader({ 'deployment/shop/web': deploy({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }) });
    expect((await observe(done, 'rollout_complete', ref, opts())).result).toBe('pass');
    const half = reader({ 'deployment/shop/web': deploy({ replicas: 3, updatedReplicas: 1, availableReplicas: 1 }) });
    expect(await observe(half, 'rollout_complete', ref, opts())).toEqual({
      result: 'fail',
      detail: 'deployment shop/web: 1/2 updated, 1 available, 3 in total',
    });
    const stale = reader({
      'deployment/shop/web': deploy({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 }),
    });
    expect((await observe(stale, 'rollout_complete', ref, opts())).detail).toContain('has not seen generation 3');
  });

  it('pods_ready: every pod of the workload ready, as many as wanted', async () => {
    const base = { 'deployment/shop/web': deploy({}) };
    expect(
      (
        await observe(
          reader({ ...base, 'pod/shop/a': pod('a', true), 'pod/shop/b': pod('b', true) }),
          'pods_ready',
          ref,
          opts(),
        )
      ).result,
    ).toBe('pass');
    expect(
      await observe(
        reader({ ...base, 'pod/shop/a': pod('a', true), 'pod/shop/b': pod('b', false) }),
        'pods_ready',
        ref,
        opts(),
      ),
    ).toEqual({
      result: 'fail',
      detail: 'deployment shop/web: 1/2 pods ready (not ready: b)',
    });
  });

  it('restarts_stopped: no restart and no crash for stable_for, counted from the last restart seen', async () => {
    const memo: RestartMemo = {};
    const objects: Record<string, Obj> = { 'deployment/shop/web': deploy({}), 'pod/shop/a': pod('a', true, 3) };
    const r = reader(objects);
    expect((await observe(r, 'restarts_stopped', ref, opts(0, 60_000, memo))).result).toBe('fail');
    expect((await observe(r, 'restarts_stopped', ref, opts(30_000, 60_000, memo))).detail).toContain(
      'no restart for 30s of 60s',
    );
    objects['pod/shop/a'] = pod('a', true, 4);
    expect((await observe(r, 'restarts_stopped', ref, opts(59_000, 60_000, memo))).result).toBe('fail');
    expect((await observe(r, 'restarts_stopped', ref, opts(100_000, 60_000, memo))).result).toBe('fail');
    expect((await observe(r, 'restarts_stopped', ref, opts(119_000, 60_000, memo))).result).toBe('pass');
    objects['pod/shop/a'] = pod('a', false, 4, 'CrashLoopBackOff');
    expect((await observe(r, 'restarts_stopped', ref, opts(200_000, 60_000, memo))).detail).toContain(
      'still crashing (a)',
    );
  });

  it('endpoints, nodes, jobs, existence; a cluster that cannot be read is "cannot verify"', async () => {
    const r = reader({
      'service/shop/web': { metadata: { name: 'web' } },
      'endpoints/shop/web': { metadata: { name: 'web' }, subsets: [{ addresses: [{}, {}] }] },
      'node//n1': { metadata: { name: 'n1' }, spec: { unschedulable: true } },
      'job/shop/j': { metadata: { name: 'j' }, status: { conditions: [{ type: 'Complete', status: 'True' }] } },
    });
    const svc = { ...ref, kind: 'service' as const };
    expect((await observe(r, 'endpoints_ready', svc, opts())).detail).toBe('service shop/web has 2 ready endpoint(s)');
    const node = { cluster: 'c', kind: 'node' as const, namespace: undefined, name: 'n1' };
    expect((await observe(r, 'node_unschedulable', node, opts())).result).toBe('pass');
    expect((await observe(r, 'node_schedulable', node, opts())).result).toBe('fail');
    expect((await observe(r, 'job_complete', { ...ref, kind: 'job', name: 'j' }, opts())).result).toBe('pass');
    expect((await observe(r, 'absent', { ...ref, kind: 'pod', name: 'gone' }, opts())).result).toBe('pass');
    expect((await observe(r, 'exists', { ...ref, kind: 'pod', name: 'gone' }, opts())).result).toBe('fail');
    expect(await observe(reader({}, true), 'exists', ref, opts())).toEqual({
      result: 'cannot_verify',
      detail: 'cannot read deployment shop/web: connection refused',
    });
  });
});

describe('PromQL checks', () => {
  const check = (over: Partial<Extract<Check, { type: 'check_promql' }>> = {}): Check => ({
    id: 'errors',
    type: 'check_promql',
    query: 'sum(rate(http_errors_total{namespace="{{ params.ns }}"}[5m]))',
    expect: { op: '<', value: 0.05 },
    on_no_data: 'cannot_verify',
    ...over,
  });
  const deps = (samples: MetricSample[] | Error | undefined): RunDeps =>
    ({
      clock: new FakeClock(),
      pollMs: 1000,
      ...(samples === undefined
        ? {}
        : {
            metrics: {
              instant: async () => {
                if (samples instanceof Error) throw samples;
                return samples;
              },
            },
          }),
    }) as unknown as RunDeps;
  const scope = { cluster: null, params: { ns: 'shop' } };
  const signal = new AbortController().signal;

  it('passes when every series satisfies the comparison, fails with the values that do not', async () => {
    expect((await runCheck(deps([{ labels: {}, value: 0.01 }]), check(), scope, 0, signal)).result).toBe('pass');
    expect(await runCheck(deps([{ labels: {}, value: 0.2 }]), check(), scope, 0, signal)).toEqual({
      result: 'fail',
      detail: 'sum(rate(http_errors_total{namespace="shop"}[5m])): 1 series not < 0.05 (0.2)',
    });
  });

  it('no data follows on_no_data; no Prometheus, or one that fails, is "cannot verify"', async () => {
    expect((await runCheck(deps([]), check(), scope, 0, signal)).result).toBe('cannot_verify');
    expect((await runCheck(deps([]), check({ on_no_data: 'pass' }), scope, 0, signal)).result).toBe('pass');
    expect((await runCheck(deps([]), check({ on_no_data: 'fail' }), scope, 0, signal)).result).toBe('fail');
    expect(await runCheck(deps(undefined), check(), scope, 0, signal)).toEqual({
      result: 'cannot_verify',
      detail: 'Prometheus is not configured (PROMETHEUS_URL)',
    });
    expect((await runCheck(deps(new Error('HTTP 503')), check(), scope, 0, signal)).detail).toContain('did not answer');
  });

  it('polls on the clock until its time is up', async () => {
    let calls = 0;
    const d = {
      clock: new FakeClock(),
      pollMs: 1000,
      metrics: { instant: async () => [{ labels: {}, value: ++calls >= 3 ? 0 : 1 }] },
    } as unknown as RunDeps;
    let settled = false;
    const p = runCheck(d, check(), scope, 10_000, signal).finally(() => {
      settled = true;
    });
    for (let i = 0; i < 20 && !settled; i++) {
      await new Promise((r) => setImmediate(r));
      await (d.clock as FakeClock).advance(1000);
    }
    expect((await p).result).toBe('pass');
    expect(calls).toBe(3);
    // and gives up with the last observation when its time is over
    const never = { ...d, metrics: { instant: async () => [{ labels: {}, value: 1 }] } } as unknown as RunDeps;
    let done = false;
    const q = runCheck(never, check(), scope, 3_000, signal).finally(() => {
      done = true;
    });
    for (let i = 0; i < 20 && !done; i++) {
      await new Promise((r) => setImmediate(r));
      await (d.clock as FakeClock).advance(1000);
    }
    expect((await q).result).toBe('fail');
  });
});
