import { createHash } from 'node:crypto';
import type { ClusterStore, K8sObject } from '../../src/sandbox/cluster/store.js';

type Rec = Record<string, unknown>;
const REVISION = 'deployment.kubernetes.io/revision';

function templateHash(template: unknown): string {
  const t = structuredClone((template ?? {}) as Rec);
  const meta = (t.metadata ?? {}) as { labels?: Record<string, string> };
  if (meta.labels) delete meta.labels['pod-template-hash'];
  return createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 10);
}

/**
 * A minimal deployment controller for API tests: one ReplicaSet per pod template (revision annotations as
 * the real controller keeps them), old ones scaled to zero, and a deployment status that reports the rollout
 * complete. It has no pods; it exists so rollout status/history/undo have something to read.
 */
export function settleDeployments(store: ClusterStore): void {
  for (const d of store.list('Deployment')) {
    const ns = d.metadata.namespace;
    const spec = d.spec ?? {};
    const replicas = Number(spec.replicas ?? 1);
    const hash = templateHash(spec.template);
    const owned = store
      .list('ReplicaSet', ns)
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
    const maxRev = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    if (!current) {
      const template = structuredClone(spec.template) as { metadata?: { labels?: Record<string, string> } };
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      current = store.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels: template.metadata.labels ?? {},
          annotations: { [REVISION]: String(maxRev + 1) },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.metadata.name,
              uid: d.metadata.uid ?? '',
              controller: true,
            },
          ],
        },
        spec: { replicas, selector: { matchLabels: template.metadata.labels ?? {} }, template },
      });
    } else if (Number(current.metadata.annotations?.[REVISION]) < maxRev) {
      current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: String(maxRev + 1) };
      current = store.update(current);
    }
    for (const rs of store
      .list('ReplicaSet', ns)
      .filter(
        (r) => owned.some((o) => o.metadata.uid === r.metadata.uid) || r.metadata.uid === current?.metadata.uid,
      )) {
      const want = rs.metadata.uid === current.metadata.uid ? replicas : 0;
      if (rs.spec?.replicas !== want) store.update({ ...rs, spec: { ...rs.spec, replicas: want } });
      const status = {
        replicas: want,
        readyReplicas: want,
        availableReplicas: want,
        fullyLabeledReplicas: want,
        observedGeneration: rs.metadata.generation,
      };
      store.updateStatus('ReplicaSet', ns, rs.metadata.name, status);
    }
    const revision = current.metadata.annotations?.[REVISION] ?? '1';
    let latest: K8sObject = store.get('Deployment', ns, d.metadata.name) ?? d;
    if (latest.metadata.annotations?.[REVISION] !== revision) {
      latest.metadata.annotations = { ...latest.metadata.annotations, [REVISION]: revision };
      latest = store.update(latest);
    }
    store.updateStatus('Deployment', ns, d.metadata.name, {
      observedGeneration: latest.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
        },
      ],
    });
  }
}

/** Re-settles after every spec change of a deployment; returns the unsubscribe function. */
export function runRolloutController(store: ClusterStore): () => void {
  let pending = false;
  return store.subscribe((ev) => {
    if (ev.object.kind !== 'Deployment' || ev.type === 'DELETED' || pending) return;
    const status = (ev.object.status ?? {}) as Rec;
    if (status.observedGeneration === ev.object.metadata.generation) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      settleDeployments(store);
    });
  });
}
