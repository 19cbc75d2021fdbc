/**
 * The diagnosis card (`cards/diagnosis.json`): per finding its title, cause, evidence (events, states, the
 * change, log lines, metrics with their query), the objects affected, the symptoms it explains and the
 * runbooks with their parameters. Findings are added while the card stays within its byte budget; the rest
 * are counted in a closing line, so 20 findings fit under Feishu's 30 KB. Every text from the cluster is
 * escaped; Secret values never reach a finding.
 */
import type { Diagnosis, Evidence, Finding } from '../diagnosis/finding.js';
import type { CardJson } from '../ports/feishu.js';
import type { Translate } from '../shared/i18n.js';
import { button, buttonRow, type CardElement } from './button.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { cardBytes, MAX_CARD_BYTES } from './size.js';
import { renderTemplate } from './template.js';

const MAX_EVIDENCE = 6;
const MAX_TEXT = 280;

const cut = (s: string, n = MAX_TEXT) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const md = (s: string, n = MAX_TEXT) => escapeMarkdown(cut(s, n));
const code = (s: string) => `\`${cut(s, 200).replace(/`/g, "'")}\``;

function evidenceLine(e: Evidence, t: Translate): string {
  switch (e.type) {
    case 'event':
      return `${md(e.source, 80)} · event **${md(e.reason, 60)}** ×${e.count}: ${md(e.message)}`;
    case 'status':
      return `${md(e.source, 80)} · ${md(e.field, 80)}: **${md(e.reason, 80)}**${e.exitCode !== undefined ? ` exitCode=${e.exitCode}` : ''}${e.message ? ` — ${md(e.message)}` : ''}`;
    case 'log':
      return `${escapeMarkdown(t('diagnosis.card.logs', { container: e.container, previous: e.previous ? t('diagnosis.card.previous') : '' }))}:\n${e.lines.map((l) => `  ${code(l)}`).join('\n')}`;
    case 'metric':
      return `${md(e.value, 120)}: ${e.url ? `[${code(e.query)}](${e.url})` : code(e.query)}`;
    case 'change':
      return `${escapeMarkdown(
        t('diagnosis.card.change', {
          revision: e.revision,
          previous: e.previousRevision ?? '-',
          cause: e.changeCause ? ` — ${cut(e.changeCause, 120)}` : '',
        }),
      )}${e.at ? ` · ${e.at}` : ''}${e.changes.map((c) => `\n  ${md(c.field, 60)}: ${code(c.from)} → ${code(c.to)}`).join('')}`;
    case 'spec':
      return `${md(e.source, 80)} · ${md(e.field, 80)} = ${code(e.value)}`;
    case 'recent_change':
      return `${escapeMarkdown(
        t('diagnosis.card.recentChange', {
          object: cut(e.source, 80),
          what: cut(e.what, 160),
          by: e.manager ? ` (${cut(e.manager, 60)})` : '',
        }),
      )}${e.at ? ` · ${e.at}` : ''}`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

const ICON: Record<Finding['severity'], string> = { critical: '🔴', warning: '🟠', info: '🔵' };

export interface DiagnosisCardOptions {
  /** The incident the diagnosis is for: its Run buttons carry it, so the run lands on its timeline. */
  incidentId?: number;
  /** A closing line (what happens next: the assistant's investigation, or why there is none). */
  note?: string;
  /** Byte budget of the rendered card (Feishu's limit less a margin). */
  budget?: number;
}

/** A Run button per suggested runbook, its parameters filled in (the runbook engine validates them again). */
function runButtons(f: Finding, t: Translate, incidentId: number | undefined): CardElement[] {
  const buttons = f.runbooks.slice(0, 3).map((r) =>
    button({
      text: t('diagnose.run', { runbook: r.id }),
      type: 'primary_text',
      action: {
        action: 'run_runbook',
        runbookId: r.id,
        params: r.params,
        ...(incidentId !== undefined ? { incidentId } : {}),
      },
    }),
  );
  // One button stands alone; several go side by side.
  return buttons.length === 1 ? buttons : buttonRow(buttons);
}

/** Compact: fewer evidence items and names, and the runbooks only as buttons (so 20 findings fit one card). */
function findingElement(f: Finding, t: Translate, compact = false): CardElement {
  const lines = [`${ICON[f.severity]} **${md(f.title, 160)}**`, md(f.cause, compact ? 320 : 600)];
  lines.push(
    `**${t('diagnosis.card.evidence')}** · ${escapeMarkdown(t('diagnosis.card.confidence', { confidence: f.confidence }))}`,
  );
  for (const e of f.evidence.slice(0, compact ? 1 : MAX_EVIDENCE)) lines.push(`- ${evidenceLine(e, t)}`);
  if (f.affectedCount > 0 && !compact)
    lines.push(
      escapeMarkdown(
        t('diagnosis.card.affected', {
          count: f.affectedCount,
          list:
            f.affected
              .slice(0, compact ? 2 : 5)
              .map((a) => a.name)
              .join(', ') + (f.affectedCount > (compact ? 2 : 5) ? ', …' : ''),
        }),
      ),
    );
  if (f.folded.length > 0)
    lines.push(
      escapeMarkdown(
        t('diagnosis.card.explains', {
          list: f.folded
            .slice(0, compact ? 1 : 5)
            .map((x) => cut(x.title, 100))
            .join('; '),
        }),
      ),
    );
  if (f.runbooks.length > 0 && !compact)
    lines.push(
      `**${escapeMarkdown(
        t('diagnosis.card.runbooks', {
          list: f.runbooks
            .map(
              (r) =>
                `${r.id}(${Object.entries(r.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')})`,
            )
            .join(' · '),
        }),
      )}**`,
    );
  return { tag: 'markdown', content: lines.join('\n') };
}

const COLOR: Record<Diagnosis['verdict'], string> = { problems: 'red', inconclusive: 'orange', healthy: 'green' };

function checkedLine(d: Diagnosis, t: Translate): string {
  const what = d.checked.map((c) => `${c.count} ${c.kind}${c.count === 1 ? '' : 's'}`).join(', ') || '-';
  return t('diagnosis.card.checked', { what, where: d.namespace ?? t('diagnosis.card.everywhere') });
}

export function renderDiagnosisCard(d: Diagnosis, t: Translate, options: DiagnosisCardOptions = {}): CardJson {
  const budget = options.budget ?? MAX_CARD_BYTES - 2048;
  const title =
    d.verdict === 'healthy'
      ? t('diagnosis.card.title.healthy', { target: d.target })
      : d.verdict === 'inconclusive'
        ? t('diagnosis.card.title.inconclusive', { target: d.target })
        : t('diagnosis.card.title.problems', { target: d.target, count: d.findings.length });
  const head: CardElement[] = [];
  if (d.verdict === 'healthy') head.push({ tag: 'markdown', content: escapeMarkdown(t('diagnosis.card.healthy')) });
  const tail: CardElement[] = [{ tag: 'markdown', content: escapeMarkdown(checkedLine(d, t)), text_size: 'notation' }];
  if (d.skipped && d.skipped.length > 0)
    tail.push({
      tag: 'markdown',
      content: escapeMarkdown(t('diagnosis.card.skipped', { list: d.skipped.join(', ') })),
      text_size: 'notation',
    });
  if (options.note) tail.push({ tag: 'markdown', content: escapeMarkdown(options.note) });
  if (d.problems.length > 0)
    tail.push({
      tag: 'markdown',
      content: escapeMarkdown(
        t('diagnosis.card.problems', {
          list: d.problems
            .slice(0, 5)
            .map((p) => cut(p, 200))
            .join('; '),
        }),
      ),
    });
  const build = (elements: CardElement[]) =>
    renderTemplate('diagnosis', {
      title: plainText(title),
      summary: plainText(title),
      subtitle: plainText(`${d.cluster ? `${d.cluster} · ` : ''}${d.at}`),
      color: COLOR[d.verdict],
      elements,
    });
  const fill = (compact: boolean) => {
    const body: CardElement[] = [...head];
    let shown = 0;
    for (const f of d.findings) {
      const next = [
        ...body,
        ...(shown > 0 ? [{ tag: 'hr' }] : []),
        findingElement(f, t, compact),
        ...runButtons(f, t, options.incidentId),
      ];
      if (cardBytes(build([...next, ...tail])) > budget) break;
      body.splice(0, body.length, ...next);
      shown++;
    }
    return { body, shown };
  };
  // In full while everything fits; otherwise compact, so that more findings make it onto the card.
  let { body, shown } = fill(false);
  if (shown < d.findings.length) ({ body, shown } = fill(true));
  if (shown < d.findings.length) {
    const target = d.namespace ?? d.target;
    body.push({
      tag: 'markdown',
      content: escapeMarkdown(t('diagnosis.card.more', { n: d.findings.length - shown, target })),
    });
  }
  return build([...body, ...tail]);
}
