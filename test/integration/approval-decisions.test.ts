/**
 * Who may decide, and that a decision is taken once: a high-risk run needs two different approvers and the
 * requester's own click is refused; a viewer, an operator, a stranger and a click from another card are refused
 * with a toast that says why and change nothing; fifty racing Approve clicks run the write once; a pending
 * approval expires on the timer and its card says so; a rejection runs nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, APPROVER, APPROVER2, OPERATOR, type RunbookWorld, runbookWorld, VIEWER } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects
const node = (x: RunbookWorld, name: string): any => x.sim.store.get('Node', undefined, name);
const writes = (x: RunbookWorld, tool: string) =>
  x.store.audit.list({ action: `tool:${tool}` }).filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);

async function request(x: RunbookWorld, who: string, runbookId: string, params: Record<string, string>) {
  const r = await x.click(who, { action: 'run_runbook', runbookId, params });
  return { toast: r.toast, runId: r.toast?.type === 'success' ? x.latestRunId() : undefined };
}

describe('approvals', () => {
  it('high risk: two different approvers, and the requester never counts', async () => {
    w = await runbookWorld();
    const { runId } = await request(w, APPROVER, 'node-cordon-drain', { node: 'node-2' });
    if (!runId) throw new Error('not requested');
    const card = JSON.stringify(w.outboxOf(runId)[0]?.payload.card);
    expect(card).toContain('2 approver(s) needed');

    const own = await w.approve(runId, APPROVER);
    expect(own.toast).toEqual({
      type: 'error',
      content: 'Not decided: you requested this high-risk run; the requester never counts as its approver',
    });
    const first = await w.approve(runId, APPROVER2);
    expect(first.toast?.content).toBe('Your approval is recorded (1/2); waiting for another approver.');
    const twice = await w.approve(runId, APPROVER2);
    expect(twice.toast?.content).toContain('you already approved');
    expect(w.state(runId).phase).toBe('awaiting_approval');
    expect(node(w, 'node-2').spec?.unschedulable).toBeFalsy();

    const second = await w.approve(runId, ADMIN);
    expect(second.toast?.content).toMatch(/^Approved: .+ is running\.$/);
    await w.until(() => ['succeeded', 'failed', 'interrupted'].includes(w?.state(runId).phase ?? ''), 300);
    expect(w.state(runId)).toMatchObject({ phase: 'succeeded', approvedBy: [APPROVER2, ADMIN] });
    expect(node(w, 'node-2').spec.unschedulable).toBe(true);
    expect(writes(w, 'k8s.node_drain')).toHaveLength(1);
    const decision = w.store.approvals.ofRun(runId).find((a) => a.binding === null);
    expect(w.store.approvals.votes.list(decision?.id ?? '').map((v) => v.voter)).toEqual([APPROVER2, ADMIN]);
  });

  it('refuses a viewer, an operator, a stranger and a click from another card, and changes nothing', async () => {
    w = await runbookWorld();
    const { runId } = await request(w, OPERATOR, 'deployment-scale', {
      namespace: 'shop',
      deployment: 'cart',
      replicas: '3',
      previous_replicas: '2',
    });
    if (!runId) throw new Error('not requested');
    expect((await w.approve(runId, VIEWER)).toast).toEqual({
      type: 'error',
      content: 'Not decided: This needs the approver role (you have viewer); ask an admin to add it under people.',
    });
    expect((await w.approve(runId, OPERATOR)).toast?.content).toContain(
      'This needs the approver role (you have operator)',
    );
    expect((await w.approve(runId, 'ou_stranger00001')).toast?.content).toContain('This needs the approver role');
    const decisionId = w.store.approvals.ofRun(runId)[0]?.id;
    const forged = await w.click(APPROVER, { action: 'approve', approvalId: decisionId }, 'om_some_other_card');
    expect(forged.toast?.content).toContain('this card does not show approval');
    expect(w.state(runId).phase).toBe('awaiting_approval');
    const denied = w.store.audit.list({ action: 'approval.approve' }).filter((a) => a.decision === 'denied');
    expect(denied).toHaveLength(4);
    // an approver may not approve their own low-risk request (approvals.low.allow_self is false)
    const own = await request(w, APPROVER, 'deployment-rollout-restart', { namespace: 'shop', deployment: 'frontend' });
    if (!own.runId) throw new Error('not requested');
    expect((await w.approve(own.runId, APPROVER)).toast?.content).toBe(
      'Not decided: you requested this run; at low risk the requester may not approve it (approvals.low.allow_self)',
    );
    // a viewer may not even ask
    const viewerAsks = await request(w, VIEWER, 'deployment-rollout-restart', {
      namespace: 'shop',
      deployment: 'cart',
    });
    expect(viewerAsks.toast?.content).toContain('This needs the operator role');
  });

  it('fifty racing Approve clicks take one decision and run the write once', async () => {
    w = await runbookWorld();
    const { runId } = await request(w, OPERATOR, 'deployment-scale', {
      namespace: 'shop',
      deployment: 'cart',
      replicas: '3',
      previous_replicas: '2',
    });
    if (!runId) throw new Error('not requested');
    const clicks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w?.approve(runId, i % 2 === 0 ? APPROVER : APPROVER2)),
    );
    expect(clicks.filter((c) => c?.toast?.content.startsWith('Approved:'))).toHaveLength(1);
    await w.until(() => ['succeeded', 'failed', 'interrupted'].includes(w?.state(runId).phase ?? ''), 900);
    expect(writes(w, 'k8s.workload_scale')).toHaveLength(1);
    // biome-ignore lint/suspicious/noExplicitAny: simulator object
    expect((w.sim.store.get('Deployment', 'shop', 'cart') as any).spec.replicas).toBe(3);
  });

  it('a pending approval expires on the timer; the card says expired and nothing runs', async () => {
    w = await runbookWorld({ yaml: 'approvals: { expire_after: 10m }\n' });
    const { runId } = await request(w, OPERATOR, 'deployment-rollout-restart', {
      namespace: 'shop',
      deployment: 'cart',
    });
    if (!runId) throw new Error('not requested');
    await w.clock.advance(9 * 60_000);
    expect(w.state(runId).phase).toBe('awaiting_approval');
    await w.clock.advance(61_000);
    expect(w.state(runId).phase).toBe('expired');
    expect(w.lastCard(runId)).toContain('Expired');
    expect((await w.approve(runId)).toast?.content).toContain('expired');
    expect(writes(w, 'k8s.workload_restart')).toHaveLength(0);
    expect(w.finalText(runId)).toContain('expired; nothing was run');
    expect(w.store.approvals.ofRun(runId).map((a) => a.status)).toEqual(['expired', 'expired']);
  });

  it('a rejection runs nothing and says who rejected', async () => {
    w = await runbookWorld();
    const { runId } = await request(w, OPERATOR, 'deployment-rollout-restart', {
      namespace: 'shop',
      deployment: 'cart',
    });
    if (!runId) throw new Error('not requested');
    expect((await w.reject(runId, APPROVER)).toast?.content).toBe('Rejected: nothing will run.');
    expect(w.state(runId)).toMatchObject({ phase: 'rejected', rejected: { by: APPROVER } });
    expect((await w.approve(runId, APPROVER2)).toast?.content).toContain('already rejected');
    expect(writes(w, 'k8s.workload_restart')).toHaveLength(0);
  });
});
