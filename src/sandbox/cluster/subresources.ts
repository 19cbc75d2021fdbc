import { type ApiContext, type ApiReply, isDryRun, ok, outward, storeKind } from './context.js';
import { evict } from './eviction.js';
import { resourceRef } from './kinds.js';
import { bodyObject, current, patched } from './resources.js';
import { badRequest, conflict, invalid, methodNotAllowed } from './status.js';
import type { K8sObject } from './store.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

function selectorString(o: K8sObject): string {
  const sel = rec(rec(o.spec).selector);
  return Object.entries(rec(sel.matchLabels))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/** The autoscaling/v1 Scale view of a deployment or replicaset. */
function scaleOf(o: K8sObject): K8sObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = o.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(rec(o.spec).replicas ?? 0) },
    status: { replicas: Number(rec(o.status).replicas ?? 0), selector: selectorString(o) },
  };
}

function scale(ctx: ApiContext): ApiReply {
  const cur = current(ctx);
  if (ctx.method === 'GET') return ok(scaleOf(cur));
  const wanted =
    ctx.method === 'PATCH' ? patched(ctx, scaleOf(cur)) : ctx.method === 'PUT' ? (ctx.body as K8sObject) : undefined;
  if (!wanted) throw methodNotAllowed(`${ctx.method} is not supported on ${ctx.r.resource}/scale`);
  const replicas = rec(wanted.spec).replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw invalid({ resource: ctx.r.resource, group: 'autoscaling', kind: 'Scale' }, cur.metadata.name, [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  const rv = rec(wanted.metadata).resourceVersion;
  const next: K8sObject = { ...cur, spec: { ...cur.spec, replicas } };
  next.metadata.resourceVersion = typeof rv === 'string' && rv ? rv : cur.metadata.resourceVersion;
  return ok(scaleOf(ctx.store.update(next, { dryRun: isDryRun(ctx) })));
}

function status(ctx: ApiContext): ApiReply {
  const cur = current(ctx);
  if (ctx.method === 'GET') return ok(outward(ctx.r, cur));
  const next = ctx.method === 'PATCH' ? patched(ctx, cur) : ctx.method === 'PUT' ? bodyObject(ctx) : undefined;
  if (!next) throw methodNotAllowed(`${ctx.method} is not supported on ${ctx.r.resource}/status`);
  const rv = next.metadata.resourceVersion;
  if (rv && rv !== cur.metadata.resourceVersion) throw conflict(resourceRef(storeKind(ctx.r)), cur.metadata.name);
  const out = ctx.store.updateStatus(storeKind(ctx.r), ctx.namespace, cur.metadata.name, next.status ?? {}, {
    dryRun: isDryRun(ctx),
  });
  return ok(outward(ctx.r, out));
}

function intParam(ctx: ApiContext, name: string): number | undefined {
  const v = ctx.query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: "${v}"`);
  return n;
}

/** `pods/<name>/log`: the text `kubectl logs` prints, with the container rules the kubelet applies. */
function podLog(ctx: ApiContext): ApiReply {
  if (ctx.method !== 'GET') throw methodNotAllowed(`${ctx.method} is not supported on pods/log`);
  const pod = current(ctx);
  const spec = rec(pod.spec);
  const names = [spec.containers, spec.initContainers]
    .flatMap((l) => (Array.isArray(l) ? l : []))
    .map((c) => String(rec(c).name));
  const mains = Array.isArray(spec.containers) ? spec.containers.map((c) => String(rec(c).name)) : [];
  let container = ctx.query.get('container') ?? '';
  if (!container) {
    if (mains.length !== 1)
      throw badRequest(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${mains.join(' ')}]`,
      );
    container = mains[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  const previous = ctx.query.get('previous') === 'true';
  const tailLines = intParam(ctx, 'tailLines');
  const sinceSeconds = intParam(ctx, 'sinceSeconds');
  const text = ctx.store.logs(ctx.namespace ?? 'default', pod.metadata.name, container, {
    previous,
    timestamps: ctx.query.get('timestamps') === 'true',
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
  });
  if (text === undefined && previous)
    throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  return { status: 200, body: text ?? '', contentType: 'text/plain' };
}

export function subresource(ctx: ApiContext): ApiReply {
  switch (ctx.sub) {
    case 'scale':
      return scale(ctx);
    case 'status':
      return status(ctx);
    case 'log':
      return podLog(ctx);
    case 'eviction':
      return evict(ctx);
    default:
      throw methodNotAllowed(`subresource ${String(ctx.sub)} is not supported`);
  }
}
