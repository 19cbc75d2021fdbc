/**
 * Undo: a succeeded run that can be undone offers it on its card; the click requests the runbook's rollback
 * steps as a run of their own, with a new approval and its own card — nothing changes until it is approved —
 * and approving it restores the previous value. A run that cannot be undone says why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVER, OPERATOR, type RunbookWorld, runbookWorld } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: simulator object
const replicas = (x: RunbookWorld): number => (x.sim.store.get('Deployment', 'shop', 'cart') as any).spec.replicas;
const ended = (x: RunbookWorld, id: string) => () =>
  ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(x.state(id).phase);

describe('undo', () => {
  it('runs the rollback steps as a new approved run', async () => {
    w = await runbookWorld();
    const before = replicas(w);
    await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'cart', replicas: '4', previous_replicas: String(before) },
    });
    const runId = w.latestRunId();
    await w.approve(runId);
    await w.until(ended(w, runId), 900);
    expect(w.state(runId).phase).toBe('succeeded');
    expect(replicas(w)).toBe(4);
    expect(w.lastCard(runId)).toContain('"action":"rollback"');

    const undo = await w.click(OPERATOR, { action: 'rollback', runId }, w.cardMessage(runId));
    expect(undo.toast?.content).toBe('Undo requested: the rollback steps of Scale a deployment need an approval.');
    const undoId = w.latestRunId();
    expect(undoId).not.toBe(runId);
    expect(w.state(undoId).phase).toBe('awaiting_approval');
    expect(replicas(w)).toBe(4);
    await w.approve(undoId);
    await w.until(ended(w, undoId), 900);
    expect(w.state(undoId).phase).toBe('succeeded');
    expect(replicas(w)).toBe(before);
    // the undo has no undo of its own
    expect(w.lastCard(undoId)).not.toContain('"action":"rollback"');
  });

  it('a run that cannot be undone says why', async () => {
    w = await runbookWorld();
    await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-rollout-restart',
      params: { namespace: 'shop', deployment: 'cart' },
    });
    const runId = w.latestRunId();
    const r = await w.click(APPROVER, { action: 'rollback', runId }, w.cardMessage(runId));
    expect(r.toast?.content).toMatch(
      /^Nothing to undo: run run-\S+ is awaiting_approval, and its runbook has no rollback steps$/,
    );
  });
});
