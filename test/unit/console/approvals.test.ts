import { describe, expect, it } from 'vitest';
import { PeopleDirectory } from '../../../src/access/people.js';
import { approvalAction } from '../../../src/console/actions.js';
import { buildConsoleDeps } from '../../../src/console/index.js';
import { approvalsPage } from '../../../src/console/pages/ops.js';
import { incidentDeps } from '../../../src/incidents/context.js';
import type { ApprovalDecider } from '../../../src/ports/remediation.js';
import { testContext } from '../../helpers/app-context.js';

const ALICE = 'ou_84aad35d084aa403a838cf73ee18467a';

function setup(decider?: ApprovalDecider) {
  const app = testContext();
  const actors = new PeopleDirectory([{ id: ALICE, name: 'Alice', roles: ['approver'] }]);
  const deps = buildConsoleDeps({
    config: app.config,
    incidents: incidentDeps(app),
    actors,
    log: app.log,
    metrics: app.metrics,
    ...(decider ? { decider } : {}),
  });
  app.store.approvals.create(
    {
      id: 'ap-1',
      runId: null,
      incidentId: null,
      action: 'runbook:pod-restart',
      params: { pod: 'checkout-1', diff: '- replicas: 3\n+ replicas: 6' },
      requestedBy: ALICE,
      chatId: null,
      expiresAt: app.clock.now() - 1,
    },
    app.clock.now(),
  );
  const viewer = { actor: actors.resolve(ALICE), name: 'Alice', via: 'session' as const, sid: 'sid-0123456789abcdef' };
  return { app, deps, viewer };
}

describe('console approvals', () => {
  it('without an approval engine: says so, shows no buttons, and refuses a decision with 503', async () => {
    const { app, deps, viewer } = setup();
    const html = approvalsPage(deps, 'csrf');
    expect(html).toContain('Approvals unavailable');
    expect(html).toContain('ap-1');
    expect(html).not.toContain('/console/api/approvals/ap-1/approve');
    expect(html).toContain('class="add"');
    expect(html).toContain('expired');
    const r = await approvalAction(deps, viewer, 'ap-1', 'approve');
    expect(r.status).toBe(503);
    expect(app.store.approvals.get('ap-1')?.status).toBe('pending');
  });

  it("passes the engine's own refusal through with its reason", async () => {
    const decider: ApprovalDecider = {
      decide: async () => ({ ok: false, code: 'expired', reason: 'approval ap-1 expired at 08:00' }),
    };
    const { deps, viewer } = setup(decider);
    expect(approvalsPage(deps, 'csrf')).toContain('/console/api/approvals/ap-1/approve');
    const r = await approvalAction(deps, viewer, 'ap-1', 'approve');
    expect(r).toEqual({
      status: 409,
      body: { ok: false, error: 'expired', message: 'approval ap-1 expired at 08:00' },
    });
    expect((await approvalAction(deps, viewer, 'nope', 'approve')).status).toBe(404);
  });
});
