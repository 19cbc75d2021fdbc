import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCodedError } from '../../shared/errors.js';
import { apiGroupList } from './discovery.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics/index.js';
import { nodeMetricsList, podMetrics, podMetricsList } from './metrics/resource-metrics.js';
import type { Pod } from './objects.js';
import type { ClusterStore } from './store.js';
import type { World } from './world.js';

const MAX_BODY = 64 * 1024;

function json(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : {};
}

/**
 * The simulator's own endpoints beside the Kubernetes API: `GET /metrics` (kube-state-metrics-style series for
 * Prometheus), `GET /sandbox/scenarios`, `POST /sandbox/scenarios/<name>` with a JSON target to break the
 * cluster, and `POST /sandbox/scenarios/<name>/recover` for host-side fixes (kubelet back, disk freed). With a
 * world behind it, the resource metrics API too (`/apis/metrics.k8s.io/v1beta1/…`, listed in discovery), so
 * `kubectl top` and the usage tools work; a bare API server has none, as a cluster without metrics-server.
 */
export function worldRoutes(store: ClusterStore, world: World | undefined) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://cluster.local').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === '/metrics' && method === 'GET') {
      const text = renderMetrics(store, world ? { usage: (image) => world.images.profile(image) } : {});
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    if (world && method === 'GET' && (path === '/apis' || path.startsWith('/apis/metrics.k8s.io')))
      return resourceMetrics(store, world, req, res, path);
    if (!path.startsWith('/sandbox/scenarios') || !world) return false;
    if (path === '/sandbox/scenarios' && method === 'GET') return json(res, 200, { scenarios: world.scenarios() });
    const m = /^\/sandbox\/scenarios\/([a-z-]+)(\/recover)?$/.exec(path);
    if (!m || method !== 'POST') return json(res, 404, { error: 'not_found', message: `no route ${method} ${path}` });
    try {
      const target = await readJson(req);
      const outcome = m[2] ? world.recover(m[1] ?? '', target) : world.inject(m[1] ?? '', target);
      return json(res, 200, outcome);
    } catch (err) {
      if (isCodedError(err))
        return json(res, err.code === 'not_found' ? 404 : 400, { error: err.code, message: err.message });
      return json(res, 400, { error: 'bad_request', message: err instanceof Error ? err.message : String(err) });
    }
  };
}

const METRICS_GV = { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' };
const METRICS_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'metrics.k8s.io/v1beta1',
  resources: [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ],
};

function notFound(res: ServerResponse, what: string): true {
  return json(res, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${what} not found`,
    reason: 'NotFound',
    code: 404,
  });
}

/** Discovery of, and reads from, the metrics.k8s.io group. */
function resourceMetrics(
  store: ClusterStore,
  world: World,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  const url = new URL(req.url ?? '/', 'http://cluster.local');
  const labels = url.searchParams.get('labelSelector') ?? undefined;
  const now = store.clock.now();
  const profile = (image: string) => world.images.profile(image);
  if (path === '/apis') {
    const list = apiGroupList() as { groups: unknown[] };
    return json(res, 200, {
      ...list,
      groups: [...list.groups, { name: 'metrics.k8s.io', versions: [METRICS_GV], preferredVersion: METRICS_GV }],
    });
  }
  const parts = path.split('/').filter(Boolean).slice(2); // after apis/metrics.k8s.io
  if (parts.length === 0)
    return json(res, 200, {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'metrics.k8s.io',
      versions: [METRICS_GV],
      preferredVersion: METRICS_GV,
    });
  if (parts[0] !== 'v1beta1') return notFound(res, path);
  const rest = parts.slice(1);
  if (rest.length === 0) return json(res, 200, METRICS_RESOURCES);
  if (rest[0] === 'nodes') {
    const list = nodeMetricsList(store, profile, now, labels) as unknown as { items: { metadata: { name: string } }[] };
    if (rest.length === 1) return json(res, 200, list);
    const one = list.items.find((n) => n.metadata.name === rest[1]);
    return one ? json(res, 200, one) : notFound(res, `nodemetrics.metrics.k8s.io "${rest[1]}"`);
  }
  if (rest[0] === 'pods' && rest.length === 1)
    return json(res, 200, podMetricsList(store, profile, now, undefined, labels));
  if (rest[0] === 'namespaces' && rest[2] === 'pods') {
    const ns = rest[1] ?? '';
    if (rest.length === 3) return json(res, 200, podMetricsList(store, profile, now, ns, labels));
    const pod = store.get('Pod', ns, rest[3] ?? '') as Pod | undefined;
    if (pod?.status?.phase === 'Running') return json(res, 200, podMetrics(pod, profile, now));
    return notFound(res, `podmetrics.metrics.k8s.io "${rest[3]}"`);
  }
  return notFound(res, path);
}
