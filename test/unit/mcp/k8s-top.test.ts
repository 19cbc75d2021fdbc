/** `top` against a loopback API server that does serve metrics.k8s.io (the cluster simulator does not). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../../src/mcp/host.js';
import { clientsFor } from '../../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../../src/mcp/policy.js';
import { silentLogger } from '../../../src/shared/log.js';

const PODS = {
  kind: 'PodMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  items: [
    {
      metadata: { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' },
      containers: [{ name: 'checkout', usage: { cpu: '912m', memory: '498Mi' } }],
    },
  ],
};
const NODES = {
  kind: 'NodeMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  items: [{ metadata: { name: 'node-1' }, usage: { cpu: '1830m', memory: '6120Mi' } }],
};

let api: Server;
let host: McpToolHost;
const paths: string[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    paths.push(req.url ?? '');
    const body = req.url?.startsWith('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods')
      ? PODS
      : req.url?.startsWith('/apis/metrics.k8s.io/v1beta1/nodes')
        ? NODES
        : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }),
    );
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'm', server: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'm', cluster: 'm', user: 'u' }],
    currentContext: 'm',
  });
  host = await McpToolHost.start({
    builtIns: [
      {
        name: 'k8s',
        server: createKubernetesServer({
          clusters: new Map([['m', clientsFor(kc, 'm')]]),
          defaultCluster: 'm',
          now: Date.now,
        }),
      },
    ],
    policy: DEFAULT_POLICY,
    log: silentLogger(),
    now: Date.now,
  });
});
afterAll(async () => {
  await host.close();
  await new Promise((resolve) => api.close(resolve));
});

describe('top', () => {
  it('pods in a namespace, with a label selector passed through', async () => {
    const r = await host.call(
      'k8s.top',
      { target: 'pods', namespace: 'shop', labelSelector: 'app=checkout' },
      { kind: 'llm' },
    );
    expect(r).toMatchObject({ kind: 'ok', text: 'name=checkout-7d9f8b6c5-x2x9q namespace=shop cpu=912m memory=498Mi' });
    expect(paths.at(-1)).toBe('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods?labelSelector=app%3Dcheckout');
  });

  it('nodes', async () => {
    const r = await host.call('k8s.top', { target: 'nodes' }, { kind: 'llm' });
    expect(r).toMatchObject({ kind: 'ok', text: 'name=node-1 cpu=1830m memory=6120Mi' });
  });
});
