import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiContext, ApiReply } from './context.js';
import { apiGroupList, apiGroupOf, apiResourceList, apiVersions, VERSION_INFO } from './discovery.js';
import { findResource } from './kinds.js';
import { openApiV3 } from './openapi.js';
import {
  createObject,
  deleteCollection,
  deleteObject,
  getObject,
  listObjects,
  patchObject,
  replaceObject,
} from './resources.js';
import { badRequest, isK8sStatusError, type K8sStatus, K8sStatusError, methodNotAllowed } from './status.js';
import type { ClusterStore } from './store.js';
import { subresource } from './subresources.js';
import { serveWatch } from './watch.js';

export interface ClusterApiServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 3 * 1024 * 1024;
const NAMESPACE_SUBS = new Set(['status', 'finalize']);

function notFoundStatus(): K8sStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  };
}

function send(res: ServerResponse, reply: ApiReply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw badRequest('request entity too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

type Route = { reply: ApiReply } | { ctx: Omit<ApiContext, 'body' | 'store'> };

/** Maps a path to discovery documents or to a resource request. */
function route(method: string, url: URL, req: IncomingMessage, serverAddress: string): Route | undefined {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const ok = (body: unknown): Route => ({ reply: { status: 200, body } });
  if (url.pathname === '/version') return ok(VERSION_INFO);
  if (url.pathname.startsWith('/openapi/v3')) {
    const doc = openApiV3(url.pathname);
    return doc ? ok(doc) : undefined;
  }
  if (['/healthz', '/livez', '/readyz'].includes(url.pathname))
    return { reply: { status: 200, body: 'ok', contentType: 'text/plain' } };
  let group = '';
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return ok(apiVersions(serverAddress));
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return ok(apiGroupList());
    group = parts[1] ?? '';
    if (parts.length === 2) {
      const g = apiGroupOf(group);
      return g ? ok(g) : undefined;
    }
    rest = parts.slice(3);
  } else return undefined;
  const version = (parts[0] === 'api' ? parts[1] : parts[2]) ?? '';
  if (rest.length === 0) {
    const list = apiResourceList(group, version);
    return list ? ok(list) : undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBS.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const r = findResource(group, version, rest[0] ?? '');
  if (!r || (namespace !== undefined && !r.namespaced)) return undefined;
  const [, name, sub] = rest;
  if (sub !== undefined && !r.subresources.includes(sub)) return undefined;
  if (r.namespaced && namespace === undefined && (name !== undefined || method !== 'GET')) return undefined;
  return { ctx: { method, query: url.searchParams, headers: req.headers, r, namespace, name, sub } };
}

function dispatch(ctx: ApiContext): ApiReply {
  if (ctx.sub !== undefined) return subresource(ctx);
  switch (ctx.method) {
    case 'GET':
      return ctx.name === undefined ? listObjects(ctx) : getObject(ctx);
    case 'POST':
      if (ctx.name === undefined) return createObject(ctx);
      break;
    case 'PUT':
      if (ctx.name !== undefined) return replaceObject(ctx);
      break;
    case 'PATCH':
      if (ctx.name !== undefined) return patchObject(ctx);
      break;
    case 'DELETE':
      return ctx.name === undefined ? deleteCollection(ctx) : deleteObject(ctx);
    default:
      break;
  }
  throw methodNotAllowed(`the server does not allow this method on the requested resource`);
}

async function handle(store: ClusterStore, req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://cluster.local');
  const method = (req.method ?? 'GET').toUpperCase();
  const found = route(method, url, req, address);
  if (!found) {
    send(res, { status: 404, body: notFoundStatus() });
    return;
  }
  if ('reply' in found) {
    send(res, found.reply);
    return;
  }
  if (method !== 'GET' && /protobuf|cbor/.test(req.headers['content-type'] ?? ''))
    throw new K8sStatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `the simulated apiserver accepts JSON bodies only, not ${req.headers['content-type']}`,
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  const body = method === 'GET' ? undefined : await readBody(req);
  const ctx: ApiContext = { ...found.ctx, store, body };
  const watch = ctx.query.get('watch');
  if (method === 'GET' && ctx.name === undefined && ctx.sub === undefined && (watch === 'true' || watch === '1')) {
    serveWatch(ctx, res, (finish) => {
      req.on('close', finish);
      res.on('close', finish);
    });
    return;
  }
  send(res, dispatch(ctx));
}

/** Starts the simulated Kubernetes API server on loopback (plain HTTP); port 0 picks a free one. */
export async function startClusterApiServer(opts: {
  store: ClusterStore;
  port?: number;
  host?: string;
  /** Serves non-API paths first (e.g. /metrics); resolves true when it answered the request. */
  extra?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}): Promise<ClusterApiServer> {
  const host = opts.host ?? '127.0.0.1';
  let address = host;
  const server = createServer((req, res) => {
    const served = opts.extra ? opts.extra(req, res) : Promise.resolve(false);
    served
      .then((done) => (done ? undefined : handle(opts.store, req, res, address)))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const status: K8sStatus = isK8sStatusError(err)
          ? err.status
          : { ...notFoundStatus(), message: String(err), reason: 'InternalError', code: 500 };
        send(res, { status: status.code, body: status });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `${host}:${port}`;
  return {
    url: `http://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
