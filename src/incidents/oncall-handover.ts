/**
 * When a rotation's person changes — a handover, or an override starting or ending (including one set in chat
 * a moment ago) — the live cards of the active incidents routed to that rotation are patched, so the card's
 * on-call line names the person on call now. Escalation needs no help: it reads the rotation when each step
 * runs. The watcher wakes at the next change it can foresee and at least once a minute (overrides set in chat
 * are seen within that minute); at start it patches once, catching up on changes missed while the bot was down.
 */
import { rosterOf } from '../oncall/roster.js';
import type { IncidentDeps } from './context.js';
import { DueTimer } from './due-timer.js';
import { liveCardKey, refreshDueCards } from './publish.js';

/** How long one turn of card patches may hold the event loop (ms). */
const TURN_MS = 5;
/** The longest the watcher sleeps, so an override set in chat shows on the cards soon. */
const POLL_MS = 60_000;

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

/** Who is on call for each rotation at `now`. */
export function currentPeople(deps: IncidentDeps, now: number): Map<string, string> {
  const roster = rosterOf(deps.store, deps.config.file.oncall, deps.config.timezone);
  return new Map(roster.names().map((n) => [n, roster.onCall(n, now)?.who ?? '']));
}

/** Marks the cards of active incidents routed to one of `rotations` for a patch now; returns how many. */
export function markRotationCards(deps: IncidentDeps, rotations: ReadonlySet<string>, now: number): number {
  let marked = 0;
  if (rotations.size === 0) return 0;
  deps.store.tx(() => {
    for (const inc of deps.store.incidents.list({ status: 'active', limit: 5000 })) {
      const d = deps.routes.decide(inc.labels);
      const routed =
        (d.rotation && rotations.has(d.rotation)) || (d.secondaryRotation && rotations.has(d.secondaryRotation));
      if (!routed) continue;
      const key = liveCardKey(deps.store, inc);
      if (!key) continue;
      deps.store.cardRefresh.mark(key, now);
      marked++;
    }
  });
  return marked;
}

export class HandoverRefresher extends DueTimer {
  constructor(deps: IncidentDeps) {
    const state = { patching: false, seen: new Map<string, string>() };
    super({
      clock: deps.clock,
      log: deps.log,
      name: 'on-call handover',
      nextDueAt: () => {
        const now = deps.clock.now();
        if (state.patching) return now;
        return Math.min(nextHandover(deps, now) ?? Number.POSITIVE_INFINITY, now + POLL_MS);
      },
      run: () => {
        const now = deps.clock.now();
        if (!state.patching) {
          const people = currentPeople(deps, now);
          const changed = new Set([...people].filter(([name, who]) => state.seen.get(name) !== who).map(([n]) => n));
          state.seen = people;
          markRotationCards(deps, changed, now);
        }
        state.patching = refreshDueCards(deps, TURN_MS).more;
        return state.patching;
      },
      isOpen: () => deps.store.isOpen(),
    });
  }
}
