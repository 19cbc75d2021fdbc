/**
 * An incident's life: open → acknowledged → resolved (automatically when every alert resolved, or by a person
 * with a note). Every transition writes a timeline row naming who did it (an open_id, or `system`), stops or
 * arms escalation, and patches the card — all in one transaction. Card buttons and chat commands call these.
 */
import type { Priority } from '../config.js';
import type { Incident, NewIncident } from '../store/repos/incidents.js';
import type { IncidentDeps } from './deps.js';
import { type PublishBatch, publishIncident } from './publish.js';

export const SYSTEM = 'system';

export type TransitionResult =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already'; incident: Incident };

/** Opens an incident (timeline `opened`), arming escalation for P0/P1. Does not publish. */
export function openIncident(
  deps: IncidentDeps,
  input: NewIncident & { correlationKey?: string | undefined },
  detail: Record<string, unknown> = {},
): Incident {
  const { store, clock } = deps;
  const now = clock.now();
  const incident = store.incidents.create(input, now);
  if (input.correlationKey) store.alerting.setIncidentLinks(incident.id, { correlationKey: input.correlationKey });
  store.timeline.add(incident.id, 'opened', SYSTEM, { priority: incident.priority, ...detail }, now);
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
    store.timeline.add(inc.id, 'acknowledged', actor, {}, now);
    store.escalations.stop(inc.id, now);
    store.audit.record(
      { actor, action: 'incident.ack', target: `incident:${inc.id}`, decision: 'done', detail: {} },
      now,
    );
    publishIncident(deps, updated);
    return { ok: true, incident: updated };
  });
  deps.changed?.();
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
  deps.changed?.();
  return result;
}

/** Closes an incident inside the caller's transaction (auto-resolution uses actor `system`). */
export function closeIncident(
  deps: IncidentDeps,
  inc: Incident,
  actor: string,
  note: string | undefined,
  detail: Record<string, unknown>,
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
  store.timeline.add(inc.id, 'resolved', actor, { ...detail, ...(note ? { note } : {}) }, now);
  store.escalations.stop(inc.id, now);
  publishIncident(deps, updated, 'changed', batch ? { batch } : {});
  return updated;
}

/** Raises an incident's priority (a more severe alert joined); notifies as the new priority requires. */
export function raisePriority(deps: IncidentDeps, inc: Incident, priority: Priority, batch?: PublishBatch): Incident {
  const { store, clock } = deps;
  const now = clock.now();
  const updated = store.incidents.update(inc.id, { priority }) as Incident;
  store.timeline.add(inc.id, 'priority_raised', SYSTEM, { from: inc.priority, to: priority }, now);
  armEscalation(deps, updated);
  publishIncident(deps, updated, 'priority_raised', batch ? { batch } : {});
  return updated;
}
