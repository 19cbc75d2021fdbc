/**
 * `/scale deploy/<name> <replicas> [-n ns]` — runbook `deployment-scale`. The current replica count is read
 * from the cluster and passed as `previous_replicas`, so a failed verification restores it. In an incident
 * thread `/scale <replicas>` scales the incident's deployment.
 */
import { z } from 'zod';
import { incidentAccess, namespaceArg } from './args.js';
import { type CommandEvent, defineCommand, text } from './define.js';
import { describeTarget, launch, resolveTarget, type Workload } from './launch.js';
import type { Tokens } from './parse.js';

const USAGE = '/scale deploy/<name> <replicas> [-n ns]';
const replicas = z
  .string()
  .regex(/^\d{1,4}$/)
  .refine((s) => Number(s) <= 1000);

const args = z.object({
  positional: z.union([z.tuple([replicas]), z.tuple([z.string(), replicas])]),
  flags: z.object({ namespace: namespaceArg.optional() }).strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: [string] | [string, string]; flags: { namespace?: string } }, Tokens>;

export const scaleCommand = defineCommand({
  name: 'scale',
  usage: USAGE,
  summary: 'command.scale',
  args,
  permission: 'runbook.request',
  scope: (_a, ev) => incidentAccess(ev, ev.threadIncidentId),
  async run(a, ev) {
    const [written, count] = a.positional.length === 2 ? a.positional : [undefined, a.positional[0]];
    const r = resolveTarget(ev, written, a.flags.namespace, ['Deployment'], USAGE);
    if (!r.ok) return r.reply;
    const previous = await currentReplicas(ev, r.target);
    if (!previous.ok) return text(previous.message);
    return launch(
      ev,
      'deployment-scale',
      {
        namespace: r.target.namespace,
        deployment: r.target.name,
        replicas: String(Number(count)),
        ...(previous.replicas !== undefined ? { previous_replicas: String(previous.replicas) } : {}),
      },
      describeTarget(r.target),
      r.incident,
    );
  },
});

type Current = { ok: true; replicas: number | undefined } | { ok: false; message: string };

/** The deployment's `spec.replicas` now; without cluster tools the engine is left to refuse or read it. */
async function currentReplicas(ev: CommandEvent, w: Workload): Promise<Current> {
  const { t, tools, actor } = ev.ctx;
  if (!tools || !ev.deps.launcher) return { ok: true, replicas: undefined };
  ev.interim(t('command.working'));
  const r = await tools.call(
    'k8s.resource_get',
    { kind: 'deployment', name: w.name, namespace: w.namespace },
    { kind: 'command', person: actor.openId },
  );
  if (r.kind !== 'ok') {
    const reason = r.kind === 'no_data' ? r.searched : r.kind === 'error' ? r.message : r.decision.reason;
    return { ok: false, message: t('command.run.noPods', { target: describeTarget(w), reason }) };
  }
  const n = (r.data as { spec?: { replicas?: unknown } }).spec?.replicas;
  return { ok: true, replicas: typeof n === 'number' ? n : 1 };
}
