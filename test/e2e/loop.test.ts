/**
 * The whole loop against real Prometheus and Alertmanager: a release with a bad image → pods fail → Prometheus
 * fires → Alertmanager sends → one P2 incident card → Investigate → the diagnosis names the image and the
 * revision that introduced it → its rollback is run from the diagnosis card → the approval card shows the dry
 * run → a viewer's click is refused, an approver's accepted → the rollback runs once → pods heal → verification
 * passes → Prometheus resolves → Alertmanager sends resolved → the card is resolved → the incident report is
 * posted in the thread.
 *
 * `deployment-rollback` verifies that restarts stayed stopped for 5 minutes; here that window is 3 s (the
 * runbook as loaded, not the file, is changed), so the test runs in about a minute of real time.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadedRunbooks } from '../../src/runbooks/loader.js';
import { type E2E, skipReason, startE2E } from './harness.js';

vi.mock('../../src/runbooks/loader.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/runbooks/loader.js')>();
  return {
    ...real,
    loadRunbooks: (...args: Parameters<typeof real.loadRunbooks>): LoadedRunbooks => {
      const loaded = real.loadRunbooks(...args);
      const rollback = loaded.runbooks.get('deployment-rollback');
      if (rollback)
        for (const check of rollback.verification?.checks ?? [])
          if (check.type === 'check_resource' && check.stable_for) check.stable_for = '3s';
      return loaded;
    },
  };
});

const onCheckout = (labels: Record<string, string>) =>
  labels.namespace === 'shop' && (labels.pod ?? labels.deployment ?? '').startsWith('checkout');

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}
interface Deployment {
  metadata: { generation: number };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number };
}

describe.skipIf(skipReason !== undefined)('the whole loop, bad image to incident report', { timeout: 150_000 }, () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 60_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  it('bad image → card → Investigate → diagnosis → Run rollback → approval → healed → verified → resolved → report', async () => {
    const people = e2e.sandbox.identity.people;
    const bob = people.find((p) => p.roles.includes('approver') && p.openId !== e2e.alice)?.openId ?? '';
    const carol = people.find((p) => p.roles.includes('viewer'))?.openId ?? '';
    const deployment = async () =>
      (await (
        await fetch(`${e2e.sandbox.cluster.url}/apis/apps/v1/namespaces/shop/deployments/checkout`)
      ).json()) as Deployment;
    const goodImage = (await deployment()).spec.template.spec.containers[0]?.image ?? '';
    const broken = e2e.sandbox.breakMenu.breakIt('image-pull', { namespace: 'shop', deployment: 'checkout' });
    const badImage = /now runs (\S+),/.exec(broken.done)?.[1] ?? '';
    expect(badImage).toMatch(/-rc\.1$/);

    // Prometheus fires, Alertmanager sends, one P2 card.
    const fired = await e2e.until('Alertmanager to notify a firing checkout alert', () =>
      e2e.notifications().find((n) => n.body.alerts.some((a) => a.status === 'firing' && onCheckout(a.labels))),
    );
    expect(fired.status).toBe(200);
    const card = await e2e.card('one incident card for shop/checkout', (c) => c.includes('· shop/checkout'), 60_000);
    expect(card.content).toContain('[P2]');

    // Investigate: the diagnosis in the card's thread names the image and the revision that brought it.
    const investigate = await e2e.click(card, 'investigate');
    expect(investigate.toast?.type).toBe('success');
    const diagnosis = await e2e.card('the diagnosis in the incident thread', (c) =>
      c.includes('Diagnosis of incident #1'),
    );
    expect(diagnosis.parentId).toBe(card.messageId);
    // The kubelet reports ErrImagePull first, then ImagePullBackOff; the click may land on either.
    expect(diagnosis.content).toMatch(
      new RegExp(`(ImagePullBackOff|ErrImagePull) for image ${badImage.replace(/[.]/g, '\\.')}`),
    );
    expect(diagnosis.content).toContain('It began after revision 2');
    expect(diagnosis.content).toContain(`Changed in revision 2 &#40;previous 1&#41; — kubectl set image`);
    expect(diagnosis.content).toContain(
      'deployment-rollback&#40;namespace=shop, deployment=checkout, to&#95;revision=1',
    );

    // Its Run button asks for approval; the approval card carries the server-side dry run.
    const run = await e2e.clickWhere(
      diagnosis,
      (v) => v.action === 'run_runbook' && v.runbookId === 'deployment-rollback',
    );
    expect(run.toast).toEqual({
      type: 'success',
      content: 'Approval requested: Roll back a deployment on shop/checkout.',
    });
    const approval = await e2e.card('the approval card', (c) => c.includes('Waiting for approval'));
    expect(approval.content).toContain(
      '**Dry run of Roll back to the target revision** (server-side; nothing has changed yet)',
    );
    expect(approval.content).toContain(`\`\\"${badImage}\\"\` → \`\\"${goodImage}\\"\``);
    const app = e2e.app();
    const writes = () =>
      app.ctx.store.audit
        .list({ action: 'tool:k8s.deployment_rollback' })
        .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
    expect(writes()).toEqual([]);

    // A viewer is refused; an approver's click runs it.
    const refused = await e2e.click(approval, 'approve', carol);
    expect(refused.toast?.type).toBe('error');
    expect(writes()).toEqual([]);
    const ok = await e2e.click(approval, 'approve', bob);
    expect(ok.toast).toEqual({ type: 'success', content: 'Approved: Roll back a deployment is running.' });
    // A second click of the same button (a double click, a redelivery) runs nothing more.
    const approvalId = /"approvalId":"([^"]+)"/.exec(approval.content)?.[1];
    const again = await e2e.sandbox.feishu.clickButton({
      messageId: approval.messageId,
      operator: bob,
      value: { action: 'approve', approvalId },
    });
    expect(again.toast?.type).not.toBe('success');

    // Pods heal on the good image; the verification passes.
    await e2e.until('checkout to run the previous image on every ready pod', async () => {
      const d = await deployment();
      return d.spec.template.spec.containers[0]?.image === goodImage &&
        d.status.observedGeneration === d.metadata.generation &&
        d.status.updatedReplicas === d.spec.replicas &&
        d.status.readyReplicas === d.spec.replicas
        ? d
        : undefined;
    });
    const verified = await e2e.card('the run card verified', (c) => c.includes('Done — verified'));
    expect(verified.messageId).toBe(approval.messageId);
    expect(verified.content).toContain('✅ Roll back to the target revision — rollback checkout from revision 2 to 1');
    expect(verified.content).toContain('**Verification** passed');

    // Prometheus resolves, Alertmanager sends resolved, the card is resolved.
    await e2e.until('Prometheus to have no checkout alert left', async () => {
      const res = (await (await fetch(`${e2e.sandbox.alerting?.prometheusUrl}/api/v1/alerts`)).json()) as {
        data: { alerts: PromAlert[] };
      };
      return res.data.alerts.some((a) => onCheckout(a.labels)) ? undefined : true;
    });
    const resolvedSent = await e2e.until('Alertmanager to send the resolved checkout alerts', () =>
      e2e.notifications().find((n) => n.body.alerts.some((a) => a.status === 'resolved' && onCheckout(a.labels))),
    );
    expect(resolvedSent.status).toBe(200);
    await e2e.until('the incident card resolved', () =>
      e2e.sandbox.feishu.message(card.messageId)?.content.includes('"Resolved"'),
    );

    // The incident report, once, in the card's thread, telling what was done.
    const report = await e2e.card('the incident report', (c) => c.includes('Incident report #1'));
    expect(report.parentId).toBe(card.messageId);
    expect(report.content).toContain('deployment-rollback');
    expect(writes()).toHaveLength(1);
    expect(app.ctx.store.runbookRuns.inStates(['succeeded'])).toHaveLength(1);
    expect(e2e.cards().filter((m) => m.content.includes('[P2]'))).toHaveLength(1);
  });
});
