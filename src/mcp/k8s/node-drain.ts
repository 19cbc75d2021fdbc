/**
 * `node_drain`, as `kubectl drain` does it: cordon the node, then evict its pods through the Eviction
 * subresource so every PodDisruptionBudget is respected (a refusal — 429 — is retried until the budget allows
 * it or the timeout ends), skipping DaemonSet pods (their controller would put them straight back) and mirror
 * pods (the kubelet owns them). Pods without a controller would never come back and pods with emptyDir volumes
 * lose that data: both stop the drain before anything changes unless `force` / `deleteEmptyDirData` say so.
 * A dry run cordons and evicts nothing: it asks the server for each eviction with `dryRun=All`.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, type ToolOutcome, UpstreamError } from '../tool.js';
import { kube } from './call.js';
import { type KubeClients, type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, name } from './validate.js';
import { pause } from './wait.js';
import { patchContentType } from './workloads.js';

const input = z.strictObject({
  name,
  timeoutSeconds: z
    .number()
    .int()
    .min(5)
    .max(1800)
    .default(300)
    .describe('give up after this long while disruption budgets keep refusing evictions'),
  gracePeriodSeconds: z.number().int().min(0).max(3600).optional().describe("the pods' own grace period when omitted"),
  force: z.boolean().default(false).describe('also evict pods that no controller manages (they will not come back)'),
  deleteEmptyDirData: z.boolean().default(false).describe('also evict pods with emptyDir volumes (that data is lost)'),
  dryRun,
  cluster,
});

/** Between two attempts at an eviction a disruption budget refused. */
export const EVICTION_RETRY_MS = 1000;
const MIRROR = 'kubernetes.io/config.mirror';

type Verdict = 'evict' | 'skip_daemonset' | 'skip_mirror' | 'blocked_unmanaged' | 'blocked_emptydir';

export function classify(pod: V1Pod, opts: { force: boolean; deleteEmptyDirData: boolean }): Verdict {
  if (pod.metadata?.annotations?.[MIRROR] !== undefined) return 'skip_mirror';
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (owner?.kind === 'DaemonSet') return 'skip_daemonset';
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!owner && !finished && !opts.force) return 'blocked_unmanaged';
  if (!finished && !opts.deleteEmptyDirData && (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined))
    return 'blocked_emptydir';
  return 'evict';
}

const ref = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

async function podsOn(c: KubeClients, node: string): Promise<V1Pod[]> {
  const list = await kube(c.name, `GET /api/v1/pods?fieldSelector=spec.nodeName=${node}`, () =>
    c.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` }),
  );
  return list.items;
}

/** One eviction; `refused` carries the disruption budget's message when the server answered 429. */
async function evictOnce(
  c: KubeClients,
  pod: V1Pod,
  dry: boolean,
  grace: number | undefined,
): Promise<{ refused?: string }> {
  const ns = pod.metadata?.namespace ?? '';
  const podName = pod.metadata?.name ?? '';
  const path = `/api/v1/namespaces/${ns}/pods/${podName}/eviction`;
  try {
    await kube(c.name, `POST ${path}${dry ? '?dryRun=All' : ''}`, () =>
      c.core.createNamespacedPodEviction({
        name: podName,
        namespace: ns,
        dryRun: dry ? 'All' : undefined,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: podName, namespace: ns },
          ...(grace !== undefined || dry
            ? {
                deleteOptions: {
                  ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
                  ...(dry ? { dryRun: ['All'] } : {}),
                },
              }
            : {}),
        },
      }),
    );
    return {};
  } catch (err) {
    if (err instanceof UpstreamError && err.upstream.status === 429) return { refused: budgetMessage(err) };
    if (err instanceof UpstreamError && err.upstream.status === 404) return {}; // already gone
    throw err;
  }
}

function budgetMessage(err: UpstreamError): string {
  try {
    const body = JSON.parse(err.upstream.body ?? '{}') as {
      message?: string;
      details?: { causes?: { message?: string }[] };
    };
    return [body.message, ...(body.details?.causes ?? []).map((x) => x.message)].filter(Boolean).join(' ');
  } catch {
    return err.message;
  }
}

export const nodeDrainTool = defineTool({
  name: 'node_drain',
  title: 'Drain a node',
  description:
    'Cordon a node and evict its pods (kubectl drain) through the Eviction API, respecting PodDisruptionBudgets ' +
    '(refused evictions are retried until timeoutSeconds). Pods of every namespace on the node are evicted; ' +
    'DaemonSet and mirror pods are skipped. Stops before changing anything when a pod has no controller or uses ' +
    'emptyDir, unless force / deleteEmptyDirData.',
  input,
  safetyClass: 'destructive',
  namespaceArg: null,
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps, ctx): Promise<ToolOutcome> {
    const c = pick(deps, args.cluster);
    const nodePath = `/api/v1/nodes/${args.name}`;
    const node = await kube(c.name, `GET ${nodePath}`, () => c.core.readNode({ name: args.name }));
    const pods = await podsOn(c, args.name);
    const verdicts = pods.map((p) => ({ pod: p, verdict: classify(p, args) }));
    const blocked = verdicts.filter((v) => v.verdict.startsWith('blocked_'));
    if (blocked.length > 0) {
      const lines = blocked.map(
        (b) =>
          `${ref(b.pod)}: ${b.verdict === 'blocked_unmanaged' ? 'no controller (set force)' : 'emptyDir volume (set deleteEmptyDirData)'}`,
      );
      return {
        status: 'error',
        reason: 'request',
        message: `cannot drain node ${args.name}; nothing was changed:\n  ${lines.join('\n  ')}`,
      };
    }
    const wasCordoned = node.spec?.unschedulable === true;
    if (!wasCordoned) {
      await kube(c.name, `PATCH ${nodePath}${args.dryRun ? '?dryRun=All' : ''} (merge patch)`, () =>
        c.core.patchNode(
          {
            name: args.name,
            body: { spec: { unschedulable: true } },
            dryRun: args.dryRun ? 'All' : undefined,
            fieldManager: 'sre-nanobot',
          },
          patchContentType('merge'),
        ),
      );
    }
    const skipped = verdicts
      .filter((v) => v.verdict.startsWith('skip_'))
      .map((v) => ({ pod: ref(v.pod), why: v.verdict }));
    const queue = verdicts.filter((v) => v.verdict === 'evict').map((v) => v.pod);
    const evicted: string[] = [];
    const refused = new Map<string, string>();
    const waited = new Set<string>();
    const deadline = deps.now() + args.timeoutSeconds * 1000;
    let pending = queue;
    while (pending.length > 0) {
      const next: V1Pod[] = [];
      for (const pod of pending) {
        const r = await evictOnce(c, pod, args.dryRun, args.gracePeriodSeconds);
        if (r.refused === undefined) {
          evicted.push(ref(pod));
          refused.delete(ref(pod));
        } else {
          refused.set(ref(pod), r.refused);
          waited.add(ref(pod));
          next.push(pod);
        }
      }
      pending = next;
      // A dry run reports what the budgets say now; a real drain waits for replacements to become ready.
      if (args.dryRun || pending.length === 0 || deps.now() + EVICTION_RETRY_MS > deadline) break;
      await pause(EVICTION_RETRY_MS, ctx.signal);
    }
    const remaining = args.dryRun ? [] : await stillThere(c, args.name, evicted, deadline, deps, ctx.signal);
    const changes = [
      ...(wasCordoned ? [] : [{ path: 'spec.unschedulable', from: false, to: true }]),
      ...evicted.map((p) => ({ path: `pods[${p}]`, from: 'running', to: 'evicted' })),
    ];
    const data = {
      action: 'drain',
      dryRun: args.dryRun,
      cluster: c.name,
      name: args.name,
      changes,
      evicted,
      skipped,
      refusedByBudget: [...refused].map(([pod, why]) => ({ pod, why })),
      /** Evicted after a disruption budget first refused them (the drain waited for replacements). */
      waitedForBudget: evicted.filter((p) => waited.has(p)),
      stillTerminating: remaining,
      complete: refused.size === 0 && remaining.length === 0,
    };
    const text = render(args, data, wasCordoned);
    // An unfinished drain is a failed step (the runbook rolls back or stops), with what did happen stated.
    if (!args.dryRun && !data.complete) return { status: 'error', reason: 'upstream', message: text };
    return { status: 'ok', data, text };
  },
});

/** After the evictions: the evicted pods that have not gone yet (graceful termination) by the deadline. */
async function stillThere(
  c: KubeClients,
  node: string,
  evicted: string[],
  deadline: number,
  deps: KubeDeps,
  signal: AbortSignal,
): Promise<string[]> {
  for (;;) {
    const left = (await podsOn(c, node)).map(ref).filter((p) => evicted.includes(p));
    if (left.length === 0 || deps.now() + EVICTION_RETRY_MS > deadline) return left;
    await pause(EVICTION_RETRY_MS, signal);
  }
}

function render(
  args: { name: string; dryRun: boolean; timeoutSeconds: number },
  d: {
    evicted: string[];
    skipped: { pod: string; why: string }[];
    refusedByBudget: { pod: string; why: string }[];
    stillTerminating: string[];
    complete: boolean;
  },
  wasCordoned: boolean,
): string {
  const lines = [
    `${args.dryRun ? 'dry run — drain' : 'drain'} node ${args.name}: ${wasCordoned ? 'already cordoned' : args.dryRun ? 'would cordon' : 'cordoned'}`,
    `${args.dryRun ? 'would evict' : 'evicted'} ${d.evicted.length}: ${d.evicted.join(', ') || 'none'}`,
  ];
  if (d.skipped.length > 0)
    lines.push(`skipped ${d.skipped.length}: ${d.skipped.map((s) => `${s.pod} (${s.why.slice(5)})`).join(', ')}`);
  for (const r of d.refusedByBudget)
    lines.push(
      `${args.dryRun ? 'refused now by a disruption budget' : `still refused after ${args.timeoutSeconds}s`}: ${r.pod} — ${r.why}`,
    );
  if (d.stillTerminating.length > 0) lines.push(`still terminating: ${d.stillTerminating.join(', ')}`);
  if (!args.dryRun) lines.push(d.complete ? 'the node is drained' : 'the drain is incomplete');
  else if (d.evicted.length > 0) lines.push('budgets are checked pod by pod; the real drain waits for replacements');
  return lines.join('\n');
}
