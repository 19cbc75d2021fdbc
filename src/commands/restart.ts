/**
 * `/restart deploy/<name> [-n ns]` — a rollout restart (runbook `deployment-rollout-restart`); `/restart
 * po/<name>` deletes one pod so its controller recreates it (runbook `pod-restart`, which verifies the owning
 * deployment). In an incident thread the incident's deployment and namespace are implied.
 */
import { z } from 'zod';
import { incidentAccess, namespaceArg } from './args.js';
import { type CommandEvent, defineCommand, text } from './define.js';
import { describeTarget, launch, resolveTarget } from './launch.js';
import type { Tokens } from './parse.js';

const USAGE = '/restart deploy/<name> | po/<name> [-n ns]';

const args = z.object({
  positional: z.array(z.string()).max(1),
  flags: z.object({ namespace: namespaceArg.optional() }).strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: string[]; flags: { namespace?: string } }, Tokens>;

export const restartCommand = defineCommand({
  name: 'restart',
  usage: USAGE,
  summary: 'command.restart',
  args,
  permission: 'runbook.request',
  scope: (_a, ev) => incidentAccess(ev, ev.threadIncidentId),
  async run(a, ev) {
    const r = resolveTarget(ev, a.positional[0], a.flags.namespace, ['Deployment', 'Pod'], USAGE);
    if (!r.ok) return r.reply;
    const { target, incident } = r;
    if (target.kind === 'Deployment') {
      return launch(
        ev,
        'deployment-rollout-restart',
        { namespace: target.namespace, deployment: target.name },
        describeTarget(target),
        incident,
      );
    }
    const owner = await ownerDeployment(ev, target.name, target.namespace);
    if (!owner.ok) return text(owner.message);
    return launch(
      ev,
      'pod-restart',
      { namespace: target.namespace, pod: target.name, deployment: owner.name },
      describeTarget(target),
      incident,
    );
  },
});

type Owner = { ok: true; name: string } | { ok: false; message: string };

/**
 * The deployment that owns a pod: its ReplicaSet owner less the `pod-template-hash` suffix, read from the
 * cluster; without cluster tools, the name pattern `<deployment>-<hash>-<suffix>`.
 */
async function ownerDeployment(ev: CommandEvent, pod: string, namespace: string): Promise<Owner> {
  const { t, tools, actor } = ev.ctx;
  const guess = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (!tools) return guess ? { ok: true, name: guess } : { ok: false, message: t('command.run.ownerUnknown', { pod }) };
  if (!ev.deps.launcher) return { ok: true, name: guess ?? pod };
  ev.interim(t('command.working'));
  const r = await tools.call(
    'k8s.resource_get',
    { kind: 'pod', name: pod, namespace },
    { kind: 'command', person: actor.openId },
  );
  if (r.kind !== 'ok') {
    const reason = r.kind === 'no_data' ? r.searched : r.kind === 'error' ? r.message : r.decision.reason;
    return { ok: false, message: t('command.run.noPods', { target: `${namespace}/pod/${pod}`, reason }) };
  }
  const meta = (r.data as { metadata?: PodMeta }).metadata ?? {};
  const rs = meta.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
  const hash = meta.labels?.['pod-template-hash'];
  if (rs && hash && rs.endsWith(`-${hash}`)) return { ok: true, name: rs.slice(0, -hash.length - 1) };
  if (rs) {
    const cut = rs.lastIndexOf('-');
    if (cut > 0) return { ok: true, name: rs.slice(0, cut) };
  }
  return { ok: false, message: t('command.run.ownerUnknown', { pod }) };
}

interface PodMeta {
  labels?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string }[];
}
