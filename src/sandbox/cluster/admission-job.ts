/**
 * What the apiserver does to a Job on create: unless `spec.manualSelector` is set, it refuses a selector the
 * client sent and generates one from the new uid, labelling the pod template to match (`controller-uid`,
 * `job-name` and their `batch.kubernetes.io/` forms). A Job copied from a live one must drop those fields.
 */
import { invalid } from './status.js';
import type { K8sObject } from './store.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;

export function jobOnCreate(job: K8sObject, uid: string): void {
  if (job.kind !== 'Job') return;
  const spec = rec(job.spec);
  if (!spec || spec.manualSelector === true) return;
  const name = job.metadata.name;
  if (spec.selector !== undefined)
    throw invalid({ resource: 'jobs', group: 'batch', kind: 'Job' }, name, [
      {
        field: 'spec.selector',
        message: `Invalid value: ${JSON.stringify(spec.selector)}: \`selector\` not auto-generated`,
      },
    ]);
  const generated = { 'batch.kubernetes.io/controller-uid': uid };
  spec.selector = { matchLabels: generated };
  const template = rec(spec.template) ?? {};
  const meta = rec(template.metadata) ?? {};
  meta.labels = {
    ...rec(meta.labels),
    ...generated,
    'controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'job-name': name,
  };
  template.metadata = meta;
  spec.template = template;
  spec.backoffLimit ??= 6;
  spec.completions ??= 1;
  spec.parallelism ??= 1;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
}
