/**
 * Fixing a run's tool calls before anyone approves it: every tool step of the steps and the rollback, with its
 * arguments filled from the parameters and the run's cluster, resolved to the ToolHost's tool (`k8s.<tool>`
 * for a built-in). A write is asked of the host without an approval: the host answers with the binding an
 * approval must carry for exactly that call and a server-side dry run of it, which the card shows. Read-only
 * preconditions run here too.
 */
import type { ApprovalBinding } from '../approvals/model.js';
import type { ToolInfo } from '../ports/tools.js';
import { parseDuration } from '../shared/duration.js';
import type { RunDeps } from './deps.js';
import type { PlannedCall } from './plan.js';
import { previewOf } from './preview.js';
import type { Runbook } from './schema.js';
import { runCheck } from './steps/check.js';
import { type ParamValues, renderTemplate } from './template.js';

function findTool(tools: ToolInfo[], name: string): ToolInfo | undefined {
  return (
    tools.find((t) => t.name === name) ?? tools.find((t) => t.name.endsWith(`.${name}`) && t.safetyClass !== undefined)
  );
}

function argsFor(info: ToolInfo, raw: unknown, values: ParamValues, cluster: string | null): Record<string, unknown> {
  const args = { ...((renderTemplate(raw, values) as Record<string, unknown>) ?? {}) };
  const props = (info.inputSchema as { properties?: Record<string, unknown> }).properties ?? {};
  if ('cluster' in props && cluster !== null) args.cluster = cluster;
  return args;
}

export interface PlannedWithBinding {
  call: Omit<PlannedCall, 'approvalId'>;
  binding: ApprovalBinding | null;
}

export async function planCalls(
  deps: RunDeps,
  runbook: Runbook,
  values: ParamValues,
  cluster: string | null,
  requester: string,
): Promise<{ calls: PlannedWithBinding[] } | { refused: string }> {
  const host = deps.tools;
  if (!host) return { refused: deps.t('run.refused.noTools') };
  const tools = host.list();
  const out: PlannedWithBinding[] = [];
  const sections = [
    ['steps', runbook.steps],
    ['rollback', runbook.rollback],
  ] as const;
  for (const [section, list] of sections) {
    for (const [index, step] of list.entries()) {
      if (step.type !== 'tool') continue;
      const info = findTool(tools, step.tool);
      if (!info?.safetyClass) return { refused: deps.t('run.refused.unknownTool', { step: step.id, tool: step.tool }) };
      const args = argsFor(info, step.args, values, cluster);
      const base = { section, index, stepId: step.id, tool: info.name, args, safetyClass: info.safetyClass };
      if (info.safetyClass === 'read') {
        out.push({ call: { ...base, preview: null }, binding: null });
        continue;
      }
      const r = await host.call(info.name, args, { kind: 'runbook', person: requester });
      if (r.kind === 'denied') {
        return {
          refused: deps.t('run.refused.toolRefused', { step: step.id, tool: info.name, reason: r.decision.reason }),
        };
      }
      if (r.kind !== 'approval_required') {
        return {
          refused: deps.t('run.refused.toolRefused', {
            step: step.id,
            tool: info.name,
            reason: r.kind === 'error' ? r.message : `unexpected ${r.kind} while asking for an approval`,
          }),
        };
      }
      const preview =
        section === 'steps'
          ? await previewOf(r.preview, { args: r.args, tool: info.name }, deps.reader, cluster)
          : null;
      out.push({ call: { ...base, args: r.args, preview }, binding: r.binding });
    }
  }
  return { calls: out };
}

/** The first precondition that does not hold, or undefined when all do. */
export async function runPreconditions(
  deps: RunDeps,
  runbook: Runbook,
  values: ParamValues,
  cluster: string | null,
  requester: string,
): Promise<{ step: string; detail: string } | undefined> {
  const signal = new AbortController().signal;
  for (const p of runbook.preconditions) {
    if (p.type === 'tool') {
      const info = deps.tools && findTool(deps.tools.list(), p.tool);
      if (!deps.tools || !info) return { step: p.id, detail: `no tool ${p.tool}` };
      const r = await deps.tools.call(info.name, argsFor(info, p.args, values, cluster), {
        kind: 'runbook',
        person: requester,
      });
      if (r.kind !== 'ok') {
        const why = r.kind === 'error' ? r.message : r.kind === 'no_data' ? `nothing found: ${r.searched}` : r.kind;
        return { step: p.id, detail: why };
      }
      continue;
    }
    const seen = await runCheck(
      deps,
      p,
      { cluster, params: values },
      p.timeout ? (parseDuration(p.timeout) ?? 0) : 0,
      signal,
    );
    if (seen.result !== 'pass') return { step: p.id, detail: seen.detail };
  }
  return undefined;
}
