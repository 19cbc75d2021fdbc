/**
 * Requesting a run (`RunbookLauncher.request`): the runbook and its parameters are checked, then the policy —
 * who may ask, protected namespaces and `namespaces.allow`, one run per target, the target's cooldown, the
 * preconditions — and the plan is fixed: every tool call with its exact arguments, each write bound to an
 * approval by the ToolHost's own binding, with the server-side dry run it made. The run, its decision and the
 * step approvals are stored and the run card is queued in one transaction. A low-risk runbook in an
 * `approvals.low.auto_namespaces` namespace is approved by that configuration and starts at once.
 */
import { randomUUID } from 'node:crypto';
import { can, incidentScope } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import { RouteTable } from '../alerts/route-table.js';
import { approversNeeded, hasApprovers, isAutoFix } from '../approvals/policy.js';
import { AUTO_FIX_APPROVER, namespaceGuard } from '../mcp/policy.js';
import type {
  RunbookLauncher,
  RunbookSummary,
  RunRefusal,
  RunRequest,
  RunRequestResult,
} from '../ports/remediation.js';
import { closest } from '../shared/closest.js';
import { parseDuration } from '../shared/duration.js';
import { formatTime } from '../shared/time.js';
import { EXECUTION_WINDOW_MS, type RunDeps } from './deps.js';
import { initialRunState } from './machine.js';
import { resolveParams } from './params.js';
import { PLAN_VERSION, type PlannedCall, type RunPlan, stepApprovalId, targetKeyOf } from './plan.js';
import { planCalls, runPreconditions } from './plan-calls.js';
import { commitRunEvent, loadRun, sendRunCard } from './run-record.js';
import type { Runbook } from './schema.js';
import { renderTemplate } from './template.js';

const AUTO_APPROVER = AUTO_FIX_APPROVER;

type Refused = Extract<RunRequestResult, { ok: false }>;
const refuse = (code: RunRefusal, reason: string): Refused => ({ ok: false, code, reason });

export class Launcher implements RunbookLauncher {
  constructor(
    private readonly deps: RunDeps,
    private readonly onStart: (runId: string) => void,
  ) {}

  catalogue(): readonly RunbookSummary[] {
    const locale = this.deps.config.locale;
    return [...this.deps.runbooks.values()].map((rb) => ({
      id: rb.id,
      title: rb.title[locale],
      description: rb.description[locale],
      category: rb.category,
      risk: rb.risk,
      params: Object.entries(rb.params).map(([name, p]) => ({
        name,
        required: !p.optional && p.default === undefined,
        ...(p.default !== undefined ? { default: String(p.default) } : {}),
        description: p.description[locale],
      })),
    }));
  }

  async request(req: RunRequest): Promise<RunRequestResult> {
    const runbook = this.deps.runbooks.get(req.runbookId);
    if (!runbook) {
      const known = [...this.deps.runbooks.keys()];
      const near = closest(req.runbookId, known);
      return refuse(
        'unknown_runbook',
        this.deps.t('run.refused.unknown_runbook', {
          id: req.runbookId,
          known: (near.length > 0 ? near : known).join(', '),
        }),
      );
    }
    return this.requestRunbook(runbook, req, undefined);
  }

  /** Undo of a succeeded run: its rollback steps as a run of their own, with a new approval. */
  async requestUndo(runId: string, req: Omit<RunRequest, 'runbookId' | 'params'>): Promise<RunRequestResult> {
    const run = loadRun(this.deps, runId);
    const base = run && this.deps.runbooks.get(run.plan.runbookId);
    if (!run || !base) return refuse('unknown_runbook', this.deps.t('approval.refused.not_found', { id: runId }));
    if (run.state.phase !== 'succeeded' || base.rollback.length === 0) {
      return refuse(
        'precondition_failed',
        `run ${runId} is ${run.state.phase}${base.rollback.length === 0 ? ', and its runbook has no rollback steps' : ''}`,
      );
    }
    const undo: Runbook = { ...base, id: `${base.id}--undo`, steps: base.rollback, rollback: [], on_failure: 'abort' };
    const params = Object.fromEntries(
      Object.entries(run.plan.params).map(([k, v]) => [k, v === null ? '' : String(v)]),
    );
    return this.requestRunbook(
      undo,
      { ...req, runbookId: undo.id, params, incidentId: run.plan.incidentId ?? undefined },
      base,
    );
  }

  private async requestRunbook(
    runbook: Runbook,
    req: RunRequest,
    paramsOf: Runbook | undefined,
  ): Promise<RunRequestResult> {
    const { deps } = this;
    const { t, store, config } = deps;
    const incident = req.incidentId !== undefined ? store.incidents.get(req.incidentId) : undefined;
    if (req.source !== 'auto') {
      const scope = incident
        ? incidentScope(new RouteTable(config.file, config.feishu.defaultChatId).decide(incident.labels))
        : {};
      const allowed = can(req.requester, 'runbook.request', scope);
      if (!allowed.ok) return refuse('forbidden', refusalMessage(t, allowed, req.requester));
    }
    const resolved = resolveParams(paramsOf ?? runbook, req.params);
    if (!resolved.ok) return refuse('bad_params', resolved.problems.join('; '));
    const values = resolved.values;
    if (!deps.tools) return refuse('unavailable', t('run.refused.noTools'));
    const chatId = req.chatId ?? incident?.chatId ?? config.feishu.defaultChatId;
    if (!chatId) return refuse('unavailable', t('run.refused.noChat'));
    const cluster = incident?.cluster || deps.tools.clusters?.()[0] || null;
    const target = renderTemplate(runbook.target, values) as RunPlan['target'];
    const guard = namespaceGuard(target.namespace, {
      protectedNamespaces: config.file.namespaces.protected,
      allowNamespaces: config.file.namespaces.allow,
    });
    if (guard) {
      const code = guard.rule === 'protected_namespace' ? 'protected_namespace' : 'namespace_not_allowed';
      return refuse(code, t(`run.refused.${code}`, { namespace: target.namespace ?? '' }));
    }
    const targetKey = targetKeyOf(cluster, target);
    const now = deps.clock.now();
    const active = store.runbookRuns.activeOn(targetKey);
    if (active) {
      const same = active.runbookId === runbook.id && JSON.stringify(active.params) === JSON.stringify(values);
      if (same && active.state === 'awaiting_approval') {
        const decision = store.approvals.ofRun(active.id).find((a) => a.binding === null);
        return {
          ok: true,
          runId: active.id,
          phase: 'awaiting_approval',
          duplicate: true,
          ...(decision ? { approvalId: decision.id } : {}),
        };
      }
      return refuse('busy', t('run.refused.busy', { target: targetKey, run: active.id, phase: active.state }));
    }
    const last = store.runbookRuns.lastExecutedOn(targetKey);
    const cooldownMs = parseDuration(runbook.cooldown) ?? 0;
    if (last?.endedAt != null && last.endedAt + cooldownMs > now) {
      return refuse(
        'cooldown',
        t('run.refused.cooldown', {
          target: targetKey,
          run: last.id,
          cooldown: runbook.cooldown,
          until: formatTime(last.endedAt + cooldownMs, config.timezone),
        }),
      );
    }
    const auto = req.source === 'auto' && isAutoFix(config, runbook.risk, target.namespace);
    if (req.source === 'auto' && !auto)
      return refuse(
        'forbidden',
        `auto-fix is not enabled for ${runbook.risk} risk in ${target.namespace ?? 'this scope'}`,
      );
    if (!auto && !hasApprovers(config)) return refuse('unavailable', t('run.refused.noApprovers'));

    const pre = await runPreconditions(deps, runbook, values, cluster, req.requester.openId);
    if (pre) return refuse('precondition_failed', t('run.refused.precondition_failed', pre));
    const planned = await planCalls(deps, runbook, values, cluster, req.requester.openId);
    if ('refused' in planned) return refuse('unavailable', planned.refused);

    const runId = `run-${randomUUID().slice(0, 12)}`;
    const decisionId = auto ? null : `ap-${randomUUID().slice(0, 12)}`;
    const calls: PlannedCall[] = planned.calls.map((c) => ({
      ...c.call,
      approvalId: c.binding ? stepApprovalId(decisionId ?? `${runId}-auto`, c.call.section, c.call.index) : null,
    }));
    const expiresAt = auto ? null : now + config.file.approvals.expire_after;
    const plan: RunPlan = {
      version: PLAN_VERSION,
      runbookId: runbook.id,
      risk: runbook.risk,
      params: { ...values },
      cluster,
      target,
      targetKey,
      incidentId: incident?.id ?? null,
      chatId,
      source: req.source,
      reason: req.reason ?? null,
      requester: req.requester.openId,
      decisionId,
      approversNeeded: auto ? 0 : approversNeeded(config, runbook.risk),
      expiresAt,
      calls,
    };
    try {
      store.tx(() => {
        store.runbookRuns.create(
          {
            id: runId,
            runbookId: runbook.id,
            incidentId: plan.incidentId,
            params: plan.params,
            state: 'awaiting_approval',
            requestedBy: plan.requester,
            target: targetKey,
            data: { plan, state: initialRunState(runbook.id, now) },
          },
          now,
        );
        const common = { runId, incidentId: plan.incidentId, requestedBy: plan.requester, chatId } as const;
        if (decisionId) {
          store.approvals.create(
            { ...common, id: decisionId, action: `runbook:${runbook.id}`, params: plan.params, expiresAt },
            now,
          );
          store.emit({ type: 'approval.requested', approvalId: decisionId });
        }
        planned.calls.forEach((c, i) => {
          const id = calls[i]?.approvalId;
          if (!id || !c.binding) return;
          store.approvals.create(
            {
              ...common,
              id,
              action: c.call.tool,
              params: c.call.args,
              expiresAt: auto ? now + EXECUTION_WINDOW_MS : expiresAt,
              binding: c.binding,
            },
            now,
          );
        });
        if (plan.incidentId !== null) {
          store.timeline.add(
            plan.incidentId,
            { kind: 'approval_requested', detail: { approvalId: decisionId ?? runId, runbookId: runbook.id } },
            plan.requester,
            now,
          );
        }
        store.audit.record(
          {
            actor: plan.requester,
            action: 'runbook.request',
            target: targetKey,
            decision: auto ? 'auto' : 'needs_approval',
            detail: { runId, runbookId: runbook.id, params: plan.params, source: req.source, approvalId: decisionId },
          },
          now,
        );
        const loaded = loadRun(deps, runId);
        if (loaded) sendRunCard(deps, loaded);
        if (auto) {
          store.approvals.approveSteps(runId, '', AUTO_APPROVER, now, now + EXECUTION_WINDOW_MS);
          commitRunEvent(deps, runId, { type: 'approved', by: [AUTO_APPROVER], at: now });
        }
      });
    } catch (err) {
      if (/UNIQUE constraint failed: runbook_runs\.target/.test((err as Error).message)) {
        const other = store.runbookRuns.activeOn(targetKey);
        return refuse(
          'busy',
          t('run.refused.busy', { target: targetKey, run: other?.id ?? '?', phase: other?.state ?? '?' }),
        );
      }
      throw err;
    }
    if (auto) this.onStart(runId);
    return {
      ok: true,
      runId,
      phase: auto ? 'running' : 'awaiting_approval',
      ...(decisionId ? { approvalId: decisionId } : {}),
    };
  }
}
