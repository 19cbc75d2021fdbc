import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCodedError } from '../../shared/errors.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics/index.js';
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
 * cluster, and `POST /sandbox/scenarios/<name>/recover` for host-side fixes (kubelet back, disk freed).
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
