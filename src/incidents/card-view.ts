/**
 * What an incident card shows, gathered from SQLite: the incident, its alerts counted by fingerprint, the alert
 * worth naming, when it really started, who is on call and what people did. Cards render this; they never
 * query.
 */
import { alertTitle } from '../alerts/grouping.js';
import type { Alert } from '../alerts/model.js';
import type { SilenceRecord } from '../store/repos/silences.js';
import type { IncidentDeps } from './context.js';
import type { Incident } from './model.js';
import { type OncallNow, oncallNow } from './oncall.js';

export interface IncidentView {
  incident: Incident;
  /**
   * The card's title: the incident's, unless it names an alert that resolved while another still fires — then
   * the firing lead alert's.
   */
  title: string;
  /** Alerts (distinct fingerprints) firing now, and those that fired and resolved. */
  firing: number;
  resolved: number;
  /** Distinct alert names with how many of each (by fingerprint) are firing. */
  alertnames: { name: string; firing: number; total: number }[];
  /** The most relevant alert (firing, highest priority) for summary, description and links. */
  lead: Alert | undefined;
  /** The earliest `startsAt` of its alerts (when Alertmanager says the problem began), else first seen. */
  startedAt: number;
  /** Labels every alert of the incident shares that help an on-call (cluster, namespace, severity, …). */
  keyLabels: Record<string, string>;
  /** Card mentions of the on-call (a rotation's current person first). */
  oncallMentions: string[];
  /** The rotation whose turn it is, and until when. */
  oncallRotation?: OncallNow['rotation'];
  silence: SilenceRecord | undefined;
  endedSilence: SilenceRecord | undefined;
  /** The latest diagnosis: its top cause (or its verdict when it found none), and when. */
  diagnosis: { topCause: string | undefined; verdict: string; at: number } | undefined;
}

const KEY_LABELS = ['cluster', 'namespace', 'severity', 'deployment', 'statefulset', 'daemonset', 'pod', 'container'];

export function incidentView(deps: IncidentDeps, incident: Incident): IncidentView {
  const { store } = deps;
  const alertnames = store.alerts.namesOf(incident.id);
  const firing = alertnames.reduce((n, r) => n + r.firing, 0);
  const total = alertnames.reduce((n, r) => n + r.total, 0);
  const keyLabels: Record<string, string> = {};
  for (const k of KEY_LABELS) {
    const v = incident.labels[k];
    if (v !== undefined) keyLabels[k] = v;
  }
  const oncall = oncallNow(deps, deps.routes.decide(incident.labels), deps.clock.now());
  const silences = store.silences.byIncident(incident.id);
  const silence = silences.filter((s) => s.state === 'active').at(-1);
  const endedSilence = silence ? undefined : silences.at(-1);
  const started = store.alerts.earliestStart(incident.id);
  const lead = store.alerts.leadOf(incident.id);
  return {
    incident,
    title: titleFor(incident, lead, alertnames),
    firing,
    resolved: total - firing,
    alertnames,
    lead,
    startedAt: started !== undefined && started < incident.firstSeen ? started : incident.firstSeen,
    keyLabels,
    oncallMentions: deps.people.mentions(oncall.oncall),
    ...(oncall.rotation ? { oncallRotation: oncall.rotation } : {}),
    silence,
    endedSilence,
    diagnosis: latestDiagnosis(store, incident.id),
  };
}

function latestDiagnosis(store: IncidentDeps['store'], id: number): IncidentView['diagnosis'] {
  const e = store.timeline.latest(id, 'diagnosed');
  if (!e) return undefined;
  const top = e.detail.findings[0];
  return { topCause: top ? (top.title ?? top.cause) : undefined, verdict: e.detail.verdict ?? 'problems', at: e.at };
}

/** The incident's title, or the firing lead's when the title names an alert that no longer fires. */
function titleFor(incident: Incident, lead: Alert | undefined, names: IncidentView['alertnames']): string {
  if (incident.status === 'resolved' || !lead || lead.status !== 'firing') return incident.title;
  const named = names.find((n) => incident.title === n.name || incident.title.startsWith(`${n.name} · `));
  if (!named || named.firing > 0) return incident.title;
  return alertTitle(lead.alertname, lead.labels);
}
