/**
 * Cluster simulator API benchmark. Prints, for a store of N pods (default 2000) across 20 namespaces:
 *  1. `GET /api/v1/pods` (all namespaces) as JSON and as a kubectl Table, requests/s and ms per request, against
 *     a bare node:http server answering the same pre-serialised JSON measured in the same run (ratio = ours/bare);
 *  2. a labelSelector list of one namespace;
 *  3. in-process store writes/s (update of a pod's status, which also feeds the watch history).
 * Run: npx tsx scripts/bench/cluster-api.ts   (BENCH_PODS=2000, BENCH_SECONDS=3)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startClusterApiServer } from '../../src/sandbox/cluster/server.js';
import { ClusterStore, type K8sObject } from '../../src/sandbox/cluster/store.js';

const PODS = Number(process.env.BENCH_PODS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function pod(i: number): K8sObject {
  const ns = `ns-${i % 20}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `app-${i}`, namespace: ns, labels: { app: `app-${i % 50}`, tier: 'web' } },
    spec: { nodeName: `node-${i % 5}`, containers: [{ name: 'app', image: `registry/app-${i % 50}:1.0` }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${Math.floor(i / 250)}.${i % 250}`,
      containerStatuses: [{ name: 'app', ready: true, restartCount: i % 3, state: { running: {} } }],
    },
  };
}

async function measure(url: string, accept?: string): Promise<{ rps: number; ms: number; bytes: number }> {
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  let bytes = 0;
  while (performance.now() < end) {
    const res = await fetch(url, accept ? { headers: { accept } } : {});
    bytes = (await res.arrayBuffer()).byteLength;
    n++;
  }
  return { rps: n / SECONDS, ms: (SECONDS * 1000) / n, bytes };
}

const store = new ClusterStore();
for (let i = 0; i < 20; i++) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } });
for (let i = 0; i < PODS; i++) store.create(pod(i));
const server = await startClusterApiServer({ store });

const body = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: store.list('Pod') });
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

const base = await measure(bareUrl);
const json = await measure(`${server.url}/api/v1/pods`);
const table = await measure(`${server.url}/api/v1/pods`, TABLE);
const selected = await measure(`${server.url}/api/v1/namespaces/ns-3/pods?labelSelector=app%20in%20(app-3,app-23)`);
const fmt = (r: { rps: number; ms: number; bytes: number }) =>
  `${r.rps.toFixed(1)} req/s, ${r.ms.toFixed(1)} ms/req, ${(r.bytes / 1024).toFixed(0)} KiB`;
console.log(`pods: ${PODS}`);
console.log(`bare node:http, same JSON      ${fmt(base)}`);
console.log(`GET /api/v1/pods (JSON)        ${fmt(json)}   ratio ${(json.rps / base.rps).toFixed(2)}`);
console.log(`GET /api/v1/pods (Table)       ${fmt(table)}   ratio ${(table.rps / base.rps).toFixed(2)}`);
console.log(`GET one namespace, selector    ${fmt(selected)}`);

const writes = 5000;
const t0 = performance.now();
for (let i = 0; i < writes; i++) {
  const name = `app-${i % PODS}`;
  store.updateStatus('Pod', `ns-${(i % PODS) % 20}`, name, { phase: 'Running', podIP: `10.0.0.${i % 250}` });
}
const wps = writes / ((performance.now() - t0) / 1000);
console.log(`store.updateStatus             ${wps.toFixed(0)} writes/s`);
await server.close();
bare.close();
