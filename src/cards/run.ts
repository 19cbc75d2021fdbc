/**
 * The run card (`cards/run.json`): one message per runbook run, updated in place as the run moves — the
 * approval request (what will run, where, why, the risk, the parameters, who asked, the expiry, the
 * server-side dry run with the fields that change, the pods that restart and the replicas before and after,
 * Approve / Reject), then its progress step by step, the verification and the result (with Undo when the run
 * succeeded and can be undone). Text from the cluster or a person is escaped.
 */
import type { CardJson } from '../ports/feishu.js';
import type { PlannedCall, RunPlan } from '../runbooks/plan.js';
import type { RunState } from '../runbooks/run-state.js';
import type { Translate } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { button, buttonRow, type CardElement } from './button.js';
import { escapeMarkdown, mentionUser } from './markdown.js';
import type { HeaderColor } from './notice.js';
import { renderTemplate } from './template.js';

export interface RunCardStep {
  section: 'steps' | 'rollback';
  stepId: string;
  title: string;
}

export interface RunCardView {
  runId: string;
  title: string;
  plan: RunPlan;
  state: RunState;
  /** Steps and rollback steps in order, with their titles in the locale. */
  steps: RunCardStep[];
  /** Who approved so far. */
  votes: string[];
  /** The run succeeded and has rollback steps that an Undo would run. */
  undoable: boolean;
  timezone: string;
}

const COLORS: Record<RunState['phase'], HeaderColor> = {
  awaiting_approval: 'orange',
  running: 'blue',
  verifying: 'wathet',
  rolling_back: 'yellow',
  succeeded: 'green',
  failed: 'red',
  rolled_back: 'carmine',
  rejected: 'grey',
  expired: 'grey',
  interrupted: 'red',
};

const MAX_CHANGES = 12;
const MAX_PODS = 10;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const val = (v: unknown) => `\`${cut(JSON.stringify(v) ?? 'null', 120).replace(/`/g, "'")}\``;

export function targetText(plan: RunPlan): string {
  return plan.target.namespace ? `${plan.target.namespace}/${plan.target.name}` : plan.target.name;
}

export function renderRunCard(v: RunCardView, t: Translate): CardJson {
  const { plan, state } = v;
  const phase = t(`run.phase.${state.phase}`);
  const target = targetText(plan);
  const lines: string[] = [
    t('run.card.what', { title: escapeMarkdown(v.title), runbook: plan.runbookId }),
    t('run.card.where', {
      kind: plan.target.kind,
      target: escapeMarkdown(target),
      cluster: escapeMarkdown(plan.cluster ?? '—'),
    }),
  ];
  if (plan.incidentId !== null) lines.push(t('run.card.incident', { id: plan.incidentId }));
  if (plan.reason) lines.push(t('run.card.why', { reason: escapeMarkdown(cut(plan.reason, 400)) }));
  lines.push(
    plan.source === 'auto'
      ? t('run.card.riskAuto', { risk: plan.risk })
      : t('run.card.risk', { risk: plan.risk, needed: plan.approversNeeded }),
  );
  const params = Object.entries(plan.params)
    .filter(([, p]) => p !== null)
    .map(([k, p]) => `${escapeMarkdown(k)}=${val(p)}`);
  if (params.length > 0) lines.push(t('run.card.params', { params: params.join(' ') }));
  lines.push(t('run.card.requester', { who: mentionUser(plan.requester), source: t(`run.source.${plan.source}`) }));
  if (state.phase === 'awaiting_approval' && plan.expiresAt !== null) {
    lines.push(t('run.card.expires', { at: formatTime(plan.expiresAt, v.timezone) }));
  }
  if (state.phase === 'awaiting_approval') {
    for (const c of plan.calls.filter((x) => x.section === 'steps' && x.preview)) lines.push(...previewLines(c, v, t));
  }
  if (v.votes.length > 0) {
    lines.push(
      t('run.card.votes', {
        who: v.votes.map(mentionUser).join(' '),
        votes: v.votes.length,
        needed: plan.approversNeeded,
      }),
    );
  }
  if (state.phase !== 'awaiting_approval' && state.phase !== 'rejected' && state.phase !== 'expired') {
    lines.push(t('run.card.steps'), ...stepLines(v));
  }
  if (state.verification) {
    const r = state.verification;
    const result =
      r.result === 'passed'
        ? t('run.verification.passed')
        : t(`run.verification.${r.result}`, { detail: escapeMarkdown(cut(r.detail ?? '—', 300)) });
    lines.push(t('run.card.verification', { result }));
  }
  if (state.rejected) {
    const reason = state.rejected.reason ? ` — ${escapeMarkdown(cut(state.rejected.reason, 200))}` : '';
    lines.push(t('run.card.rejectedBy', { who: mentionUser(state.rejected.by), reason }));
  } else if (state.failure && state.phase !== 'succeeded') {
    lines.push(t('run.card.failure', { message: escapeMarkdown(cut(state.failure.message, 400)) }));
  }

  const buttons: CardElement[] = [];
  if (state.phase === 'awaiting_approval' && plan.decisionId) {
    buttons.push(
      button({
        text: t('run.button.approve'),
        type: 'primary',
        action: { action: 'approve', approvalId: plan.decisionId },
        confirm: {
          title: t('run.button.confirmTitle', { title: v.title }),
          text: t('run.button.confirmText', { target, cluster: plan.cluster ?? '—' }),
        },
      }),
      button({
        text: t('run.button.reject'),
        type: 'danger',
        action: { action: 'reject', approvalId: plan.decisionId },
      }),
    );
  }
  if (v.undoable) {
    buttons.push(button({ text: t('run.button.rollback'), action: { action: 'rollback', runId: v.runId } }));
  }
  return renderTemplate('run', {
    title: t('run.card.title', { title: v.title, target }),
    subtitle: phase,
    summary: t('run.card.summary', { title: v.title, phase }),
    color: COLORS[state.phase],
    body: lines.join('\n'),
    buttons: buttonRow(buttons),
  });
}

function previewLines(c: PlannedCall, v: RunCardView, t: Translate): string[] {
  const p = c.preview;
  if (!p) return [];
  const step = v.steps.find((s) => s.section === c.section && s.stepId === c.stepId)?.title ?? c.stepId;
  const out = [t('run.card.dryRun', { step: escapeMarkdown(step) })];
  if (!p.ok) return [...out, t('run.card.dryRunFailed', { reason: escapeMarkdown(cut(p.text, 300)) })];
  if (p.changes.length === 0) out.push(`- ${t('run.card.noChange')}`);
  for (const ch of p.changes.slice(0, MAX_CHANGES)) {
    out.push(`- ${escapeMarkdown(cut(ch.path, 120))}: ${val(ch.from)} → ${val(ch.to)}`);
  }
  if (p.changes.length > MAX_CHANGES) out.push(`- … +${p.changes.length - MAX_CHANGES}`);
  if (p.replicas) out.push(`- ${t('run.card.replicas', { before: p.replicas.before, after: p.replicas.after })}`);
  if (p.pods.length > 0) {
    const pods = p.pods.slice(0, MAX_PODS).map(escapeMarkdown).join(', ');
    out.push(
      `- ${t('run.card.pods', { pods: p.pods.length > MAX_PODS ? `${pods} … +${p.pods.length - MAX_PODS}` : pods })}`,
    );
  }
  return out;
}

function stepLines(v: RunCardView): string[] {
  const { state } = v;
  return v.steps
    .filter(
      (s) =>
        s.section === 'steps' || state.history.some((h) => h.section === 'rollback') || state.phase === 'rolling_back',
    )
    .map((s) => {
      const done = state.history.find((h) => h.section === s.section && h.stepId === s.stepId);
      const current = state.cursor?.section === s.section && state.cursor.stepId === s.stepId;
      const icon = done ? (done.outcome.result === 'ok' ? '✅' : '❌') : current ? '⏳' : '▫️';
      const prefix = s.section === 'rollback' ? '↩️ ' : '';
      const detail =
        done?.outcome.result === 'failed'
          ? ` — ${escapeMarkdown(cut(done.outcome.message, 200))}`
          : done?.outcome.summary
            ? ` — ${escapeMarkdown(cut(done.outcome.summary.split('\n')[0] ?? '', 160))}`
            : '';
      return `${icon} ${prefix}${escapeMarkdown(s.title)}${detail}`;
    });
}
