import type { Container, Pod } from '../objects.js';
import type { ClusterStore } from '../store.js';

function data(store: ClusterStore, kind: 'ConfigMap' | 'Secret', ns: string, name: string) {
  const o = store.get(kind, ns, name);
  if (!o) return undefined;
  return { ...((o.data as Record<string, string>) ?? {}), ...((o.stringData as Record<string, string>) ?? {}) };
}

/**
 * The kubelet's check before creating a container: every non-optional ConfigMap/Secret it takes env from
 * must exist (and hold the key). Returns the CreateContainerConfigError message, or undefined.
 */
export function checkConfig(store: ClusterStore, ns: string, c: Container): string | undefined {
  for (const e of c.envFrom ?? []) {
    if (e.configMapRef && !e.configMapRef.optional && !data(store, 'ConfigMap', ns, e.configMapRef.name))
      return `configmap "${e.configMapRef.name}" not found`;
    if (e.secretRef && !e.secretRef.optional && !data(store, 'Secret', ns, e.secretRef.name))
      return `secret "${e.secretRef.name}" not found`;
  }
  for (const e of c.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    if (cm && !cm.optional) {
      const d = data(store, 'ConfigMap', ns, cm.name);
      if (!d) return `configmap "${cm.name}" not found`;
      if (!(cm.key in d)) return `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}`;
    }
    const s = e.valueFrom?.secretKeyRef;
    if (s && !s.optional) {
      const d = data(store, 'Secret', ns, s.name);
      if (!d) return `secret "${s.name}" not found`;
      if (!(s.key in d)) return `couldn't find key ${s.key} in Secret ${ns}/${s.name}`;
    }
  }
  return undefined;
}

/** The FailedMount message for the first ConfigMap/Secret volume that does not exist. */
export function missingVolume(store: ClusterStore, pod: Pod): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap && !v.configMap.optional && !store.get('ConfigMap', ns, v.configMap.name))
      return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`;
    if (v.secret && !v.secret.optional && !store.get('Secret', ns, v.secret.secretName))
      return `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`;
  }
  return undefined;
}
