/**
 * What a client asks of the Kubernetes API, in RBAC terms. A recording proxy sits in front of an API server
 * (the cluster simulator) and turns every request into `{apiGroup, resource, verb}` the way the API server's
 * authorizer does — `GET …/pods` is `list pods`, `GET …/pods/x/log` is `get pods/log`, `PATCH
 * …/deployments/x/scale` is `patch deployments/scale` — so a test can compare what the tools really did with
 * what a Role grants.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RbacNeed {
  apiGroup: string;
  /** `pods`, or `pods/log` for a subresource. */
  resource: string;
  verb: string;
  /** Cluster-scoped object or an all-namespaces list: only a ClusterRoleBinding can grant it. */
  clusterWide: boolean;
}

export const needKey = (n: Pick<RbacNeed, 'apiGroup' | 'resource' | 'verb'>) =>
  `${n.apiGroup || 'core'}/${n.resource}:${n.verb}`;

/** `GET /apis/apps/v1/namespaces/shop/deployments?x` → `{apps, deployments, list}`; undefined for discovery. */
export function rbacNeedOf(method: string, rawUrl: string): RbacNeed | undefined {
  const url = new URL(rawUrl, 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] as string;
    rest = parts.slice(3);
  } else return undefined;
  let namespaced = false;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespaced = true;
    rest = rest.slice(2);
  }
  const [resource, name, sub] = rest;
  if (!resource) return undefined;
  const collection = name === undefined;
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const verbs: Record<string, string> = {
    GET: collection ? (watch ? 'watch' : 'list') : 'get',
    HEAD: collection ? 'list' : 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: collection ? 'deletecollection' : 'delete',
  };
  const verb = verbs[method.toUpperCase()];
  if (!verb) return undefined;
  return {
    apiGroup: group,
    resource: sub ? `${resource}/${sub}` : resource,
    verb,
    clusterWide: !namespaced,
  };
}

export interface RecordingProxy {
  url: string;
  /** Every request since the last `take()`, then forgets them. */
  take(): RbacNeed[];
  close(): Promise<void>;
}

/** An HTTP proxy to `target` that records each request as an RBAC need. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  let seen: RbacNeed[] = [];
  const server = createServer((req, res) => {
    const need = rbacNeedOf(req.method ?? 'GET', req.url ?? '/');
    if (need) seen.push(need);
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(err.message);
    });
    req.pipe(out);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
