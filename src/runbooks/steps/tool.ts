/**
 * A tool step: the call the plan fixed when the run was requested — tool, arguments, and for a write the
 * approval bound to exactly that call — made through the ToolHost as caller `runbook` on behalf of the
 * requester. The host checks the approval against the call and spends it, so a write runs at most once.
 */
import { plannedCall } from '../plan.js';
import type { StepExecutor } from './context.js';

export const toolStep: StepExecutor<'tool'> = async (step, ctx) => {
  const { deps, run, section, index } = ctx;
  const call = plannedCall(run.plan, section, index);
  if (!call || call.stepId !== step.id) {
    return { result: 'failed', message: `step ${step.id} has no planned call; the run's plan does not match it` };
  }
  if (!deps.tools) return { result: 'failed', message: 'no tools are configured' };
  const r = await deps.tools.call(
    call.tool,
    call.args,
    { kind: 'runbook', person: run.plan.requester },
    call.approvalId ? { approvalId: call.approvalId } : {},
  );
  switch (r.kind) {
    case 'ok':
      return { result: 'ok', summary: r.text.slice(0, 2000) };
    case 'no_data':
      return { result: 'ok', summary: `nothing found: ${r.searched}` };
    case 'error':
      return { result: 'failed', message: `${r.tool}: ${r.message}` };
    case 'denied':
      return { result: 'failed', message: `${r.tool} refused: ${r.decision.reason}` };
    case 'approval_required':
      return { result: 'failed', message: `${r.tool} not authorised: ${r.decision.reason}` };
    default: {
      const never: never = r;
      return { result: 'failed', message: `unexpected result ${JSON.stringify(never)}` };
    }
  }
};
