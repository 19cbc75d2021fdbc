/** The audit log (filterable, paged, exportable as CSV) and the bot's own health from its metrics registry. */

import type { ConsoleDeps } from '../deps.js';
import { esc, pager, table, time } from '../html.js';
import type { AuditFilter } from '../queries/audit.js';
import { listAudit } from '../queries/audit.js';
import { nameOf } from './overview.js';

export function auditPage(deps: ConsoleDeps, f: AuditFilter, query: URLSearchParams): string {
  const { t } = deps;
  const list = listAudit(deps.incidents.store, f);
  const input = (name: keyof AuditFilter, label: string) =>
    `<label>${esc(label)}<input name="${name}" value="${esc(String(f[name] ?? ''))}"></label>`;
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete('page');
  const form = `<form class="filters" method="get" action="/console/audit">${input('actor', t('console.audit.actor'))}${input('action', t('console.audit.action'))}${input('target', t('console.audit.target'))}${input('decision', t('console.col.decision'))}<div class="actions"><button class="btn primary" type="submit">${esc(t('console.filter.apply'))}</button><a class="btn" id="export-csv" href="${esc(`/console/audit.csv?${exportQuery}`)}" download>${esc(t('console.audit.export'))}</a></div></form>`;
  const rows = list.rows.map((e) => [
    time(e.at, deps.timeZone),
    `<span title="${esc(e.actor)}">${esc(nameOf(deps, e.actor))}</span>`,
    `<code>${esc(e.action)}</code>`,
    esc(e.target ?? '—'),
    `<span class="tag dec-${esc(e.decision ?? '')}">${esc(e.decision ?? '—')}</span>`,
    `<code class="detail">${esc(JSON.stringify(e.detail))}</code>`,
  ]);
  return `<section class="panel">${form}</section>
<section class="panel">${table([t('console.col.time'), t('console.col.actor'), t('console.col.action'), t('console.col.target'), t('console.col.decision'), t('console.col.detail')], rows, t('console.empty'), 'audit')}${pager(t, '/console/audit', query, list)}</section>`;
}

/** The registry's instruments the page shows, and the PromQL each links to. */
const SHOWN: readonly [string, string][] = [
  ['sre_nanobot_http_requests_total', 'sum by (route) (rate(sre_nanobot_http_requests_total[5m]))'],
  ['sre_nanobot_alerts_received_total', 'sum(rate(sre_nanobot_alerts_received_total[5m]))'],
  ['sre_nanobot_alert_webhook_backlog', 'sre_nanobot_alert_webhook_backlog'],
  ['sre_nanobot_alert_webhook_failures_total', 'increase(sre_nanobot_alert_webhook_failures_total[1h])'],
  ['sre_nanobot_feishu_outbox_pending', 'sre_nanobot_feishu_outbox_pending'],
  ['sre_nanobot_feishu_outbox_total', 'sum by (result) (rate(sre_nanobot_feishu_outbox_total[5m]))'],
  ['sre_nanobot_feishu_events_total', 'sum by (type) (rate(sre_nanobot_feishu_events_total[5m]))'],
  ['sre_nanobot_tool_calls_total', 'sum by (tool) (rate(sre_nanobot_tool_calls_total[5m]))'],
  ['sre_nanobot_nodejs_eventloop_lag_p99_seconds', 'sre_nanobot_nodejs_eventloop_lag_p99_seconds'],
  ['sre_nanobot_process_resident_memory_bytes', 'sre_nanobot_process_resident_memory_bytes'],
];

export async function metricsPage(deps: ConsoleDeps): Promise<string> {
  const { t } = deps;
  const all = await deps.metrics.registry.getMetricsAsJSON();
  const byName = new Map(all.map((m) => [m.name, m]));
  const rows = SHOWN.flatMap(([name, promql]) => {
    const m = byName.get(name);
    if (!m) return [];
    const values = (m.values as { value: number; labels: Record<string, string | number> }[])
      .slice(0, 12)
      .map((v) => {
        const labels = Object.entries(v.labels)
          .map(([k, x]) => `${k}=${x}`)
          .join(',');
        return `<div><code>${esc(labels || '—')}</code> <strong>${esc(fmt(v.value))}</strong></div>`;
      })
      .join('');
    const link = deps.prometheusUrl
      ? `<a href="${esc(`${deps.prometheusUrl}/graph?g0.expr=${encodeURIComponent(promql)}&g0.tab=0`)}" target="_blank" rel="noopener">${esc(t('console.metrics.prometheus'))}</a>`
      : '';
    return [[`<code>${esc(name)}</code><div class="muted">${esc(m.help)}</div>`, values || '—', link]];
  });
  const note = deps.prometheusUrl ? '' : `<p class="muted">${esc(t('console.metrics.noPrometheus'))}</p>`;
  return `<section class="panel">${note}${table(['metric', 'value', 'Prometheus'], rows, t('console.empty'), 'metrics')}<p class="muted"><a href="/metrics">${esc(t('console.metrics.raw'))}</a></p></section>`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
