/**
 * Every tool call has a deadline that stops the work: the Kubernetes and Prometheus requests a call made are
 * cancelled on the wire, whether the server's own deadline fires (standalone) or the host gives up (in the bot).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor } from '../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import { createPrometheusServer } from '../../src/mcp/prometheus/server.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
let api: RecordingProxy;
let prom: RecordingProxy;

function kubeDeps() {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(api.url));
  return { clusters: new Map([['prod', clientsFor(kc, 'prod')]]), defaultCluster: 'prod', now: () => NOW };
}

async function hostWith(servers: { k8s?: number; prometheus?: number }, timeoutMs: number) {
  return McpToolHost.start({
    builtIns: [
      { name: 'k8s', server: createKubernetesServer(kubeDeps(), { deadlineMs: servers.k8s ?? 60_000 }) },
      {
        name: 'prometheus',
        server: createPrometheusServer(
          { baseUrl: prom.url, timeoutMs: 60_000, now: () => NOW },
          { deadlineMs: servers.prometheus ?? 60_000 },
        ),
      },
    ],
    policy: DEFAULT_POLICY,
    log: silentLogger(),
    now: () => NOW,
    timeoutMs,
  });
}

async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

beforeAll(async () => {
  api = await startRecordingProxy(undefined, { hang: true });
  prom = await startRecordingProxy(undefined, { hang: true });
});
afterAll(async () => {
  await api?.close();
  await prom?.close();
});

describe('tool call deadlines', () => {
  it('the server deadline stops a Kubernetes call and cancels its request', async () => {
    const host = await hostWith({ k8s: 300 }, 10_000);
    try {
      const started = Date.now();
      const r = await host.call('k8s.resources_list', { kind: 'pods', namespace: 'shop' }, { kind: 'llm' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(r).toMatchObject({ kind: 'error', code: 'timeout' });
      if (r.kind === 'error') expect(r.message).toContain('deadline of 300 ms');
      await until(() => api.aborted.length > 0);
      expect(api.aborted[0]).toMatchObject({
        method: 'GET',
        path: expect.stringContaining('/api/v1/namespaces/shop/pods'),
      });
      expect(api.aborted[0]?.afterMs).toBeLessThan(3000);
    } finally {
      await host.close();
    }
  });

  it('the host giving up cancels the call in the server, and so the Prometheus request', async () => {
    const host = await hostWith({}, 300);
    try {
      const r = await host.call('prometheus.query', { query: 'up' }, { kind: 'llm' });
      expect(r).toMatchObject({ kind: 'error', code: 'timeout' });
      await until(() => prom.aborted.length > 0);
      expect(prom.aborted).toHaveLength(1);
      expect(prom.aborted[0]?.path).toContain('/api/v1/query');
    } finally {
      await host.close();
    }
  });

  it('after a stopped call the server serves the next one', async () => {
    const host = await hostWith({ k8s: 200 }, 10_000);
    try {
      const first = await host.call('k8s.pod_logs', { name: 'x', namespace: 'shop' }, { kind: 'llm' });
      const second = await host.call('k8s.events_list', { namespace: 'shop' }, { kind: 'llm' });
      expect([first.kind, second.kind]).toEqual(['error', 'error']);
      if (second.kind === 'error') expect(second.code).toBe('timeout');
    } finally {
      await host.close();
    }
  });
});
