/** Overview: open incidents by priority, MTTA/MTTR today and this week, alert rate, runbook success, on-call. */
import type { ConsoleDeps } from '../deps.js';
import { esc } from '../html.js';
import { chartHtml } from '../preview.js';
import { formatDuration, overview } from '../queries/overview.js';

export function overviewPage(deps: ConsoleDeps): string {
  const { t, incidents } = deps;
  const now = incidents.clock.now();
  const o = overview(incidents.store, now, deps.timeZone);
  const prio = (['P0', 'P1', 'P2', 'P3'] as const)
    .map(
      (p) =>
        `<a class="stat prio-${p}" href="/console/incidents?status=active&amp;priority=${p}"><span class="stat-label">${esc(t(`incident.priority.${p}`))}</span><span class="stat-value" data-stat="open-${p}">${o.openByPriority[p]}</span></a>`,
    )
    .join('');
  const timing = (label: string, v: { today: number | null; week: number | null }) =>
    `<div class="stat"><span class="stat-label">${esc(label)}</span><span class="stat-value">${esc(formatDuration(v.today))}</span><span class="muted">${esc(t('console.overview.today'))} · ${esc(t('console.overview.week'))} ${esc(formatDuration(v.week))}</span></div>`;
  const rate = o.runbooks.total
    ? `${Math.round((o.runbooks.ok / o.runbooks.total) * 100)}%`
    : t('console.overview.none');
  const chart = chartHtml({
    type: 'bar',
    title: { text: t('console.overview.alertRate') },
    data: { values: o.alertRate.map((r) => ({ hour: r.hour, alerts: r.alerts })) },
    xField: 'hour',
    yField: 'alerts',
  });
  const oncall = incidents.config.file.routes
    .map((r, i) => ({ name: r.name ?? `#${i + 1}`, primary: r.oncall, secondary: r.secondary_oncall }))
    .filter((r) => r.primary.length + r.secondary.length > 0);
  const who = (refs: string[]) => refs.map((ref) => esc(nameOf(deps, ref))).join('、') || '—';
  const oncallHtml = oncall.length
    ? `<ul class="plain">${oncall.map((r) => `<li><strong>${esc(r.name)}</strong>：${who(r.primary)}${r.secondary.length ? ` <span class="muted">/ ${who(r.secondary)}</span>` : ''}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(t('console.overview.noOncall'))}</p>`;
  return `<section class="panel"><h2>${esc(t('console.overview.open'))}</h2><div class="stats">${prio}</div></section>
<section class="grid2">
  <div class="panel"><div class="stats">${timing(t('console.overview.mtta'), o.mtta)}${timing(t('console.overview.mttr'), o.mttr)}</div></div>
  <div class="panel"><div class="stats"><div class="stat"><span class="stat-label">${esc(t('console.overview.runbookSuccess'))}</span><span class="stat-value">${esc(rate)}</span><span class="muted">${esc(t('console.overview.runs', { ok: o.runbooks.ok, total: o.runbooks.total }))}</span></div></div></div>
</section>
<section class="grid2">
  <div class="panel chart-panel">${chart}</div>
  <div class="panel"><h2>${esc(t('console.overview.oncall'))}</h2>${oncallHtml}</div>
</section>`;
}

/** A person's configured name for an open_id or email, else the reference itself. */
export function nameOf(deps: ConsoleDeps, ref: string): string {
  const person = deps.incidents.config.file.people.find((p) => p.id === ref);
  return person?.name ?? ref;
}

/** open_id → configured name, for the mentions on rendered cards. */
export function peopleNames(deps: ConsoleDeps): Record<string, string> {
  return Object.fromEntries(deps.incidents.config.file.people.flatMap((p) => (p.name ? [[p.id, p.name]] : [])));
}
