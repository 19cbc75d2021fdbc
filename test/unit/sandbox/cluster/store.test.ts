import { describe, expect, it } from 'vitest';
import { isK8sStatusError } from '../../../../src/sandbox/cluster/status.js';
import { ClusterStore, type K8sObject, type WatchEvent } from '../../../../src/sandbox/cluster/store.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

function deployment(name: string, image = 'nginx:1.25', ns = 'default'): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

function pod(name: string, labels: Record<string, string>, extra: Partial<K8sObject> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    ...extra,
  };
}

function statusOf(fn: () => unknown): { code: number; reason: string } {
  try {
    fn();
  } catch (err) {
    if (isK8sStatusError(err)) return { code: err.status.code, reason: err.status.reason };
    throw err;
  }
  throw new Error('expected a Status error');
}

describe('ClusterStore', () => {
  it('assigns identity on create and rejects duplicates with 409 AlreadyExists', () => {
    const store = new ClusterStore({ clock: new FakeClock() });
    const d = store.create(deployment('web'));
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.creationTimestamp).toBe('2026-11-25T08:00:00Z');
    expect(Number(d.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(statusOf(() => store.create(deployment('web')))).toEqual({ code: 409, reason: 'AlreadyExists' });
  });

  it('bumps generation only when spec changes and refuses stale resourceVersions', () => {
    const store = new ClusterStore();
    const d = store.create(deployment('web'));
    const relabelled = store.update({ ...d, metadata: { ...d.metadata, labels: { app: 'web', tier: 'fe' } } });
    expect(relabelled.metadata.generation).toBe(1);
    const scaled = store.update({ ...relabelled, spec: { ...relabelled.spec, replicas: 5 } });
    expect(scaled.metadata.generation).toBe(2);
    expect(Number(scaled.metadata.resourceVersion)).toBeGreaterThan(Number(relabelled.metadata.resourceVersion));
    expect(statusOf(() => store.update(d))).toEqual({ code: 409, reason: 'Conflict' });
    const st = store.updateStatus('Deployment', 'default', 'web', { replicas: 5 });
    expect(st.metadata.generation).toBe(2);
    expect(store.get('Deployment', 'default', 'web')?.status).toEqual({ replicas: 5 });
  });

  it('answers 404 for unknown objects and namespaces, 422 for invalid ones', () => {
    const store = new ClusterStore();
    expect(statusOf(() => store.updateStatus('Pod', 'default', 'nope', {}))).toEqual({ code: 404, reason: 'NotFound' });
    expect(statusOf(() => store.create(deployment('web', 'x', 'missing')))).toEqual({ code: 404, reason: 'NotFound' });
    expect(statusOf(() => store.create(deployment('Bad_Name')))).toEqual({ code: 422, reason: 'Invalid' });
    const mismatched = deployment('web');
    (mismatched.spec as { selector: unknown }).selector = { matchLabels: { app: 'other' } };
    expect(statusOf(() => store.create(mismatched))).toEqual({ code: 422, reason: 'Invalid' });
  });

  it("encodes a secret's stringData into data, as the apiserver does", () => {
    const store = new ClusterStore();
    const s = store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      stringData: { password: 'hunter2' },
    });
    expect(s).toMatchObject({ type: 'Opaque', data: { password: 'aHVudGVyMg==' } });
    expect(s.stringData).toBeUndefined();
  });

  it('dry run validates and returns the object without storing or notifying', () => {
    const store = new ClusterStore();
    const seen: WatchEvent[] = [];
    store.subscribe((e) => seen.push(e));
    const out = store.create(deployment('web'), { dryRun: true });
    expect(out.metadata.name).toBe('web');
    expect(store.get('Deployment', 'default', 'web')).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('lists with label and field selectors across namespaces', () => {
    const store = new ClusterStore();
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    store.create(pod('a', { app: 'web', tier: 'fe' }));
    store.create(pod('b', { app: 'api' }, { spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] } }));
    store.create({ ...pod('c', { app: 'web' }), metadata: { name: 'c', namespace: 'shop', labels: { app: 'web' } } });
    const names = (sel: { labels?: string; fields?: string }, ns?: string) =>
      store.list('Pod', ns, sel).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names({})).toEqual(['default/a', 'default/b', 'shop/c']);
    expect(names({}, 'shop')).toEqual(['shop/c']);
    expect(names({ labels: 'app=web' })).toEqual(['default/a', 'shop/c']);
    expect(names({ labels: 'app==web,tier' })).toEqual(['default/a']);
    expect(names({ labels: 'app!=web' })).toEqual(['default/b']);
    expect(names({ labels: 'app in (api, x)' })).toEqual(['default/b']);
    expect(names({ labels: 'app notin (api),!tier' })).toEqual(['shop/c']);
    expect(names({ fields: 'spec.nodeName=node-1' })).toEqual(['default/b']);
    expect(names({ fields: 'spec.nodeName=' })).toEqual(['default/a', 'shop/c']);
    expect(names({ fields: 'metadata.namespace=shop,status.phase=Pending' })).toEqual(['shop/c']);
    expect(statusOf(() => store.list('Pod', undefined, { labels: 'a b' }))).toEqual({
      code: 400,
      reason: 'BadRequest',
    });
  });

  it('notifies watchers and cascades deletion to owned objects', () => {
    const store = new ClusterStore();
    const d = store.create(deployment('web'));
    const owned = pod('web-1', { app: 'web' });
    owned.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid ?? '' },
    ];
    store.create(owned);
    const seen: string[] = [];
    const stop = store.subscribe((e) => seen.push(`${e.type} ${e.object.kind}/${e.object.metadata.name}`));
    store.delete('Deployment', 'default', 'web');
    stop();
    expect(seen).toEqual(['DELETED Deployment/web', 'DELETED Pod/web-1']);
    expect(store.list('Pod')).toEqual([]);
    const since = store.eventsSince(Number(d.metadata.resourceVersion));
    expect(since?.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'DELETED']);
  });

  it('counts repeats of one event (same object, reason and message) and keeps distinct messages apart', async () => {
    const clock = new FakeClock();
    const store = new ClusterStore({ clock });
    const p = store.create(pod('a', {}));
    store.recordEvent(p, 'BackOff', 'Back-off restarting failed container app', 'Warning');
    await clock.advance(30_000);
    store.recordEvent(p, 'BackOff', 'Back-off restarting failed container app', 'Warning');
    store.recordEvent(p, 'Failed', 'Error: configmap "flags" not found', 'Warning');
    store.recordEvent(p, 'Failed', 'Error: secret "db" not found', 'Warning');
    store.recordEvent(p, 'Pulled', 'Container image pulled');
    const backoff = store.list('Event', 'default', { fields: 'involvedObject.name=a,reason=BackOff' });
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({
      count: 2,
      type: 'Warning',
      firstTimestamp: '2026-11-25T08:00:00Z',
      lastTimestamp: '2026-11-25T08:00:30Z',
      message: 'Back-off restarting failed container app',
      involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' },
    });
    const failed = store.list('Event', 'default', { fields: 'involvedObject.name=a,reason=Failed' });
    expect(failed.map((e) => [e.message, e.count]).sort()).toEqual([
      ['Error: configmap "flags" not found', 1],
      ['Error: secret "db" not found', 1],
    ]);
    expect(store.list('Event')).toHaveLength(4);
  });

  it('keeps the previous container log across a restart and filters tail/since', async () => {
    const clock = new FakeClock();
    const store = new ClusterStore({ clock });
    store.appendLog('default', 'a', 'app', 'boot');
    store.appendLog('default', 'a', 'app', 'panic: out of cheese');
    store.rotateLogs('default', 'a', 'app');
    expect(store.logs('default', 'a', 'app')).toBe('');
    expect(store.logs('default', 'a', 'app', { previous: true })).toBe('boot\npanic: out of cheese\n');
    await clock.advance(60_000);
    store.appendLog('default', 'a', 'app', 'boot again');
    expect(store.logs('default', 'a', 'app', { sinceSeconds: 10 })).toBe('boot again\n');
    expect(store.logs('default', 'a', 'app', { previous: true, tailLines: 1 })).toBe('panic: out of cheese\n');
    expect(store.logs('default', 'a', 'app', { timestamps: true })).toBe('2026-11-25T08:01:00.000000000Z boot again\n');
    expect(store.logs('default', 'b', 'app')).toBeUndefined();
  });
});
