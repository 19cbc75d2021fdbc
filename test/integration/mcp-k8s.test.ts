/** Every Kubernetes tool through the ToolHost against the cluster simulator (client-node over loopback HTTP). */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingFor } from '../../src/approvals/binding.js';
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
const llm = { kind: 'llm' } as const;
const runbook = { kind: 'runbook', person: 'ou_boss' } as const;

let prod: ClusterSimulator;
let staging: ClusterSimulator;
let store: Store;
let host: McpToolHost;

function kubeConfigFor(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(url));
  return kc;
}

beforeAll(async () => {
  prod = await startClusterSimulator();
  staging = await startClusterSimulator();
  seedShop(prod.store);
  staging.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'canary' } });
  const deps: KubeDeps = {
    clusters: new Map([
      ['prod', clientsFor(kubeConfigFor(prod.url), 'prod')],
      ['staging', clientsFor(kubeConfigFor(staging.url), 'staging')],
    ]),
    defaultCluster: 'prod',
    now: () => NOW,
  };
  store = Store.open(':memory:');
  host = await McpToolHost.start({
    builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
    policy: { ...DEFAULT_POLICY, people: [{ id: 'ou_boss', roles: ['approver'] }] },
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

function ok(r: ToolResult) {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r, null, 1)}`);
  return r;
}
const call = (
  tool: string,
  args: Record<string, unknown>,
  caller: Parameters<McpToolHost['call']>[2] = llm,
  opts = {},
) => host.call(`k8s.${tool}`, args, caller, opts);
/** An approval bound to exactly this call, granted by an approver. */
const approvedFor = (tool: string, args: Record<string, unknown>) => grant(host, store, `k8s.${tool}`, args, NOW);
// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects in assertions
const obj = (kind: string, ns: string | undefined, name: string): any => prod.store.get(kind, ns, name);

describe('Kubernetes read tools', () => {
  it('lists the tools with classes and truthful annotations', () => {
    const byName = new Map(host.list().map((t) => [t.name, t]));
    expect(byName.get('k8s.resources_list')).toMatchObject({ safetyClass: 'read', supportsDryRun: false });
    expect(byName.get('k8s.workload_scale')).toMatchObject({ safetyClass: 'write', supportsDryRun: true });
    expect(byName.get('k8s.pod_delete')).toMatchObject({ safetyClass: 'destructive', supportsDryRun: true });
    expect(host.list()).toHaveLength(17);
  });

  it('lists pods with status columns, and filters by label selector', async () => {
    const r = ok(await call('resources_list', { kind: 'po', namespace: 'shop' }));
    expect(r.text).toContain(
      'name=checkout-7d9f8b6c5-x2x9q namespace=shop ready=0/1 status=CrashLoopBackOff restarts=16',
    );
    const cart = ok(await call('resources_list', { kind: 'pods', namespace: 'shop', labelSelector: 'app=cart' }));
    expect(cart.text.split('\n')).toHaveLength(1);
    expect(cart.text).toContain('cart-5c6d7f8b9-abcde');
  });

  it('an empty list says what was searched where', async () => {
    const r = await call('resources_list', { kind: 'deploy', namespace: 'shop', labelSelector: 'app=nothing' });
    expect(r).toMatchObject({
      kind: 'no_data',
      searched: 'deployments matching app=nothing in namespace shop (cluster prod)',
    });
  });

  it('lists other common kinds: deployments, replicasets, nodes, namespaces, configmaps', async () => {
    expect(ok(await call('resources_list', { kind: 'deployment', namespace: 'shop' })).text).toContain('ready=1/2');
    expect(ok(await call('resources_list', { kind: 'rs', namespace: 'shop' })).text).toContain('checkout-6b7c9d8e7');
    expect(ok(await call('resources_list', { kind: 'nodes' })).text).toContain(
      'name=node-1 status=Ready version=v1.31.2',
    );
    expect(ok(await call('resources_list', { kind: 'ns' })).text).toContain('name=shop');
    expect(ok(await call('resources_list', { kind: 'cm', namespace: 'shop' })).text).toContain(
      'keys=application.properties,FEATURE_X',
    );
  });

  it('secrets: names only in lists, key names only in gets — never data', async () => {
    const list = ok(await call('resources_list', { kind: 'secret', namespace: 'shop' }));
    expect(list.text).toBe('name=db namespace=shop type=Opaque');
    const get = ok(await call('resource_get', { kind: 'secret', name: 'db', namespace: 'shop' }));
    expect(get.data).toMatchObject({ keys: ['password', 'host'] });
    const all = JSON.stringify(get);
    expect(all).not.toContain(Buffer.from('Pg_pr0d_9f8a7b6c').toString('base64'));
    expect(all).not.toContain('Pg_pr0d_9f8a7b6c');
  });

  it('get masks credentials in pod env and ConfigMap data', async () => {
    const pod = ok(await call('resource_get', { kind: 'pod', name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' }));
    expect(JSON.stringify(pod)).not.toContain('Pg_pr0d_9f8a7b6c');
    expect(pod.text).toContain('"LOG_LEVEL"');
    const cm = ok(await call('resource_get', { kind: 'configmap', name: 'checkout-config', namespace: 'shop' }));
    expect(JSON.stringify(cm)).not.toContain('Pg_pr0d_9f8a7b6c');
    expect(cm.text).toContain('server.port=8080');
  });

  it('a missing object is an error with the request, status 404 and the Status body', async () => {
    const r = await call('resource_get', { kind: 'deployment', name: 'payments', namespace: 'shop' });
    expect(r).toMatchObject({ kind: 'error', code: 'upstream_error' });
    if (r.kind !== 'error') return;
    expect(r.upstream?.status).toBe(404);
    expect(r.upstream?.request).toBe('GET /apis/apps/v1/namespaces/shop/deployments/payments (cluster prod)');
    expect(r.upstream?.body).toContain('NotFound');
    expect(r.message).toContain('not found');
  });

  it('describe shows container state and the object’s events', async () => {
    const r = ok(await call('resource_describe', { kind: 'pod', name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' }));
    expect(r.text).toContain('restarts=16');
    expect(r.text).toContain('CrashLoopBackOff');
    expect(r.text).toContain('reason=BackOff');
    expect(r.text).toContain('Back-off restarting failed container checkout');
  });

  it('pod logs: tail, grep, credentials masked, no_data when nothing matches', async () => {
    const r = ok(await call('pod_logs', { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop', tail: 3 }));
    expect(r.text.split('\n')).toHaveLength(3);
    expect(r.text).not.toContain('Pg_pr0d_9f8a7b6c');
    expect(r.text).toContain('postgres://checkout:[REDACTED]@db.shop:5432/orders');
    const fatal = ok(
      await call('pod_logs', { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop', grep: 'fatal|error' }),
    );
    expect(fatal.text.split('\n')).toHaveLength(2);
    const none = await call('pod_logs', { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop', grep: 'panic' });
    expect(none).toMatchObject({ kind: 'no_data' });
    if (none.kind === 'no_data') expect(none.searched).toContain('log of shop/checkout-7d9f8b6c5-x2x9q');
  });

  it('pod logs through the host: a catastrophic grep returns promptly; an unsupported one says why', async () => {
    const pod = 'checkout-7d9f8b6c5-x2x9q';
    prod.store.appendLog('shop', pod, 'checkout', `${'a'.repeat(1500)}!`);
    const started = performance.now();
    const r = await call('pod_logs', { name: pod, namespace: 'shop', grep: '(a+)+$' });
    expect(r.kind).toBe('no_data');
    expect(performance.now() - started).toBeLessThan(3000);
    const look = await call('pod_logs', { name: pod, namespace: 'shop', grep: '(?=a)a' });
    expect(look).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    if (look.kind === 'error') expect(look.message).toContain('lookahead and lookbehind are not supported');
  });

  it('events for one object, Warnings only', async () => {
    const r = ok(
      await call('events_list', { namespace: 'shop', kind: 'Pod', name: 'checkout-7d9f8b6c5-x2x9q', type: 'Warning' }),
    );
    expect(r.text).toContain('type=Warning reason=BackOff object=Pod/checkout-7d9f8b6c5-x2x9q');
    const none = await call('events_list', { namespace: 'shop', kind: 'Pod', name: 'cart-5c6d7f8b9-abcde' });
    expect(none.kind).toBe('no_data');
  });

  it('rollout status and history', async () => {
    expect(ok(await call('rollout_status', { name: 'checkout', namespace: 'shop' })).text).toBe(
      'progressing: 1 of 2 updated replicas are available',
    );
    expect(ok(await call('rollout_status', { name: 'coredns', namespace: 'kube-system' })).text).toBe(
      'done: deployment "coredns" successfully rolled out',
    );
    const h = ok(await call('rollout_history', { name: 'checkout', namespace: 'shop' }));
    expect(h.data).toMatchObject({
      revisions: [
        { revision: 1, changeCause: 'release 1.4.1', images: ['checkout=registry.example.com/shop/checkout:1.4.1'] },
        { revision: 2, changeCause: 'release 1.4.2' },
      ],
    });
  });

  it('logs of the previous container instance', async () => {
    prod.store.appendLog('shop', 'cart-5c6d7f8b9-abcde', 'cart', 'panic: nil map write');
    prod.store.rotateLogs('shop', 'cart-5c6d7f8b9-abcde', 'cart');
    prod.store.appendLog('shop', 'cart-5c6d7f8b9-abcde', 'cart', 'INFO started again');
    const prev = ok(await call('pod_logs', { name: 'cart-5c6d7f8b9-abcde', namespace: 'shop', previous: true }));
    expect(prev.text).toBe('panic: nil map write');
    const cur = ok(await call('pod_logs', { name: 'cart-5c6d7f8b9-abcde', namespace: 'shop', container: 'cart' }));
    expect(cur.text).toBe('INFO started again');
  });

  it('top says plainly when the metrics API is not there', async () => {
    const r = await call('top', { target: 'pods', namespace: 'shop' });
    expect(r).toMatchObject({ kind: 'no_data' });
    if (r.kind === 'no_data') expect(r.searched).toContain('metrics API is not available');
  });
});

describe('Kubernetes write tools', () => {
  it('scale: an LLM call becomes an approval request carrying the dry-run diff; nothing changes', async () => {
    const r = await call('workload_scale', { name: 'checkout', namespace: 'shop', replicas: 5 });
    expect(r).toMatchObject({
      kind: 'approval_required',
      preview: { dryRun: true, changes: [{ path: 'spec.replicas', from: 2, to: 5 }] },
    });
    expect(obj('Deployment', 'shop', 'checkout').spec.replicas).toBe(2);
  });

  it('scale: with an approval the runbook changes it, and the audit row says who and what', async () => {
    const args = { name: 'checkout', namespace: 'shop', replicas: 3 };
    const r = ok(await call('workload_scale', args, runbook, await approvedFor('workload_scale', args)));
    expect(r.text).toContain('changed deployment shop/checkout (cluster prod):\n  spec.replicas: 2 → 3');
    expect(obj('Deployment', 'shop', 'checkout').spec.replicas).toBe(3);
    expect(store.audit.list({ action: 'tool:k8s.workload_scale' })[0]).toMatchObject({
      actor: 'ou_boss',
      decision: 'allow',
      target: 'shop/checkout',
    });
  });

  it('restart: dry run shows the restartedAt annotation and leaves the template alone', async () => {
    const r = ok(await call('workload_restart', { name: 'checkout', namespace: 'shop' }, runbook, { dryRun: true }));
    expect(r.dryRun).toBe(true);
    expect(r.text).toContain(
      'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt: null → "2026-11-25T08:00:00.000Z"',
    );
    expect(obj('Deployment', 'shop', 'checkout').spec.template.metadata.annotations).toBeUndefined();
    const args = { name: 'checkout', namespace: 'shop' };
    ok(await call('workload_restart', args, runbook, await approvedFor('workload_restart', args)));
    expect(
      obj('Deployment', 'shop', 'checkout').spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
    ).toBe('2026-11-25T08:00:00.000Z');
  });

  it('set image and set resources: dry runs show exactly the container fields that would change', async () => {
    const img = ok(
      await call(
        'set_image',
        {
          name: 'checkout',
          namespace: 'shop',
          container: 'checkout',
          image: 'registry.example.com/shop/checkout:1.4.3',
        },
        runbook,
        { dryRun: true },
      ),
    );
    expect(img.data).toMatchObject({
      changes: [
        {
          path: 'spec.template.spec.containers[checkout].image',
          from: 'registry.example.com/shop/checkout:1.4.2',
          to: 'registry.example.com/shop/checkout:1.4.3',
        },
      ],
    });
    const res = ok(
      await call(
        'set_resources',
        { name: 'checkout', namespace: 'shop', container: 'checkout', limits: { memory: '512Mi' } },
        runbook,
        { dryRun: true },
      ),
    );
    expect(res.text).toContain('spec.template.spec.containers[checkout].resources.limits.memory: null → "512Mi"');
    expect(obj('Deployment', 'shop', 'checkout').spec.template.spec.containers[0].image).toBe(
      'registry.example.com/shop/checkout:1.4.2',
    );
    const wrong = await call(
      'set_image',
      { name: 'checkout', namespace: 'shop', container: 'web', image: 'nginx:1' },
      runbook,
      {
        dryRun: true,
      },
    );
    expect(wrong).toMatchObject({ kind: 'error' });
    if (wrong.kind === 'error') expect(wrong.message).toContain('containers: checkout');
  });

  it('rollback returns the template of the previous revision', async () => {
    const dry = ok(
      await call('deployment_rollback', { name: 'checkout', namespace: 'shop' }, runbook, { dryRun: true }),
    );
    expect(dry.text).toContain('rollback checkout from revision 2 to 1');
    expect(dry.text).toContain('checkout:1.4.2" → "registry.example.com/shop/checkout:1.4.1"');
    const back = { name: 'checkout', namespace: 'shop', toRevision: 1 };
    ok(await call('deployment_rollback', back, runbook, await approvedFor('deployment_rollback', back)));
    const tpl = obj('Deployment', 'shop', 'checkout').spec.template;
    expect(tpl.spec.containers[0].image).toBe('registry.example.com/shop/checkout:1.4.1');
    expect(tpl.metadata.labels['pod-template-hash']).toBeUndefined();
    const nine = { name: 'checkout', namespace: 'shop', toRevision: 9 };
    const bad = await call('deployment_rollback', nine, runbook, await approvedFor('deployment_rollback', nine));
    expect(bad).toMatchObject({ kind: 'error' });
  });

  it('pod delete: dry run keeps the pod and names its owner; approved delete removes it', async () => {
    const dry = ok(
      await call('pod_delete', { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' }, runbook, { dryRun: true }),
    );
    expect(dry.text).toContain('dry run — would delete pod shop/checkout-7d9f8b6c5-x2x9q');
    expect(dry.text).toContain('ReplicaSet checkout-7d9f8b6c5 will create a replacement');
    expect(obj('Pod', 'shop', 'checkout-7d9f8b6c5-x2x9q')).toBeDefined();
    const pod = { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' };
    const approved = await approvedFor('pod_delete', pod);
    const llmTry = await call('pod_delete', pod, llm, approved);
    expect(llmTry.kind).toBe('approval_required');
    ok(await call('pod_delete', pod, runbook, approved));
    expect(obj('Pod', 'shop', 'checkout-7d9f8b6c5-x2x9q')).toBeUndefined();
  });

  it('cordon and uncordon a node', async () => {
    const dry = ok(await call('node_cordon', { name: 'node-1' }, runbook, { dryRun: true }));
    expect(dry.text).toContain('spec.unschedulable: false → true');
    expect(obj('Node', undefined, 'node-1').spec.unschedulable).toBeUndefined();
    ok(await call('node_cordon', { name: 'node-1' }, runbook, await approvedFor('node_cordon', { name: 'node-1' })));
    expect(obj('Node', undefined, 'node-1').spec.unschedulable).toBe(true);
    expect(ok(await call('resources_list', { kind: 'node' })).text).toContain('Ready,SchedulingDisabled');
    ok(
      await call('node_uncordon', { name: 'node-1' }, runbook, await approvedFor('node_uncordon', { name: 'node-1' })),
    );
    expect(obj('Node', undefined, 'node-1').spec.unschedulable).toBe(false);
  });

  it('writes into kube-system are denied, even approved', async () => {
    const args = { name: 'coredns', namespace: 'kube-system', replicas: 0 };
    const binding = bindingFor({ tool: 'k8s.workload_scale', args, cluster: undefined, namespace: 'kube-system' });
    const r = await call('workload_scale', args, runbook, { approvalId: approve(store, binding, NOW) });
    expect(r).toMatchObject({ kind: 'denied', decision: { rule: 'protected_namespace' } });
    expect(obj('Deployment', 'kube-system', 'coredns').spec.replicas).toBe(2);
  });
});

describe('clusters and hardening', () => {
  it('a tool can name another configured cluster; an unknown one is refused with the known names', async () => {
    expect(ok(await call('resources_list', { kind: 'ns', cluster: 'staging' })).text).toContain('name=canary');
    expect(ok(await call('resources_list', { kind: 'ns' })).text).not.toContain('canary');
    const r = await call('resources_list', { kind: 'ns', cluster: 'dev' });
    expect(r).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    if (r.kind === 'error') expect(r.message).toBe('unknown cluster dev; configured clusters: prod, staging');
  });

  it('no argument can redirect the API server, credentials or identity', async () => {
    for (const extra of [
      { server: 'http://127.0.0.1:1' },
      { kubeconfig: '/etc/passwd' },
      { context: 'other' },
      { as: 'system:admin' },
      { token: 'x' },
    ]) {
      const r = await call('resources_list', { kind: 'pod', namespace: 'shop', ...extra });
      expect(r).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    }
    const traversal = await call('resource_get', { kind: 'pod', name: '../../secrets/db', namespace: 'shop' });
    expect(traversal).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    const sel = await call('resources_list', { kind: 'pod', namespace: 'shop', labelSelector: 'app=x&watch=true' });
    expect(sel).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
  });
});
