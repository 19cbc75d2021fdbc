/**
 * An incident's life: open → acknowledged → resolved (automatically when every alert resolved, or by a person
 * with a note). Every transition writes a timeline row naming who did it (an open_id, or `system`), stops or
 * arms escalation, and patches the card — all in one transaction. Card buttons and chat commands call these.
 */
import type { Priority } from '../alerts/model.js';
import type { IncidentDeps } from './context.js';
import { type Incident, type NewIncident, SYSTEM, type TimelineDetail } from './model.js';
import { type PublishBatch, publishIncident } from './publish.js';

export { SYSTEM } from './model.js';

type OpenedDetail = Omit<Extract<TimelineDetail, { kind: 'opened' }>['detail'], 'priority'>;
type ResolvedDetail = Extract<TimelineDetail, { kind: 'resolved' }>['detail'];

export type TransitionResult =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already'; incident: Incident };

/** Opens an incident (timeline `opened`), arming escalation for P0/P1. Does not publish. */
export function openIncident(deps: IncidentDeps, input: NewIncident, detail: OpenedDetail = {}): Incident {
  const { store, clock } = deps;
  const now = clock.now();
  const incident = store.incidents.create(input, now);
  store.timeline.add(incident.id, { kind: 'opened', detail: { priority: incident.priority, ...detail } }, SYSTEM, now);
  armEscalation(deps, incident);
  return incident;
}

/** Starts the escalation timer of an un-acknowledged P0/P1 incident that has a chat. */
export function armEscalation(deps: IncidentDeps, incident: Incident): void {
  const steps = deps.config.file.escalation.steps;
  const first = steps[0];
  if (!first || !incident.chatId || incident.status !== 'open') return;
  if (incident.priority !== 'P0' && incident.priority !== 'P1') return;
  const now = deps.clock.now();
  deps.store.escalations.start(incident.id, now + first.after, now);
}

export function acknowledge(deps: IncidentDeps, incidentId: number, actor: string): TransitionResult {
  const { store, clock } = deps;
  const result = store.tx((): TransitionResult => {
    const inc = store.incidents.get(incidentId);
    if (!inc) return { ok: false, reason: 'not_found' };
    if (inc.status !== 'open') return { ok: false, reason: 'already', incident: inc };
    const now = clock.now();
    const updated = store.incidents.update(inc.id, {
      status: 'acknowledged',
      ackedAt: now,
      ackedBy: actor,
    }) as Incident;
    store.timeline.add(inc.id, { kind: 'acknowledged', detail: {} }, actor, now);
    store.escalations.stop(inc.id, now);
    store.audit.record(
      { actor, action: 'incident.ack', target: `incident:${inc.id}`, decision: 'done', detail: {} },
      now,
    );
    publishIncident(deps, updated);
    return { ok: true, incident: updated };
  });
  return result;
}

/** Manual resolution by a person, with an optional note. */
export function resolve(deps: IncidentDeps, incidentId: number, actor: string, note?: string): TransitionResult {
  const { store } = deps;
  const result = store.tx((): TransitionResult => {
    const inc = store.incidents.get(incidentId);
    if (!inc) return { ok: false, reason: 'not_found' };
    if (inc.status === 'resolved') return { ok: false, reason: 'already', incident: inc };
    const updated = closeIncident(deps, inc, actor, note, { manual: true });
    store.audit.record(
      {
        actor,
        action: 'incident.resolve',
        target: `incident:${inc.id}`,
        decision: 'done',
        detail: note ? { note } : {},
      },
      deps.clock.now(),
    );
    return { ok: true, incident: updated };
  });
  return result;
}

/** Closes an incident inside the caller's transaction (auto-resolution uses actor `system`). */
export function closeIncident(
  deps: IncidentDeps,
  inc: Incident,
  actor: string,
  note: string | undefined,
  detail: ResolvedDetail,
  batch?: PublishBatch,
): Incident {
  const { store, clock } = deps;
  const now = clock.now();
  const updated = store.incidents.update(inc.id, {
    status: 'resolved',
    resolvedAt: now,
    resolvedBy: actor,
    ...(note ? { resolveNote: note } : {}),
  }) as Incident;
  store.timeline.add(inc.id, { kind: 'resolved', detail: { ...detail, ...(note ? { note } : {}) } }, actor, now);
  store.escalations.stop(inc.id, now);
  publishIncident(deps, updated, 'changed', batch ? { batch } : {});
  return updated;
}

/** Raises an incident's priority (a more severe alert joined); notifies as the new priority requires. */
export function raisePriority(deps: IncidentDeps, inc: Incident, priority: Priority, batch?: PublishBatch): Incident {
  const { store, clock } = deps;
  const now = clock.now();
  const updated = store.incidents.update(inc.id, { priority }) as Incident;
  store.timeline.add(inc.id, { kind: 'priority_raised', detail: { from: inc.priority, to: priority } }, SYSTEM, now);
  armEscalation(deps, updated);
  publishIncident(deps, updated, 'priority_raised', batch ? { batch } : {});
  return updated;
}
