/**
 * A crash-looping deployment after a bad rollout, fixed end to end: the rollback is requested from a button,
 * the approval card shows the server-side dry run, an approver approves, the rollback runs once through the
 * ToolHost, the verification passes on the simulated cluster, and the card, the final reply, the timeline and
 * the audit log say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVER, OPERATOR, type RunbookWorld, runbookWorld } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const image = (x: RunbookWorld): string =>
  // biome-ignore lint/suspicious/noExplicitAny: reading simulator objects
  (x.sim.store.get('Deployment', 'shop', 'checkout') as any).spec.template.spec.containers[0].image;

describe('deployment rollback, approved on the card', () => {
  it('dry run shown → approved → executed once → verified → card and reply', async () => {
    w = await runbookWorld();
    const good = image(w);
    w.sim.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    await w.run(20);
    expect(image(w)).not.toBe(good);

    const asked = await w.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-rollback',
      params: { namespace: 'shop', deployment: 'checkout' },
    });
    expect(asked.toast).toEqual({
      type: 'success',
      content: 'Approval requested: Roll back a deployment on shop/checkout.',
    });
    const runId = w.latestRunId();
    expect(w.state(runId).phase).toBe('awaiting_approval');
    // the approval card: one send_card, with the dry run's diff and the pods that restart
    const sent = w.outboxOf(runId).filter((o) => o.kind === 'send_card');
    expect(sent).toHaveLength(1);
    const card = JSON.stringify(sent[0]?.payload.card);
    expect(card).toContain('Dry run of Roll back to the target revision');
    expect(card).toContain(good); // the image it returns to
    expect(card).toContain('Pods that will restart');
    expect(card).toContain('"action":"approve"');
    expect(image(w)).not.toBe(good); // a dry run changed nothing

    const ok = await w.approve(runId);
    expect(ok.toast).toEqual({ type: 'success', content: 'Approved: Roll back a deployment is running.' });
    await w.until(() => ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(w?.state(runId).phase ?? ''));
    const s = w.state(runId);
    expect(s.phase).toBe('succeeded');
    expect(s.verification?.result).toBe('passed');
    expect(image(w)).toBe(good);

    // executed once: one applied (non-dry-run) write in the audit log
    const writes = w.store.audit
      .list({ action: 'tool:k8s.deployment_rollback' })
      .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.detail.approvalId).toMatch(/^ap-/);
    // the card now says done; the final reply mentions the requester
    const patches = w.outboxOf(runId).filter((o) => o.kind === 'patch_card');
    expect(JSON.stringify(patches.at(-1)?.payload.card)).toContain('Done — verified');
    const final = w.outboxOf(runId).filter((o) => o.dedupeKey === `run-final:${runId}`);
    expect(final).toHaveLength(1);
    const text = JSON.parse(String(final[0]?.payload.content)).text as string;
    expect(text).toBe(`<at user_id="${OPERATOR}"></at> Roll back a deployment on shop/checkout is done and verified.`);
    // a second click on Approve changes nothing
    const again = await w.approve(runId, APPROVER);
    expect(again.toast?.content).toContain('already approved');
  });
});
