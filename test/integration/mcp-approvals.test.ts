/**
 * Approvals bound to what they approve, through the ToolHost against the cluster simulator: an approval runs
 * exactly the call it names — tool, cluster, namespace, arguments — once.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import type { ToolResult } from '../../src/ports/tools.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';
import { Store } from '../../src/store/index.js';
import { approve, grant } from '../helpers/approvals.js';
import { seedShop } from '../helpers/seed-cluster.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const runbook = { kind: 'runbook', person: 'ou_boss' } as const;
const SCALE_CART = { name: 'cart', namespace: 'shop', replicas: 3 };

let prod: ClusterSimulator;
let staging: ClusterSimulator;
let store: Store;
let host: McpToolHost;

function kc(url: string): KubeConfig {
  const k = new KubeConfig();
  k.loadFromString(kubeconfigYaml(url));
  return k;
}

function addCart(sim: ClusterSimulator, replicas: number) {
  sim.store.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'cart' } },
      template: { metadata: { labels: { app: 'cart' } }, spec: { containers: [{ name: 'cart', image: 'cart:2' }] } },
    },
  });
}

beforeAll(async () => {
  prod = await startClusterSimulator();
  staging = await startClusterSimulator();
  seedShop(prod.store);
  addCart(prod, 1);
  staging.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  addCart(staging, 1);
  prod.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'payments-db-0', namespace: 'shop', labels: { app: 'payments-db' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'postgres', image: 'postgres:16' }] },
    status: { phase: 'Running' },
  });
  const deps: KubeDeps = {
    clusters: new Map([
      ['prod', clientsFor(kc(prod.url), 'prod')],
      ['staging', clientsFor(kc(staging.url), 'staging')],
    ]),
    defaultCluster: 'prod',
    now: () => NOW,
  };
  store = Store.open(':memory:');
  host = await McpToolHost.start({
    builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
    policy: { ...DEFAULT_POLICY, people: [{ id: 'ou_boss', roles: ['approver'] }] },
    clusters: ['prod', 'staging'],
    log: silentLogger(),
    now: () => NOW,
    audit: store.audit,
    approvals: store.approvals,
  });
});

afterAll(async () => {
  await host?.close();
  store?.close();
  await prod?.close();
  await staging?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects in assertions
const replicas = (sim: ClusterSimulator): any => sim.store.get('Deployment', 'shop', 'cart')?.spec?.replicas;
const reasonOf = (r: ToolResult) => (r.kind === 'approval_required' || r.kind === 'denied' ? r.decision.reason : '');

describe('approvals bound to their call', () => {
  it('the approval request names the binding: tool, resolved cluster, namespace, argument hash', async () => {
    const r = await host.call('k8s.workload_scale', SCALE_CART, { kind: 'llm' });
    expect(r).toMatchObject({
      kind: 'approval_required',
      binding: { tool: 'k8s.workload_scale', cluster: 'prod', namespace: 'shop' },
    });
    if (r.kind === 'approval_required') expect(r.binding.argsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an approval for workload_scale shop/cart cannot run pod_delete shop/payments-db-0', async () => {
    const approval = await grant(host, store, 'k8s.workload_scale', SCALE_CART, NOW);
    const r = await host.call('k8s.pod_delete', { name: 'payments-db-0', namespace: 'shop' }, runbook, approval);
    expect(r.kind).toBe('approval_required');
    expect(reasonOf(r)).toContain(`${approval.approvalId} approves k8s.workload_scale, not k8s.pod_delete`);
    expect(prod.store.get('Pod', 'shop', 'payments-db-0')).toBeDefined();
    // the failed attempt did not spend it: the call it names still runs, once
    expect((await host.call('k8s.workload_scale', SCALE_CART, runbook, approval)).kind).toBe('ok');
    expect(replicas(prod)).toBe(3);
  });

  it('an approval runs its call once: the same call again needs a new approval', async () => {
    setReplicas(prod, 1);
    const approval = await grant(host, store, 'k8s.workload_scale', SCALE_CART, NOW);
    expect((await host.call('k8s.workload_scale', SCALE_CART, runbook, approval)).kind).toBe('ok');
    setReplicas(prod, 1);
    const again = await host.call('k8s.workload_scale', SCALE_CART, runbook, approval);
    expect(again.kind).toBe('approval_required');
    expect(reasonOf(again)).toContain('was already used');
    expect(replicas(prod)).toBe(1);
  });

  it('two racing calls with one approval: exactly one runs', async () => {
    const approval = await grant(host, store, 'k8s.workload_restart', { name: 'cart', namespace: 'shop' }, NOW);
    const both = await Promise.all(
      [1, 2].map(() => host.call('k8s.workload_restart', { name: 'cart', namespace: 'shop' }, runbook, approval)),
    );
    expect(both.map((r) => r.kind).sort()).toEqual(['approval_required', 'ok']);
  });

  it('other arguments, another namespace or another cluster are not approved', async () => {
    const approval = await grant(host, store, 'k8s.workload_scale', SCALE_CART, NOW);
    const more = await host.call('k8s.workload_scale', { ...SCALE_CART, replicas: 30 }, runbook, approval);
    expect(reasonOf(more)).toContain('approves other arguments for k8s.workload_scale');
    const elsewhere = await host.call(
      'k8s.workload_scale',
      { ...SCALE_CART, namespace: 'payments' },
      runbook,
      approval,
    );
    expect(reasonOf(elsewhere)).toContain('approves namespace shop, not payments');
    const staged = await host.call('k8s.workload_scale', { ...SCALE_CART, cluster: 'staging' }, runbook, approval);
    expect(reasonOf(staged)).toContain('approves cluster prod, not staging');
    expect(replicas(staging)).toBe(1);
    // naming the default cluster explicitly, or spelling the default kind out, is the same call
    const same = await host.call(
      'k8s.workload_scale',
      { kind: 'deployment', ...SCALE_CART, cluster: 'prod' },
      runbook,
      approval,
    );
    expect(same.kind).toBe('ok');
  });

  it('a dry run under an approval changes nothing and does not spend it', async () => {
    const approval = await grant(host, store, 'k8s.workload_scale', { ...SCALE_CART, replicas: 5 }, NOW);
    const dry = await host.call('k8s.workload_scale', { ...SCALE_CART, replicas: 5 }, runbook, {
      ...approval,
      dryRun: true,
    });
    expect(dry).toMatchObject({ kind: 'ok', dryRun: true });
    expect(store.approvals.get(approval.approvalId)?.usedAt).toBeNull();
  });

  it('pending, rejected, expired and unbound approvals authorise nothing', async () => {
    const asked = await host.call('k8s.workload_scale', SCALE_CART, { kind: 'llm' });
    if (asked.kind !== 'approval_required') throw new Error(asked.kind);
    const expired = approve(store, asked.binding, NOW, 'ou_boss', { expiresAt: NOW - 1 });
    expect(reasonOf(await host.call('k8s.workload_scale', SCALE_CART, runbook, { approvalId: expired }))).toContain(
      'has expired',
    );
    store.approvals.create({ ...row('ap-pending'), binding: asked.binding }, NOW);
    expect(
      reasonOf(await host.call('k8s.workload_scale', SCALE_CART, runbook, { approvalId: 'ap-pending' })),
    ).toContain('ap-pending is pending');
    store.approvals.decide('ap-pending', 'rejected', 'ou_boss', NOW);
    expect(
      reasonOf(await host.call('k8s.workload_scale', SCALE_CART, runbook, { approvalId: 'ap-pending' })),
    ).toContain('ap-pending is rejected');
    store.approvals.create(row('ap-runbook'), NOW);
    store.approvals.decide('ap-runbook', 'approved', 'ou_boss', NOW);
    expect(
      reasonOf(await host.call('k8s.workload_scale', SCALE_CART, runbook, { approvalId: 'ap-runbook' })),
    ).toContain('ap-runbook approves no tool call');
  });
});

function setReplicas(sim: ClusterSimulator, n: number) {
  const d = structuredClone(sim.store.get('Deployment', 'shop', 'cart'));
  if (!d) throw new Error('no deployment cart');
  (d.spec as { replicas: number }).replicas = n;
  sim.store.update(d);
}

function row(id: string) {
  return {
    id,
    runId: null,
    incidentId: null,
    action: 'run_runbook',
    params: {},
    requestedBy: 'ou_op',
    chatId: null,
    expiresAt: null,
  };
}
