/** The tool layer inside the running app: ctx.tools, the cluster readiness check, start-up without a cluster. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { FakeFeishu } from '../helpers/fake-feishu.js';
import { seedShop } from '../helpers/seed-cluster.js';

let dir: string;
let sim: ClusterSimulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nanobot-tools-'));
  sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig') });
  seedShop(sim.store);
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(extra: Record<string, string>) {
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite`),
    LOG_LEVEL: 'silent',
    SRE_NANOBOT_CONFIG: '',
    ...extra,
  };
  const result = loadConfig(env, { readFile: () => undefined });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return startApp(result.config, {
    log: silentLogger(),
    metrics: new Metrics({ defaultMetrics: false }),
    feishu: new FakeFeishu(() => Date.now()),
  });
}

describe('tool layer in the app', () => {
  it('with a kubeconfig: tools reach the cluster and readiness checks it', async () => {
    const app = await start({ KUBECONFIG: join(dir, 'kubeconfig') });
    try {
      const tools = app.ctx.tools;
      expect(tools?.list().some((t) => t.name === 'k8s.pod_logs')).toBe(true);
      expect(tools?.clusters?.()).toEqual(['default']);
      const r = await tools?.call('k8s.resources_list', { kind: 'pods', namespace: 'shop' }, { kind: 'llm' });
      expect(r?.kind).toBe('ok');
      const base = `http://127.0.0.1:${app.address.port}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const denied = await tools?.call(
        'k8s.workload_scale',
        { name: 'checkout', namespace: 'shop', replicas: 1 },
        { kind: 'llm' },
      );
      expect(denied?.kind).toBe('approval_required');
      expect(app.ctx.store.audit.list({ action: 'tool:k8s.workload_scale' })).toHaveLength(1);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('sre_nanobot_tool_calls_total{tool="k8s.resources_list",result="ok"} 1');
      expect(metrics).toContain('sre_nanobot_tool_calls_total{tool="k8s.workload_scale",result="approval_required"} 1');
    } finally {
      await app.stop();
    }
  });

  it('without any cluster the app starts; cluster tools say none is configured', async () => {
    const app = await start({});
    try {
      const r = await app.ctx.tools?.call('k8s.resources_list', { kind: 'pods' }, { kind: 'llm' });
      expect(r).toMatchObject({ kind: 'error', code: 'not_configured' });
      if (r?.kind === 'error') expect(r.message).toContain('no Kubernetes cluster is configured');
      const q = await app.ctx.tools?.call('prometheus.query', { query: 'up' }, { kind: 'llm' });
      expect(q).toMatchObject({
        kind: 'error',
        code: 'not_configured',
        message: 'Prometheus is not configured: set PROMETHEUS_URL',
      });
      expect((await fetch(`http://127.0.0.1:${app.address.port}/readyz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('a kubeconfig that cannot be read does not stop start-up', async () => {
    const app = await start({ KUBECONFIG: join(dir, 'missing-kubeconfig') });
    try {
      expect(app.ctx.tools?.list().some((t) => t.name === 'prometheus.query')).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('readiness fails when the cluster stops answering', async () => {
    const other = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig-2') });
    const app = await start({ KUBECONFIG: join(dir, 'kubeconfig-2') });
    try {
      await other.close();
      const res = await fetch(`http://127.0.0.1:${app.address.port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { cluster: { ok: false } } });
    } finally {
      await app.stop();
    }
  });
});
