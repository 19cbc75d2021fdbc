/**
 * What changed: a deployment's current revision against the previous one — image, command/args, env,
 * envFrom, resources, probes, volumes, nodeSelector — and whether the failing pods run the new revision
 * (then the failure began after the change and rolling back is the obvious fix; when old pods fail too, it
 * is not). Env values pass through redaction; values from Secrets are named, never read.
 */
import type { V1Container, V1EnvVar, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { redactText } from '../shared/redact.js';
import type { ResourceRef } from '../shared/resource-ref.js';
import { refKey } from './analyzer.js';
import type { EvidenceOf, FieldChange } from './finding.js';
import { iso, type Snapshot } from './snapshot.js';

const REVISION = 'deployment.kubernetes.io/revision';
const MAX = 160;

const cut = (s: string) => (s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s);

function envText(env: V1EnvVar[] | undefined): string {
  return (env ?? [])
    .map((e) => {
      const v = e.valueFrom;
      if (v?.secretKeyRef) return `${e.name}←secret/${v.secretKeyRef.name}.${v.secretKeyRef.key}`;
      if (v?.configMapKeyRef) return `${e.name}←configmap/${v.configMapKeyRef.name}.${v.configMapKeyRef.key}`;
      if (v?.fieldRef) return `${e.name}←${v.fieldRef.fieldPath}`;
      return redactText(`${e.name}=${e.value ?? ''}`);
    })
    .join(' ');
}

function compact(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'string') return v;
  return JSON.stringify(v).replace(/"/g, '');
}

function containerFields(c: V1Container | undefined): Record<string, string> {
  if (!c) return {};
  return {
    image: c.image ?? '-',
    command: (c.command ?? []).join(' ') || '-',
    args: (c.args ?? []).join(' ') || '-',
    env: envText(c.env) || '-',
    envFrom:
      (c.envFrom ?? [])
        .map((e) => (e.configMapRef ? `configmap/${e.configMapRef.name}` : `secret/${e.secretRef?.name ?? ''}`))
        .join(' ') || '-',
    resources: compact(c.resources),
    livenessProbe: compact(c.livenessProbe),
    readinessProbe: compact(c.readinessProbe),
  };
}

/** Field-by-field differences between two pod templates. */
export function diffTemplates(
  before: V1PodTemplateSpec | undefined,
  after: V1PodTemplateSpec | undefined,
): FieldChange[] {
  const out: FieldChange[] = [];
  const b = before?.spec;
  const a = after?.spec;
  for (const c of a?.containers ?? []) {
    const old = containerFields(b?.containers.find((x) => x.name === c.name));
    const now = containerFields(c);
    for (const [k, v] of Object.entries(now))
      if ((old[k] ?? '-') !== v) out.push({ field: `${c.name}.${k}`, from: cut(old[k] ?? '-'), to: cut(v) });
  }
  const vol = (t: typeof a) =>
    (t?.volumes ?? []).map((v) => `${v.name}:${compact({ ...v, name: undefined })}`).join(' ') || '-';
  if (vol(b) !== vol(a)) out.push({ field: 'volumes', from: cut(vol(b)), to: cut(vol(a)) });
  const sel = (t: typeof a) => compact(t?.nodeSelector);
  if (sel(b) !== sel(a)) out.push({ field: 'nodeSelector', from: sel(b), to: sel(a) });
  return out;
}

const revisionOf = (rs: V1ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);

/** The rollout change behind a workload's failing pods, when the workload is a Deployment with a previous revision. */
export function rolloutChange(
  snap: Snapshot,
  owner: ResourceRef,
  failing: readonly V1Pod[],
): EvidenceOf<'change'> | undefined {
  if (owner.kind !== 'deployment') return undefined;
  const d = snap.find('deployment', owner.namespace, owner.name);
  if (!d) return undefined;
  const sets = snap.objects.replicaset
    .filter(
      (rs) =>
        rs.metadata?.namespace === owner.namespace &&
        (rs.metadata?.ownerReferences ?? []).some(
          (o) => o.kind === 'Deployment' && (o.uid === d.metadata?.uid || o.name === owner.name),
        ),
    )
    .sort((x, y) => revisionOf(x) - revisionOf(y));
  const wanted = Number(d.metadata?.annotations?.[REVISION] ?? 0);
  const current = sets.find((rs) => revisionOf(rs) === wanted) ?? sets.at(-1);
  if (!current) return undefined;
  const previous = sets.filter((rs) => revisionOf(rs) < revisionOf(current)).at(-1);
  if (!previous) return undefined;
  const changes = diffTemplates(previous.spec?.template, current.spec?.template);
  const hash = current.metadata?.labels?.['pod-template-hash'];
  const onCurrent = (p: V1Pod) =>
    (hash !== undefined && p.metadata?.labels?.['pod-template-hash'] === hash) ||
    (p.metadata?.ownerReferences ?? []).some((o) => o.name === current.metadata?.name);
  const cause = current.metadata?.annotations?.['kubernetes.io/change-cause'];
  const at = iso(current.metadata?.creationTimestamp);
  return {
    type: 'change',
    source: refKey(owner),
    ...(at ? { at } : {}),
    revision: revisionOf(current),
    previousRevision: revisionOf(previous),
    ...(cause ? { changeCause: cause } : {}),
    changes,
    beforeFailure: failing.length > 0 && failing.every(onCurrent) && changes.length > 0,
  };
}
