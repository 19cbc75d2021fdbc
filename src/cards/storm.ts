/** The alert-storm card: one per chat and storm, summarising incidents that did not get their own card. */

import type { Storm } from '../incidents/model.js';
import type { CardJson } from '../ports/feishu.js';
import type { Translate } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import type { StormCount } from '../store/repos/storms.js';
import { escapeMarkdown as esc } from './markdown.js';
import { renderTemplate } from './template.js';

const MAX_ROWS = 30;

export function renderStormCard(
  storm: Storm,
  counts: readonly StormCount[],
  t: Translate,
  options: { timezone: string },
): CardJson {
  const rows = [...counts].sort((a, b) => b.firing - a.firing || b.resolved - a.resolved);
  const shown = rows.slice(0, MAX_ROWS);
  const table = [
    `| ${t('storm.table.alertname')} | ${t('storm.table.namespace')} | ${t('storm.table.firing')} | ${t('storm.table.resolved')} |`,
    '|---|---|---:|---:|',
    ...shown.map((r) => `| ${esc(r.alertname)} | ${esc(r.namespace || '-')} | ${r.firing} | ${r.resolved} |`),
  ];
  if (rows.length > shown.length) table.push('', t('storm.more', { n: rows.length - shown.length }));
  const firing = rows.reduce((n, r) => n + r.firing, 0);
  return renderTemplate('storm', {
    title: t('storm.title', { incidents: storm.incidents }),
    color: firing > 0 ? 'carmine' : 'green',
    intro: t('storm.intro'),
    since: t('storm.since', {
      since: formatTime(storm.startedAt, options.timezone),
      last: formatTime(storm.lastAt, options.timezone),
    }),
    table: table.join('\n'),
  });
}
