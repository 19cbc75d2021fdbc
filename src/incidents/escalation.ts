/**
 * Escalation of un-acknowledged P0/P1 incidents on the configured schedule (`escalation.steps`, each `after`
 * the incident opened): an urgent in-app notice, an urgent phone call (to the on-call or the secondary
 * on-call), then a message to the whole group. Each step reaches whoever is on call when it runs (a rotation's
 * current person). Timers live in SQLite (table escalations), so a restart neither loses nor repeats a step;
 * acknowledging or resolving stops them. Time comes from the injected Clock.
 */

import { formatDuration } from '../shared/duration.js';
import type { IncidentDeps } from './context.js';
import { DueTimer } from './due-timer.js';
import { type Incident, SYSTEM } from './model.js';
import { oncallNow } from './oncall.js';
import { liveCardKey } from './publish.js';

/** Runs every escalation step that is due; returns how many ran. */
export function runDueEscalations(deps: IncidentDeps): number {
  const { store, clock, config } = deps;
  const steps = config.file.escalation.steps;
  let ran = 0;
  for (const esc of store.escalations.due(clock.now())) {
    store.tx(() => {
      const now = clock.now();
      const inc = store.incidents.get(esc.incidentId);
      if (inc?.status !== 'open') {
        store.escalations.stop(esc.incidentId, now);
        return;
      }
      const step = steps[esc.step];
      const next = steps[esc.step + 1];
      const prevAfter = steps[esc.step]?.after ?? 0;
      const advanced = store.escalations.advance(
        inc.id,
        esc.step,
        step && next ? { dueAt: esc.dueAt + (next.after - prevAfter) } : 'done',
        now,
      );
      if (!advanced || !step) return;
      notify(deps, inc, step.notify, step.after);
      store.timeline.add(inc.id, { kind: 'escalated', detail: { step: esc.step, notify: step.notify } }, SYSTEM, now);
      ran++;
    });
  }
  return ran;
}

function notify(deps: IncidentDeps, inc: Incident, kind: string, after: number): void {
  const { store, clock, t } = deps;
  const chatId = inc.chatId;
  if (!chatId) return;
  const now = clock.now();
  const cardKey = liveCardKey(store, inc);
  // Who is on call when the step runs: a rotation's handover since the incident opened changes who is reached.
  const route = oncallNow(deps, deps.routes.decide(inc.labels), now);
  const ref = `incident:${inc.id}`;
  const urgent = (mode: 'app' | 'phone', people: string[]) => {
    const openIds = deps.people.openIds(people);
    if (!cardKey || openIds.length === 0) {
      deps.log.warn({ incidentId: inc.id, kind }, 'escalation step has nobody to notify urgently');
      return;
    }
    store.outbox.enqueueMessage({ kind: 'urgent', chatId, cardKey, mode, openIds }, now, {
      ref,
      dedupeKey: `escalation:${inc.id}:${kind}`,
    });
  };
  switch (kind) {
    case 'urgent_app':
      urgent('app', route.oncall);
      return;
    case 'urgent_phone':
      urgent('phone', route.oncall);
      return;
    case 'urgent_phone_secondary':
      urgent('phone', route.secondaryOncall.length > 0 ? route.secondaryOncall : route.oncall);
      return;
    case 'group':
      store.outbox.enqueueMessage(
        {
          kind: 'send_text',
          chatId,
          text: t('incident.escalation.group', {
            mention: '<at user_id="all"></at>',
            id: inc.id,
            priority: inc.priority,
            title: inc.title,
            after: formatDuration(after),
          }),
        },
        now,
        { ref, dedupeKey: `escalation:${inc.id}:group` },
      );
      return;
    default:
      deps.log.warn({ kind }, 'unknown escalation step');
  }
}

/** Runs escalations as they fall due; re-arms when a committed change armed a new timer. */
export class EscalationScheduler extends DueTimer {
  constructor(deps: IncidentDeps) {
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'escalation run',
      nextDueAt: () => deps.store.escalations.nextDueAt(),
      run: () => {
        runDueEscalations(deps);
        return false;
      },
      isOpen: () => deps.store.isOpen(),
      bus: deps.store.bus,
      wakeOn: ['escalation.armed'],
    });
  }
}
