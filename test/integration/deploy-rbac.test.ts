/**
 * Least privilege, derived: every built-in Kubernetes tool is run (reads and real writes) against the cluster
 * simulator through a recording proxy, and each API request becomes the RBAC rule it needs. The rendered
 * manifests must grant the bot's service account exactly the union of those — nothing missing, nothing
 * more, no `*` — with reads cluster-wide and writes only for the tools the runbooks call.
 *
 * Which write tools the runbooks call comes from `runbookWriteTools()`: the `tool` steps of the catalogue in
 * runbooks/*.yaml, or every write tool while no runbook names one. As runbooks are added or removed, this
 * test says which rule to add to or drop from deploy/base/rbac-write.yaml.
 */
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor, type KubeDeps } from '../../src/mcp/k8s/clusters.js';
import { K8S_TOOLS } from '../../src/mcp/k8s/server.js';
import { loadRunbooks } from '../../src/runbooks/loader.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import { ROOT } from '../helpers/bot-process.js';
import { grantsOf, KUBECTL, kustomize, kustomizeWith, type Manifest, OVERLAYS } from '../helpers/deploy-render.js';
import { needKey, type RbacNeed, type RecordingProxy, startRecordingProxy } from '../helpers/k8s-requests.js';
import { seedProbeCluster, TOOL_PROBES } from '../helpers/tool-probes.js';

/** Secret reads are granted only by deploy/components/read-secrets (the tools show key names, never values). */
const OPT_IN = (n: { apiGroup: string; resource: string }) => n.apiGroup === '' && n.resource === 'secrets';

const WRITE_TOOLS = K8S_TOOLS.filter((t) => t.safetyClass !== 'read').map((t) => t.name);

/** The write tools the runbook catalogue calls (its `tool` steps, rollbacks included), else all of them. */
function runbookWriteTools(): string[] {
  const { runbooks } = loadRunbooks(join(ROOT, 'runbooks'));
  const named = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const step = v as { type?: unknown; tool?: unknown };
      if (step.type === 'tool' && typeof step.tool === 'string' && WRITE_TOOLS.includes(step.tool))
        named.add(step.tool);
      Object.values(v).forEach(walk);
    }
  };
  for (const rb of runbooks.values()) walk(rb);
  return named.size > 0 ? [...named].sort() : WRITE_TOOLS;
}

const keysOf = (needs: Iterable<Pick<RbacNeed, 'apiGroup' | 'resource' | 'verb'>>) =>
  [...new Set([...needs].map(needKey))].sort();

describe.skipIf(!KUBECTL)('RBAC derived from the tools', () => {
  let sim: ClusterSimulator;
  let proxy: RecordingProxy;
  const needs = new Map<string, RbacNeed[]>();

  beforeAll(async () => {
    sim = await startClusterSimulator();
    seedProbeCluster(sim.store);
    proxy = await startRecordingProxy(sim.url);
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml(proxy.url));
    const deps: KubeDeps = {
      clusters: new Map([['prod', clientsFor(kc, 'prod')]]),
      defaultCluster: 'prod',
      now: Date.now,
    };
    for (const tool of K8S_TOOLS) {
      const seen: RbacNeed[] = [];
      for (const args of TOOL_PROBES[tool.name] ?? []) {
        const outcome = await tool
          .run(tool.input.parse(args), deps, { signal: AbortSignal.timeout(10_000) })
          .catch((err: Error) => ({
            status: 'thrown',
            message: err.message,
          }));
        // Reads may find nothing (the request was still made); a write must really have happened.
        if (tool.safetyClass !== 'read')
          expect(outcome, `${tool.name} ${JSON.stringify(args)}`).toMatchObject({ status: 'ok' });
        seen.push(...proxy.take());
      }
      needs.set(tool.name, seen);
    }
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
  });

  it('has a probe for every tool, and every probe reaches the API', () => {
    for (const tool of K8S_TOOLS) {
      expect(TOOL_PROBES[tool.name], `add ${tool.name} to test/helpers/tool-probes.ts`).toBeDefined();
      expect(needs.get(tool.name)?.length, `${tool.name} made no API request`).toBeGreaterThan(0);
    }
  });

  const readNeeds = () => K8S_TOOLS.filter((t) => t.safetyClass === 'read').flatMap((t) => needs.get(t.name) ?? []);
  const writeNeeds = (tools: string[]) =>
    tools.flatMap((name) => needs.get(name) ?? []).filter((n) => n.verb !== 'get' && n.verb !== 'list');

  for (const overlay of OVERLAYS) {
    describe(`overlay ${overlay}`, () => {
      let objects: Manifest[];
      beforeAll(() => {
        objects = kustomize(join(ROOT, 'deploy/overlays', overlay));
      });

      it('grants the service account exactly what the read tools and the runbooks’ write tools call', () => {
        const granted = grantsOf(objects, 'sre-nanobot', 'sre-nanobot');
        const runbookTools = runbookWriteTools();
        const expected = keysOf([...readNeeds(), ...writeNeeds(runbookTools)].filter((n) => !OPT_IN(n)));
        expect(keysOf(granted)).toEqual(expected);
        // The reads a write tool does first (the deployment, its replicasets) come from the read role.
        const firstReads = runbookTools
          .flatMap((n) => needs.get(n) ?? [])
          .filter((n) => n.verb === 'get' || n.verb === 'list');
        for (const key of keysOf(firstReads)) expect(keysOf(granted)).toContain(key);
      });

      it('grants reads cluster-wide (alerts come from any namespace) and never a wildcard or a Secret', () => {
        const granted = grantsOf(objects, 'sre-nanobot', 'sre-nanobot');
        for (const n of readNeeds().filter((n) => !OPT_IN(n)))
          expect(
            granted.some((g) => needKey(g) === needKey(n) && g.scope === '*'),
            needKey(n),
          ).toBe(true);
        expect(granted.filter((g) => [g.apiGroup, g.resource, g.verb].includes('*'))).toEqual([]);
        expect(granted.filter((g) => g.resource === 'secrets')).toEqual([]);
        const anyWildcard = objects
          .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
          .flatMap((o) => (o.rules ?? []) as { apiGroups?: string[]; resources?: string[]; verbs: string[] }[])
          .filter((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs].includes('*'));
        expect(anyWildcard).toEqual([]);
      });
    });
  }

  it('adds Secret get/list, and only that, with the read-secrets component', () => {
    const plain = keysOf(grantsOf(kustomize(join(ROOT, 'deploy/overlays/webhook')), 'sre-nanobot', 'sre-nanobot'));
    const withSecrets = keysOf(grantsOf(kustomizeWith('webhook', ['read-secrets']), 'sre-nanobot', 'sre-nanobot'));
    const added = withSecrets.filter((k) => !plain.includes(k));
    expect(added).toEqual(keysOf(readNeeds().filter(OPT_IN)));
    expect(added).toEqual(['core/secrets:get', 'core/secrets:list']);
  });

  it('binds workload writes per namespace with the namespaced-writes component; node cordon and drain stay cluster-wide', () => {
    const granted = grantsOf(kustomizeWith('webhook', ['namespaced-writes']), 'sre-nanobot', 'sre-nanobot');
    const writes = granted.filter((g) => g.verb !== 'get' && g.verb !== 'list');
    const scopes = (key: string) => [...new Set(writes.filter((g) => needKey(g) === key).map((g) => g.scope))].sort();
    expect(scopes('apps/deployments:patch')).toEqual(['payments', 'shop']);
    expect(scopes('core/pods:delete')).toEqual(['payments', 'shop']);
    expect(scopes('core/nodes:patch')).toEqual(['*']);
    // A drain evicts whatever runs on the node, so eviction is granted with the node role, cluster-wide.
    expect(scopes('core/pods/eviction:create')).toEqual(['*']);
    for (const key of ['batch/jobs:create', 'batch/jobs:delete', 'core/persistentvolumeclaims:patch'])
      expect(scopes(key), key).toEqual(['payments', 'shop']);
    expect(keysOf(writes)).toEqual(keysOf(writeNeeds(runbookWriteTools())));
  });
});
