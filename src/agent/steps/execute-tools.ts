/**
 * Runs one assistant turn's tool calls (in parallel, as the model asked) and answers each `tool_call_id`:
 * - a call past the tool-call budget, a repeated call, or malformed arguments is answered without running;
 * - `propose_runbook` records a proposal (a Run button on the card; a person decides);
 * - `ask_<profile>_agent` delegates to another profile within its own budgets;
 * - a ToolHost tool goes through the host as caller `llm` (policy: reads run, writes come back
 *   `approval_required` and never execute); such a write is turned into the matching runbook request with an
 *   approval card, and the run is interrupted until the decision.
 */
import type { ToolCall } from '../../ports/llm.js';
import { describeError } from '../../shared/errors.js';
import type { LoopDeps } from '../loop-deps.js';
import type { PendingCall, RunState } from '../run-state.js';
import { frameData, toToolMessage } from '../tool-message.js';
import { PROPOSE_RUNBOOK, ProposeRunbookArgsSchema } from '../tool-specs.js';
import { runbookForWrite } from '../write-runbooks.js';
import { describeCall } from './describe-call.js';
import { callSignature, REPEAT_NOTE, recordCall } from './detect-loop.js';

export interface ExecuteOutcome {
  /** A call past the tool-call budget was refused. */
  toolBudgetHit: boolean;
  /** The same call a third time: the run must stop. */
  loopStop: boolean;
  /** Calls now waiting for an approval. */
  interrupted: PendingCall[];
}

interface Answered {
  content: string;
}

export async function executeTools(calls: ToolCall[], state: RunState, deps: LoopDeps): Promise<ExecuteOutcome> {
  const out: ExecuteOutcome = { toolBudgetHit: false, loopStop: false, interrupted: [] };
  const jobs: (Answered | Promise<Answered>)[] = [];
  for (const call of calls) {
    const note = (text: string, status: string): Answered => ({
      content: frameData('tool_output', { tool: call.name, status }, text),
    });
    if (call.invalidArguments) {
      jobs.push(note(`Invalid arguments: ${call.invalidArguments}. Send a JSON object matching the schema.`, 'error'));
      continue;
    }
    const verdict = recordCall(state, callSignature(call.name, call.arguments));
    if (verdict === 'stop') {
      out.loopStop = true;
      jobs.push(note(REPEAT_NOTE, 'not_executed'));
      continue;
    }
    if (verdict === 'repeat') {
      jobs.push(note(REPEAT_NOTE, 'not_executed'));
      continue;
    }
    if (state.counters.toolCalls >= deps.budgets.maxToolCalls) {
      out.toolBudgetHit = true;
      jobs.push(note('Not executed: the tool-call budget of this investigation is spent.', 'not_executed'));
      continue;
    }
    state.counters.toolCalls++;
    jobs.push(runOne(call, state, deps, out));
  }
  const answered = await Promise.all(jobs);
  for (const [i, call] of calls.entries()) {
    state.messages.push({ role: 'tool', tool_call_id: call.id, content: answered[i]?.content ?? '' });
  }
  return out;
}

async function runOne(call: ToolCall, state: RunState, deps: LoopDeps, out: ExecuteOutcome): Promise<Answered> {
  const { toolset, t } = deps;
  const evidence = (tool: string, outcome: RunState['evidence'][number]['outcome'], excerpt: string) =>
    state.evidence.push({ callId: call.id, tool, args: call.arguments, outcome, excerpt });
  const framed = (status: string, text: string) => ({
    content: frameData('tool_output', { tool: call.name, status }, text),
  });

  if (call.name === PROPOSE_RUNBOOK) {
    const p = ProposeRunbookArgsSchema.safeParse(call.arguments);
    if (!p.success) return framed('error', `Invalid arguments: ${p.error.issues.map((i) => i.message).join('; ')}`);
    const known = (deps.catalogue?.() ?? []).some((r) => r.id === p.data.runbook);
    if (!known) return framed('error', `Unknown runbook ${p.data.runbook}; use an id from the catalogue.`);
    state.proposals.push({ runbookId: p.data.runbook, params: p.data.params, reason: p.data.reason });
    return framed('ok', `Proposed ${p.data.runbook}: shown as a Run button; a person decides whether to run it.`);
  }

  const delegateTo = toolset.delegates.get(call.name);
  if (delegateTo) {
    const question = typeof call.arguments.question === 'string' ? call.arguments.question : '';
    deps.onProgress?.(describeCall(call.name, call.arguments, t));
    if (!deps.delegate || !question) return framed('error', 'Delegation is not available; use your own tools.');
    try {
      const r = await deps.delegate(delegateTo, question);
      state.counters.tokens += r.tokens;
      evidence(`agent.${delegateTo}`, 'delegated', r.summary.slice(0, 300));
      return framed('ok', `${delegateTo} agent (${r.steps} steps, ${r.toolCalls} tool calls):\n${r.summary}`);
    } catch (err) {
      return framed('error', `The ${delegateTo} agent failed: ${describeError(err)}`);
    }
  }

  const info = toolset.known.get(call.name);
  if (!info || !deps.tools) {
    const offered = toolset.specs.map((s) => s.name).join(', ');
    return framed('error', `Unknown tool ${call.name}. Available tools: ${offered}.`);
  }
  if (info.safetyClass === 'read' && !toolset.hostName.has(call.name)) {
    return framed(
      'error',
      `${info.name} is not in your toolset. Use one of: ${[...toolset.hostName.keys()].join(', ')}.`,
    );
  }
  deps.onProgress?.(describeCall(info.name, call.arguments, t));
  const result = await deps.tools.call(info.name, call.arguments, deps.caller);
  if (result.kind !== 'approval_required') {
    const m = toToolMessage(result, deps.budgets.maxToolOutputChars);
    evidence(info.name, m.outcome, m.excerpt);
    return { content: m.content };
  }
  return requestApproval(call, info.name, state, deps, out, result.decision.reason);
}

async function requestApproval(
  call: ToolCall,
  tool: string,
  state: RunState,
  deps: LoopDeps,
  out: ExecuteOutcome,
  policyReason: string,
): Promise<Answered> {
  const framed = (text: string) => ({
    content: frameData('tool_output', { tool: call.name, status: 'not_executed' }, text),
  });
  const record = (excerpt: string) =>
    state.evidence.push({ callId: call.id, tool, args: call.arguments, outcome: 'approval_required', excerpt });
  const mapped = runbookForWrite(tool, call.arguments);
  if (!mapped || !deps.launcher) {
    record(`refused: ${policyReason}`);
    deps.log.info({ runId: state.runId, tool }, 'agent: write call refused (no runbook maps to it)');
    return framed(
      `Not executed: ${tool} changes the cluster and you may not run it (${policyReason}). The refusal is recorded. ` +
        'Propose a runbook with propose_runbook instead.',
    );
  }
  const reason = `${tool} ${JSON.stringify(call.arguments)}`.slice(0, 300);
  const r = await deps.launcher
    .request({
      runbookId: mapped.runbookId,
      params: mapped.params,
      ...(state.incidentId !== undefined ? { incidentId: state.incidentId } : {}),
      requester: deps.requester,
      chatId: state.chatId,
      ...(state.replyTo ? { replyTo: state.replyTo } : {}),
      source: 'agent',
      reason,
    })
    .catch((err: unknown) => ({ ok: false as const, code: 'unavailable' as const, reason: describeError(err) }));
  if (!r.ok) {
    record(`runbook ${mapped.runbookId} refused: ${r.reason}`);
    return framed(`Not executed. Runbook ${mapped.runbookId} was refused (${r.code}): ${r.reason}.`);
  }
  if (!r.approvalId) {
    record(`runbook ${mapped.runbookId} started as run ${r.runId} (no approval needed)`);
    return framed(
      `Not executed by you. Runbook ${mapped.runbookId} started as run ${r.runId}; it reports on its own card.`,
    );
  }
  const pending: PendingCall = {
    callId: call.id,
    tool,
    args: call.arguments,
    approvalId: r.approvalId,
    runbookId: mapped.runbookId,
    runbookRunId: r.runId,
  };
  if (!state.pending.some((p) => p.approvalId === r.approvalId)) state.pending.push(pending);
  out.interrupted.push(pending);
  record(`approval ${r.approvalId} requested for runbook ${mapped.runbookId}`);
  return framed(
    `Not executed. An approval card for runbook ${mapped.runbookId} (${JSON.stringify(mapped.params)}) was posted; ` +
      'the investigation pauses until a person decides.',
  );
}
