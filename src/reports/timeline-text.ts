/**
 * One line of text per timeline entry, for the incident report card and the postmortem draft. Entries that
 * only repeat what is known (an alert repeating, a step that went fine, the report itself) give no line.
 */
import type { TimelineEntry } from '../incidents/model.js';
import type { Translate } from '../shared/i18n.js';

export interface LineStyle {
  /** How a person (open_id, `system`, `runbook:<run>`) is written. */
  who: (actor: string) => string;
  /** How free text from the timeline (alert names, causes, notes) is written. */
  text: (s: string) => string;
  time: (ms: number) => string;
}

export function describeEntry(e: TimelineEntry, t: Translate, s: LineStyle): string | undefined {
  const who = s.who(e.actor);
  switch (e.kind) {
    case 'opened':
      return t('report.tl.opened', { what: e.detail.alertname ? ` (${s.text(e.detail.alertname)})` : '' });
    case 'alerts_joined':
      return t('report.tl.alerts_joined', { n: e.detail.alerts.length });
    case 'alerts_repeated':
      return undefined;
    case 'alerts_resolved':
      return t('report.tl.alerts_resolved', { n: e.detail.alerts.length });
    case 'priority_raised':
      return t('report.tl.priority_raised', { from: e.detail.from, to: e.detail.to });
    case 'acknowledged':
      return t('report.tl.acknowledged', { who });
    case 'resolved':
      return e.actor === 'system' || e.detail.auto
        ? t('report.tl.resolvedAuto')
        : t('report.tl.resolved', { who }) + (e.detail.note ? ` — ${s.text(e.detail.note)}` : '');
    case 'silenced':
      return t('report.tl.silenced', { until: s.time(e.detail.until), who });
    case 'silence_ended':
      return t('report.tl.silence_ended', { state: e.detail.state });
    case 'escalated':
      return t('report.tl.escalated', { step: e.detail.step + 1, notify: e.detail.notify });
    case 'diagnosed':
      return t('report.tl.diagnosed', { causes: s.text(causesOf(e.detail.findings).join('; ') || '—') });
    case 'investigated':
      return t('report.tl.investigated', { summary: s.text(firstLine(e.detail.summary)) });
    case 'approval_requested':
      return t('report.tl.approval_requested', { runbook: s.text(e.detail.runbookId ?? e.detail.tool ?? '?'), who });
    case 'approved':
      return t('report.tl.approved', { who });
    case 'rejected':
      return t('report.tl.rejected', { who }) + (e.detail.reason ? ` — ${s.text(e.detail.reason)}` : '');
    case 'expired':
      return t('report.tl.expired');
    case 'run_started':
      return t('report.tl.run_started', { runbook: s.text(e.detail.runbookId), who });
    case 'step_done':
      return e.detail.outcome === 'failed' ? t('report.tl.step_failed', { step: s.text(e.detail.stepId) }) : undefined;
    case 'verified':
      return t('report.tl.verified');
    case 'verification_failed':
      return t('report.tl.verification_failed', { reason: s.text(e.detail.reason) });
    case 'rolled_back':
      return t('report.tl.rolled_back');
    case 'run_ended':
      // Success and rollback have their own entries (verified, rolled_back); say only how other runs ended.
      return ['succeeded', 'rolled_back'].includes(e.detail.phase)
        ? undefined
        : t('report.tl.run_ended', {
            runbook: s.text(e.detail.runbookId),
            phase: e.detail.phase,
            detail: e.detail.detail ? ` — ${s.text(e.detail.detail)}` : '',
          });
    case 'report_posted':
      return undefined;
    case 'note':
      return t('report.tl.note', { who, text: s.text(e.detail.text) });
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Whether an entry is something a person (or a runbook they started) did. */
export function isAction(e: TimelineEntry): boolean {
  switch (e.kind) {
    case 'acknowledged':
    case 'silenced':
    case 'approval_requested':
    case 'approved':
    case 'rejected':
    case 'run_started':
    case 'rolled_back':
    case 'note':
      return true;
    case 'resolved':
      return e.actor !== 'system' && !e.detail.auto;
    default:
      return false;
  }
}

/** The distinct causes of a diagnosis' findings. */
export function causesOf(findings: readonly { cause: string }[]): string[] {
  return [...new Set(findings.map((f) => f.cause))];
}

export function firstLine(s: string, max = 300): string {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The root cause as recorded: the newest diagnosis' causes and the newest investigation's answer. */
export function rootCause(entries: readonly TimelineEntry[]): { diagnosis: string[]; investigation?: string } {
  let diagnosis: string[] = [];
  let investigation: string | undefined;
  for (const e of entries) {
    if (e.kind === 'diagnosed') diagnosis = causesOf(e.detail.findings);
    if (e.kind === 'investigated') investigation = e.detail.summary;
  }
  return investigation === undefined ? { diagnosis } : { diagnosis, investigation };
}
