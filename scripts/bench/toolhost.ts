/**
 * What the ToolHost costs on top of the Kubernetes client: a read tool call through the host (policy, MCP
 * in-process round trip, zod validation, summarising, redaction, size cap) against the raw client-node call it
 * makes, side by side against the same simulated cluster. Goal: < 2 ms overhead per call.
 *
 *   npx tsx scripts/bench/toolhost.ts [iterations]
 */
import { KubeConfig } from '@kubernetes/client-node';
import { McpToolHost } from '../../src/mcp/host.js';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { createKubernetesServer } from '../../src/mcp/k8s/server.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import { startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { silentLogger } from '../../src/shared/log.js';

const ITERATIONS = Number(process.argv[2] ?? 400);
const WARMUP = 50;
const PODS = 20;

const sim = await startClusterSimulator();
sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
for (let i = 0; i < PODS; i++) {
  sim.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `cart-${i}`, namespace: 'shop', labels: { app: 'cart' } },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'cart', image: 'registry.example.com/shop/cart:2.0.0', env: [{ name: 'DB_PASSWORD', value: 'x' }] },
      ],
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'cart', ready: true, restartCount: i % 3, state: { running: {} } }],
    },
  });
}
const kc = new KubeConfig();
kc.loadFromString(kubeconfigYaml(sim.url));
const clients = clientsFor(kc, 'bench');
const deps: KubeDeps = { clusters: new Map([['bench', clients]]), defaultCluster: 'bench', now: Date.now };
const host = await McpToolHost.start({
  builtIns: [{ name: 'k8s', server: createKubernetesServer(deps) }],
  policy: DEFAULT_POLICY,
  log: silentLogger(),
  now: Date.now,
});

interface Case {
  name: string;
  raw: () => Promise<unknown>;
  host: () => Promise<unknown>;
}
const cases: Case[] = [
  {
    name: `list ${PODS} pods`,
    raw: () => clients.core.listNamespacedPod({ namespace: 'shop' }),
    host: () => host.call('k8s.resources_list', { kind: 'pod', namespace: 'shop' }, { kind: 'llm' }),
  },
  {
    name: 'get one pod',
    raw: () => clients.core.readNamespacedPod({ name: 'cart-7', namespace: 'shop' }),
    host: () => host.call('k8s.resource_get', { kind: 'pod', name: 'cart-7', namespace: 'shop' }, { kind: 'llm' }),
  },
];

const ms = (ns: bigint) => Number(ns) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(
  `ToolHost overhead vs raw @kubernetes/client-node, ${ITERATIONS} interleaved iterations each (warm-up ${WARMUP})`,
);
for (const c of cases) {
  const raw: number[] = [];
  const viaHost: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    // alternate the order so neither side always runs on a warmer cache
    const order = i % 2 === 0 ? ([c.raw, c.host] as const) : ([c.host, c.raw] as const);
    const times: number[] = [];
    for (const fn of order) {
      const t0 = process.hrtime.bigint();
      await fn();
      times.push(ms(process.hrtime.bigint() - t0));
    }
    if (i < WARMUP) continue;
    const [a = 0, b = 0] = times;
    raw.push(i % 2 === 0 ? a : b);
    viaHost.push(i % 2 === 0 ? b : a);
  }
  const overhead = mean(viaHost) - mean(raw);
  console.log(
    `  ${c.name.padEnd(14)} raw mean ${mean(raw).toFixed(3)} ms (p50 ${pct(raw, 0.5).toFixed(3)}, p95 ${pct(raw, 0.95).toFixed(3)})` +
      ` | ToolHost mean ${mean(viaHost).toFixed(3)} ms (p50 ${pct(viaHost, 0.5).toFixed(3)}, p95 ${pct(viaHost, 0.95).toFixed(3)})` +
      ` | overhead ${overhead.toFixed(3)} ms (p50 ${(pct(viaHost, 0.5) - pct(raw, 0.5)).toFixed(3)}), ratio ${(mean(viaHost) / mean(raw)).toFixed(2)}x` +
      ` — goal < 2 ms: ${overhead < 2 ? 'met' : 'NOT met'}`,
  );
}

await host.close();
await sim.close();
