/**
 * The postmortem draft (`/incident <id> postmortem`): a markdown document — summary, impact, timeline, root
 * cause, what went well, action items — built from the timeline. With an LLM configured, the draft is handed
 * to it (secrets redacted first) to be written up in the configured language; if it fails or times out, the
 * timeline-built draft is sent, with the reason. The LLM only writes text: it is given no tools.
 */

import { roughDuration } from '../cards/report-format.js';
import { redactText } from '../shared/redact.js';
import { formatResourceRef } from '../shared/resource-ref.js';
import { formatTime } from '../shared/time.js';
import type { ReportDeps } from './deps.js';
import { type IncidentReport, incidentReport } from './incident.js';
import { describeEntry, firstLine, rootCause } from './timeline-text.js';

/** How long the LLM may take to write the postmortem up. */
export const POSTMORTEM_LLM_TIMEOUT_MS = 60_000;

export type Postmortem =
  | { by: 'timeline'; markdown: string; llmError?: string }
  | { by: 'llm'; markdown: string; model: string };

export function postmortemDraft(r: IncidentReport, deps: Pick<ReportDeps, 't' | 'config'>): string {
  const { t } = deps;
  const tz = deps.config.timezone;
  const inc = r.incident;
  const time = (ms: number) => formatTime(ms, tz);
  const style = { who: (a: string) => a, text: (s: string) => s, time };
  const scope = [inc.cluster, inc.namespace].filter(Boolean).join('/');
  const status =
    inc.resolvedAt !== null
      ? t('postmortem.statusResolved', { at: time(inc.resolvedAt) })
      : t('postmortem.statusOpen', { status: t(`incident.status.${inc.status}`) });
  const lasted = (inc.resolvedAt ?? inc.lastSeen) - inc.firstSeen;
  const cause = rootCause(r.entries);

  const timeline = r.entries.flatMap((e) => {
    const text = describeEntry(e, t, style);
    return text === undefined ? [] : [`- ${time(e.at)} ${text}`];
  });
  const causes = [
    ...cause.diagnosis.map((c) => `- ${c}`),
    ...(cause.investigation ? [cause.investigation.trim()] : []),
  ];

  const well: string[] = [];
  if (r.mttaMs !== undefined) well.push(`- ${t('postmortem.well.acked', { mtta: roughDuration(r.mttaMs, t) })}`);
  if (cause.diagnosis[0]) well.push(`- ${t('postmortem.well.diagnosed', { cause: firstLine(cause.diagnosis[0]) })}`);
  const runbooks = new Map<string, string>();
  const items: string[] = [];
  for (const e of r.entries) {
    if (e.kind === 'run_started') runbooks.set(e.detail.runId, e.detail.runbookId);
    if (e.kind === 'verified') {
      well.push(`- ${t('postmortem.well.verified', { runbook: runbooks.get(e.detail.runId) ?? e.detail.runId })}`);
    }
    if (e.kind === 'verification_failed') {
      items.push(
        `- [ ] ${t('postmortem.item.verifyFailed', { runbook: runbooks.get(e.detail.runId) ?? e.detail.runId, reason: e.detail.reason })}`,
      );
    }
    if (e.kind === 'rolled_back') items.push(`- [ ] ${t('postmortem.item.rolledBack', { run: e.detail.runId })}`);
  }
  if (inc.ackedAt === null) items.unshift(`- [ ] ${t('postmortem.item.noAck')}`);
  if (causes.length === 0) items.push(`- [ ] ${t('postmortem.item.noDiagnosis')}`);
  items.push(`- [ ] ${t('postmortem.item.guard', { title: inc.title })}`);

  const resources = inc.resources.map((x) => formatResourceRef({ ...x, cluster: '' })).join(', ') || t('report.none');
  const alerts = r.alerts.map((a) => `${a.name} (${a.total})`).join(', ') || t('report.none');
  const doc = [
    `# ${t('postmortem.title', { id: inc.id, title: inc.title })}`,
    '',
    `## ${t('postmortem.summary')}`,
    t('postmortem.summaryText', {
      priority: inc.priority,
      title: inc.title,
      scope: scope ? t('postmortem.scope', { scope }) : '',
      opened: time(inc.firstSeen),
      status,
      mtta: roughDuration(r.mttaMs, t),
      mttr: roughDuration(r.mttrMs, t),
    }),
    '',
    `## ${t('postmortem.impact')}`,
    t('postmortem.impactText', { alerts, resources, lasted: roughDuration(Math.max(0, lasted), t) }),
    '',
    `## ${t('postmortem.timeline')}`,
    ...timeline,
    '',
    `## ${t('postmortem.rootCause')}`,
    ...(causes.length ? causes : [t('report.incident.rootCause.none')]),
    '',
    `## ${t('postmortem.wentWell')}`,
    ...(well.length ? well : [t('postmortem.well.none')]),
    '',
    `## ${t('postmortem.actionItems')}`,
    ...items,
  ];
  return redactText(doc.join('\n'));
}

/** The postmortem of an incident: the LLM's write-up when one is configured and answers, else the draft. */
export async function writePostmortem(
  incidentId: number,
  deps: ReportDeps,
  signal?: AbortSignal,
): Promise<Postmortem | undefined> {
  const report = incidentReport(incidentId, deps);
  if (!report) return undefined;
  const draft = postmortemDraft(report, deps);
  if (!deps.llm) return { by: 'timeline', markdown: draft };
  const timeout = AbortSignal.timeout(POSTMORTEM_LLM_TIMEOUT_MS);
  try {
    const result = await deps.llm.chat({
      messages: [
        { role: 'system', content: deps.t('postmortem.llmPrompt') },
        { role: 'user', content: draft },
      ],
      toolChoice: 'none',
      temperature: 0.2,
      maxTokens: 2000,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = result.message.content?.trim();
    if (!text) return { by: 'timeline', markdown: draft, llmError: 'empty answer' };
    return { by: 'llm', markdown: redactText(text), model: result.model };
  } catch (err) {
    const why = (err as Error).message.slice(0, 200);
    deps.log.warn({ incidentId, err: why }, 'the LLM could not write the postmortem up');
    return { by: 'timeline', markdown: draft, llmError: why };
  }
}
