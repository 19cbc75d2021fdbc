/**
 * Keeps an incident's card true: the first time an incident is worth a message it gets its card (or joins the
 * chat's storm card), afterwards every change is a patch of that same card — never a new message for a repeat.
 * Notification follows the priority table:
 *   P0  card mentions everyone (`fallbackCard` mentions the on-call, for groups that refuse @all)
 *       + urgent phone call to the on-call
 *   P1  card mentions the on-call
 *   P2  card, no mention
 *   P3  recorded only: no message at all
 * Everything is queued in the outbox inside the caller's transaction.
 */
import { renderIncidentCard } from '../cards/incident.js';
import type { Store } from '../store/index.js';
import { incidentView } from './card-view.js';
import type { IncidentDeps } from './context.js';
import type { Incident } from './model.js';
import { oncallNow } from './oncall.js';
import { joinStorm, refreshStormCard, stormCardKey, stormFor } from './storm.js';

export function incidentCardKey(incidentId: number): string {
  return `incident:${incidentId}`;
}

/** The live card showing an incident (its own, or its storm's), once one was queued. */
export function liveCardKey(store: Store, incident: Pick<Incident, 'id' | 'stormId'>): string | undefined {
  if (incident.stormId !== null) return stormCardKey(incident.stormId);
  const key = incidentCardKey(incident.id);
  return store.cards.has(key) ? key : undefined;
}

/** The Feishu message showing incident `id`'s card, once it was sent. */
export function incidentCardMessageId(store: Store, id: number): string | undefined {
  const inc = store.incidents.get(id);
  const key = inc && liveCardKey(store, inc);
  return key && store.cards.messageId(key);
}

/** The incidents a Feishu card message shows: one for an incident card, every member for a storm card. */
export function incidentsOfCardMessage(store: Store, messageId: string): number[] {
  const key = store.cards.cardKeyOf(messageId);
  const [kind, idText] = key?.split(':') ?? [];
  const id = Number(idText);
  if (!Number.isInteger(id)) return [];
  if (kind === 'incident') return [id];
  if (kind === 'storm') return store.incidents.idsInStorm(id);
  return [];
}

/** Collects storm cards touched in one batch so each is recounted once. */
export class PublishBatch {
  readonly storms = new Set<number>();

  flush(deps: IncidentDeps): void {
    for (const id of this.storms) refreshStormCard(deps, id);
    this.storms.clear();
  }
}

export type PublishReason = 'changed' | 'priority_raised';

export interface PublishOptions {
  batch?: PublishBatch;
  /**
   * A routine change (an alert repeated or joined): the card is marked for a coalesced patch within
   * `card_refresh_delay` instead of being rendered now. New cards and notifications are never deferred.
   */
  defer?: boolean;
}

/** Queues whatever message the incident's current state calls for. */
export function publishIncident(
  deps: IncidentDeps,
  incident: Incident,
  reason: PublishReason = 'changed',
  options: PublishOptions = {},
): void {
  const { store, clock } = deps;
  const chatId = incident.chatId;
  if (!chatId) return;
  const now = clock.now();
  const delay = deps.config.file.card_refresh_delay;
  const defer = options.defer === true && delay > 0 && reason === 'changed';

  if (incident.stormId !== null) {
    const stormKey = stormCardKey(incident.stormId);
    if (defer) store.cardRefresh.mark(stormKey, now + delay);
    else if (options.batch) options.batch.storms.add(incident.stormId);
    else refreshStormCard(deps, incident.stormId);
    if (reason === 'priority_raised') queueUrgent(deps, incident, stormKey);
    return;
  }

  const ownKey = incidentCardKey(incident.id);
  if (store.cards.has(ownKey)) {
    if (defer) {
      store.cardRefresh.mark(ownKey, now + delay);
      return;
    }
    patchIncidentCard(deps, incident, ownKey);
    if (reason === 'priority_raised') {
      const mentions = mentionsFor(deps, incident, false);
      if (mentions.length > 0) {
        store.outbox.enqueueMessage(
          {
            kind: 'send_text',
            chatId,
            text: deps.t('incident.priorityRaised', {
              mentions: mentions.join(' '),
              id: incident.id,
              priority: incident.priority,
              title: incident.title,
            }),
          },
          now,
          { ref: ownKey, dedupeKey: `raised:${incident.id}:${incident.priority}` },
        );
      }
      queueUrgent(deps, incident, ownKey);
    }
    return;
  }

  if (incident.priority === 'P3' || incident.status === 'resolved') return;

  const storm = stormFor(deps, chatId);
  if (storm) {
    joinStorm(deps, storm.storm, incident.id);
    if (defer && !storm.started) store.cardRefresh.mark(stormCardKey(storm.storm.id), now + delay);
    else if (options.batch) options.batch.storms.add(storm.storm.id);
    else refreshStormCard(deps, storm.storm.id);
    if (incident.priority === 'P0') queueUrgent(deps, incident, stormCardKey(storm.storm.id));
    return;
  }

  const cardKey = ownKey;
  store.cards.claim(cardKey, chatId, now);
  const view = incidentView(deps, incident);
  const card = renderIncidentCard(view, deps.t, { ...cardOptions(deps), mentions: mentionsFor(deps, incident, true) });
  const fallbackCard =
    incident.priority === 'P0'
      ? renderIncidentCard(view, deps.t, { ...cardOptions(deps), mentions: mentionsFor(deps, incident, false) })
      : undefined;
  store.outbox.enqueueMessage(
    { kind: 'send_card', chatId, cardKey, card, ...(fallbackCard ? { fallbackCard } : {}) },
    now,
    { ref: cardKey },
  );
  if (incident.priority === 'P0') queueUrgent(deps, incident, cardKey);
}

/** Renders the incident's card as it is now and queues the patch (queued patches of a card coalesce). */
function patchIncidentCard(deps: IncidentDeps, incident: Incident, cardKey: string): void {
  if (!incident.chatId) return;
  const card = renderIncidentCard(incidentView(deps, incident), deps.t, cardOptions(deps));
  deps.store.outbox.enqueueMessage({ kind: 'patch_card', chatId: incident.chatId, cardKey, card }, deps.clock.now(), {
    ref: cardKey,
  });
  deps.store.cardRefresh.clear(cardKey);
}

/** Due cards read at once; a turn renders as many of them as its time budget allows. */
const DUE_CARDS_PER_READ = 64;

/**
 * Patches cards whose coalescing delay is over, for about `budgetMs` (at least one card), in one transaction;
 * says how many and whether more are due.
 */
export function refreshDueCards(deps: IncidentDeps, budgetMs: number): { refreshed: number; more: boolean } {
  const { store, clock } = deps;
  const keys = store.cardRefresh.due(clock.now(), DUE_CARDS_PER_READ);
  if (keys.length === 0) return { refreshed: 0, more: false };
  const started = performance.now();
  let refreshed = 0;
  store.tx(() => {
    for (const key of keys) {
      if (refreshed > 0 && performance.now() - started >= budgetMs) break;
      store.cardRefresh.clear(key);
      const [kind, idText] = key.split(':');
      const id = Number(idText);
      if (kind === 'storm') refreshStormCard(deps, id);
      else {
        const inc = store.incidents.get(id);
        if (inc) patchIncidentCard(deps, inc, key);
      }
      refreshed++;
    }
  });
  return { refreshed, more: refreshed < keys.length || keys.length === DUE_CARDS_PER_READ };
}

/** Who a card's first message mentions: P0 everyone (or, as fallback, the on-call), P1 the on-call. */
function mentionsFor(deps: IncidentDeps, incident: Incident, allowAll: boolean): string[] {
  if (incident.priority === 'P0' && allowAll) return ['<at id=all></at>'];
  if (incident.priority === 'P0' || incident.priority === 'P1') {
    return deps.people.mentions(oncallNow(deps, deps.routes.decide(incident.labels), deps.clock.now()).oncall);
  }
  return [];
}

/** P0: an urgent phone call to the on-call about the card. */
function queueUrgent(deps: IncidentDeps, incident: Incident, cardKey: string): void {
  if (incident.priority !== 'P0' || !incident.chatId) return;
  const openIds = deps.people.openIds(oncallNow(deps, deps.routes.decide(incident.labels), deps.clock.now()).oncall);
  if (openIds.length === 0) {
    deps.log.warn({ incidentId: incident.id }, 'P0 incident but no on-call open_id to call');
    return;
  }
  deps.store.outbox.enqueueMessage(
    { kind: 'urgent', chatId: incident.chatId, cardKey, mode: 'phone', openIds },
    deps.clock.now(),
    { ref: cardKey, dedupeKey: `urgent:p0:${incident.id}` },
  );
}

export function cardOptions(deps: IncidentDeps): { now: number; timezone: string } {
  return { now: deps.clock.now(), timezone: deps.config.timezone };
}
