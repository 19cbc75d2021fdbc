/**
 * The accuracy vote through the router, as Feishu delivers a click: one vote per person, changeable, refused
 * (toast and audit row, nothing stored) outside the incident's chat or, with people configured, without a role.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../../src/access/actor.js';
import { PeopleDirectory } from '../../../src/access/people.js';
import { RouteTable } from '../../../src/alerts/route-table.js';
import { eventContext } from '../../../src/app/context.js';
import { type CardClick, Router } from '../../../src/app/router.js';
import { registerReportActions } from '../../../src/reports/vote.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { D, H, reportWorld, seedHistory, type World } from './history.js';

const metrics = new Metrics({ defaultMetrics: false });

const PEOPLE: Person[] = [
  { id: 'ou_alice', roles: ['operator'] },
  { id: 'ou_vera', roles: ['viewer'] },
];

function setup(people: Person[] = PEOPLE) {
  const w = seedHistory(reportWorld());
  const router = new Router();
  registerReportActions(router, w.deps, new RouteTable(w.config.file, w.config.feishu.defaultChatId));
  const directory = new PeopleDirectory(people);
  let n = 0;
  const click = (who: string, verdict: 'right' | 'partly' | 'wrong', over: Partial<CardClick> = {}, id = w.ids.B) => {
    const c: CardClick = {
      operatorOpenId: who,
      messageId: 'om_report_b',
      chatId: 'oc_shop',
      token: 'tok',
      eventId: `ev-${++n}`,
      ...over,
    };
    const ctx = eventContext(
      { ...w.deps, metrics },
      {
        eventId: c.eventId,
        actor: directory.resolve(who),
        chatId: c.chatId,
        deadline: w.clock.now() + 2500,
      },
    );
    return router.dispatchCardAction({ action: 'vote', incidentId: id, verdict }, c, ctx);
  };
  return { w, click };
}

const votesOf = (w: World, id: number | undefined) =>
  w.deps.votes.forIncident(id as number).map((v) => [v.voter, v.verdict]);

describe('the accuracy vote', () => {
  it('records one vote per person, and a later click changes it', async () => {
    const { w, click } = setup();
    const first = await click('ou_vera', 'right');
    expect(first.toast).toEqual({
      type: 'success',
      content: `Recorded "Right" for #${w.ids.B}. Click another answer to change it.`,
    });
    expect(votesOf(w, w.ids.B)).toContainEqual(['ou_vera', 'right']);
    const again = await click('ou_vera', 'right');
    expect(again.toast?.type).toBe('info');
    const changed = await click('ou_vera', 'wrong');
    expect(changed.toast?.content).toBe(`Changed your answer for #${w.ids.B} to "Wrong".`);
    expect(votesOf(w, w.ids.B).filter(([who]) => who === 'ou_vera')).toEqual([['ou_vera', 'wrong']]);
    // The card comes back with the new tally (fixture votes on B: partly, wrong; now one more wrong).
    expect(JSON.stringify(changed.card)).toContain('0 right · 1 partly · 2 wrong');
    expect(w.store.audit.list({ action: 'report.vote' }).map((a) => a.decision)).toEqual(['changed', 'recorded']);
  });

  it('refuses a click from outside the incident’s chat, with a toast and an audit row', async () => {
    const { w, click } = setup();
    const r = await click('ou_alice', 'right', { chatId: 'oc_elsewhere' });
    expect(r.toast).toEqual({
      type: 'error',
      content: `Only people in the chat of incident #${w.ids.B} can grade its diagnosis.`,
    });
    expect(r.card).toBeUndefined();
    expect(votesOf(w, w.ids.B)).not.toContainEqual(['ou_alice', 'right']);
    expect(w.store.audit.list({ action: 'report.vote' })[0]).toMatchObject({
      decision: 'denied',
      detail: { reason: 'outside_chat' },
    });
  });

  it('with people configured, refuses someone without a role and says what to ask for', async () => {
    const { w, click } = setup();
    const r = await click('ou_stranger', 'wrong');
    expect(r.toast?.type).toBe('error');
    expect(r.toast?.content).toBe(
      'Grading a diagnosis needs a role: This needs the viewer role; ask an admin to add you under people.',
    );
    expect(votesOf(w, w.ids.B).some(([who]) => who === 'ou_stranger')).toBe(false);
    expect(w.store.audit.list({ action: 'report.vote' })[0]).toMatchObject({
      decision: 'denied',
      detail: { reason: 'unknown_person' },
    });
  });

  it('with no people configured, anyone in the chat may vote', async () => {
    const { w, click } = setup([]);
    const r = await click('ou_stranger', 'partly');
    expect(r.toast?.type).toBe('success');
    expect(votesOf(w, w.ids.B)).toContainEqual(['ou_stranger', 'partly']);
  });

  it('grades an incident without a chat from the reports chat only', async () => {
    const { w, click } = setup();
    const id = w.store.incidents.create(
      {
        groupKey: 'g',
        title: 'Quiet',
        priority: 'P3',
        chatId: null,
        namespace: null,
        cluster: null,
        labels: {},
        resources: [],
      },
      D + H,
    ).id;
    expect((await click('ou_alice', 'right', { chatId: 'oc_shop' }, id)).toast?.type).toBe('error');
    expect((await click('ou_alice', 'right', { chatId: 'oc_reports' }, id)).toast?.type).toBe('success');
  });

  it('answers an unknown incident plainly', async () => {
    const { click } = setup();
    expect((await click('ou_alice', 'right', {}, 999)).toast).toEqual({
      type: 'error',
      content: 'Incident #999 does not exist.',
    });
  });

  it('leaves another live card as it is (an incident card showing the vote value gets only the toast)', async () => {
    const { w, click } = setup();
    w.store.cards.record(`incident:${w.ids.B}`, 'oc_shop', 'om_incident_b', D);
    const r = await click('ou_alice', 'right', { messageId: 'om_incident_b' });
    expect(r.toast?.type).toBe('success');
    expect(r.card).toBeUndefined();
  });

  it('feeds the figures: a changed vote changes the incident’s verdict', async () => {
    const { w, click } = setup();
    const { digestFigures } = await import('../../../src/reports/digest.js');
    expect(digestFigures('daily', D + 33 * H, w.deps).accuracy.wrong).toBe(1);
    await click('ou_alice', 'partly'); // B: partly, partly → partly
    const f = digestFigures('daily', D + 33 * H, w.deps).accuracy;
    expect([f.right, f.partly, f.wrong]).toEqual([2, 1, 0]);
  });
});
