/** One timeline entry as a line of the detail page: its kind in words and what its typed detail says. */
import type { TimelineEntry } from '../../incidents/model.js';
import type { Translate } from '../../shared/i18n.js';
import { redactText } from '../../shared/redact.js';
import { esc, time } from '../html.js';

export function describeEntry(e: TimelineEntry): string {
  switch (e.kind) {
    case 'opened':
      return [e.detail.priority, e.detail.alertname, e.detail.routes?.join(', ')].filter(Boolean).join(' · ');
    case 'alerts_joined':
      return e.detail.alerts.map((a) => `${a.alertname} (${a.status})`).join(', ');
    case 'alerts_repeated':
    case 'alerts_resolved':
      return e.detail.alerts.map((a) => a.alertname).join(', ');
    case 'priority_raised':
      return `${e.detail.from} → ${e.detail.to}`;
    case 'acknowledged':
      return e.detail.via ?? '';
    case 'resolved':
      return [e.detail.auto ? 'auto' : '', e.detail.manual ? 'manual' : '', e.detail.note ?? '']
        .filter(Boolean)
        .join(' · ');
    case 'silenced':
      return `${e.detail.silenceIds.join(', ')} → ${new Date(e.detail.until).toISOString()}`;
    case 'silence_ended':
      return `${e.detail.silenceId} ${e.detail.state}`;
    case 'escalated':
      return `#${e.detail.step} ${e.detail.notify}`;
    case 'diagnosed':
      return e.detail.findings.map((f) => `${f.pattern}: ${f.cause}`).join('; ');
    case 'investigated':
      return e.detail.summary;
    case 'approval_requested':
      return [e.detail.approvalId, e.detail.runbookId, e.detail.tool].filter(Boolean).join(' · ');
    case 'approved':
    case 'expired':
      return e.detail.approvalId;
    case 'rejected':
      return [e.detail.approvalId, e.detail.reason].filter(Boolean).join(' · ');
    case 'run_started':
      return `${e.detail.runbookId} (${e.detail.runId})`;
    case 'step_done':
      return `${e.detail.stepId}: ${e.detail.outcome}`;
    case 'verified':
    case 'rolled_back':
      return e.detail.runId;
    case 'verification_failed':
      return `${e.detail.runId}: ${e.detail.reason}`;
    case 'run_ended':
      return [`${e.detail.runbookId} (${e.detail.runId}): ${e.detail.phase}`, e.detail.detail]
        .filter(Boolean)
        .join(' · ');
    case 'report_posted':
      return e.detail.report;
    case 'note':
      return e.detail.text;
    default: {
      const never: never = e;
      return String((never as { kind: string }).kind);
    }
  }
}

export function timelineHtml(
  t: Translate,
  entries: readonly TimelineEntry[],
  timeZone: string,
  who: (ref: string) => string,
): string {
  if (entries.length === 0) return `<p class="muted">${esc(t('console.empty'))}</p>`;
  const items = entries
    .map(
      (e) =>
        `<li class="tl tl-${esc(e.kind)}" data-entry="${e.id}"><span class="tl-dot"></span><div><div class="tl-head"><strong>${esc(t(`console.tl.${e.kind}`))}</strong> <span class="muted">${time(e.at, timeZone)} · ${esc(who(e.actor))}</span></div><div class="tl-detail">${esc(redactText(describeEntry(e)))}</div></div></li>`,
    )
    .join('');
  return `<ol class="timeline" id="timeline">${items}</ol>`;
}
