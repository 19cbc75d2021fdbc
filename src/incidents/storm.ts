/**
 * Storm control. A chat may receive at most `storm.max_cards` new incident cards within `storm.window`;
 * beyond that, new incidents of the chat are summarised on one "alert storm" card (counts by alertname and
 * namespace) patched in place, until the chat has been quiet for `storm.quiet`. Every alert and incident is
 * still stored; only the messages are folded.
 */
import { renderStormCard } from '../cards/storm.js';
import type { IncidentDeps } from './context.js';
import type { Storm } from './model.js';

export function stormCardKey(stormId: number): string {
  return `storm:${stormId}`;
}

/** The storm a new incident of `chatId` joins: the running one, or a new one when the chat is over its budget. */
export function stormFor(deps: IncidentDeps, chatId: string): { storm: Storm; started: boolean } | undefined {
  const { store, clock, config } = deps;
  const now = clock.now();
  const limits = config.file.storm;
  const running = store.storms.active(chatId);
  if (running) {
    if (now - running.lastAt <= limits.quiet) return { storm: running, started: false };
    running.endedAt = running.lastAt;
    store.storms.save(running);
  }
  if (store.outbox.cardsSentSince(chatId, now - limits.window) < limits.max_cards) return undefined;
  const storm = store.storms.start(chatId, now);
  deps.log.warn({ chatId, stormId: storm.id }, 'alert storm: folding new incidents into one card');
  return { storm, started: true };
}

/** Puts an incident on a storm card. */
export function joinStorm(deps: IncidentDeps, storm: Storm, incidentId: number): void {
  deps.store.incidents.update(incidentId, { stormId: storm.id });
  storm.incidents += 1;
  storm.lastAt = deps.clock.now();
  deps.store.storms.save(storm);
}

/** Counts a storm's alerts and queues its card (sent once, then patched; patches coalesce). */
export function refreshStormCard(deps: IncidentDeps, stormId: number): void {
  const { store, clock } = deps;
  const storm = store.storms.get(stormId);
  if (!storm) return;
  const card = renderStormCard(storm, store.storms.counts(stormId), deps.t, { timezone: deps.config.timezone });
  const cardKey = stormCardKey(stormId);
  const now = clock.now();
  const kind = store.cards.claim(cardKey, storm.chatId, now) ? 'send_card' : 'patch_card';
  store.outbox.enqueueMessage({ kind, chatId: storm.chatId, cardKey, card }, now, { ref: cardKey });
  store.cardRefresh.clear(cardKey);
}
