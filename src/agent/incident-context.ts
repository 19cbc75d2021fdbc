/**
 * What the model is told about an incident: its facts, its alerts (labels and annotations — untrusted text),
 * the engine's findings numbered F1…Fn so the answer can cite them, and similar past incidents. All of it is
 * framed as data.
 */
import type { Finding } from '../diagnosis/finding.js';
import type { Incident } from '../incidents/model.js';
import { formatDuration } from '../shared/duration.js';
import type { Store } from '../store/index.js';
import type { SimilarIncident } from './similar.js';
import { frameData } from './tool-message.js';

const MAX_ALERTS = 5;

export function findingId(index: number): string {
  return `F${index + 1}`;
}

export function describeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'The diagnosis engine found no known failure pattern.';
  return findings
    .slice(0, 8)
    .map((f, i) => {
      const ev = f.evidence
        .slice(0, 4)
        .map((e) => {
          switch (e.type) {
            case 'event':
              return `event ${e.reason} x${e.count}: ${e.message}`;
            case 'status':
              return `${e.field}: ${e.reason}${e.exitCode !== undefined ? ` exitCode=${e.exitCode}` : ''}`;
            case 'log':
              return `log ${e.container}${e.previous ? ' (previous)' : ''}: ${e.lines.slice(-3).join(' | ')}`;
            case 'metric':
              return `metric ${e.query} = ${e.value}`;
            case 'change':
              return `rollout revision ${e.previousRevision ?? '?'} → ${e.revision}${e.beforeFailure ? ' (before the failure)' : ''}: ${e.changes.map((c) => `${c.field} ${c.from} → ${c.to}`).join(', ')}`;
            case 'spec':
              return `${e.field} = ${e.value}`;
            case 'recent_change':
              return `recent change: ${e.what}${e.manager ? ` by ${e.manager}` : ''}${e.beforeFailure ? ' (before the failure)' : ''}`;
            default: {
              const never: never = e;
              return never;
            }
          }
        })
        .map((l) => `    - ${l}`)
        .join('\n');
      const rb = f.runbooks.map((r) => `${r.id} ${JSON.stringify(r.params)}`).join('; ');
      const r = f.resource;
      return `[${findingId(i)}] ${f.pattern} on ${r.namespace ?? ''}/${r.kind}/${r.name} (${f.confidence}): ${f.title}\n  cause: ${f.cause}\n  evidence:\n${ev}${rb ? `\n  runbooks: ${rb}` : ''}`;
    })
    .join('\n');
}

export function describeSimilar(similar: readonly SimilarIncident[], now: number): string {
  if (similar.length === 0) return 'No similar past incident.';
  return similar
    .map((s) => {
      const fix = s.fix
        ? `fixed by runbook ${s.fix.runbookId} (verification passed)${s.fix.approvedBy ? `, approved by ${s.fix.approvedBy}` : ''}`
        : 'no verified fix';
      return `#${s.id} (${formatDuration(now - s.resolvedAt)} ago, ${s.match}): ${s.title}. Root cause: ${s.rootCause}. ${fix}.`;
    })
    .join('\n');
}

export function describeIncident(
  store: Store,
  incident: Incident,
  findings: readonly Finding[],
  similar: readonly SimilarIncident[],
  now: number,
): string {
  const alerts = store.alerts
    .byIncident(incident.id)
    .slice(0, MAX_ALERTS)
    .map(
      (a) =>
        `- ${a.alertname} (${a.status}, since ${a.startsAt}) labels=${JSON.stringify(a.labels)} annotations=${JSON.stringify(a.annotations)}`,
    )
    .join('\n');
  const facts = [
    `Incident #${incident.id}: ${incident.title}`,
    `priority ${incident.priority}, status ${incident.status}, cluster ${incident.cluster ?? 'default'}, namespace ${incident.namespace ?? '-'}`,
    `first seen ${new Date(incident.firstSeen).toISOString()}, last seen ${new Date(incident.lastSeen).toISOString()}`,
    `resources: ${incident.resources.map((r) => `${r.namespace ?? ''}/${r.kind}/${r.name}`).join(', ') || '-'}`,
  ].join('\n');
  return [
    frameData('untrusted_data', { source: 'incident' }, facts),
    frameData('untrusted_data', { source: 'alertmanager' }, alerts || 'no alerts stored'),
    `Diagnosis engine findings (cite by id):\n${frameData('untrusted_data', { source: 'diagnosis' }, describeFindings(findings))}`,
    `Similar past incidents:\n${frameData('untrusted_data', { source: 'history' }, describeSimilar(similar, now))}`,
  ].join('\n\n');
}
