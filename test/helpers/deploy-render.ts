/**
 * The deploy/ manifests as a cluster would receive them: `kubectl kustomize <dir>` (no cluster needed), parsed
 * into objects, and the RBAC they give the bot's service account flattened to `{apiGroup, resource, verb}`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as yaml from 'js-yaml';
import { ROOT } from './bot-process.js';

export const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
export const DEPLOY = join(ROOT, 'deploy');
export const OVERLAYS = ['webhook', 'long-connection'] as const;

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field
export type Manifest = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

export function kustomize(dir: string): Manifest[] {
  if (!KUBECTL) throw new Error('kubectl (with kustomize) is not installed');
  const r = spawnSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${r.stderr}`);
  return yaml.loadAll(r.stdout).filter((d): d is Manifest => typeof d === 'object' && d !== null);
}

/** Renders an overlay as a user's own would: `resources` plus extra `components`, from a temporary directory. */
export function kustomizeWith(overlay: string, components: string[]): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-kustomize-'));
  try {
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      yaml.dump({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [relative(dir, join(DEPLOY, 'overlays', overlay))],
        components: components.map((c) => relative(dir, join(DEPLOY, 'components', c))),
      }),
    );
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Grant {
  apiGroup: string;
  resource: string;
  verb: string;
  /** Where it applies: `*` for a ClusterRoleBinding, else the RoleBinding's namespace. */
  scope: string;
  role: string;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Every (apiGroup, resource, verb) the bindings in `objects` give `serviceAccount` in `namespace`. */
export function grantsOf(objects: Manifest[], serviceAccount: string, namespace: string): Grant[] {
  const roles = new Map<string, Rule[]>();
  for (const o of objects) {
    if (o.kind === 'ClusterRole') roles.set(`ClusterRole/${o.metadata.name}`, o.rules ?? []);
    if (o.kind === 'Role') roles.set(`Role/${o.metadata.namespace}/${o.metadata.name}`, o.rules ?? []);
  }
  const grants: Grant[] = [];
  for (const b of objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) {
    const subjects = (b.subjects ?? []) as { kind: string; name: string; namespace?: string }[];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === namespace))
      continue;
    const ref = b.roleRef as { kind: string; name: string };
    const key = ref.kind === 'Role' ? `Role/${b.metadata.namespace}/${ref.name}` : `ClusterRole/${ref.name}`;
    const rules = roles.get(key);
    if (!rules) throw new Error(`${b.kind} ${b.metadata.name} refers to ${key}, which is not in the manifests`);
    const scope = b.kind === 'ClusterRoleBinding' ? '*' : (b.metadata.namespace as string);
    for (const rule of rules) {
      for (const apiGroup of rule.apiGroups ?? [])
        for (const resource of rule.resources ?? [])
          for (const verb of rule.verbs) grants.push({ apiGroup, resource, verb, scope, role: ref.name });
    }
  }
  return grants;
}
