/**
 * `k8s.diagnose` through the ToolHost, as the LLM agent calls it: the engine's findings (structured and as
 * text), a read the policy allows for the LLM, Secret values never in the result, bad arguments answered with
 * what to give.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/diagnosis/finding.js';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor } from '../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

let world: DiagnosisWorld | undefined;
let host: McpToolHost | undefined;
afterEach(async () => {
  await host?.close();
  await world?.close();
  host = undefined;
  world = undefined;
});

async function setup() {
  world = await diagnosisWorld();
  const w = world;
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(w.sim.url));
  host = await McpToolHost.start({
    builtIns: [
      {
        name: 'k8s',
        server: createKubernetesServer({
          clusters: new Map([['sim', clientsFor(kc, 'sim')]]),
          defaultCluster: 'sim',
          now: () => w.clock.now(),
        }),
      },
    ],
    policy: DEFAULT_POLICY,
    log: silentLogger(),
    now: () => w.clock.now(),
  });
  return { w, host };
}

describe('k8s.diagnose', () => {
  it('gives the LLM the findings of a namespace and of one object, redacted', async () => {
    const { w, host } = await setup();
    w.sim.inject('missing-secret', {});
    await w.run(90);
    const info = host.list().find((t) => t.name === 'k8s.diagnose');
    expect(info).toMatchObject({ safetyClass: 'read' });
    const r = await host.call('k8s.diagnose', { namespace: 'shop' }, { kind: 'llm' });
    if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
    const d = r.data as Diagnosis;
    expect(d.verdict).toBe('problems');
    expect(d.findings[0]).toMatchObject({ pattern: 'pod.missing_config_ref' });
    expect(d.findings[0]?.cause).toContain('checkout-db-credentials');
    expect(r.text).toContain('checkout-db-credentials');
    expect(r.text).toContain('Fix: deployment-rollback');
    // Secret values of the namespace (checkout-db's password) never reach the result.
    expect(JSON.stringify(r)).not.toContain('sandbox-only');

    const one = await host.call(
      'k8s.diagnose',
      { kind: 'deploy', name: 'checkout', namespace: 'shop', locale: 'zh-CN' },
      { kind: 'llm' },
    );
    if (one.kind !== 'ok') throw new Error(JSON.stringify(one));
    expect((one.data as Diagnosis).target).toBe('sim:shop/deployment/checkout');
    expect(one.text).toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers malformed arguments with what to give', async () => {
    const { host } = await setup();
    const none = await host.call('k8s.diagnose', {}, { kind: 'llm' });
    expect(none.kind).toBe('error');
    expect(none.kind === 'error' && none.message).toContain('give a namespace');
    const noNs = await host.call('k8s.diagnose', { kind: 'deploy', name: 'checkout' }, { kind: 'llm' });
    expect(noNs.kind === 'error' && noNs.message).toContain('needs a namespace');
    const badKind = await host.call('k8s.diagnose', { kind: 'widget', name: 'x', namespace: 'shop' }, { kind: 'llm' });
    expect(badKind.kind === 'error' && badKind.message).toContain('not a kind I can diagnose');
  });
});
