/**
 * At each rotation handover, the live cards of the active incidents whose route names that rotation are
 * patched, so the card's on-call line names the person on call now (escalation reads the rotation when each
 * step runs and needs no help). The next handover comes from the rotations and their overrides.
 */
import { rosterOf } from '../oncall/roster.js';
import type { IncidentDeps } from './context.js';
import { DueTimer } from './due-timer.js';
import { liveCardKey, refreshDueCards } from './publish.js';

/** How long one turn of card patches may hold the event loop (ms). */
const TURN_MS = 5;

/** The next instant at which any rotation's person changes, after `now`. */
export function nextHandover(deps: IncidentDeps, now: number): number | undefined {
  const roster = rosterOf(deps.store, deps.config.file.oncall, deps.config.timezone);
  let next: number | undefined;
  for (const name of roster.names()) {
    const until = roster.onCall(name, now)?.until;
    if (until !== undefined && until > now && (next === undefined || until < next)) next = until;
  }
  return next;
}

/** Marks the cards of active incidents routed to a rotation for a patch now; returns how many. */
export function markRotationCards(deps: IncidentDeps, now: number): number {
  let marked = 0;
  if (deps.config.file.oncall.rotations.length === 0) return 0;
  deps.store.tx(() => {
    for (const inc of deps.store.incidents.list({ status: 'active', limit: 5000 })) {
      const d = deps.routes.decide(inc.labels);
      if (!d.rotation && !d.secondaryRotation) continue;
      const key = liveCardKey(deps.store, inc);
      if (!key) continue;
      deps.store.cardRefresh.mark(key, now);
      marked++;
    }
  });
  return marked;
}

/**
 * Patches rotation-routed cards at each handover (and once at start, which catches up on handovers missed
 * while the bot was down).
 */
export class HandoverRefresher extends DueTimer {
  constructor(deps: IncidentDeps) {
    const state = { patching: false };
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'on-call handover',
      nextDueAt: () => (state.patching ? deps.clock.now() : nextHandover(deps, deps.clock.now())),
      run: () => {
        if (!state.patching) markRotationCards(deps, deps.clock.now());
        state.patching = refreshDueCards(deps, TURN_MS).more;
        return state.patching;
      },
      isOpen: () => deps.store.isOpen(),
    });
  }
}
