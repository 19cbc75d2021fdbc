/**
 * Verification decides a run: a change that does not fix the crash loop fails its verification, the rollback
 * steps run (once) and the card, the final reply and the timeline say so; a check that cannot be observed
 * (Prometheus not configured) ends the run as "cannot verify" — never as success, and without a rollback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATOR, type RunbookWorld, runbookWorld } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects
const checkout = (x: RunbookWorld): any => x.sim.store.get('Deployment', 'shop', 'checkout');
const memoryLimit = (x: RunbookWorld): string | undefined =>
  checkout(x).spec.template.spec.containers[0].resources?.limits?.memory;
const ended = (x: RunbookWorld, id: string) => () =>
  ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(x.state(id).phase);

describe('verification', () => {
  it('a failed verification runs the rollback steps and reports it', async () => {
    w = await runbookWorld({ metrics: { instant: async () => [{ labels: {}, value: 0.2 }] } });
    const before = memoryLimit(w);
    w.sim.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    await w.run(20);
    const incidentId = w.incident();
    const asked = await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'raise-memory-limit',
      incidentId,
      params: {
        namespace: 'shop',
        deployment: 'checkout',
        container: 'checkout',
        memory_limit: '1Gi',
        previous_memory_limit: before ?? '256Mi',
      },
    });
    expect(asked.toast?.type).toBe('success');
    const runId = w.latestRunId();
    await w.approve(runId);
    await w.until(() => w?.state(runId).phase === 'verifying', 60);
    expect(memoryLimit(w)).toBe('1Gi');
    await w.until(ended(w, runId), 1500, 2000);

    const s = w.state(runId);
    expect(s.phase).toBe('rolled_back');
    expect(s.verification?.result).toBe('failed');
    expect(s.history.map((h) => [h.section, h.stepId, h.outcome.result])).toEqual([
      ['steps', 'raise-limit', 'ok'],
      ['rollback', 'restore-limit', 'ok'],
    ]);
    expect(memoryLimit(w)).toBe(before ?? '256Mi');
    const applied = w.store.audit
      .list({ action: 'tool:k8s.set_resources' })
      .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
    expect(applied).toHaveLength(2); // the change and its rollback, each once
    const final = w.outboxOf(runId).find((o) => o.dedupeKey === `run-final:${runId}`);
    expect(JSON.parse(String(final?.payload.content)).text).toContain('did not hold');
    const lastCard = w
      .outboxOf(runId)
      .filter((o) => o.kind === 'patch_card')
      .at(-1);
    expect(JSON.stringify(lastCard?.payload.card)).toContain('Rolled back');
    const kinds = w.store.timeline.list(incidentId).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'approval_requested',
        'approved',
        'run_started',
        'step_done',
        'verification_failed',
        'rolled_back',
        'run_ended',
      ]),
    );
  }, 120_000);

  it('"cannot verify" without Prometheus is reported as such, never as success, and rolls nothing back', async () => {
    w = await runbookWorld();
    const runId = await (async () => {
      await w.click(OPERATOR, {
        action: 'run_runbook',
        runbookId: 'raise-memory-limit',
        params: {
          namespace: 'shop',
          deployment: 'cart',
          container: 'cart',
          memory_limit: '512Mi',
          previous_memory_limit: '256Mi',
        },
      });
      return w.latestRunId();
    })();
    await w.approve(runId);
    await w.until(ended(w, runId), 1500, 5000);
    const s = w.state(runId);
    expect(s.phase).toBe('failed');
    expect(s.verification).toMatchObject({ result: 'cannot_verify' });
    expect(s.verification?.detail).toContain('Prometheus is not configured');
    expect(s.history.map((h) => h.section)).toEqual(['steps']);
    const final = w.outboxOf(runId).find((o) => o.dedupeKey === `run-final:${runId}`);
    expect(JSON.parse(String(final?.payload.content)).text).toContain('cannot verify');
  }, 120_000);
});
