import { apiVersionOf, RESOURCE_KINDS, type ResourceKind } from './kinds.js';

/** `/version`, as a v1.32 apiserver answers it. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-sre-nanobot-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

const SUB_VERBS: Record<string, string[]> = {
  log: ['get'],
  eviction: ['create'],
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
};

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCE_KINDS) if (r.group) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions().map((g) => apiGroup(g.group, g.version)),
  };
}

export function apiGroupOf(group: string): Record<string, unknown> | undefined {
  const g = groupVersions().find((x) => x.group === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.version) } : undefined;
}

function resourceEntries(r: ResourceKind): Record<string, unknown>[] {
  const main = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length > 0 ? { categories: r.categories } : {}),
    storageVersionHash: Buffer.from(`${apiVersionOf(r)}/${r.kind}`)
      .toString('base64')
      .slice(0, 11),
  };
  const subs = r.subresources.map((s) => ({
    name: `${r.resource}/${s}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(s === 'scale'
      ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
      : s === 'eviction'
        ? { group: 'policy', version: 'v1', kind: 'Eviction' }
        : { kind: s === 'log' ? 'Pod' : r.kind }),
    verbs: SUB_VERBS[s] ?? ['get'],
  }));
  return [main, ...subs];
}

/** `/api/v1` or `/apis/<group>/<version>`; undefined for a group/version this server does not serve. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rows = RESOURCE_KINDS.filter((r) => r.group === group && r.version === version);
  if (rows.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: rows.flatMap(resourceEntries),
  };
}
