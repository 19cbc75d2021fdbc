import { badRequest, unsupportedMediaType } from './status.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

export type PatchType = 'json' | 'merge' | 'strategic';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    default:
      throw unsupportedMediaType(type);
  }
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRec(patch)) return structuredClone(patch);
  const out: Rec = isRec(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the list fields the apiserver merges element-wise under a strategic merge patch. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  readinessGates: 'conditionType',
};

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    const first = items.find(isRec);
    if (first && 'containerPort' in first) return 'containerPort';
    if (first && 'port' in first) return 'port';
    return undefined;
  }
  return MERGE_KEYS[field];
}

function mergeList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const key = mergeKeyFor(field, patch);
  if (!key || !Array.isArray(target))
    return patch.filter((p) => !(isRec(p) && p.$patch)).map((p) => structuredClone(p));
  if (patch.some((p) => isRec(p) && p.$patch === 'replace'))
    return patch.filter((p) => !(isRec(p) && p.$patch)).map((p) => structuredClone(p));
  const out = [...target];
  for (const item of patch) {
    if (!isRec(item)) continue;
    const idx = out.findIndex((t) => isRec(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

/**
 * Strategic merge patch as the apiserver applies it to built-in types: like a merge patch, but lists with a
 * merge key (containers by name, ports by port, …) merge element-wise and honour `$patch: delete|replace`.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRec(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Rec = isRec(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], path: string): { parent: Rec | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isRec(cur) ? cur[p] : undefined;
    if (cur === undefined)
      throw badRequest(`the server rejected our request due to an error in our request: path "${path}" does not exist`);
  }
  if (!Array.isArray(cur) && !isRec(cur)) throw badRequest(`path "${path}" does not exist`);
  return { parent: cur, last: parts[parts.length - 1] ?? '' };
}

function getAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const p of pointer(path)) cur = Array.isArray(cur) ? cur[Number(p)] : isRec(cur) ? cur[p] : undefined;
  if (cur === undefined) throw badRequest(`path "${path}" does not exist`);
  return cur;
}

function remove(doc: unknown, path: string): unknown {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
  if (!(last in parent)) throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
  const v = parent[last];
  delete parent[last];
  return v;
}

function add(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw badRequest(`index out of range in "${path}"`);
    parent.splice(i, replace ? 1 : 0, structuredClone(value));
  } else {
    if (replace && !(last in parent))
      throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = structuredClone(value);
  }
  return doc;
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  for (const raw of ops as JsonPatchOp[]) {
    if (!isRec(raw) || typeof raw.path !== 'string') throw badRequest('invalid json patch operation');
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, raw.value, false);
        break;
      case 'replace':
        doc = add(doc, raw.path, raw.value, true);
        break;
      case 'remove':
        remove(doc, raw.path);
        break;
      case 'move':
        doc = add(doc, raw.path, remove(doc, raw.from ?? ''), false);
        break;
      case 'copy':
        doc = add(doc, raw.path, getAt(doc, raw.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value))
          throw badRequest(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'json':
      return jsonPatch(target, patch);
    case 'merge':
      return mergePatch(target, patch);
    case 'strategic':
      return strategicMergePatch(target, patch);
    default: {
      const never: never = type;
      return never;
    }
  }
}
