/** Incidents: the filtered, paged list (server-side; fast on 10,000) and its search form. */
import { redactText } from '../../shared/redact.js';
import type { ConsoleDeps } from '../deps.js';
import { esc, pager, priorityBadge, select, statusBadge, table, time } from '../html.js';
import { filterValues, type IncidentFilter, listIncidents } from '../queries/incidents.js';

export function incidentsPage(deps: ConsoleDeps, f: IncidentFilter, query: URLSearchParams): string {
  const { t } = deps;
  const store = deps.incidents.store;
  const list = listIncidents(store, f, undefined, deps.timeZone);
  const values = filterValues(store);
  const any = t('console.filter.any');
  const statuses: [string, string][] = [
    ['active', `${t('incident.status.open')} + ${t('incident.status.acknowledged')}`],
    ['open', t('incident.status.open')],
    ['acknowledged', t('incident.status.acknowledged')],
    ['resolved', t('incident.status.resolved')],
  ];
  const day = (t: IncidentFilter['since']) =>
    t ? new Date('day' in t ? (t.day ?? 0) : (t.at ?? 0)).toISOString().slice(0, 10) : '';
  const form = `<form class="filters" method="get" action="/console/incidents" role="search">
  <label class="grow">${esc(t('console.incidents.search'))}<input type="search" name="q" value="${esc(f.q ?? '')}" placeholder="${esc(t('console.incidents.search'))}"></label>
  ${select('status', t('console.filter.status'), statuses, f.status, any)}
  ${select(
    'priority',
    t('console.filter.priority'),
    (['P0', 'P1', 'P2', 'P3'] as const).map((p) => [p, p]),
    f.priority,
    any,
  )}
  ${select(
    'namespace',
    t('console.filter.namespace'),
    values.namespaces.map((n) => [n, n]),
    f.namespace,
    any,
  )}
  ${select(
    'cluster',
    t('console.filter.cluster'),
    values.clusters.map((c) => [c, c]),
    f.cluster,
    any,
  )}
  <label>${esc(t('console.filter.since'))}<input type="date" name="since" value="${esc(day(f.since))}"></label>
  <label>${esc(t('console.filter.until'))}<input type="date" name="until" value="${esc(day(f.until))}"></label>
  <div class="actions"><button class="btn primary" type="submit">${esc(t('console.filter.apply'))}</button><a class="btn" href="/console/incidents">${esc(t('console.filter.reset'))}</a></div>
</form>`;
  const rows = list.rows.map((r) => [
    `<a href="/console/incidents/${r.id}">#${r.id}</a>`,
    `<a class="title" href="/console/incidents/${r.id}">${esc(redactText(r.title))}</a>`,
    priorityBadge(r.priority),
    statusBadge(t, r.status),
    esc(r.namespace ?? '—'),
    esc(r.cluster ?? '—'),
    time(r.firstSeen, deps.timeZone),
  ]);
  const head = [
    t('console.col.id'),
    t('console.col.title'),
    t('console.col.priority'),
    t('console.col.status'),
    t('console.col.namespace'),
    t('console.col.cluster'),
    t('console.col.firstSeen'),
  ];
  return `<section class="panel">${form}</section>
<section class="panel" id="incident-list">${table(head, rows, t('console.empty'), 'incidents')}${pager(t, '/console/incidents', query, list)}</section>`;
}
