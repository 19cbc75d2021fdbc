/**
 * `job_rerun`: a finished Job runs again from its own spec. The Job is deleted (its pods with it, background
 * propagation) and created anew under the same name, minus what the apiserver and the controller generated —
 * the selector and the `controller-uid` labels (refused on create unless `manualSelector`), uid, status and
 * the rest of the server-set metadata. A Job still running is refused. A dry run deletes nothing: the delete
 * is a server dry run and the new Job is checked by a dry-run create under a preview name (the real name is
 * still taken then).
 */
import type { V1Job } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, type ToolOutcome } from '../tool.js';
import { isNotFound, kube } from './call.js';
import { type KubeClients, type KubeDeps, pick } from './clusters.js';
import { type Change, diff } from './diff.js';
import { cluster, dryRun, name, namespace } from './validate.js';
import { pause } from './wait.js';

const input = z.strictObject({
  name,
  namespace,
  dryRun,
  cluster,
});

const GENERATED_LABELS = [
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
];
const GENERATED_ANNOTATIONS = ['batch.kubernetes.io/job-tracking', 'kubectl.kubernetes.io/last-applied-configuration'];
const GONE_WITHIN_MS = 30_000;

function without<T extends Record<string, string> | undefined>(
  map: T,
  keys: string[],
): Record<string, string> | undefined {
  if (!map) return undefined;
  const out = Object.fromEntries(Object.entries(map).filter(([k]) => !keys.includes(k)));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The Job to create: the old one's spec and own metadata, without the generated fields. */
export function rerunSpec(old: V1Job): V1Job {
  const spec = structuredClone(old.spec);
  if (!spec) throw new Error('the job has no spec');
  const manual = spec.manualSelector === true;
  if (!manual) {
    delete spec.selector;
    delete spec.manualSelector;
    const meta = spec.template.metadata ?? {};
    const labels = without(meta.labels, GENERATED_LABELS);
    if (labels) meta.labels = labels;
    else delete meta.labels;
    spec.template.metadata = meta;
  }
  const labels = without(old.metadata?.labels, manual ? [] : GENERATED_LABELS);
  const annotations = without(old.metadata?.annotations, GENERATED_ANNOTATIONS);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: old.metadata?.name ?? '',
      namespace: old.metadata?.namespace ?? '',
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(old.metadata?.ownerReferences ? { ownerReferences: old.metadata.ownerReferences } : {}),
    },
    spec,
  };
}

function outcomeOf(job: V1Job): 'running' | 'failed' | 'complete' | 'suspended' | 'not started' {
  const cond = (t: string) => job.status?.conditions?.some((c) => c.type === t && c.status === 'True');
  if (cond('Failed')) return 'failed';
  if (cond('Complete')) return 'complete';
  if (job.spec?.suspend) return 'suspended';
  return (job.status?.active ?? 0) > 0 ? 'running' : 'not started';
}

async function waitGone(c: KubeClients, ns: string, jobName: string, uid: string | undefined, signal: AbortSignal) {
  const until = Date.now() + GONE_WITHIN_MS;
  for (;;) {
    try {
      const cur = await c.batch.readNamespacedJob({ name: jobName, namespace: ns });
      if (cur.metadata?.uid !== uid) return;
    } catch (err) {
      if (isNotFound(err) || (err as { code?: number }).code === 404) return;
      throw err;
    }
    if (Date.now() > until)
      throw new Error(`job ${ns}/${jobName} was still being deleted after ${GONE_WITHIN_MS / 1000}s`);
    await pause(500, signal);
  }
}

export const jobRerunTool = defineTool({
  name: 'job_rerun',
  title: 'Re-run a job',
  description:
    'Run a finished (failed or complete) Job again: delete it with its pods and create it from the same spec, ' +
    'minus the generated selector and labels. Refused while the job is still running.',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  async run(args, deps: KubeDeps, ctx): Promise<ToolOutcome> {
    const c = pick(deps, args.cluster);
    const path = `/apis/batch/v1/namespaces/${args.namespace}/jobs`;
    const old = await kube(c.name, `GET ${path}/${args.name}`, () =>
      c.batch.readNamespacedJob({ name: args.name, namespace: args.namespace }),
    );
    const was = outcomeOf(old);
    if (was === 'running') {
      return {
        status: 'error',
        reason: 'request',
        message: `job ${args.namespace}/${args.name} is still running (${old.status?.active} active pod(s)); re-run it once it has finished`,
      };
    }
    const fresh = rerunSpec(old);
    const dry = args.dryRun ? 'All' : undefined;
    await kube(
      c.name,
      `DELETE ${path}/${args.name}?propagationPolicy=Background${args.dryRun ? '&dryRun=All' : ''}`,
      () =>
        c.batch.deleteNamespacedJob({
          name: args.name,
          namespace: args.namespace,
          propagationPolicy: 'Background',
          dryRun: dry,
        }),
    );
    let created: V1Job;
    if (args.dryRun) {
      const preview = { ...fresh, metadata: { ...fresh.metadata, name: `${args.name.slice(0, 50)}-rerun-preview` } };
      created = await kube(c.name, `POST ${path}?dryRun=All`, () =>
        c.batch.createNamespacedJob({
          namespace: args.namespace,
          body: preview,
          dryRun: 'All',
          fieldManager: 'sre-nanobot',
        }),
      );
    } else {
      await waitGone(c, args.namespace, args.name, old.metadata?.uid, ctx.signal);
      created = await kube(c.name, `POST ${path}`, () =>
        c.batch.createNamespacedJob({ namespace: args.namespace, body: fresh, fieldManager: 'sre-nanobot' }),
      );
    }
    const changes: Change[] = [
      {
        path: 'job',
        from: `${was} (uid ${old.metadata?.uid})`,
        to: args.dryRun ? 'recreated' : `recreated (uid ${created.metadata?.uid})`,
      },
      ...diff(old.spec?.selector, fresh.spec?.selector, 'spec.selector').map((ch) => ({ ...ch, to: 'regenerated' })),
    ];
    const pods = old.status?.failed ?? 0;
    const verb = args.dryRun ? 'dry run — would re-run' : 're-ran';
    return {
      status: 'ok',
      data: {
        action: 'rerun',
        dryRun: args.dryRun,
        cluster: c.name,
        namespace: args.namespace,
        name: args.name,
        previous: { uid: old.metadata?.uid, outcome: was, failedPods: pods },
        ...(args.dryRun ? {} : { uid: created.metadata?.uid }),
        changes,
      },
      text: [
        `${verb} job ${args.namespace}/${args.name} (cluster ${c.name}): it was ${was}${pods ? ` after ${pods} failed pod(s)` : ''}`,
        `${args.dryRun ? 'would delete' : 'deleted'} the old job and its pods, ${args.dryRun ? 'would create' : 'created'} it again from the same spec (images: ${(fresh.spec?.template.spec?.containers ?? []).map((x) => x.image).join(', ')})`,
      ].join('\n'),
    };
  },
});
