/**
 * What an incident card shows, gathered from SQLite: the incident, counts of its alerts, the alerts worth
 * naming, who is on call and what people did. Cards render this; they never query.
 */
import type { AlertRecord } from '../store/repos/alerts.js';
import type { Incident } from '../store/repos/incidents.js';
import type { SilenceRecord } from '../store/repos/silences.js';
import type { IncidentDeps } from './deps.js';

export interface IncidentView {
  incident: Incident;
  firing: number;
  resolved: number;
  /** Distinct alert names with how many of each are firing. */
  alertnames: { name: string; firing: number; total: number }[];
  /** The most relevant alert (firing, highest priority) for summary, description and links. */
  lead: AlertRecord | undefined;
  /** Labels every alert of the incident shares that help an on-call (cluster, namespace, severity, …). */
  keyLabels: Record<string, string>;
  /** Card mentions of the on-call. */
  oncallMentions: string[];
  silence: SilenceRecord | undefined;
  endedSilence: SilenceRecord | undefined;
}

const KEY_LABELS = ['cluster', 'namespace', 'severity', 'deployment', 'statefulset', 'daemonset', 'pod', 'container'];

export function incidentView(deps: IncidentDeps, incident: Incident): IncidentView {
  const { store } = deps;
  const rows = store.db
    .prepare(
      `SELECT alertname, SUM(status = 'firing') AS firing, COUNT(*) AS total FROM alerts WHERE incident_id = ?
       GROUP BY alertname ORDER BY firing DESC, total DESC, alertname`,
    )
    .all(incident.id) as { alertname: string; firing: number; total: number }[];
  const firing = rows.reduce((n, r) => n + r.firing, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const leadRow = store.db
    .prepare(
      `SELECT id FROM alerts WHERE incident_id = ? ORDER BY status = 'firing' DESC, priority, last_seen DESC LIMIT 1`,
    )
    .get(incident.id) as { id: number } | undefined;
  const lead = leadRow ? store.alerts.get(leadRow.id) : undefined;
  const keyLabels: Record<string, string> = {};
  for (const k of KEY_LABELS) {
    const v = incident.labels[k];
    if (v !== undefined) keyLabels[k] = v;
  }
  const decision = deps.router.decide(incident.labels);
  const silences = store.silences.byIncident(incident.id);
  const silence = silences.filter((s) => s.state === 'active').at(-1);
  const endedSilence = silence ? undefined : silences.at(-1);
  return {
    incident,
    firing,
    resolved: total - firing,
    alertnames: rows.map((r) => ({ name: r.alertname, firing: r.firing, total: r.total })),
    lead,
    keyLabels,
    oncallMentions: deps.people.mentions(decision.oncall),
    silence,
    endedSilence,
  };
}
