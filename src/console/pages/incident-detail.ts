/**
 * One incident: its state and actions, labels and resources, the whole typed timeline, the cards that were sent
 * (drawn with the shared card renderer), diagnosis findings, the agent's answer, runbook runs with their steps
 * and approvers, approvals, reports and alerts. Every value shown passes the redactor.
 */
import type { Approval } from '../../approvals/model.js';
import type { Incident, TimelineEntry } from '../../incidents/model.js';
import { redactText, redactValue } from '../../shared/redact.js';
import type { ConsoleDeps } from '../deps.js';
import { csrfField, esc, priorityBadge, statusBadge, table, time } from '../html.js';
import { cardHtml } from '../preview.js';
import { approvalIdsOfIncident, cardsOf, runsOfIncident } from '../queries/incidents.js';
import { nameOf, peopleNames } from './overview.js';
import { timelineHtml } from './timeline.js';

export function incidentDetail(deps: ConsoleDeps, incident: Incident, csrf: string): string {
  const { t } = deps;
  const { store } = deps.incidents;
  const tz = deps.timeZone;
  const who = (ref: string) => nameOf(deps, ref);
  const entries = store.timeline.list(incident.id);
  const actions =
    incident.status === 'resolved'
      ? ''
      : `<div class="actions" id="incident-actions">
  ${incident.status === 'open' ? `<form data-action="/console/api/incidents/${incident.id}/ack">${csrfField(csrf)}<button class="btn primary" type="submit">${esc(t('console.action.ack'))}</button></form>` : ''}
  <form data-action="/console/api/incidents/${incident.id}/resolve" class="inline">${csrfField(csrf)}<input name="note" maxlength="500" placeholder="${esc(t('console.action.note'))}"><button class="btn" type="submit">${esc(t('console.action.resolve'))}</button></form>
</div>`;
  const facts = [
    [t('console.col.status'), statusBadge(t, incident.status)],
    [t('console.col.priority'), priorityBadge(incident.priority)],
    [t('console.col.namespace'), esc(incident.namespace ?? '—')],
    [t('console.col.cluster'), esc(incident.cluster ?? '—')],
    [t('console.col.firstSeen'), time(incident.firstSeen, tz)],
    [t('console.col.lastSeen'), time(incident.lastSeen, tz)],
    ...(incident.ackedAt
      ? [[t('incident.status.acknowledged'), `${esc(who(incident.ackedBy ?? ''))} · ${time(incident.ackedAt, tz)}`]]
      : []),
    ...(incident.resolvedAt
      ? [
          [
            t('incident.status.resolved'),
            `${esc(who(incident.resolvedBy ?? ''))} · ${time(incident.resolvedAt, tz)}${incident.resolveNote ? ` — ${esc(redactText(incident.resolveNote))}` : ''}`,
          ],
        ]
      : []),
  ];
  const labels = Object.entries(redactValue(incident.labels))
    .map(([k, v]) => `<span class="label"><b>${esc(k)}</b>=${esc(v)}</span>`)
    .join('');
  const resources = incident.resources
    .map((r) => `<code>${esc([r.cluster, r.namespace, r.kind, r.name].filter(Boolean).join('/'))}</code>`)
    .join(' ');
  const cards = cardsOf(store, incident.id);
  const cardsHtml = cards.length
    ? `<div class="cards">${cards
        .map(
          (c, i) =>
            `<figure class="sent-card"><figcaption class="muted">${esc(i === 0 ? t('console.incident.cardFirst') : t('console.incident.cardLatest'))} · ${time(c.at, tz)} · ${esc(c.status)}</figcaption>${cardHtml(redactValue(c.card), { timeZone: tz, names: peopleNames(deps) })}</figure>`,
        )
        .join('')}</div>`
    : `<p class="muted">${esc(t('console.empty'))}</p>`;
  const findings = entries.flatMap((e) => (e.kind === 'diagnosed' ? e.detail.findings : []));
  const findingsHtml = findings.length
    ? `<ul class="plain">${findings.map((f) => `<li><code>${esc(f.pattern)}</code> ${esc(redactText(f.cause))}${f.resource ? ` <span class="muted">${esc(`${f.resource.kind}/${f.resource.name}`)}</span>` : ''}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(t('console.empty'))}</p>`;
  const answers = entries.flatMap((e) => (e.kind === 'investigated' ? [e] : []));
  const answerHtml = answers.length
    ? answers
        .map(
          (a) =>
            `<blockquote>${esc(redactText(a.detail.summary))}<div class="muted">${time(a.at, tz)}</div></blockquote>`,
        )
        .join('')
    : `<p class="muted">${esc(t('console.empty'))}</p>`;
  const reports = entries.filter((e) => e.kind === 'report_posted');
  return `<section class="panel head" id="incident-head">
  <div class="facts">${facts.map(([k, v]) => `<div><span class="muted">${esc(k)}</span><div>${v}</div></div>`).join('')}</div>
  ${actions}
</section>
<section class="panel"><h2>${esc(t('console.incident.labels'))}</h2><div class="labels">${labels || '—'}</div>${resources ? `<h3>${esc(t('console.incident.resources'))}</h3><div>${resources}</div>` : ''}</section>
<div class="grid2 detail">
  <section class="panel"><h2>${esc(t('console.incident.timeline'))}</h2><div id="timeline-wrap">${timelineHtml(t, entries, tz, who)}</div></section>
  <div>
    <section class="panel"><h2>${esc(t('console.incident.cards'))}</h2>${cardsHtml}</section>
    <section class="panel"><h2>${esc(t('console.incident.findings'))}</h2>${findingsHtml}</section>
    <section class="panel"><h2>${esc(t('console.incident.answer'))}</h2>${answerHtml}</section>
    <section class="panel"><h2>${esc(t('console.incident.runs'))}</h2>${runsHtml(deps, incident.id, entries)}</section>
    <section class="panel"><h2>${esc(t('console.incident.approvals'))}</h2>${approvalsTable(
      deps,
      approvalIdsOfIncident(store, incident.id).flatMap((id) => store.approvals.get(id) ?? []),
    )}</section>
    ${reports.length ? `<section class="panel"><h2>${esc(t('console.incident.report'))}</h2><ul class="plain">${reports.map((r) => `<li>${esc(r.kind === 'report_posted' ? r.detail.report : '')} · ${time(r.at, tz)}</li>`).join('')}</ul></section>` : ''}
    <section class="panel"><h2>${esc(t('console.incident.alerts'))}</h2>${alertsTable(deps, incident.id)}</section>
  </div>
</div>`;
}

function runsHtml(deps: ConsoleDeps, incidentId: number, entries: readonly TimelineEntry[]): string {
  const { t } = deps;
  const runs = runsOfIncident(deps.incidents.store, incidentId);
  if (runs.length === 0) return `<p class="muted">${esc(t('console.empty'))}</p>`;
  return runs
    .map((r) => {
      const steps = entries.flatMap((e) => (e.kind === 'step_done' && e.detail.runId === r.id ? [e] : []));
      const stepList = steps.length
        ? `<ol class="steps">${steps.map((s) => `<li class="step-${esc(s.detail.outcome)}">${esc(s.detail.stepId)} — ${esc(s.detail.outcome)} <span class="muted">${time(s.at, deps.timeZone)}</span></li>`).join('')}</ol>`
        : '';
      return `<div class="run"><div><code>${esc(r.runbookId)}</code> <span class="tag run-${esc(r.state)}">${esc(r.state)}</span> <span class="muted">${time(r.createdAt, deps.timeZone)} · ${esc(t('console.col.requestedBy'))} ${esc(nameOf(deps, r.requestedBy))}${r.approvedBy ? ` · ${esc(t('console.col.decidedBy'))} ${esc(nameOf(deps, r.approvedBy))}` : ''}</span></div>${stepList}</div>`;
    })
    .join('');
}

export function approvalsTable(deps: ConsoleDeps, approvals: readonly Approval[]): string {
  const { t } = deps;
  const rows = approvals.map((a) => [
    `<code>${esc(a.id)}</code>`,
    esc(a.action),
    `<span class="tag ap-${esc(a.status)}">${esc(a.status)}</span>`,
    esc(nameOf(deps, a.requestedBy)),
    a.decidedBy ? `${esc(nameOf(deps, a.decidedBy))} · ${time(a.decidedAt, deps.timeZone)}` : '—',
  ]);
  return table(
    ['ID', t('console.col.action'), t('console.col.state'), t('console.col.requestedBy'), t('console.col.decidedBy')],
    rows,
    t('console.empty'),
  );
}

function alertsTable(deps: ConsoleDeps, incidentId: number): string {
  const { t } = deps;
  const alerts = deps.incidents.store.alerts.byIncident(incidentId);
  const rows = alerts.map((a) => [
    esc(a.alertname),
    `<span class="tag al-${esc(a.status)}">${esc(a.status)}</span>`,
    esc(a.severity ?? '—'),
    `<code title="${esc(a.fingerprint)}">${esc(a.fingerprint.slice(0, 12))}</code>`,
    time(a.lastSeen, deps.timeZone),
  ]);
  return table(
    [
      t('console.col.alertname'),
      t('console.col.status'),
      'severity',
      t('console.col.fingerprint'),
      t('console.col.lastSeen'),
    ],
    rows,
    t('console.empty'),
  );
}
