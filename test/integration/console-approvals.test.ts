/**
 * The console against the real runbook engine: a requested run's pending approval shows the server-side dry
 * run, a viewer's approval is refused, and an approver's approval from the console runs the write once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Person } from '../../src/access/actor.js';
import { PeopleDirectory } from '../../src/access/people.js';
import { approvalAction } from '../../src/console/actions.js';
import { buildConsoleDeps } from '../../src/console/index.js';
import { approvalsPage } from '../../src/console/pages/ops.js';
import { incidentDeps } from '../../src/incidents/context.js';
import { loadRun } from '../../src/runbooks/run-record.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { APPROVER, OPERATOR, type RunbookWorld, runbookWorld, VIEWER } from './runbook-world.js';

let w: RunbookWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('console approvals through the runbook engine', () => {
  it('shows the dry run, refuses a viewer, and runs the write once for an approver', async () => {
    w = await runbookWorld();
    const world = w;
    const r = await world.click(OPERATOR, {
      action: 'run_runbook',
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'cart', replicas: '3', previous_replicas: '2' },
    });
    expect(r.toast?.type).toBe('success');
    const runId = world.latestRunId();
    const decisionId = loadRun(world.remediation.deps, runId)?.plan.decisionId as string;
    const actors = new PeopleDirectory(world.config.file.people as Person[]);
    const log = silentLogger();
    const deps = buildConsoleDeps({
      config: world.config,
      incidents: incidentDeps({ config: world.config, store: world.store, clock: world.clock, log }),
      actors,
      log,
      metrics: new Metrics({ defaultMetrics: false }),
      decider: world.remediation.decider,
    });

    const html = approvalsPage(deps, 'csrf');
    expect(html).toContain(`data-approval="${decisionId}"`);
    expect(html).toMatch(/<span class="add">\+ [^<]*replicas[^<]*3<\/span>/);

    const viewer = { actor: actors.resolve(VIEWER), name: 'viewer', via: 'session' as const, sid: 'sid-viewer-000000' };
    const refused = await approvalAction(deps, viewer, decisionId, 'approve');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('approver');
    expect(world.state(runId).phase).toBe('awaiting_approval');

    const approver = {
      actor: actors.resolve(APPROVER),
      name: 'approver',
      via: 'session' as const,
      sid: 'sid-approver-0000',
    };
    const [a, b] = await Promise.all([
      approvalAction(deps, approver, decisionId, 'approve'),
      approvalAction(deps, approver, decisionId, 'approve'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    await world.until(() => ['succeeded', 'failed', 'interrupted'].includes(world.state(runId).phase), 300);
    expect(world.state(runId).phase).toBe('succeeded');
    const scales = world.store.audit
      .list({ action: 'tool:k8s.workload_scale' })
      .filter((x) => x.decision === 'allow' && x.detail.dryRun !== true);
    expect(scales).toHaveLength(1);
    expect(approvalsPage(deps, 'csrf')).not.toContain(`data-approval="${decisionId}"`);
  }, 60_000);
});
