/**
 * Posts the incident report into the incident's thread when the incident resolves. It listens for committed
 * `resolved` timeline entries on the store's bus (tell, after commit) and, at start, catches up on incidents
 * resolved in the last day whose report was never posted (a stop between the commit and the post). Posting is
 * one transaction — the outbox item and a `report_posted` timeline entry — so each incident gets its report
 * exactly once, whatever the redeliveries or restarts.
 *
 * Only incidents that had a card of their own get one: a P3 (recorded only) or a member of a storm card (whose
 * thread would fill with reports) does not; `/incident <id> report` answers for any incident.
 */
import { liveCardKey } from '../incidents/publish.js';
import type { DomainEvent } from '../shared/domain-events.js';
import type { ReportDeps } from './deps.js';
import { buildIncidentReport } from './incident.js';

const CATCH_UP_MS = 86_400_000;

export function incidentReportRef(incidentId: number): string {
  return `report:${incidentId}`;
}

export class IncidentReportPoster {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: ReportDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.store.bus.subscribe((events) => this.onEvents(events));
    for (const id of this.deps.queries.resolvedWithoutReport(this.deps.clock.now() - CATCH_UP_MS)) this.post(id);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private onEvents(events: readonly DomainEvent[]): void {
    for (const e of events) {
      if (e.type === 'timeline.added' && e.kind === 'resolved' && this.deps.store.isOpen()) {
        try {
          this.post(e.incidentId);
        } catch (err) {
          this.deps.log.error({ err, incidentId: e.incidentId }, 'posting the incident report failed');
        }
      }
    }
  }

  /** Queues the report of a resolved incident unless it was posted before; says whether it queued one. */
  post(incidentId: number): boolean {
    const { store, clock } = this.deps;
    return store.tx(() => {
      const inc = store.incidents.get(incidentId);
      if (inc?.status !== 'resolved' || !inc.chatId || inc.stormId !== null) return false;
      const posted = store.timeline
        .list(incidentId)
        .some((e) => e.kind === 'report_posted' && e.detail.report === 'incident');
      if (posted) return false;
      const cardKey = liveCardKey(store, inc);
      if (!cardKey) return false;
      const card = buildIncidentReport(incidentId, this.deps);
      if (!card) return false;
      const now = clock.now();
      const ref = incidentReportRef(incidentId);
      const dedupeKey = `report:incident:${incidentId}`;
      const messageId = store.cards.messageId(cardKey);
      if (messageId) {
        store.outbox.enqueueMessage(
          {
            kind: 'reply',
            chatId: inc.chatId,
            messageId,
            msgType: 'interactive',
            content: JSON.stringify(card),
            inThread: true,
          },
          now,
          { ref, dedupeKey },
        );
      } else {
        // The incident card is still on its way: the report follows it in the chat instead of its thread.
        store.cards.claim(ref, inc.chatId, now);
        store.outbox.enqueueMessage({ kind: 'send_card', chatId: inc.chatId, cardKey: ref, card }, now, {
          ref,
          dedupeKey,
        });
      }
      store.timeline.add(incidentId, { kind: 'report_posted', detail: { report: 'incident' } }, 'system', now);
      this.deps.log.info({ incidentId }, 'incident report queued');
      return true;
    });
  }
}
