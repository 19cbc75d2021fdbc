/**
 * The process dies mid-run and starts again over the same database and cluster: a run approved but never
 * started runs once; a run stopped inside a read step repeats it; a run stopped after its write reached the
 * cluster is not run again — it is interrupted and the thread is told; a write that never reached the host
 * (its one-use approval unspent) runs once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decideApproval } from '../../src/approvals/decide.js';
import type { ToolHost } from '../../src/ports/tools.js';
import { loadRun } from '../../src/runbooks/run-record.js';
import { eventually } from '../helpers/gateway-app.js';
import { ADMIN, APPROVER, APPROVER2, OPERATOR, type RunbookWorld, restart, runbookWorld } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const never = () => new Promise<never>(() => {});

/**
 * A host on which executing `tool` never returns — after the call was made (`after: true`) or before it. The
 * approval request at planning time (a write without an approval) still gets its answer.
 */
function hangOn(tool: string, after: boolean) {
  return (host: ToolHost): ToolHost => ({
    list: () => host.list(),
    clusters: () => host.clusters?.() ?? [],
    call: async (name, args, caller, options) => {
      const write = host.list().find((t) => t.name === name)?.safetyClass !== 'read';
      const executes = name === tool && (!write || options?.approvalId !== undefined);
      if (!executes) return host.call(name, args, caller, options);
      if (after) await host.call(name, args, caller, options);
      return never();
    },
  });
}

const writes = (x: RunbookWorld, tool: string) =>
  x.store.audit.list({ action: `tool:${tool}` }).filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
const ended = (x: RunbookWorld, id: string) => () =>
  ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(x.state(id).phase);
// biome-ignore lint/suspicious/noExplicitAny: simulator objects
const replicas = (x: RunbookWorld): number => (x.sim.store.get('Deployment', 'shop', 'cart') as any).spec.replicas;

async function scaleRun(x: RunbookWorld): Promise<string> {
  await x.click(OPERATOR, {
    action: 'run_runbook',
    runbookId: 'deployment-scale',
    params: { namespace: 'shop', deployment: 'cart', replicas: '4', previous_replicas: '2' },
  });
  return x.latestRunId();
}

describe('a restart in the middle of a run', () => {
  it('between approval and execution: the run starts after the restart, once, and the thread is told', async () => {
    const first = await runbookWorld();
    const runId = await scaleRun(first);
    first.cardMessage(runId);
    const run = loadRun(first.remediation.deps, runId);
    // the decision is committed, then the process dies before the engine picks the run up
    const d = decideApproval(
      first.remediation.deps,
      run?.plan.decisionId ?? '',
      { openId: APPROVER, person: { id: APPROVER, roles: ['approver'] } },
      'approve',
    );
    expect(d.result).toMatchObject({ ok: true, status: 'approved' });
    first.kill();
    w = await restart(first);
    expect(w.resumed).toEqual([runId]);
    await w.until(ended(w, runId), 900);
    expect(w.state(runId).phase).toBe('succeeded');
    expect(writes(w, 'k8s.workload_scale')).toHaveLength(1);
    expect(replicas(w)).toBe(4);
    const told = w.outboxOf(runId).filter((o) => o.dedupeKey?.startsWith('run-resumed:'));
    expect(told).toHaveLength(1);
  });

  it('inside a write that reached the cluster: not run again; interrupted and the thread is told', async () => {
    const first = await runbookWorld({ wrapTools: hangOn('k8s.workload_scale', true) });
    const runId = await scaleRun(first);
    await first.approve(runId);
    await eventually(() => replicas(first) === 4);
    expect(first.state(runId).cursor?.startedAt).toBeDefined();
    first.kill();
    w = await restart(first);
    expect(w.state(runId).phase).toBe('interrupted');
    expect(w.state(runId).failure?.message).toContain('not run again');
    expect(writes(w, 'k8s.workload_scale')).toHaveLength(1);
    expect(w.finalText(runId)).toContain('was interrupted');
    expect(w.lastCard(runId)).toContain('Interrupted');
  });

  it('inside a write that never reached the host: its approval is unspent, so it runs once after the restart', async () => {
    const first = await runbookWorld({ wrapTools: hangOn('k8s.workload_scale', false) });
    const runId = await scaleRun(first);
    await first.approve(runId);
    await eventually(() => first.state(runId).cursor?.startedAt !== undefined);
    expect(writes(first, 'k8s.workload_scale')).toHaveLength(0);
    first.kill();
    w = await restart(first);
    await w.until(ended(w, runId), 900);
    expect(w.state(runId).phase).toBe('succeeded');
    expect(writes(w, 'k8s.workload_scale')).toHaveLength(1);
  });

  it('between two steps (stopped in the read after the write): the read is repeated, the write is not', async () => {
    const first = await runbookWorld({ wrapTools: hangOn('k8s.resources_list', false) });
    await first.click(APPROVER, { action: 'run_runbook', runbookId: 'node-cordon-drain', params: { node: 'node-2' } });
    const runId = first.latestRunId();
    await first.approve(runId, APPROVER2);
    await first.approve(runId, ADMIN);
    await eventually(() => first.state(runId).cursor?.stepId === 'pods-on-node');
    expect(first.state(runId).cursor?.startedAt).toBeDefined();
    expect(writes(first, 'k8s.node_cordon')).toHaveLength(1);
    first.kill();
    w = await restart(first);
    await w.until(ended(w, runId), 300);
    expect(w.state(runId).phase).toBe('succeeded');
    expect(w.state(runId).history.map((h) => h.stepId)).toEqual(['cordon', 'pods-on-node', 'drain-by-hand']);
    expect(writes(w, 'k8s.node_cordon')).toHaveLength(1);
    expect(w.outboxOf(runId).filter((o) => o.dedupeKey?.startsWith('run-resumed:'))).toHaveLength(1);
  });
});
