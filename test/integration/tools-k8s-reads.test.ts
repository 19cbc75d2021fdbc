/**
 * The investigation read tools against the simulated demo cluster with its control plane running: the overview,
 * HPA status, what changed in a namespace (a rollout's template diff, ConfigMap and Secret writes by key name
 * only), PVC status, and container usage against limits from the resource metrics API — which `kubectl top`
 * reads from the simulator too. Through the ToolHost, so redaction and caps apply as for the LLM.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import type { ToolResult } from '../../src/ports/tools.js';
import { type ClusterSimulator, type K8sObject, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml, writeKubeconfig } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';
import { KUBECTL } from '../helpers/deploy-render.js';
import { FakeClock } from '../helpers/fake-clock.js';

let sim: ClusterSimulator;
let clock: FakeClock;
let host: McpToolHost;
const llm = { kind: 'llm' } as const;

async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await clock.advance(5000);
    sim.tick();
  }
  if (!done()) throw new Error('the simulated cluster did not settle');
}
type Conditions = { status?: { conditions?: { type: string; status: string }[] } };
const ready = (ns: string, app: string) =>
  sim.store
    .list('Pod', ns)
    .filter(
      (p) =>
        p.metadata.labels?.app === app &&
        (p as Conditions).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
function ok(r: ToolResult) {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r, null, 1)}`);
  return r;
}
const call = (tool: string, args: Record<string, unknown>) => host.call(`k8s.${tool}`, args, llm);

beforeAll(async () => {
  clock = new FakeClock();
  sim = await startClusterSimulator({ clock, world: { tickMs: 0 } });
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(sim.url));
  const deps: KubeDeps = {
    clusters: new Map([['sim', clientsFor(kc, 'sim')]]),
    defaultCluster: 'sim',
    now: () => clock.now(),
  };
  host = await McpToolHost.start({
    builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
    policy: DEFAULT_POLICY,
    log: silentLogger(),
    now: () => clock.now(),
  });
  await settle(() => ready('shop', 'checkout') === 3 && ready('shop', 'frontend') >= 2);
}, 30_000);
afterAll(async () => {
  await host?.close();
  await sim?.close();
});

describe('investigation read tools', () => {
  it('cluster_overview: nodes with readiness and cordon state, namespaces with unhealthy pods', async () => {
    const node = sim.store.get('Node', undefined, 'node-2') as K8sObject;
    sim.store.update({ ...node, spec: { ...node.spec, unschedulable: true } });
    const r = ok(await call('cluster_overview', {}));
    const data = r.data as {
      nodes: { name: string; ready: string; schedulable: string }[];
      namespaces: { namespace: string; pods: number }[];
    };
    expect(data.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'node-1', ready: 'True', schedulable: 'yes' }),
        expect.objectContaining({ name: 'node-2', schedulable: 'no (cordoned)' }),
      ]),
    );
    expect(data.namespaces.find((n) => n.namespace === 'shop')?.pods).toBeGreaterThanOrEqual(7);
    expect(r.text).toMatch(/^cluster sim: 2 node\(s\), \d+ namespace\(s\), \d+ pod\(s\)/);
    sim.store.update({ ...(sim.store.get('Node', undefined, 'node-2') as K8sObject), spec: node.spec });
  });

  it('hpa_status: replicas against min/max, the metric against its target, conditions; one HPA needs a namespace', async () => {
    await settle(() =>
      Boolean(
        (sim.store.get('HorizontalPodAutoscaler', 'shop', 'frontend')?.status as { currentMetrics?: unknown })
          ?.currentMetrics,
      ),
    );
    const r = ok(await call('hpa_status', { namespace: 'shop' }));
    const row = (r.data as { items: Record<string, unknown>[] }).items[0];
    expect(row).toMatchObject({ name: 'frontend', target: 'Deployment/frontend', min: 2, max: 5 });
    expect(String(row?.metrics)).toMatch(/^cpu \d+%\/70%$/);
    expect(String(row?.conditions)).toContain('ScalingActive=True');
    const bad = await call('hpa_status', { name: 'frontend' });
    expect(bad).toMatchObject({ kind: 'error', message: expect.stringContaining('name needs namespace') });
    const none = await call('hpa_status', { namespace: 'payments' });
    expect(none).toMatchObject({ kind: 'no_data' });
  });

  it('recent_changes: a rollout with the template fields it changed; ConfigMap and Secret writes by key name, never a value', async () => {
    await clock.advance(3_600_000); // the demo cluster was made an hour before
    sim.tick();
    const since = clock.now();
    await clock.advance(60_000);
    // A release, written the way kubectl set image would.
    const d = sim.store.get('Deployment', 'shop', 'checkout') as K8sObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    const first = d.spec.template.spec.containers[0];
    if (first) first.image = 'registry.local/shop/checkout:2.4.0';
    sim.store.update(d);
    await settle(
      () => sim.store.list('ReplicaSet', 'shop').filter((rs) => rs.metadata.name.startsWith('checkout-')).length === 2,
    );
    await clock.advance(60_000);
    sim.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pricing-token', namespace: 'shop' },
      stringData: { TOKEN: 'sk-live-abcdef0123456789abcdef' },
    } as K8sObject);
    const cm = sim.store.get('ConfigMap', 'shop', 'checkout-config') as K8sObject;
    sim.store.update({
      ...cm,
      metadata: {
        ...cm.metadata,
        managedFields: [
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            time: new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
          },
        ],
      },
      data: { ...(cm.data as object), LOG_LEVEL: 'debug' },
    } as K8sObject);
    const minutes = Math.ceil((clock.now() - since) / 60_000) + 1;
    const r = ok(await call('recent_changes', { namespace: 'shop', sinceMinutes: minutes }));
    const changes = (r.data as { changes: { kind: string; name: string; summary: string; detail: string[] }[] })
      .changes;
    expect(changes.map((c) => c.name)).toEqual([
      'configmap/checkout-config',
      'secret/pricing-token',
      'deployment/checkout',
    ]);
    expect(changes[0]?.summary).toBe('updated; keys: LOG_LEVEL, PRICING_API_URL');
    expect(changes[1]?.summary).toBe('created; keys: TOKEN');
    expect(changes[2]?.summary).toMatch(/^revision 2 \(from 1\)/);
    expect(changes[2]?.detail).toEqual([
      'template.spec.containers[checkout].image: "registry.local/shop/checkout:2.3.0" → "registry.local/shop/checkout:2.4.0"',
    ]);
    expect(JSON.stringify(r)).not.toContain('sk-live');
    expect(JSON.stringify(r)).not.toContain('debug');
  });

  it('storage_status: phase, capacity, whether the class can expand, who mounts the claim', async () => {
    sim.store.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'orders', namespace: 'payments' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } },
    } as K8sObject);
    sim.store.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'lost', namespace: 'payments' },
      spec: { storageClassName: 'gold', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as K8sObject);
    await settle(
      () =>
        (sim.store.get('PersistentVolumeClaim', 'payments', 'orders')?.status as { phase?: string })?.phase === 'Bound',
    );
    const r = ok(await call('storage_status', { namespace: 'payments' }));
    const rows = (r.data as { items: Record<string, unknown>[] }).items;
    expect(rows.find((x) => x.name === 'orders')).toMatchObject({
      phase: 'Bound',
      capacity: '8Gi',
      storageClass: 'standard',
      expandable: 'no',
    });
    expect(rows.find((x) => x.name === 'lost')).toMatchObject({
      phase: 'Pending',
      expandable: 'class missing',
      warning: 'ProvisioningFailed: storageclass.storage.k8s.io "gold" not found',
    });
  });

  it('resource_usage: usage against requests and limits from metrics.k8s.io, closest to the memory limit first', async () => {
    const r = ok(await call('resource_usage', { namespace: 'shop' }));
    const rows = (r.data as { items: Record<string, string>[] }).items;
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const checkout = rows.find((x) => x.container === 'checkout');
    expect(checkout).toMatchObject({
      cpuRequest: '100m',
      cpuLimit: '500m',
      memoryRequest: '128Mi',
      memoryLimit: '256Mi',
    });
    expect(checkout?.memoryOfLimit).toMatch(/^\d+%$/);
    const pcts = rows.map((x) => (x.memoryOfLimit === '-' ? -1 : Number.parseInt(x.memoryOfLimit ?? '', 10)));
    expect(pcts).toEqual([...pcts].sort((a, b) => b - a));
    const top = ok(await call('top', { target: 'nodes' }));
    expect((top.data as { items: unknown[] }).items).toHaveLength(2);
  });

  it.skipIf(!KUBECTL)('kubectl top reads the simulator’s metrics API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-top-'));
    try {
      writeKubeconfig(join(dir, 'kubeconfig'), sim.url);
      const out = await new Promise<string>((done, fail) =>
        execFile(
          KUBECTL as string,
          ['top', 'pods', '-n', 'shop', '--kubeconfig', join(dir, 'kubeconfig')],
          { env: { PATH: process.env.PATH, HOME: dir } },
          (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)),
        ),
      );
      expect(out.split('\n')[0]).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
      expect(out).toMatch(/checkout-\S+\s+\d+m\s+\d+Mi/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
