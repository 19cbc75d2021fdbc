/**
 * What the mutating commands share: the workload they act on (named, or implied by the incident of the thread),
 * and the runbook request through `RunbookLauncher` — the same path as the card's Run button, so approval,
 * policy, protected namespaces, cooldown and audit apply exactly as they do there. Without a launcher the
 * command says plainly that runbooks are not available.
 */
import type { Incident } from '../incidents/model.js';
import type { RunRequestResult } from '../ports/remediation.js';
import type { CommandEvent, Reply } from './define.js';
import { text } from './define.js';
import { parseRef } from './parse.js';

export interface Workload {
  kind: string;
  name: string;
  namespace: string;
}

export type TargetResult = { ok: true; target: Workload; incident: Incident | undefined } | { ok: false; reply: Reply };

/** The thread's incident, when the command was written in an incident card's thread. */
export function threadIncident(ev: CommandEvent): Incident | undefined {
  return ev.threadIncidentId === undefined ? undefined : ev.deps.incidents.store.incidents.get(ev.threadIncidentId);
}

/** The workload of an incident of the given kind (its resources, else its labels). */
export function incidentWorkload(inc: Incident, kind: string): string | undefined {
  const ref = inc.resources.find((r) => r.kind.toLowerCase() === kind.toLowerCase());
  if (ref) return ref.name;
  return inc.labels[kind.toLowerCase()];
}

/**
 * Resolves `kind/name [-n ns]` against the kinds a command accepts; in an incident thread a missing name or
 * namespace comes from the incident. A wrong kind answers the usage; a missing one says what is missing.
 */
export function resolveTarget(
  ev: CommandEvent,
  written: string | undefined,
  namespaceFlag: string | undefined,
  accepted: readonly string[],
  usage: string,
): TargetResult {
  const { t } = ev.ctx;
  const inc = threadIncident(ev);
  const primary = accepted[0] as string;
  let kind = primary;
  let name: string | undefined;
  if (written !== undefined) {
    const ref = parseRef(written);
    // A bare word is a pod to parseRef; these commands read it as the first accepted kind's name.
    const bare = !written.includes('/');
    if (!ref || (!bare && !accepted.includes(ref.kind))) {
      return { ok: false, reply: text(t('command.usage', { usage })) };
    }
    kind = bare ? primary : ref.kind;
    name = ref.name;
  } else if (inc) name = incidentWorkload(inc, primary);
  if (!name) return { ok: false, reply: text(t('command.run.needTarget', { kind: primary, usage })) };
  const namespace = namespaceFlag ?? inc?.namespace ?? undefined;
  if (!namespace) return { ok: false, reply: text(t('command.run.needNamespace')) };
  return { ok: true, target: { kind, name, namespace }, incident: inc };
}

export function describeTarget(w: Workload): string {
  return `${w.namespace}/${w.kind.toLowerCase()}/${w.name}`;
}

/** Requests a run as the person who typed the command and answers with what became of it. */
export async function launch(
  ev: CommandEvent,
  runbookId: string,
  params: Record<string, string>,
  target: string,
  incident: Incident | undefined,
): Promise<Reply> {
  const { t } = ev.ctx;
  const launcher = ev.deps.launcher;
  if (!launcher) return text(t('command.run.unavailable'));
  const result = await launcher.request({
    runbookId,
    params,
    ...(incident ? { incidentId: incident.id } : {}),
    requester: ev.ctx.actor,
    chatId: ev.message.chatId,
    replyTo: ev.message.messageId,
    source: 'command',
    reason: ev.message.text.slice(0, 200),
  });
  return text(runAnswer(ev, runbookId, target, result));
}

function runAnswer(ev: CommandEvent, runbook: string, target: string, r: RunRequestResult): string {
  const { t } = ev.ctx;
  if (!r.ok) return t('command.run.refused', { runbook, reason: r.reason });
  const vars = { runbook, target, runId: r.runId, phase: r.phase };
  if (r.duplicate) return t('command.run.duplicate', vars);
  if (r.phase === 'awaiting_approval') return t('command.run.requested', vars);
  if (r.phase === 'running' || r.phase === 'verifying') return t('command.run.started', vars);
  return t('command.run.phase', vars);
}
