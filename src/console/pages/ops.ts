/** The alert centre, the runbook catalogue and the approvals queue. */
import type { Approval } from '../../approvals/model.js';
import { RunDataSchema } from '../../runbooks/plan.js';
import { redactText, redactValue } from '../../shared/redact.js';
import type { ConsoleDeps } from '../deps.js';
import { csrfField, esc, pager, table, time } from '../html.js';
import { listAlertGroups, parseMatchers } from '../queries/alerts.js';
import { decidedApprovalIds, recentRuns, runOutcomes } from '../queries/incidents.js';
import { approvalsTable } from './incident-detail.js';
import { nameOf } from './overview.js';

export function alertsPage(deps: ConsoleDeps, matcherText: string, page: number, query: URLSearchParams): string {
  const { t } = deps;
  const store = deps.incidents.store;
  const parsed = parseMatchers(matcherText);
  const form = `<form class="filters" method="get" action="/console/alerts" role="search"><label class="grow">${esc(t('console.alerts.matchers'))}<input type="search" name="match" value="${esc(matcherText)}" placeholder='namespace="shop", severity=~"crit.*"'></label><div class="actions"><button class="btn primary" type="submit">${esc(t('console.filter.apply'))}</button></div></form>`;
  if (!parsed.ok) {
    return `<section class="panel">${form}<p class="error" role="alert">${esc(t('console.alerts.badMatcher', { text: parsed.bad }))}</p></section>`;
  }
  const list = listAlertGroups(store, parsed.matchers, page);
  const rows = list.rows.map((g) => [
    esc(g.alertname),
    `<span class="tag al-${esc(g.status)}">${esc(g.status)}</span>`,
    `<div class="labels">${Object.entries(redactValue(g.labels))
      .filter(([k]) => k !== 'alertname')
      .map(([k, v]) => `<span class="label"><b>${esc(k)}</b>=${esc(v)}</span>`)
      .join('')}</div>`,
    String(g.episodes),
    time(g.lastSeen, deps.timeZone),
    g.incidentId ? `<a href="/console/incidents/${g.incidentId}">#${g.incidentId}</a>` : '—',
  ]);
  const silences = store.silences.active();
  const silenceRows = silences.map((s) => [
    `<code>${esc(s.silenceId)}</code>`,
    esc(
      s.matchers
        .map((m) => `${m.name}${m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!='}"${m.value}"`)
        .join(', '),
    ),
    esc(nameOf(deps, s.createdBy)),
    time(s.endsAt, deps.timeZone),
    `<a href="/console/incidents/${s.incidentId}">#${s.incidentId}</a>`,
  ]);
  return `<section class="panel">${form}</section>
<section class="panel">${table([t('console.col.alertname'), t('console.col.status'), t('console.col.labels'), t('console.col.episodes'), t('console.col.lastSeen'), t('console.col.incident')], rows, t('console.empty'), 'alerts')}${pager(t, '/console/alerts', query, list)}</section>
<section class="panel"><h2>${esc(t('console.alerts.silences'))}</h2>${table(['ID', t('console.col.labels'), t('console.col.actor'), t('console.col.expires'), t('console.col.incident')], silenceRows, t('console.empty'))}</section>`;
}

export function runbooksPage(deps: ConsoleDeps): string {
  const { t, locale } = deps;
  const store = deps.incidents.store;
  const entries = deps.runbooks.all();
  if (entries.length === 0)
    return `<section class="panel"><p class="muted">${esc(t('console.runbooks.none'))}</p></section>`;
  const outcomes = runOutcomes(store, 0);
  const rows = entries.map(({ runbook: r }) => {
    const o = outcomes.get(r.id);
    const runs = recentRuns(store, r.id, 3)
      .map((run) => `<span class="tag run-${esc(run.state)}" title="${esc(run.id)}">${esc(run.state)}</span>`)
      .join(' ');
    const matches = [...r.match.alertnames, ...r.match.labels, ...r.match.patterns]
      .map((m) => `<code>${esc(m)}</code>`)
      .join(' ');
    const params = Object.entries(r.params)
      .map(([name, p]) => `<code>${esc(name)}${p.optional ? '' : '*'}</code>`)
      .join(' ');
    return [
      `<a href="/console/runbooks/${esc(r.id)}"><strong>${esc(r.title[locale])}</strong></a><div class="muted">${esc(r.id)}</div>`,
      `<span class="tag risk-${esc(r.risk)}">${esc(r.risk)}</span>`,
      params || '—',
      matches || '—',
      runs || '—',
      o ? `${Math.round((o.ok / o.total) * 100)}% <span class="muted">(${o.ok}/${o.total})</span>` : '—',
    ];
  });
  return `<section class="panel">${table([t('console.col.title'), t('console.col.risk'), t('console.col.params'), t('console.col.matches'), t('console.col.lastRuns'), t('console.col.success')], rows, t('console.empty'), 'runbooks')}</section>`;
}

export function runbookPage(deps: ConsoleDeps, id: string): string | undefined {
  const entry = deps.runbooks.get(id);
  if (!entry) return undefined;
  const { t, locale } = deps;
  const r = entry.runbook;
  return `<section class="panel"><p>${esc(r.description[locale])}</p><p><span class="tag risk-${esc(r.risk)}">${esc(r.risk)}</span> <span class="muted">${esc(r.category)}</span></p></section>
<section class="panel"><h2>${esc(t('console.runbooks.yaml'))}</h2><pre class="yaml">${esc(redactText(entry.yaml))}</pre></section>`;
}

export function approvalsPage(deps: ConsoleDeps, csrf: string): string {
  const { t } = deps;
  const store = deps.incidents.store;
  const now = deps.incidents.clock.now();
  const pending = store.approvals.pending();
  const banner = deps.decider ? '' : `<p class="notice" role="status">${esc(t('console.approvals.unavailable'))}</p>`;
  const cards = pending.map((a) => pendingCard(deps, a, now, csrf)).join('');
  const decided = decidedApprovalIds(store).flatMap((id) => store.approvals.get(id) ?? []);
  return `${banner}<section class="panel"><h2>${esc(t('console.approvals.pending'))}</h2><div id="pending">${cards || `<p class="muted">${esc(t('console.empty'))}</p>`}</div></section>
<section class="panel"><h2>${esc(t('console.approvals.decided'))}</h2>${approvalsTable(deps, decided)}</section>`;
}

function pendingCard(deps: ConsoleDeps, a: Approval, now: number, csrf: string): string {
  const { t } = deps;
  const params = redactValue(a.params);
  const given = typeof params.diff === 'string' ? params.diff : undefined;
  const diff = dryRunOf(deps, a) ?? given;
  const expired = a.expiresAt !== null && a.expiresAt <= now;
  const buttons = deps.decider
    ? `<form data-action="/console/api/approvals/${esc(a.id)}/approve" class="inline">${csrfField(csrf)}<button class="btn primary" type="submit">${esc(t('console.action.approve'))}</button></form>
<form data-action="/console/api/approvals/${esc(a.id)}/reject" class="inline">${csrfField(csrf)}<input name="reason" maxlength="300"><button class="btn danger" type="submit">${esc(t('console.action.reject'))}</button></form>`
    : '';
  const rest = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'diff' && k !== 'dryRun'));
  return `<article class="approval" data-approval="${esc(a.id)}">
  <div class="approval-head"><strong>${esc(a.action)}</strong> <code>${esc(a.id)}</code>${a.incidentId ? ` <a href="/console/incidents/${a.incidentId}">#${a.incidentId}</a>` : ''}</div>
  <div class="muted">${esc(t('console.col.requestedBy'))} ${esc(nameOf(deps, a.requestedBy))} · ${time(a.createdAt, deps.timeZone)} · ${esc(t('console.col.expires'))} ${time(a.expiresAt, deps.timeZone)}${expired ? ` <span class="tag ap-expired">${esc(t('console.approvals.expired'))}</span>` : ''}</div>
  ${a.binding ? `<div><code>${esc(a.binding.tool)}</code> ${esc([a.binding.cluster, a.binding.namespace].filter(Boolean).join('/'))}</div>` : ''}
  <pre class="params">${esc(JSON.stringify(rest, null, 2))}</pre>
  ${diff ? `<details open><summary>${esc(t('console.approvals.diff'))}</summary><pre class="diff">${diffHtml(diff)}</pre></details>` : ''}
  <div class="actions">${buttons}</div>
</article>`;
}

/**
 * The server-side dry run of the writes an approval covers, from its run's plan: the decision approval covers
 * every write of the run, a bound approval its own call. Each changed field is a `-`/`+` pair.
 */
function dryRunOf(deps: ConsoleDeps, a: Approval): string | undefined {
  if (!a.runId) return undefined;
  const run = deps.incidents.store.runbookRuns.get(a.runId);
  const data = run ? RunDataSchema.safeParse(run.data) : undefined;
  if (!data?.success) return undefined;
  const { plan } = data.data;
  const calls = plan.calls.filter((c) => c.preview && (plan.decisionId === a.id || c.approvalId === a.id));
  if (calls.length === 0) return undefined;
  const show = (v: unknown) => redactText(typeof v === 'string' ? v : JSON.stringify(v));
  return calls
    .flatMap((c) => {
      const p = c.preview as NonNullable<typeof c.preview>;
      const head = `# ${c.tool} (${c.stepId})`;
      if (!p.ok) return [head, `  ${redactText(p.text)}`];
      return [
        head,
        ...p.changes.flatMap((ch) => [`- ${ch.path}: ${show(ch.from)}`, `+ ${ch.path}: ${show(ch.to)}`]),
        ...(p.replicas ? [`  replicas ${p.replicas.before} → ${p.replicas.after}`] : []),
        ...(p.pods.length ? [`  pods: ${p.pods.slice(0, 10).join(', ')}${p.pods.length > 10 ? ' …' : ''}`] : []),
      ];
    })
    .join('\n');
}

function diffHtml(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
      return cls ? `<span class="${cls}">${esc(line)}</span>` : esc(line);
    })
    .join('\n');
}
