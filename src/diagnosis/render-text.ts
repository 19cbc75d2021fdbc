/** A diagnosis as plain text for the command line: one block per finding, evidence indented, then what was checked. */
import type { Translate } from '../shared/i18n.js';
import { formatResourceRef } from '../shared/resource-ref.js';
import type { Diagnosis, Evidence } from './finding.js';

function evidenceText(e: Evidence): string[] {
  switch (e.type) {
    case 'event':
      return [`event ${e.reason} ×${e.count} on ${e.source}: ${e.message}`];
    case 'status':
      return [
        `${e.source} ${e.field}: ${e.reason}${e.exitCode !== undefined ? ` exitCode=${e.exitCode}` : ''}${e.message ? ` — ${e.message}` : ''}`,
      ];
    case 'log':
      return [
        `log ${e.source} container ${e.container}${e.previous ? ' (previous)' : ''}:`,
        ...e.lines.map((l) => `    ${l}`),
      ];
    case 'metric':
      return [`${e.value}  [${e.query}]`];
    case 'change':
      return [
        `revision ${e.revision} (previous ${e.previousRevision ?? '-'})${e.at ? ` at ${e.at}` : ''}${e.changeCause ? `: ${e.changeCause}` : ''}`,
        ...e.changes.map((c) => `    ${c.field}: ${c.from} → ${c.to}`),
      ];
    case 'spec':
      return [`${e.source} ${e.field} = ${e.value}`];
    case 'recent_change':
      return [`${e.source}: ${e.what}${e.manager ? ` (${e.manager})` : ''}${e.at ? ` at ${e.at}` : ''}`];
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function renderDiagnosisText(d: Diagnosis, t: Translate): string {
  const out: string[] = [];
  const title =
    d.verdict === 'healthy'
      ? t('diagnosis.card.title.healthy', { target: d.target })
      : d.verdict === 'inconclusive'
        ? t('diagnosis.card.title.inconclusive', { target: d.target })
        : t('diagnosis.card.title.problems', { target: d.target, count: d.findings.length });
  out.push(title, '');
  for (const [i, f] of d.findings.entries()) {
    out.push(
      `${i + 1}. [${f.severity}] ${f.title}`,
      `   ${f.cause}`,
      `   ${f.pattern} · ${formatResourceRef(f.resource)} · confidence ${f.confidence}`,
    );
    for (const e of f.evidence)
      for (const [j, l] of evidenceText(e).entries()) out.push(`   ${j === 0 ? '- ' : '  '}${l}`);
    if (f.affectedCount > 0)
      out.push(
        `   ${t('diagnosis.card.affected', { count: f.affectedCount, list: f.affected.map((a) => a.name).join(', ') })}`,
      );
    if (f.folded.length > 0)
      out.push(`   ${t('diagnosis.card.explains', { list: f.folded.map((x) => x.title).join('; ') })}`);
    for (const r of f.runbooks)
      out.push(
        `   ${t('diagnosis.card.runbooks', {
          list: `${r.id} ${Object.entries(r.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
        })}`,
      );
    out.push('');
  }
  const what = d.checked.map((c) => `${c.count} ${c.kind}${c.count === 1 ? '' : 's'}`).join(', ') || '-';
  out.push(t('diagnosis.card.checked', { what, where: d.namespace ?? t('diagnosis.card.everywhere') }));
  if (d.problems.length > 0) out.push(t('diagnosis.card.problems', { list: d.problems.join('; ') }));
  if (d.skipped && d.skipped.length > 0) out.push(t('diagnosis.card.skipped', { list: d.skipped.join(', ') }));
  out.push(`(${d.durationMs} ms)`);
  return out.join('\n');
}
