/** The incident report is posted in the incident's thread when it resolves — exactly once, and caught up at start. */
import { describe, expect, it } from 'vitest';
import { IncidentReportPoster } from '../../../src/reports/incident-poster.js';
import { D, H, openIncident, reportWorld, resolve, type World } from './history.js';

const reportsOf = (w: World, id: number) => w.store.outbox.byRef(`report:${id}`);

function incidentWithCard(w: World, messageId: string | undefined) {
  const id = openIncident(w, { title: 'KubePodCrashLooping', priority: 'P1', at: D, namespace: 'shop' });
  w.store.cards.claim(`incident:${id}`, 'oc_shop', D);
  if (messageId) w.store.cards.record(`incident:${id}`, 'oc_shop', messageId, D);
  return id;
}

describe('IncidentReportPoster', () => {
  it('replies in the incident card’s thread when the incident resolves, once', () => {
    const w = reportWorld();
    const poster = new IncidentReportPoster(w.deps);
    poster.start();
    const id = incidentWithCard(w, 'om_card');
    resolve(w, id, 'ou_alice', D + H);
    const sent = reportsOf(w, id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'reply',
      chatId: 'oc_shop',
      payload: { messageId: 'om_card', inThread: true },
    });
    expect(JSON.parse(sent[0]?.payload.content as string).header.title.content).toBe(
      `Incident report #${id} · KubePodCrashLooping`,
    );
    // A second resolved entry (a redelivery, a racing click) posts nothing more.
    w.store.timeline.add(id, { kind: 'resolved', detail: {} }, 'ou_bob', D + H + 1);
    expect(poster.post(id)).toBe(false);
    expect(reportsOf(w, id)).toHaveLength(1);
    expect(w.store.timeline.list(id).filter((e) => e.kind === 'report_posted')).toHaveLength(1);
    poster.stop();
  });

  it('sends the report to the chat when the incident card has not gone out yet', () => {
    const w = reportWorld();
    const poster = new IncidentReportPoster(w.deps);
    poster.start();
    const id = incidentWithCard(w, undefined);
    resolve(w, id, 'system', D + H);
    expect(reportsOf(w, id)[0]).toMatchObject({
      kind: 'send_card',
      chatId: 'oc_shop',
      payload: { cardKey: `report:${id}` },
    });
    poster.stop();
  });

  it('posts nothing for an incident that never had a card of its own (P3, storm member, no chat)', () => {
    const w = reportWorld();
    const poster = new IncidentReportPoster(w.deps);
    poster.start();
    const p3 = openIncident(w, { title: 'Info', priority: 'P3', at: D });
    resolve(w, p3, 'system', D + H);
    const stormed = incidentWithCard(w, 'om_x');
    w.store.incidents.update(stormed, { stormId: 7 });
    resolve(w, stormed, 'system', D + H);
    const chatless = openIncident(w, { title: 'Quiet', priority: 'P1', at: D, chatId: null });
    resolve(w, chatless, 'system', D + H);
    expect([p3, stormed, chatless].flatMap((id) => reportsOf(w, id))).toEqual([]);
    poster.stop();
  });

  it('catches up at start on an incident resolved while nothing listened, and only once', () => {
    const w = reportWorld({}, D + 2 * H);
    const id = incidentWithCard(w, 'om_card');
    resolve(w, id, 'system', D + H); // nobody subscribed: as if the bot stopped right after the commit
    expect(reportsOf(w, id)).toHaveLength(0);
    const poster = new IncidentReportPoster(w.deps);
    poster.start();
    expect(reportsOf(w, id)).toHaveLength(1);
    poster.stop();
    const again = new IncidentReportPoster(w.deps);
    again.start();
    expect(reportsOf(w, id)).toHaveLength(1);
    again.stop();
  });
});
