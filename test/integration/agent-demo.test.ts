/**
 * The sandbox's scripted model investigates the demo crash through the real ToolHost against the cluster
 * simulator: the pods, the crashing pod's previous logs, its events and the rollout history, then an answer that
 * proposes the rollback to the previous revision with a Run button — what a newcomer sees without a key.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm } from '../../src/llm/openai.js';
import { clientsFor } from '../../src/mcp/k8s/clusters.js';
import { buildToolHost } from '../../src/mcp/wire.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { demoScript } from '../../src/sandbox/demo/llm-script.js';
import { SCRIPTED_MODEL, startScriptedLlm } from '../../src/sandbox/llm/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { diagnosisWorld } from '../helpers/diagnosis-world.js';
import { agentWorld } from '../unit/agent/world.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

describe('the demo investigation', () => {
  it('reads logs, events and history of the crashing pod and proposes the rollback with a Run button', async () => {
    const world = await diagnosisWorld();
    closers.push(() => world.sim.close());
    world.sim.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    await world.run(90);
    const d = await world.diagnose('shop');
    expect(d.findings.some((f) => f.pattern === 'pod.crash_loop')).toBe(true);

    const llmServer = await startScriptedLlm({ script: demoScript() });
    closers.push(() => llmServer.close());
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(world.sim.url));
    const probe = agentWorld();
    const { host } = await buildToolHost(probe.h.config, {
      log: silentLogger(),
      now: () => world.clock.now(),
      kube: {
        clusters: new Map([['sim', clientsFor(kc, 'sim')]]),
        defaultCluster: 'sim',
        now: () => world.clock.now(),
      },
    });
    closers.push(() => host.close());
    const w = agentWorld({ llm: new OpenAiLlm({ baseUrl: llmServer.url, model: SCRIPTED_MODEL }), host });
    await w.agent.investigator.investigate({
      incidentId: w.incidentId,
      chatId: 'oc_shop',
      replyTo: 'om_card',
      findings: d.findings,
      actor: { openId: 'ou_alice' },
    });
    await w.agent.idle();

    const tools = llmServer.requests.flatMap((r) =>
      r.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.function.name)),
    );
    expect(new Set(tools)).toEqual(
      new Set(['k8s__resources_list', 'k8s__pod_logs', 'k8s__events_list', 'k8s__rollout_history', 'propose_runbook']),
    );
    const card = w.cards().at(-1) ?? '';
    expect(card).toContain('Root cause');
    expect(card).toMatch(/crashes at start since revision \d+; revision \d+ ran fine/);
    expect(card).toContain('"action":"run_runbook","runbookId":"deployment-rollback"');
    expect(card).toMatch(/"to_revision":"\d+"/);
    expect(card).toMatch(/4 steps · 5 tool calls/);
  }, 60_000);
});
