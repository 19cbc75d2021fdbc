/**
 * The eval harness (HolmesGPT's one folder per case): `test/evals/<case>/case.yaml` holds the question or the
 * alert, the engine's findings, the recorded tool outputs, the scripted model's turns, and what the answer must
 * and must not contain. `runCase` runs the real agent loop against a recorded ToolHost (the real policy decides
 * each call) and a model — the scripted one in `npm test`, a real endpoint with `EVALS=1 npm run evals`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { parseAnswer } from '../../src/agent/answer.js';
import { type Budgets, DEFAULT_BUDGETS } from '../../src/agent/budgets.js';
import { runAgent } from '../../src/agent/loop.js';
import type { NextStep } from '../../src/agent/next-step.js';
import { PromptSet } from '../../src/agent/prompts.js';
import { newRunState, type RunState } from '../../src/agent/run-state.js';
import { Team } from '../../src/agent/team.js';
import { frameData } from '../../src/agent/tool-message.js';
import { wireName } from '../../src/agent/tool-specs.js';
import { DEFAULT_POLICY, decide } from '../../src/mcp/policy.js';
import type { LlmPort } from '../../src/ports/llm.js';
import type { RunbookLauncher, RunbookSummary } from '../../src/ports/remediation.js';
import type { Caller, SafetyClass, ToolHost, ToolInfo, ToolResult } from '../../src/ports/tools.js';
import { answer, callTools, type Script } from '../../src/sandbox/llm/index.js';
import { translator } from '../../src/shared/i18n.js';
import { silentLogger } from '../../src/shared/log.js';
import { FakeClock } from '../helpers/fake-clock.js';

export const EVALS_DIR = fileURLToPath(new URL('./', import.meta.url));

const ResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ok'), text: z.string() }),
  z.object({ kind: z.literal('no_data'), searched: z.string() }),
  z.object({
    kind: z.literal('error'),
    code: z.enum(['invalid_arguments', 'upstream_error', 'timeout', 'unknown_tool', 'not_configured', 'internal']),
    message: z.string(),
    request: z.string().optional(),
    status: z.number().int().optional(),
    body: z.string().optional(),
  }),
]);

const RecordingSchema = z.object({
  tool: z.string(),
  /** A subset the call's arguments must contain (strings compare case-insensitively). */
  args: z.record(z.string(), z.unknown()).default({}),
  result: ResultSchema,
});
export type Recording = z.infer<typeof RecordingSchema>;

const TurnSchema = z.union([
  z.strictObject({
    call: z.array(z.object({ tool: z.string(), args: z.record(z.string(), z.unknown()).default({}) })),
  }),
  z.strictObject({ answer: z.string() }),
]);

export const CaseSchema = z.strictObject({
  description: z.string(),
  tags: z.array(z.string()).default([]),
  question: z.string(),
  /** Engine findings as the model is told them (F1…). */
  findings: z.array(z.string()).default([]),
  tools: z.array(RecordingSchema).default([]),
  script: z.array(TurnSchema).min(1),
  budgets: z.record(z.string(), z.number()).optional(),
  expect: z.strictObject({
    inconclusive: z.boolean().default(false),
    /** Identifiers the answer must contain (case-insensitive). */
    contains: z.array(z.string()).default([]),
    not_contains: z.array(z.string()).default([]),
    tools_called: z.array(z.string()).default([]),
    proposals: z.array(z.string()).default([]),
    cites: z.array(z.string()).default([]),
  }),
});
export type EvalCase = z.infer<typeof CaseSchema>;

export function loadCases(dir = EVALS_DIR): { name: string; c: EvalCase }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const raw = yaml.load(readFileSync(`${dir}/${name}/case.yaml`, 'utf8'));
      const r = CaseSchema.safeParse(raw);
      if (!r.success)
        throw new Error(`eval ${name}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return { name, c: r.data };
    });
}

/** The built-in tools the recordings may name, with their safety class (writes are listed so a model can try them). */
export const TOOL_CLASSES: Record<string, SafetyClass> = {
  'k8s.resources_list': 'read',
  'k8s.resource_get': 'read',
  'k8s.resource_describe': 'read',
  'k8s.pod_logs': 'read',
  'k8s.events_list': 'read',
  'k8s.rollout_history': 'read',
  'k8s.rollout_status': 'read',
  'k8s.top': 'read',
  'k8s.deployment_rollback': 'write',
  'k8s.workload_restart': 'write',
  'k8s.workload_scale': 'write',
  'k8s.set_image': 'write',
  'k8s.pod_delete': 'destructive',
  'k8s.node_cordon': 'destructive',
  'prometheus.query': 'read',
  'prometheus.query_range': 'read',
  'prometheus.alerts': 'read',
  'prometheus.rules': 'read',
  'prometheus.targets': 'read',
  'prometheus.metric_names': 'read',
  'prometheus.label_values': 'read',
  'prometheus.series': 'read',
};

const matchesArgs = (want: Record<string, unknown>, got: Record<string, unknown>) =>
  Object.entries(want).every(([k, v]) =>
    typeof v === 'string' && typeof got[k] === 'string'
      ? (got[k] as string).toLowerCase() === v.toLowerCase()
      : JSON.stringify(got[k]) === JSON.stringify(v),
  );

/** A ToolHost that answers from recordings, decided by the real policy; it records every call and every write run. */
export class RecordedTools implements ToolHost {
  readonly calls: { name: string; args: Record<string, unknown>; caller: Caller; result: ToolResult['kind'] }[] = [];
  /** Write or destructive calls that were executed (the policy must keep this empty for the LLM). */
  readonly executedWrites: string[] = [];
  constructor(
    private readonly recordings: readonly Recording[],
    private readonly before?: () => Promise<void>,
  ) {}

  list(): ToolInfo[] {
    return Object.entries(TOOL_CLASSES).map(([name, safetyClass]) => ({
      name,
      description: `${name} (recorded)`,
      inputSchema: { type: 'object', properties: {}, additionalProperties: true },
      safetyClass,
      server: name.split('.')[0] as string,
      supportsDryRun: safetyClass !== 'read',
    }));
  }

  async call(name: string, args: Record<string, unknown>, caller: Caller): Promise<ToolResult> {
    await this.before?.();
    const r = this.answer(name, args, caller);
    this.calls.push({ name, args, caller, result: r.kind });
    return r;
  }

  private answer(name: string, args: Record<string, unknown>, caller: Caller): ToolResult {
    const safetyClass = TOOL_CLASSES[name];
    if (!safetyClass) return { kind: 'error', tool: name, code: 'unknown_tool', message: `unknown tool ${name}`, args };
    const namespace = typeof args.namespace === 'string' ? args.namespace : undefined;
    const d = decide(
      { tool: name, safetyClass, caller, namespace, cluster: undefined, dryRun: false, approved: false },
      DEFAULT_POLICY,
    );
    if (d.verdict === 'deny') return { kind: 'denied', tool: name, args, decision: d };
    if (d.verdict === 'needs_approval') {
      return {
        kind: 'approval_required',
        tool: name,
        args,
        safetyClass,
        decision: d,
        binding: { tool: name, cluster: null, namespace: namespace ?? null, argsHash: '0'.repeat(64) },
      };
    }
    if (safetyClass !== 'read') this.executedWrites.push(name);
    const rec = this.recordings.find((x) => x.tool === name && matchesArgs(x.args, args));
    if (!rec)
      return { kind: 'no_data', tool: name, searched: `${name} ${JSON.stringify(args)} (nothing recorded)`, args };
    switch (rec.result.kind) {
      case 'ok':
        return { kind: 'ok', tool: name, data: null, text: rec.result.text, truncated: false, dryRun: false };
      case 'no_data':
        return { kind: 'no_data', tool: name, searched: rec.result.searched, args };
      case 'error': {
        const e = rec.result;
        return {
          kind: 'error',
          tool: name,
          code: e.code,
          message: e.message,
          args,
          ...(e.request
            ? {
                upstream: {
                  request: e.request,
                  ...(e.status ? { status: e.status } : {}),
                  ...(e.body ? { body: e.body } : {}),
                },
              }
            : {}),
        };
      }
      default: {
        const never: never = rec.result;
        return never;
      }
    }
  }
}

/** The scripted model's turns for a case (tool names on the wire as the agent offers them). */
export function scriptOf(c: EvalCase): Script {
  return c.script.map((turn) =>
    'answer' in turn
      ? answer(turn.answer)
      : callTools(
          turn.call.map((x) => ({ name: x.tool.includes('.') ? wireName(x.tool) : x.tool, arguments: x.args })),
        ),
  );
}

export const CATALOGUE: RunbookSummary[] = [
  ['deployment-rollback', 'medium', ['namespace', 'deployment', 'to_revision?']],
  ['deployment-rollout-restart', 'low', ['namespace', 'deployment']],
  ['deployment-scale', 'medium', ['namespace', 'deployment', 'replicas']],
  ['raise-memory-limit', 'medium', ['namespace', 'deployment', 'container', 'memory']],
  ['raise-cpu-limit', 'medium', ['namespace', 'deployment', 'container', 'cpu']],
  ['pod-restart', 'low', ['namespace', 'pod']],
  ['hpa-raise-max', 'medium', ['namespace', 'hpa', 'max']],
  ['pvc-expand', 'high', ['namespace', 'pvc', 'size']],
  ['node-cordon-drain', 'high', ['node']],
  ['coredns-restart', 'low', []],
].map(([id, risk, params]) => ({
  id: id as string,
  title: id as string,
  description: id as string,
  category: 'workload' as never,
  risk: risk as never,
  params: (params as string[]).map((p) => ({ name: p.replace('?', ''), required: !p.endsWith('?') })),
}));

/** A launcher that records requests and answers as the runbook engine would (an approval for medium and up). */
export class FakeLauncher implements RunbookLauncher {
  readonly requests: Parameters<RunbookLauncher['request']>[0][] = [];
  async request(req: Parameters<RunbookLauncher['request']>[0]) {
    this.requests.push(req);
    if (!CATALOGUE.some((r) => r.id === req.runbookId))
      return { ok: false as const, code: 'unknown_runbook' as const, reason: 'no such runbook' };
    const n = this.requests.length;
    return { ok: true as const, runId: `run_${n}`, phase: 'awaiting_approval' as const, approvalId: `apr_${n}` };
  }
  catalogue() {
    return CATALOGUE;
  }
}

export interface CaseRun {
  state: RunState;
  next: NextStep;
  answer: string;
  tools: RecordedTools;
  launcher: FakeLauncher;
  ms: number;
}

export async function runCase(
  c: EvalCase,
  llm: LlmPort,
  opts: { budgets?: Partial<Budgets>; clock?: FakeClock; onTool?: () => Promise<void> } = {},
): Promise<CaseRun> {
  const clock = opts.clock ?? new FakeClock();
  const tools = new RecordedTools(c.tools, opts.onTool);
  const launcher = new FakeLauncher();
  const budgets: Budgets = {
    ...DEFAULT_BUDGETS,
    ...(c.budgets ? Object.fromEntries(Object.entries(c.budgets).map(([k, v]) => [k, v])) : {}),
    ...opts.budgets,
  };
  let ids = 0;
  const team = new Team({
    llm,
    tools,
    prompts: new PromptSet(),
    clock,
    log: silentLogger(),
    t: translator('en-US'),
    budgets,
    launcher,
    locale: 'en-US',
    newId: () => `run_${++ids}`,
  });
  const findings =
    c.findings.map((f, i) => `[F${i + 1}] ${f}`).join('\n') || 'The diagnosis engine found no known failure pattern.';
  const state = newRunState({
    runId: 'eval',
    kind: 'investigation',
    profile: 'incident',
    chatId: 'oc_eval',
    threadKey: '',
    requestedBy: 'ou_eval',
    messages: [
      { role: 'system', content: team.systemPrompt('incident') },
      {
        role: 'user',
        content: `${frameData('untrusted_data', { source: 'question' }, c.question)}\n\nDiagnosis engine findings (cite by id):\n${frameData('untrusted_data', { source: 'diagnosis' }, findings)}`,
      },
    ],
    now: clock.now(),
  });
  const started = Date.now();
  const { next } = await runAgent(state, team.loopDeps('incident', { requester: { openId: 'ou_eval' } }));
  const text =
    next.type === 'final'
      ? next.answer
      : next.type === 'budget_exhausted' || next.type === 'failed'
        ? next.partial
        : next.type === 'interrupted'
          ? next.message
          : '';
  return { state, next, answer: text, tools, launcher, ms: Date.now() - started };
}

/** What a run got wrong against the case's expectations (empty: pass). */
export function judge(c: EvalCase, run: CaseRun): string[] {
  const problems: string[] = [];
  const text = run.answer.toLowerCase();
  const parsed = parseAnswer(run.answer);
  if (parsed.inconclusive !== c.expect.inconclusive)
    problems.push(`inconclusive: expected ${c.expect.inconclusive}, got ${parsed.inconclusive}`);
  for (const s of c.expect.contains) if (!text.includes(s.toLowerCase())) problems.push(`answer lacks "${s}"`);
  for (const s of c.expect.not_contains) if (text.includes(s.toLowerCase())) problems.push(`answer contains "${s}"`);
  const called = new Set(run.tools.calls.map((x) => x.name));
  for (const tname of c.expect.tools_called) if (!called.has(tname)) problems.push(`tool ${tname} not called`);
  for (const id of c.expect.proposals)
    if (!run.state.proposals.some((p) => p.runbookId === id)) problems.push(`runbook ${id} not proposed`);
  for (const f of c.expect.cites) if (!parsed.cites.includes(f)) problems.push(`finding ${f} not cited`);
  if (run.tools.executedWrites.length > 0) problems.push(`writes executed: ${run.tools.executedWrites.join(', ')}`);
  return problems;
}
