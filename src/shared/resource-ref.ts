/**
 * A Kubernetes object an incident, a finding or a runbook step is about: `{cluster, kind, namespace?, name}`.
 * Cluster-scoped kinds (nodes, persistent volumes) have no namespace; `cluster` is the alert's cluster label
 * (empty when the alert names none). One definition, imported by alerts, incidents, the store and diagnosis.
 */
import { z } from 'zod';

export const ResourceRefSchema = z.object({
  cluster: z.string(),
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
});
export type ResourceRef = z.infer<typeof ResourceRefSchema>;

/** `shop/deployment/checkout` (with `cluster:` in front when there is one): how cards name a resource. */
export function formatResourceRef(ref: ResourceRef): string {
  const path = `${ref.namespace ?? ''}/${ref.kind}/${ref.name}`;
  return ref.cluster ? `${ref.cluster}:${path}` : path;
}

export function sameResource(a: ResourceRef, b: ResourceRef): boolean {
  return a.cluster === b.cluster && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}
