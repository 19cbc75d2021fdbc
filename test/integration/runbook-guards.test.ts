/**
 * What a run may not do, and the one thing it may do alone: protected namespaces and `namespaces.allow` refuse
 * a run before any card; one run per target at a time (the same request again is the same run); a target rests
 * for its cooldown after a run; bad parameters and unknown runbooks get a sentence; and a low-risk runbook
 * matched to an incident in an `approvals.low.auto_namespaces` namespace runs without a click, verified and
 * reported like any other, while the same runbook elsewhere, or a riskier one, waits for a person.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/diagnosis/finding.js';
import { APPROVER, OPERATOR, type RunbookWorld, runbookWorld } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const restart = (namespace: string, deployment: string) => ({
  action: 'run_runbook',
  runbookId: 'deployment-rollout-restart',
  params: { namespace, deployment },
});
const ended = (x: RunbookWorld, id: string) => () =>
  ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(x.state(id).phase);

describe('guards', () => {
  it('refuses protected namespaces and namespaces outside namespaces.allow, before any card', async () => {
    w = await runbookWorld({ yaml: 'namespaces: { protected: [kube-system], allow: [shop] }\n' });
    expect((await w.click(OPERATOR, restart('kube-system', 'coredns'))).toast).toEqual({
      type: 'error',
      content: 'Not started: namespace kube-system is protected: writes are refused (namespaces.protected)',
    });
    expect((await w.click(OPERATOR, restart('payments', 'api'))).toast?.content).toBe(
      'Not started: namespace payments is not in namespaces.allow: writes are refused',
    );
    expect(w.store.runbookRuns.inStates(['awaiting_approval'])).toHaveLength(0);
    expect(w.store.outbox.countByStatus().pending).toBe(0);
  });

  it('one run per target; the same request again is the same run', async () => {
    w = await runbookWorld();
    expect((await w.click(OPERATOR, restart('shop', 'cart'))).toast?.type).toBe('success');
    expect((await w.click(OPERATOR, restart('shop', 'cart'))).toast?.content).toBe(
      'This run is already waiting for approval.',
    );
    const other = await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'cart', replicas: '3', previous_replicas: '2' },
    });
    expect(other.toast?.content).toMatch(
      /^Not started: sim\/deployment\/shop\/cart already has run run-\S+ \(awaiting_approval\)/,
    );
    expect(w.store.runbookRuns.inStates(['awaiting_approval'])).toHaveLength(1);
  });

  it('a target rests for its cooldown after a run', async () => {
    w = await runbookWorld();
    await w.click(OPERATOR, restart('shop', 'cart'));
    const runId = w.latestRunId();
    await w.approve(runId, APPROVER);
    await w.until(ended(w, runId), 900);
    expect(w.state(runId).phase).toBe('succeeded');
    const again = await w.click(OPERATOR, restart('shop', 'cart'));
    expect(again.toast?.content).toMatch(
      /^Not started: sim\/deployment\/shop\/cart was changed by run run-\S+; its cooldown of 15m ends at /,
    );
    await w.clock.advance(15 * 60_000);
    expect((await w.click(OPERATOR, restart('shop', 'cart'))).toast?.type).toBe('success');
  });

  it('bad parameters and unknown runbooks get a sentence', async () => {
    w = await runbookWorld();
    const bad = await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'cart', replicas: 'many' },
    });
    expect(bad.toast?.content).toMatch(
      /^Not started: parameter replicas=many: must be a number; missing parameter previous_replicas \(e\.g\. previous_replicas=\d+\)$/,
    );
    const unknown = await w.click(OPERATOR, { action: 'run_runbook', runbookId: 'deployment-scal', params: {} });
    expect(unknown.toast?.content).toBe('Not started: there is no runbook deployment-scal; known: deployment-scale');
  });

  it('auto-fix: a low-risk runbook runs without a click in an allowed namespace, and is reported', async () => {
    w = await runbookWorld({ yaml: 'approvals: { low: { auto_namespaces: [shop] } }\n' });
    const incidentId = w.incident('shop');
    const incident = w.store.incidents.get(incidentId);
    if (!incident) throw new Error('no incident');
    const finding = (namespace: string, id: string, params: Record<string, string>) =>
      ({
        title: `cart in ${namespace} is not ready`,
        resource: { cluster: 'sim', kind: 'deployment', namespace, name: 'cart' },
        runbooks: [{ id, params }],
      }) as unknown as Finding;
    const results = await w.remediation.autoRemediate(incident, [
      finding('shop', 'deployment-rollout-restart', { namespace: 'shop', deployment: 'cart' }),
      finding('shop', 'deployment-scale', {
        namespace: 'shop',
        deployment: 'cart',
        replicas: '3',
        previous_replicas: '2',
      }),
      finding('payments', 'deployment-rollout-restart', { namespace: 'payments', deployment: 'api' }),
    ]);
    expect(results).toHaveLength(1);
    const first = results[0];
    if (!first?.ok) throw new Error(`auto run refused: ${JSON.stringify(first)}`);
    expect(first.phase).toBe('running');
    await w.until(ended(w, first.runId), 900);
    const s = w.state(first.runId);
    expect(s.phase).toBe('succeeded');
    expect(s.verification?.result).toBe('passed');
    expect(w.lastCard(first.runId)).toContain('automatic fix in this namespace');
    expect(w.finalText(first.runId)).toContain('is done and verified');
    expect(w.store.timeline.list(incidentId).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['approval_requested', 'run_started', 'verified', 'run_ended']),
    );
    expect(
      w.store.audit
        .list({ action: 'tool:k8s.workload_restart' })
        .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true),
    ).toHaveLength(1);
  });
});
