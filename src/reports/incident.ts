/**
 * The incident report: what happened (timeline), why (the engine's finding or the agent's answer), who did what,
 * which alerts, MTTA and MTTR, links — and the accuracy vote. `incidentReport` gathers it from SQLite,
 * `buildIncidentReport` renders the card posted in the incident's thread when it resolves and answered to
 * `/incident <id> report`.
 */
import type { Alert } from '../alerts/model.js';
import { renderIncidentReportCard } from '../cards/report-incident.js';
import type { Incident, TimelineEntry } from '../incidents/model.js';
import type { CardJson } from '../ports/feishu.js';
import type { ReportDeps } from './deps.js';
import type { Verdict } from './model.js';

export interface VoteTally {
  right: number;
  partly: number;
  wrong: number;
}

export interface IncidentReport {
  incident: Incident;
  entries: TimelineEntry[];
  alerts: { name: string; firing: number; total: number }[];
  lead: Alert | undefined;
  mttaMs: number | undefined;
  mttrMs: number | undefined;
  votes: VoteTally;
}

export function incidentReport(
  incidentId: number,
  deps: Pick<ReportDeps, 'store' | 'votes'>,
): IncidentReport | undefined {
  const incident = deps.store.incidents.get(incidentId);
  if (!incident) return undefined;
  const votes: VoteTally = { right: 0, partly: 0, wrong: 0 };
  for (const v of deps.votes.forIncident(incidentId)) votes[v.verdict satisfies Verdict]++;
  return {
    incident,
    entries: deps.store.timeline.list(incidentId),
    alerts: deps.store.alerts.namesOf(incidentId),
    lead: deps.store.alerts.leadOf(incidentId),
    mttaMs: incident.ackedAt === null ? undefined : Math.max(0, incident.ackedAt - incident.firstSeen),
    mttrMs: incident.resolvedAt === null ? undefined : Math.max(0, incident.resolvedAt - incident.firstSeen),
    votes,
  };
}

/** The incident report card, or undefined when there is no such incident. */
export function buildIncidentReport(incidentId: number, deps: ReportDeps): CardJson | undefined {
  const report = incidentReport(incidentId, deps);
  return report && renderIncidentReportCard(report, deps.t, deps.config.timezone);
}
