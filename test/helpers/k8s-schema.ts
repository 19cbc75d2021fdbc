/**
 * Validates a Kubernetes object against the API schemas that @kubernetes/client-node is generated from: each
 * model's attribute map (every field a kind has, with its type) and its declaration file (which fields are
 * required). Unknown fields (a misspelt `readinesProbe`), wrong types (`replicas: "1"`) and missing required
 * fields (`containers[].name`, a rule's `verbs`) are reported with their path. Custom resources (no model in
 * client-node) are reported as not checkable, for the caller to check another way.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}
type Model = { getAttributeTypeMap(): Attribute[] };

const models = k8s as unknown as Record<string, Model | undefined>;
const MODELS_DIR = join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen', 'models');
const requiredCache = new Map<string, Set<string>>();

/** Required fields of a model, read from its declaration (`'name': string;` vs `'image'?: string;`). */
function requiredOf(model: string): Set<string> {
  let req = requiredCache.get(model);
  if (!req) {
    req = new Set<string>();
    try {
      const dts = readFileSync(join(MODELS_DIR, `${model}.d.ts`), 'utf8');
      for (const m of dts.matchAll(/^\s+'([A-Za-z0-9_$]+)':/gm)) if (m[1]) req.add(m[1]);
    } catch {
      // no declaration file: nothing known to be required
    }
    requiredCache.set(model, req);
  }
  return req;
}

/** `apps/v1` + `Deployment` → `V1Deployment`; `autoscaling/v2` → `V2…`; undefined for custom resources. */
export function modelName(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').at(-1) ?? '';
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return models[name]?.getAttributeTypeMap ? name : undefined;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function check(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const t = type.trim();
  const wrong = (want: string): void => {
    out.push(`${path}: expected ${want}, got ${typeOf(value)}`);
  };
  if (t === 'any' || t === '{ [key: string]: any; }' || t === 'object') return;
  if (t === 'string' || t === 'Date') {
    if (typeof value !== 'string') wrong('string');
    return;
  }
  if (t === 'number') {
    if (typeof value !== 'number') wrong('number');
    return;
  }
  if (t === 'boolean') {
    if (typeof value !== 'boolean') wrong('boolean');
    return;
  }
  if (t === 'IntOrString') {
    if (typeof value !== 'string' && typeof value !== 'number') wrong('int or string');
    return;
  }
  const array = /^Array<(.+)>$/.exec(t);
  if (array?.[1]) {
    if (!Array.isArray(value)) {
      wrong('array');
      return;
    }
    for (const [i, item] of value.entries()) check(item, array[1] as string, `${path}[${i}]`, out);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map?.[1]) {
    if (typeOf(value) !== 'object') {
      wrong('object');
      return;
    }
    for (const [k, v] of Object.entries(value as object)) check(v, map[1], `${path}.${k}`, out);
    return;
  }
  const model = models[t];
  if (!model?.getAttributeTypeMap) {
    out.push(`${path}: no schema for type ${t}`);
    return;
  }
  if (typeOf(value) !== 'object') {
    wrong(t);
    return;
  }
  const attrs = model.getAttributeTypeMap();
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const attr = attrs.find((a) => a.baseName === k);
    if (!attr) out.push(`${path ? `${path}.` : ''}${k}: unknown field (not in ${t})`);
    else check(v, attr.type, path ? `${path}.${k}` : k, out);
  }
  for (const name of requiredOf(t)) {
    const attr = attrs.find((a) => a.name === name);
    if (attr && obj[attr.baseName] === undefined) out.push(`${path ? `${path}.` : ''}${attr.baseName}: required`);
  }
}

export type SchemaResult = { checked: true; problems: string[] } | { checked: false; reason: string };

export function validateObject(obj: { apiVersion?: unknown; kind?: unknown }): SchemaResult {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string')
    return { checked: true, problems: ['apiVersion and kind: required'] };
  const model = modelName(obj.apiVersion, obj.kind);
  if (!model) return { checked: false, reason: `no built-in schema for ${obj.apiVersion} ${obj.kind}` };
  const problems: string[] = [];
  check(obj, model, '', problems);
  return { checked: true, problems };
}
