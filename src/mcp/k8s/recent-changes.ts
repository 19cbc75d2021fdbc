/**
 * `recent_changes`: what changed in a namespace lately, newest first — each deployment rollout (a ReplicaSet
 * revision created in the window) with its revision, time, change cause and the pod-template fields that
 * differ from the revision before; and ConfigMaps and Secrets written in the window (the time of the last write
 * the API server recorded in managedFields, else creation), by key names only — never a value. Secrets need
 * `get/list secrets`; without it the answer says so and lists the rest.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, UpstreamError } from '../tool.js';
import { kube } from './call.js';
import { type KubeClients, type KubeDeps, pick } from './clusters.js';
import { diff } from './diff.js';
import { REVISION } from './rollout-history.js';
import { age } from './summarize.js';
import { cluster, namespace } from './validate.js';

const input = z.strictObject({
  namespace,
  sinceMinutes: z.number().int().min(1).max(10_080).default(1440).describe('how far back [24 h, at most 7 days]'),
  cluster,
});

export interface Change {
  at: string;
  kind: 'rollout' | 'configmap' | 'secret';
  name: string;
  summary: string;
  detail: string[];
}

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

function toMs(t: unknown): number {
  if (t instanceof Date) return t.getTime();
  return typeof t === 'string' ? Date.parse(t) : Number.NaN;
}

/** The last write the server recorded, or creation. */
export function lastWrite(meta: V1ObjectMeta | undefined): number {
  const times = [toMs(meta?.creationTimestamp), ...(meta?.managedFields ?? []).map((f) => toMs(f.time))].filter(
    (t) => !Number.isNaN(t),
  );
  return times.length ? Math.max(...times) : Number.NaN;
}

async function rollouts(c: KubeClients, ns: string, since: number): Promise<Change[]> {
  const [deps, sets] = await Promise.all([
    kube(c.name, `GET /apis/apps/v1/namespaces/${ns}/deployments`, () =>
      c.apps.listNamespacedDeployment({ namespace: ns }),
    ),
    kube(c.name, `GET /apis/apps/v1/namespaces/${ns}/replicasets`, () =>
      c.apps.listNamespacedReplicaSet({ namespace: ns }),
    ),
  ]);
  const out: Change[] = [];
  for (const d of deps.items) {
    const revs = sets.items
      .filter((rs) =>
        rs.metadata?.ownerReferences?.some(
          (o) => o.kind === 'Deployment' && (o.uid === d.metadata?.uid || o.name === d.metadata?.name),
        ),
      )
      .map((rs) => ({
        rs,
        revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
        at: toMs(rs.metadata?.creationTimestamp),
      }))
      .sort((a, b) => a.revision - b.revision);
    revs.forEach((r, i) => {
      if (Number.isNaN(r.at) || r.at < since) return;
      const prev = revs[i - 1];
      const strip = (t: unknown) => {
        const copy = structuredClone(t) as { metadata?: { labels?: Record<string, string> } } | undefined;
        delete copy?.metadata?.labels?.['pod-template-hash'];
        return copy;
      };
      const changes = prev ? diff(strip(prev.rs.spec?.template), strip(r.rs.spec?.template), 'template') : [];
      out.push({
        at: new Date(r.at).toISOString(),
        kind: 'rollout',
        name: `deployment/${d.metadata?.name}`,
        summary: `revision ${r.revision}${prev ? ` (from ${prev.revision})` : ' (first)'}${r.rs.metadata?.annotations?.[CHANGE_CAUSE] ? `: ${r.rs.metadata.annotations[CHANGE_CAUSE]}` : ''}`,
        detail: changes.map((ch) => `${ch.path}: ${JSON.stringify(ch.from)} → ${JSON.stringify(ch.to)}`),
      });
    });
  }
  return out;
}

function written(
  kind: 'configmap' | 'secret',
  items: { metadata?: V1ObjectMeta; data?: Record<string, string>; binaryData?: Record<string, string> }[],
  since: number,
): Change[] {
  return items.flatMap((o) => {
    const at = lastWrite(o.metadata);
    if (Number.isNaN(at) || at < since) return [];
    const keys = [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {})].sort();
    const created = toMs(o.metadata?.creationTimestamp) === at;
    return [
      {
        at: new Date(at).toISOString(),
        kind,
        name: `${kind}/${o.metadata?.name}`,
        summary: `${created ? 'created' : 'updated'}; keys: ${keys.join(', ') || '(none)'}`,
        detail: [],
      },
    ];
  });
}

export const recentChangesTool = defineTool({
  name: 'recent_changes',
  title: 'Recent changes in a namespace',
  description:
    'What changed in a namespace recently, newest first: deployment rollouts (revision, time, change cause, ' +
    'the pod-template fields that changed) and ConfigMap/Secret writes (time, key names only). For "what changed?".',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ns = args.namespace;
    const since = deps.now() - args.sinceMinutes * 60_000;
    const notes: string[] = [];
    const [roll, cms] = await Promise.all([
      rollouts(c, ns, since),
      kube(c.name, `GET /api/v1/namespaces/${ns}/configmaps`, () => c.core.listNamespacedConfigMap({ namespace: ns })),
    ]);
    let secrets: Change[] = [];
    try {
      const list = await kube(c.name, `GET /api/v1/namespaces/${ns}/secrets`, () =>
        c.core.listNamespacedSecret({ namespace: ns }),
      );
      secrets = written('secret', list.items, since);
    } catch (err) {
      if (!(err instanceof UpstreamError && err.upstream.status === 403)) throw err;
      notes.push(
        'Secrets were not checked: the bot may not list Secrets here (deploy/components/read-secrets grants it)',
      );
    }
    const all = [...roll, ...written('configmap', cms.items, since), ...secrets].sort((a, b) =>
      b.at.localeCompare(a.at),
    );
    const window = `the last ${args.sinceMinutes} min`;
    if (all.length === 0)
      return {
        status: 'no_data',
        searched: `rollouts, ConfigMaps and Secrets of namespace ${ns} changed in ${window} (cluster ${c.name})${notes.length ? `; ${notes.join('; ')}` : ''}`,
      };
    const lines = all.flatMap((ch) => [
      `${ch.at} (${age(ch.at, deps.now())} ago) ${ch.name}: ${ch.summary}`,
      ...ch.detail.map((d) => `    ${d}`),
    ]);
    return {
      status: 'ok',
      data: { cluster: c.name, namespace: ns, sinceMinutes: args.sinceMinutes, changes: all, notes },
      text: [`changes in ${ns} during ${window}, newest first:`, ...lines, ...notes].join('\n'),
    };
  },
});
