import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeClients, type KubeDeps, pick } from './clusters.js';
import { images, table } from './summarize.js';
import { cluster, name, namespace } from './validate.js';
import { readWorkload } from './workloads.js';

const input = z.strictObject({ name, namespace, cluster });

export const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export interface Revision {
  revision: number;
  replicaSet: string;
  changeCause: string | undefined;
  images: string[];
  replicas: number;
  // biome-ignore lint/suspicious/noExplicitAny: the pod template is passed through to a rollback as is
  template: any;
}

/** The revisions of a deployment: its ReplicaSets (owned by it), oldest first. */
export async function revisions(c: KubeClients, ns: string, deploymentName: string): Promise<Revision[]> {
  const d = await readWorkload(c, 'deployment', ns, deploymentName);
  const uid = d.metadata?.uid;
  const list = await kube(c.name, `GET /apis/apps/v1/namespaces/${ns}/replicasets`, () =>
    c.apps.listNamespacedReplicaSet({ namespace: ns }),
  );
  return list.items
    .filter((rs) =>
      (rs.metadata?.ownerReferences ?? []).some(
        (o) => o.kind === 'Deployment' && (o.uid === uid || o.name === deploymentName),
      ),
    )
    .map((rs) => ({
      revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
      replicaSet: rs.metadata?.name ?? '',
      changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE],
      images: images(rs.spec?.template),
      replicas: rs.status?.replicas ?? 0,
      template: rs.spec?.template,
    }))
    .sort((a, b) => a.revision - b.revision);
}

export const rolloutHistoryTool = defineTool({
  name: 'rollout_history',
  title: 'Rollout history',
  description:
    'Revisions of a deployment (from its ReplicaSets): revision number, change cause, images, live replicas.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const revs = await revisions(c, args.namespace, args.name);
    if (revs.length === 0) {
      return {
        status: 'no_data',
        searched: `ReplicaSets owned by deployment ${args.namespace}/${args.name} (cluster ${c.name})`,
      };
    }
    const rows = revs.map(({ template: _t, ...r }) => r);
    return { status: 'ok', data: { revisions: rows }, text: table(rows) };
  },
});
