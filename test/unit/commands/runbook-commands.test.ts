import { describe, expect, it } from 'vitest';
import { bench, deniedAudit, FakeLauncher, fakeTools, ok } from './harness.js';

const REQUESTED = (target: string) => expect.stringContaining(`requested for ${target} (run run_1)`);

describe('/restart', () => {
  it('requests a rollout restart of a named deployment, as the person, from the command', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    expect(await send('/restart deploy/web -n shop')).toEqual([REQUESTED('shop/deployment/web')]);
    expect(launcher.requests).toEqual([
      expect.objectContaining({
        runbookId: 'deployment-rollout-restart',
        params: { namespace: 'shop', deployment: 'web' },
        requester: expect.objectContaining({ openId: 'ou_admin' }),
        chatId: 'oc_shop',
        replyTo: 'om_1',
        source: 'command',
      }),
    ]);
    expect(launcher.requests[0]?.incidentId).toBeUndefined();
  });

  it('a pod restarts through pod-restart, with the owning deployment read from the cluster', async () => {
    const launcher = new FakeLauncher();
    const { tools, calls } = fakeTools({
      'k8s.resource_get': () =>
        ok('k8s.resource_get', {
          metadata: {
            labels: { 'pod-template-hash': '5f6d7c8b9' },
            ownerReferences: [{ kind: 'ReplicaSet', name: 'api-server-5f6d7c8b9' }],
          },
        }),
    });
    const { send } = bench({ launcher, tools });
    expect(await send('/restart po/api-server-5f6d7c8b9-abcde --namespace=shop')).toEqual([
      'Working on it…',
      REQUESTED('shop/pod/api-server-5f6d7c8b9-abcde'),
    ]);
    expect(calls).toEqual([
      ['k8s.resource_get', { kind: 'pod', name: 'api-server-5f6d7c8b9-abcde', namespace: 'shop' }],
    ]);
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'pod-restart',
      params: { namespace: 'shop', pod: 'api-server-5f6d7c8b9-abcde', deployment: 'api-server' },
    });
  });

  it('without cluster tools the deployment of a pod comes from its name; a name without the pattern is refused', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    await send('/restart pod/web-7d9f8b6c5-x2x9q -n shop');
    expect(launcher.requests[0]?.params).toEqual({ namespace: 'shop', pod: 'web-7d9f8b6c5-x2x9q', deployment: 'web' });
    expect((await send('/restart po/standalone -n shop'))[0]).toContain('Could not tell which deployment owns');
    expect(launcher.requests).toHaveLength(1);
  });

  it('in an incident thread the incident, its deployment and namespace are implied', async () => {
    const launcher = new FakeLauncher();
    const { send, id, threadOf } = bench({ launcher });
    expect(await send('/restart', threadOf(id))).toEqual([REQUESTED('shop/deployment/checkout')]);
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'deployment-rollout-restart',
      params: { namespace: 'shop', deployment: 'checkout' },
      incidentId: id,
    });
    // A named deployment in the thread still carries the incident, in its namespace.
    await send('/restart deploy/cart', threadOf(id));
    expect(launcher.requests[1]).toMatchObject({ params: { namespace: 'shop', deployment: 'cart' }, incidentId: id });
  });

  it('bad arguments get the usage or say what is missing; nothing is requested', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    expect(await send('/restart svc/web -n shop')).toEqual(['Usage: /restart deploy/<name> | po/<name> [-n ns]']);
    expect(await send('/restart deploy/Web_1 -n shop')).toEqual(['Usage: /restart deploy/<name> | po/<name> [-n ns]']);
    expect((await send('/restart deploy/web'))[0]).toContain('Which namespace?');
    expect((await send('/restart'))[0]).toContain('Which Deployment?');
    expect(await send('/restart deploy/web -n shop --force')).toEqual([
      'Usage: /restart deploy/<name> | po/<name> [-n ns]',
    ]);
    expect(launcher.requests).toEqual([]);
  });

  it('a viewer is refused with the role needed, audited, and nothing is requested', async () => {
    const launcher = new FakeLauncher();
    const { h, send } = bench({ launcher });
    const [reply] = await send('/restart deploy/web -n shop', { senderOpenId: 'ou_viewer' });
    expect(reply).toContain('operator');
    expect(launcher.requests).toEqual([]);
    expect(deniedAudit(h)).toEqual([{ action: 'command.restart', actor: 'ou_viewer' }]);
  });

  it("the incident's on-call may restart in its thread, though not configured as an operator", async () => {
    const launcher = new FakeLauncher();
    const { send, id, threadOf } = bench({ launcher });
    expect(await send('/restart', { ...threadOf(id), senderOpenId: 'ou_alice' })).toEqual([
      REQUESTED('shop/deployment/checkout'),
    ]);
    expect((await send('/restart deploy/web -n shop', { senderOpenId: 'ou_alice' }))[0]).toContain('operator');
    expect(launcher.requests).toHaveLength(1);
  });

  it('works in p2p and with full-width punctuation and spaces', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    expect(await send('／restart　deploy/web　-n　shop', { chatType: 'p2p', chatId: 'oc_p2p' })).toEqual([
      REQUESTED('shop/deployment/web'),
    ]);
    expect(launcher.requests[0]).toMatchObject({ chatId: 'oc_p2p', params: { deployment: 'web', namespace: 'shop' } });
  });

  it('says plainly when runbooks are not available', async () => {
    const { send } = bench();
    expect(await send('/restart deploy/web -n shop')).toEqual([
      'Runbooks are not available in this deployment, so nothing was changed.',
    ]);
  });

  it("passes the engine's refusal and its phases on in words", async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    launcher.result = { ok: false, code: 'protected_namespace', reason: 'kube-system is protected' };
    expect(await send('/restart deploy/coredns -n kube-system')).toEqual([
      'Runbook deployment-rollout-restart was not started: kube-system is protected',
    ]);
    launcher.result = { ok: true, runId: 'run_2', phase: 'running' };
    expect((await send('/restart deploy/web -n shop'))[0]).toContain('started for shop/deployment/web (run run_2)');
    launcher.result = { ok: true, runId: 'run_2', phase: 'awaiting_approval', duplicate: true };
    expect((await send('/restart deploy/web -n shop'))[0]).toContain('already requested (run run_2');
  });
});

describe('/scale', () => {
  it('reads the current replicas for the rollback and requests deployment-scale', async () => {
    const launcher = new FakeLauncher();
    const { tools, calls } = fakeTools({ 'k8s.resource_get': () => ok('k8s.resource_get', { spec: { replicas: 2 } }) });
    const { send } = bench({ launcher, tools });
    expect(await send('/scale deploy/web 5 -n shop')).toEqual(['Working on it…', REQUESTED('shop/deployment/web')]);
    expect(calls).toEqual([['k8s.resource_get', { kind: 'deployment', name: 'web', namespace: 'shop' }]]);
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'web', replicas: '5', previous_replicas: '2' },
    });
  });

  it('in a thread `/scale N` scales the incident deployment; full-width comma separates', async () => {
    const launcher = new FakeLauncher();
    const { send, id, threadOf } = bench({ launcher });
    await send('/scale 3', threadOf(id));
    expect(launcher.requests[0]).toMatchObject({
      params: { namespace: 'shop', deployment: 'checkout', replicas: '3' },
      incidentId: id,
    });
    await send('／scale deploy/web，04 -n shop');
    expect(launcher.requests[1]?.params).toEqual({ namespace: 'shop', deployment: 'web', replicas: '4' });
  });

  it('a deployment the cluster does not know is reported, not requested', async () => {
    const launcher = new FakeLauncher();
    const { tools } = fakeTools({
      'k8s.resource_get': (a) =>
        ({ kind: 'no_data', tool: 'k8s.resource_get', searched: `deployment ${a.name}` }) as never,
    });
    const { send } = bench({ launcher, tools });
    expect((await send('/scale deploy/ghost 2 -n shop'))[1]).toBe(
      'Could not read shop/deployment/ghost: deployment ghost',
    );
    expect(launcher.requests).toEqual([]);
  });

  it('bad arguments get the usage; a viewer is refused', async () => {
    const launcher = new FakeLauncher();
    const { h, send } = bench({ launcher });
    const usage = 'Usage: /scale deploy/<name> <replicas> [-n ns]';
    for (const bad of [
      '/scale',
      '/scale deploy/web',
      '/scale deploy/web lots -n shop',
      '/scale deploy/web 5000 -n shop',
    ]) {
      expect(await send(bad)).toEqual([usage]);
    }
    expect(await send('/scale po/web 2 -n shop')).toEqual([usage]);
    expect((await send('/scale deploy/web 2 -n shop', { senderOpenId: 'ou_viewer' }))[0]).toContain('operator');
    expect(deniedAudit(h)).toEqual([{ action: 'command.scale', actor: 'ou_viewer' }]);
    expect(launcher.requests).toEqual([]);
  });
});

describe('/rollback', () => {
  it('rolls back to the previous revision, or to the one named', async () => {
    const launcher = new FakeLauncher();
    const { send, id, threadOf } = bench({ launcher });
    await send('/rollback deploy/web -n shop', { chatType: 'p2p' });
    await send('/rollback --to-revision 3', threadOf(id));
    expect(launcher.requests.map((r) => [r.runbookId, r.params, r.incidentId])).toEqual([
      ['deployment-rollback', { namespace: 'shop', deployment: 'web' }, undefined],
      ['deployment-rollback', { namespace: 'shop', deployment: 'checkout', to_revision: '3' }, id],
    ]);
  });

  it('bad arguments get the usage; a viewer is refused', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    const usage = 'Usage: /rollback deploy/<name> [--to-revision N] [-n ns]';
    expect(await send('/rollback deploy/web --to-revision 0 -n shop')).toEqual([usage]);
    expect(await send('/rollback deploy/web --to-revision -n shop')).toEqual([usage]);
    expect(await send('/rollback sts/db -n shop')).toEqual([usage]);
    expect((await send('/rollback deploy/web -n shop', { senderOpenId: 'ou_viewer' }))[0]).toContain('operator');
    expect(launcher.requests).toEqual([]);
  });
});

describe('/run', () => {
  it('runs a runbook with key=value parameters', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    expect(await send('/run hpa-raise-max namespace=shop hpa=web previous_max_replicas=6 max_replicas=12')).toEqual([
      REQUESTED('shop'),
    ]);
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'hpa-raise-max',
      params: { namespace: 'shop', hpa: 'web', previous_max_replicas: '6', max_replicas: '12' },
    });
  });

  it('a value with a slash (a label selector) stays one parameter; a stray word is a usage error', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    await send('/run service-endpoints-check namespace=shop service=web selector=app.kubernetes.io/name=web');
    expect(launcher.requests[0]?.params).toEqual({
      namespace: 'shop',
      service: 'web',
      selector: 'app.kubernetes.io/name=web',
    });
    expect(await send('/run service-endpoints-check namespace=shop stray')).toEqual([
      'Usage: /run <runbook> key=value …',
    ]);
  });

  it('in a thread the incident fills namespace and deployment nobody gave', async () => {
    const launcher = new FakeLauncher();
    const { send, id, threadOf } = bench({ launcher });
    await send('/run deployment-scale replicas=4 previous_replicas=2', threadOf(id));
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'deployment-scale',
      params: { namespace: 'shop', deployment: 'checkout', replicas: '4', previous_replicas: '2' },
      incidentId: id,
    });
  });

  it('an unknown runbook suggests the closest; missing and unknown parameters are named', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    const [unknown] = await send('/run deployment-rollbak');
    expect(unknown).toContain('There is no runbook deployment-rollbak.');
    expect(unknown).toContain('deployment-rollback');
    expect((await send('/run rollback'))[0]).toContain('deployment-rollback');
    expect((await send('/run deployment-scale namespace=shop'))[0]).toBe(
      'Runbook deployment-scale needs deployment, replicas, previous_replicas. Usage: /run deployment-scale namespace=… deployment=… replicas=… previous_replicas=…',
    );
    expect((await send('/run pod-restart namespace=shop pod=a deployment=b colour=red'))[0]).toContain(
      'has no parameter colour',
    );
    expect(await send('/run')).toEqual(['Usage: /run <runbook> key=value …']);
    expect(await send('/run Bad_Id')).toEqual(['Usage: /run <runbook> key=value …']);
    expect(launcher.requests).toEqual([]);
  });

  it('a viewer is refused; without a launcher it says runbooks are not available', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    expect((await send('/run pod-restart pod=a', { senderOpenId: 'ou_viewer' }))[0]).toContain('operator');
    expect(launcher.requests).toEqual([]);
    expect((await bench().send('/run pod-restart pod=a'))[0]).toContain('Runbooks are not available');
  });
});

describe('/runbooks', () => {
  it('lists the catalogue by category as a card; a category narrows it', async () => {
    const launcher = new FakeLauncher();
    const { send } = bench({ launcher });
    const [all] = await send('/runbooks', { senderOpenId: 'ou_viewer' });
    const card = JSON.parse(all as string) as { header: { title: { content: string } } };
    expect(card.header.title.content).toBe('Runbooks');
    for (const rb of launcher.catalogue()) expect(all).toContain(`\`${rb.id}\``);
    expect(Buffer.byteLength(all as string)).toBeLessThan(30 * 1024);
    const [storage] = await send('／runbooks storage');
    expect(storage).toContain('pvc-expand');
    expect(storage).not.toContain('deployment-scale');
    expect((await send('/runbooks data'))[0]).toContain('database-connection-recovery');
    expect((await send('/runbooks plumbing'))[0]).toContain('No category plumbing');
    expect((await bench().send('/runbooks'))[0]).toContain('Runbooks are not available');
  });
});
