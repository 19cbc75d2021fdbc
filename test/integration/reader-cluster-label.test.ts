/**
 * An alert's cluster label that names no configured cluster (Prometheus's external label `prod-eu` beside a
 * bot configured with one kubeconfig, known as `default`) reads the default cluster — as `clusterForAlert`
 * and the runbook launcher read it — so the diagnosis of such an incident sees the cluster instead of failing
 * with "unknown cluster".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

let w: DiagnosisWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('the cluster reader and a cluster label it does not know', () => {
  it('reads the default cluster for an unknown name, and the named one for a known name', async () => {
    w = await diagnosisWorld();
    await w.run(5);
    const unknown = await w.reader.list('prod-eu', 'deployment', 'shop');
    const named = await w.reader.list('sim', 'deployment', 'shop');
    expect(unknown.map((d) => d.metadata?.name).sort()).toEqual(named.map((d) => d.metadata?.name).sort());
    expect(unknown.length).toBeGreaterThan(0);
  });

  it('an incident labelled with an unknown cluster is diagnosed from the default one', async () => {
    w = await diagnosisWorld();
    w.sim.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    await w.run(90);
    const d = await w.diagnose({ kind: 'namespace', cluster: 'prod-eu', namespace: 'shop' });
    expect(d.problems ?? []).toEqual([]);
    expect(JSON.stringify(d.findings)).toContain('CrashLoopBackOff');
  });
});
