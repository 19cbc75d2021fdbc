/**
 * What to diagnose: an incident (its resources and namespace), a namespace, or one resource; and the
 * `<namespace | kind/name> [-n ns]` form that the command line and chat both accept.
 */
import { z } from 'zod';
import { parseReadKind } from '../ports/cluster.js';
import { formatResourceRef, type ResourceRef, ResourceRefSchema } from '../shared/resource-ref.js';

export const ScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('namespace'), cluster: z.string(), namespace: z.string().min(1) }),
  z.object({ kind: z.literal('resource'), ref: ResourceRefSchema }),
  z.object({
    kind: z.literal('incident'),
    id: z.string(),
    cluster: z.string(),
    namespace: z.string().optional(),
    resources: z.array(ResourceRefSchema),
  }),
]);
export type Scope = z.infer<typeof ScopeSchema>;

export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'namespace':
      return `namespace ${scope.namespace}`;
    case 'resource':
      return formatResourceRef(scope.ref);
    case 'incident':
      return `incident #${scope.id}`;
    default: {
      const never: never = scope;
      return never;
    }
  }
}

/** The namespace whose objects a scope needs; undefined = every namespace (a node, or an incident spanning several). */
export function scopeNamespace(scope: Scope): string | undefined {
  switch (scope.kind) {
    case 'namespace':
      return scope.namespace;
    case 'resource':
      return scope.ref.namespace;
    case 'incident': {
      const spaces = new Set(scope.resources.map((r) => r.namespace).filter((n) => n !== undefined));
      if (scope.namespace && [...spaces].every((n) => n === scope.namespace)) return scope.namespace;
      return spaces.size === 1 ? [...spaces][0] : undefined;
    }
    default: {
      const never: never = scope;
      return never;
    }
  }
}

export function scopeCluster(scope: Scope): string {
  return scope.kind === 'resource' ? scope.ref.cluster : scope.cluster;
}

/** Resources the answer is about (findings on anything else in the namespace are left out); [] = all. */
export function scopeFocus(scope: Scope): ResourceRef[] {
  if (scope.kind === 'resource') return [scope.ref];
  if (scope.kind === 'incident') return scope.resources;
  return [];
}

/** An incident's scope: its resources (every workload it names) in its cluster and namespace. */
export function incidentScope(incident: {
  id: number;
  cluster: string | null;
  namespace: string | null;
  resources: readonly ResourceRef[];
}): Scope {
  return {
    kind: 'incident',
    id: String(incident.id),
    cluster: incident.cluster ?? incident.resources[0]?.cluster ?? '',
    ...(incident.namespace ? { namespace: incident.namespace } : {}),
    resources: [...incident.resources],
  };
}

const CLUSTER_SCOPED = new Set(['node', 'namespace', 'storageclass']);

export type TargetParse = { ok: true; scope: Scope } | { ok: false; error: string };

/**
 * `shop`, `deploy/checkout -n shop`, `node/node-2`, `pod/x --namespace shop`, `shop/deployment/checkout`.
 * Kinds and short names as kubectl accepts them. The error says what form is expected.
 */
export function parseTarget(args: readonly string[], cluster = ''): TargetParse {
  const usage = 'expected <namespace> or <kind>/<name> -n <namespace>, e.g. "shop" or "deploy/checkout -n shop"';
  const positional: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-n' || a === '--namespace') {
      namespace = args[++i];
      if (!namespace) return { ok: false, error: `${a} needs a namespace; ${usage}` };
    } else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
    else if (a.startsWith('-')) return { ok: false, error: `unknown option ${a}; ${usage}` };
    else positional.push(a);
  }
  if (positional.length !== 1) return { ok: false, error: usage };
  const target = positional[0] ?? '';
  const parts = target.split('/');
  const valid = (s: string) => /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(s);
  if (parts.length === 1) {
    if (!valid(target)) return { ok: false, error: `"${target}" is not a namespace name; ${usage}` };
    if (namespace && namespace !== target)
      return { ok: false, error: `give the namespace once ("${target}" or -n ${namespace}); ${usage}` };
    return { ok: true, scope: { kind: 'namespace', cluster, namespace: target } };
  }
  let [kindText, name] = [parts[0] ?? '', parts[1] ?? ''];
  if (parts.length === 3) {
    namespace = namespace ?? parts[0];
    [kindText, name] = [parts[1] ?? '', parts[2] ?? ''];
  } else if (parts.length !== 2) return { ok: false, error: `"${target}" is not kind/name; ${usage}` };
  const kind = parseReadKind(kindText);
  if (!kind || kind === 'event' || kind === 'endpoints')
    return {
      ok: false,
      error: `"${kindText}" is not a kind I can diagnose (deploy, sts, ds, po, svc, pvc, ing, job, cj, hpa, node…)`,
    };
  if (!valid(name)) return { ok: false, error: `"${name}" is not an object name; ${usage}` };
  if (kind === 'namespace') return { ok: true, scope: { kind: 'namespace', cluster, namespace: name } };
  if (CLUSTER_SCOPED.has(kind)) return { ok: true, scope: { kind: 'resource', ref: { cluster, kind, name } } };
  if (!namespace) return { ok: false, error: `${kind}/${name} needs a namespace: add -n <namespace>` };
  if (!valid(namespace)) return { ok: false, error: `"${namespace}" is not a namespace name; ${usage}` };
  return { ok: true, scope: { kind: 'resource', ref: { cluster, kind, namespace, name } } };
}
