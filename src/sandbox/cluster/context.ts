import type { IncomingHttpHeaders } from 'node:http';
import { apiVersionOf, type ResourceKind } from './kinds.js';
import { compileSelector } from './selectors.js';
import type { ClusterStore, K8sObject } from './store.js';
import { type IncludeObject, toTable, wantsTable } from './table.js';

/** One parsed API request against a resource path. */
export interface ApiContext {
  store: ClusterStore;
  method: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The served resource (its group/version as addressed). */
  r: ResourceKind;
  namespace: string | undefined;
  name: string | undefined;
  sub: string | undefined;
  body: unknown;
}

export interface ApiReply {
  status: number;
  body: unknown;
  contentType?: string;
}

export const ok = (body: unknown, status = 200): ApiReply => ({ status, body });

/** The kind objects of this resource are stored under. */
export function storeKind(r: ResourceKind): string {
  return r.storageKind ?? r.kind;
}

export function isDryRun(ctx: ApiContext): boolean {
  return ctx.query.getAll('dryRun').includes('All');
}

export function selectorOf(ctx: ApiContext): { labels?: string; fields?: string } {
  const labels = ctx.query.get('labelSelector') ?? undefined;
  const fields = ctx.query.get('fieldSelector') ?? undefined;
  return { ...(labels ? { labels } : {}), ...(fields ? { fields } : {}) };
}

function asEventsV1(o: K8sObject): K8sObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: o.metadata,
    eventTime: o.eventTime ?? null,
    reportingController: o.reportingComponent ?? '',
    reportingInstance: o.reportingInstance ?? '',
    action: o.action ?? '',
    reason: o.reason,
    regarding: o.involvedObject,
    note: o.message,
    type: o.type,
    deprecatedSource: o.source,
    deprecatedFirstTimestamp: o.firstTimestamp,
    deprecatedLastTimestamp: o.lastTimestamp,
    deprecatedCount: o.count,
  };
}

function asEndpointSlice(o: K8sObject): K8sObject {
  const endpoints: unknown[] = [];
  let ports: unknown[] = [];
  for (const subset of Array.isArray(o.subsets) ? (o.subsets as Record<string, unknown>[]) : []) {
    const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
    for (const [field, ready] of [
      ['addresses', true],
      ['notReadyAddresses', false],
    ] as const)
      for (const a of list(subset[field]))
        endpoints.push({
          addresses: [a.ip],
          conditions: { ready, serving: ready, terminating: false },
          ...(a.nodeName ? { nodeName: a.nodeName } : {}),
          ...(a.targetRef ? { targetRef: a.targetRef } : {}),
        });
    ports = list(subset.ports).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }));
  }
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...o.metadata,
      labels: {
        ...o.metadata.labels,
        'kubernetes.io/service-name': o.metadata.name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** The object as this group/version serves it (converted when the resource is a view of another kind). */
export function outward(r: ResourceKind, o: K8sObject): K8sObject {
  if (r.group === 'events.k8s.io') return asEventsV1(o);
  if (r.group === 'discovery.k8s.io') return asEndpointSlice(o);
  return { ...o, apiVersion: apiVersionOf(r), kind: r.kind };
}

/** Lists objects; for views, selectors apply to the converted objects (their labels differ). */
export function listFor(ctx: ApiContext): readonly K8sObject[] {
  if (!ctx.r.storageKind) return ctx.store.listShared(storeKind(ctx.r), ctx.namespace, selectorOf(ctx));
  const match = compileSelector(selectorOf(ctx));
  return ctx.store.listShared(storeKind(ctx.r), ctx.namespace).filter((o) => match(outward(ctx.r, o)));
}

function includeObject(ctx: ApiContext): IncludeObject {
  const v = ctx.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Paging state of a list (`limit`/`continue`), echoed into the list's metadata. */
export interface ListPage {
  continue?: string;
  remainingItemCount?: number;
}

/** A single object or list, as a Table when the client asked for one. */
export function present(
  ctx: ApiContext,
  objects: readonly K8sObject[],
  single: boolean,
  page: ListPage = {},
): ApiReply {
  const out = objects.map((o) => outward(ctx.r, o));
  const resourceVersion = ctx.store.resourceVersion();
  if (wantsTable(ctx.headers.accept)) {
    const table = toTable(ctx.r, out, { now: ctx.store.clock.now(), resourceVersion, include: includeObject(ctx) });
    return ok({ ...table, metadata: { resourceVersion, ...page } });
  }
  if (single) return ok(out[0]);
  return ok({
    kind: `${ctx.r.kind}List`,
    apiVersion: apiVersionOf(ctx.r),
    metadata: { resourceVersion, ...page },
    items: out,
  });
}
