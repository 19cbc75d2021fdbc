import { afterEach, describe, expect, it } from 'vitest';
import { type ClusterApiServer, startClusterApiServer } from '../../../../src/sandbox/cluster/server.js';
import { ClusterStore, type K8sObject } from '../../../../src/sandbox/cluster/store.js';

let server: ClusterApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function cm(name: string, data: Record<string, string> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

/** Reads newline-delimited watch events until `count` arrived or the stream ended. */
async function readEvents(url: string, count: number, headers: Record<string, string> = {}): Promise<unknown[]> {
  const ctl = new AbortController();
  const res = await fetch(url, { signal: ctl.signal, headers });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const events: unknown[] = [];
  let buf = '';
  const decoder = new TextDecoder();
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  }
  ctl.abort();
  return events;
}

describe('watch streams', () => {
  it('resumes after a resourceVersion with only the later events, filtered by selector', async () => {
    const store = new ClusterStore();
    server = await startClusterApiServer({ store });
    store.create(cm('before'));
    const rv = store.resourceVersion();
    store.create(cm('after', { a: '1' }));
    store.update({ ...(store.get('ConfigMap', 'default', 'after') as K8sObject), data: { a: '2' } });
    store.create(cm('other'));
    store.delete('ConfigMap', 'default', 'after');
    const events = (await readEvents(
      `${server.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dafter`,
      3,
    )) as { type: string; object: K8sObject }[];
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${JSON.stringify(e.object.data)}`)).toEqual([
      'ADDED after {"a":"1"}',
      'MODIFIED after {"a":"2"}',
      'DELETED after {"a":"2"}',
    ]);
  });

  it('reports an object leaving or entering the label selector as DELETED and ADDED', async () => {
    const store = new ClusterStore();
    server = await startClusterApiServer({ store });
    const labelled = (name: string, tier: string): K8sObject => ({
      ...cm(name),
      metadata: { name, namespace: 'default', labels: { tier } },
    });
    store.create(labelled('a', 'web'));
    const pending = readEvents(
      `${server.url}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Dweb`,
      4,
    );
    await new Promise((r) => setTimeout(r, 100));
    const relabel = (name: string, tier: string) => {
      const cur = store.get('ConfigMap', 'default', name) as K8sObject;
      store.update({ ...cur, metadata: { ...cur.metadata, labels: { tier } } });
    };
    store.create(labelled('b', 'db'));
    relabel('a', 'db');
    relabel('b', 'web');
    relabel('b', 'web');
    const events = (await pending) as { type: string; object: K8sObject }[];
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'DELETED a',
      'ADDED b',
      'MODIFIED b',
    ]);
  });

  it('answers a too old resourceVersion with a 410 Expired ERROR event', async () => {
    const store = new ClusterStore({ historySize: 2 });
    server = await startClusterApiServer({ store });
    for (const n of ['a', 'b', 'c', 'd']) store.create(cm(n));
    const [ev] = (await readEvents(`${server.url}/api/v1/configmaps?watch=1&resourceVersion=2`, 1)) as {
      type: string;
      object: { code: number; reason: string };
    }[];
    expect(ev).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('starts with ADDED for existing objects and sends Table rows when asked', async () => {
    const store = new ClusterStore();
    server = await startClusterApiServer({ store });
    store.create(cm('one', { k: 'v' }));
    const pending = readEvents(`${server.url}/api/v1/namespaces/default/configmaps?watch=true`, 2, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    await new Promise((r) => setTimeout(r, 100));
    store.create(cm('two'));
    const events = (await pending) as { type: string; object: { kind: string; rows: { cells: unknown[] }[] } }[];
    expect(events.map((e) => [e.type, e.object.kind, e.object.rows[0]?.cells.slice(0, 2)])).toEqual([
      ['ADDED', 'Table', ['one', 1]],
      ['ADDED', 'Table', ['two', 0]],
    ]);
  });
});
