import {
  type ApiContext,
  type ApiReply,
  isDryRun,
  listFor,
  ok,
  outward,
  present,
  selectorOf,
  storeKind,
} from './context.js';
import { apiVersionOf, resourceRef } from './kinds.js';
import { applyPatch, patchTypeOf } from './patch.js';
import { badRequest, methodNotAllowed, notFound, statusSuccess } from './status.js';
import type { K8sObject, ObjectMeta } from './store.js';
import { rejectUnknownFields } from './strict.js';

function isObject(v: unknown): v is K8sObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks a request body names this resource's kind and the URL's namespace/name, filling what it omits. */
export function bodyObject(ctx: ApiContext): K8sObject {
  if (!isObject(ctx.body)) throw badRequest('the request body must be a JSON object');
  const obj = structuredClone(ctx.body);
  const meta: ObjectMeta = isObject(obj.metadata) ? (obj.metadata as ObjectMeta) : { name: '' };
  obj.metadata = meta;
  if (obj.kind !== undefined && obj.kind !== ctx.r.kind)
    throw badRequest(
      `the kind of the provided object (${String(obj.kind)}) does not match the resource (${ctx.r.kind})`,
    );
  obj.kind = storeKind(ctx.r);
  obj.apiVersion = apiVersionOf(ctx.r);
  if (ctx.r.namespaced) {
    if (meta.namespace && meta.namespace !== ctx.namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = ctx.namespace;
  }
  if (ctx.name !== undefined && meta.name !== ctx.name)
    throw badRequest('the name of the object does not match the name on the URL');
  return obj;
}

export function current(ctx: ApiContext): K8sObject {
  const name = ctx.name ?? '';
  const cur = ctx.store.get(storeKind(ctx.r), ctx.namespace, name);
  if (!cur) throw notFound(resourceRef(storeKind(ctx.r)), name);
  return cur;
}

function readOnly(ctx: ApiContext): void {
  if (ctx.r.storageKind)
    throw methodNotAllowed(`the server does not allow this method on ${ctx.r.resource}.${ctx.r.group}`);
}

function continueFrom(token: string | null): number {
  if (!token) return 0;
  const start = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw badRequest(`invalid continue token "${token}"`);
  return start;
}

/** A list, paged by `limit` and `continue` (an offset into the sorted list) as a real apiserver pages. */
export function listObjects(ctx: ApiContext): ApiReply {
  const all = listFor(ctx);
  const limit = Number(ctx.query.get('limit') ?? '0') || 0;
  const start = continueFrom(ctx.query.get('continue'));
  if (limit <= 0) return present(ctx, all.slice(start), false);
  const end = start + limit;
  const page =
    end < all.length
      ? { continue: Buffer.from(String(end)).toString('base64url'), remainingItemCount: all.length - end }
      : {};
  return present(ctx, all.slice(start, end), false, page);
}

export function getObject(ctx: ApiContext): ApiReply {
  return present(ctx, [current(ctx)], true);
}

/** `fieldValidation=Strict` (what kubectl sends by default): unknown fields are an error, not silently dropped. */
function strictFields(ctx: ApiContext): void {
  if (ctx.query.get('fieldValidation') === 'Strict' && isObject(ctx.body))
    rejectUnknownFields(ctx.body, ctx.r.kind, ctx.r.version);
}

export function createObject(ctx: ApiContext): ApiReply {
  readOnly(ctx);
  strictFields(ctx);
  const created = ctx.store.create(bodyObject(ctx), { dryRun: isDryRun(ctx) });
  return ok(outward(ctx.r, created), 201);
}

/** Keeps the stored status when the resource has a status subresource, as PUT/PATCH on the main resource do. */
function keepStatus(ctx: ApiContext, next: K8sObject, cur: K8sObject): K8sObject {
  if (ctx.r.subresources.includes('status')) {
    if (cur.status === undefined) delete next.status;
    else next.status = cur.status;
  }
  return next;
}

export function replaceObject(ctx: ApiContext): ApiReply {
  readOnly(ctx);
  strictFields(ctx);
  const cur = current(ctx);
  const next = keepStatus(ctx, bodyObject(ctx), cur);
  return ok(outward(ctx.r, ctx.store.update(next, { dryRun: isDryRun(ctx) })));
}

/** Applies a JSON, merge or strategic-merge patch to the stored object (or to a view of it). */
export function patched(ctx: ApiContext, target: unknown): K8sObject {
  const result = applyPatch(patchTypeOf(ctx.headers['content-type']), target, ctx.body);
  if (!isObject(result) || !isObject(result.metadata)) throw badRequest('the patch produced an invalid object');
  return result;
}

export function patchObject(ctx: ApiContext): ApiReply {
  readOnly(ctx);
  const cur = current(ctx);
  const next = keepStatus(ctx, patched(ctx, cur), cur);
  if (next.metadata.name !== cur.metadata.name || next.metadata.namespace !== cur.metadata.namespace)
    throw badRequest('metadata.name and metadata.namespace cannot be changed by a patch');
  next.kind = cur.kind;
  next.apiVersion = cur.apiVersion;
  return ok(outward(ctx.r, ctx.store.update(next, { dryRun: isDryRun(ctx) })));
}

export function deleteObject(ctx: ApiContext): ApiReply {
  readOnly(ctx);
  const cur = current(ctx);
  const gone = ctx.store.delete(storeKind(ctx.r), ctx.namespace, cur.metadata.name, { dryRun: isDryRun(ctx) });
  if (!gone) throw notFound(resourceRef(storeKind(ctx.r)), cur.metadata.name);
  if (ctx.r.kind === 'Pod' || ctx.r.kind === 'Namespace') return ok(outward(ctx.r, gone));
  return ok(
    statusSuccess({ name: gone.metadata.name, group: ctx.r.group, kind: ctx.r.resource, uid: gone.metadata.uid }),
  );
}

export function deleteCollection(ctx: ApiContext): ApiReply {
  readOnly(ctx);
  const items = ctx.store.list(storeKind(ctx.r), ctx.namespace, selectorOf(ctx));
  const gone = items.flatMap((o) => {
    const d = ctx.store.delete(storeKind(ctx.r), o.metadata.namespace, o.metadata.name, { dryRun: isDryRun(ctx) });
    return d ? [outward(ctx.r, d)] : [];
  });
  return ok({ kind: `${ctx.r.kind}List`, apiVersion: apiVersionOf(ctx.r), metadata: {}, items: gone });
}
