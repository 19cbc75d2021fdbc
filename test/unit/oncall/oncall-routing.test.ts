import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { EscalationScheduler } from '../../../src/incidents/escalation.js';
import { oncallNow } from '../../../src/incidents/oncall.js';
import { HandoverRefresher, nextHandover } from '../../../src/incidents/oncall-handover.js';
import { rosterOf } from '../../../src/oncall/roster.js';
import { alert, body, harness } from '../../helpers/alerts.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { ROTATION_YAML } from './rotation-config.js';

const critical = alert({
  alertname: 'KubeDeploymentReplicasMismatch',
  namespace: 'shop',
  deployment: 'cart',
  severity: 'critical',
});
const T = (iso: string) => Date.parse(iso);

describe('on-call configuration', () => {
  const load = (yaml: string) => loadConfig({ BOT_LOCALE: 'en-US', TZ: 'UTC' }, { readFile: () => yaml });

  it('accepts rotations, overrides and routes naming them', () => {
    const r = load(ROTATION_YAML);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.file.oncall.rotations[0]).toMatchObject({ name: 'shop-sre', start: '2026-11-25' });
  });

  it('an unquoted YAML date is that day on the rotation wall clock', () => {
    const r = load(
      'oncall:\n  rotations: [{ name: a, members: [ou_x], start: 2026-01-05, timezone: Asia/Shanghai }]\n  overrides: [{ rotation: a, who: ou_y, from: 2026-12-24, to: 2026-12-25 }]',
    );
    expect(r.ok && r.config.file.oncall.overrides[0]).toMatchObject({ from: '2026-12-24', to: '2026-12-25' });
    if (!r.ok) return;
    const roster = rosterOf(harness({ yaml: 'card_refresh_delay: 0' }).store, r.config.file.oncall, 'UTC');
    expect(roster.onCall('a', T('2026-12-23T16:30:00Z'))?.who).toBe('ou_y'); // 00:30 on the 24th in Shanghai
    expect(roster.onCall('a', T('2026-12-23T15:30:00Z'))?.who).toBe('ou_x');
  });

  it('lists every problem: a bad zone, handover, start, member, an unknown rotation and an override backwards', () => {
    const r = load(`
oncall:
  rotations:
    - { name: a, members: [nobody], timezone: Mars/Olympus, handover: "25:00", start: 2026-02-30 }
    - { name: a, members: [ou_x], start: 2026-01-01 }
  overrides:
    - { rotation: ghost, who: ou_x, from: "2026-12-02T10:00", to: "2026-12-01T10:00" }
routes:
  - { name: r, rotation: nope }
`);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.join('\n');
    for (const bit of [
      'oncall.rotations[0].members[0]',
      'oncall.rotations[0].timezone',
      'oncall.rotations[0].handover',
      'oncall.rotations[0].start',
      'oncall.rotations[1].name: duplicate name',
      'oncall.overrides[0].rotation: no rotation named ghost',
      'oncall.overrides[0].to: must be after from',
    ]) {
      expect(text).toContain(bit);
    }
    const routes = load(
      'oncall: { rotations: [{ name: a, members: [ou_x], start: 2026-01-01 }] }\nroutes: [{ rotation: nope }]',
    );
    expect(routes.ok ? [] : routes.problems).toEqual([
      'routes[0].rotation: no rotation named nope under oncall.rotations (a)',
    ]);
  });
});

describe('who is on call for a route', () => {
  it("the rotation's current person first, the route's fixed people besides, overrides honoured", () => {
    const h = harness({ yaml: ROTATION_YAML });
    const d = h.routes.decide({ namespace: 'shop' });
    expect(d.rotation).toBe('shop-sre');
    expect(oncallNow(h, d, T('2026-11-25T08:00:00Z'))).toEqual({
      oncall: ['ou_alice'],
      secondaryOncall: ['ou_carol'],
      rotation: { name: 'shop-sre', who: 'ou_alice', until: T('2026-11-26T01:00:00Z'), zone: 'Asia/Shanghai' },
    });
    expect(oncallNow(h, d, T('2026-11-26T01:00:00Z')).oncall).toEqual(['bob@example.com']);
    // The configured override: erin 12:00–20:00 Shanghai on 11-28 (dave's day ends, alice's begins 11-28 09:00).
    expect(oncallNow(h, d, T('2026-11-28T05:00:00Z')).oncall).toEqual(['ou_erin']);
    expect(oncallNow(h, d, T('2026-11-28T12:00:00Z')).oncall).toEqual(['ou_alice']);
    // A route without a rotation is as configured.
    expect(oncallNow(h, h.routes.decide({ namespace: 'other' }), 0)).toEqual({ oncall: [], secondaryOncall: [] });
  });

  it('a secondary rotation feeds the secondary on-call (the escalation step to the secondary follows it)', () => {
    const yaml = `${ROTATION_YAML}`
      .replace('    secondary_oncall: [ou_carol]', '    secondary_rotation: leads\n    secondary_oncall: [ou_carol]')
      .replace(
        '  overrides:',
        '    - { name: leads, members: [ou_lead1, ou_lead2], every: weekly, start: 2026-11-23 }\n  overrides:',
      );
    const h = harness({ yaml });
    const d = h.routes.decide({ namespace: 'shop' });
    expect(oncallNow(h, d, T('2026-11-25T08:00:00Z')).secondaryOncall).toEqual(['ou_lead1', 'ou_carol']);
    expect(oncallNow(h, d, T('2026-12-01T08:00:00Z')).secondaryOncall).toEqual(['ou_lead2', 'ou_carol']);
  });

  it('an override set in chat wins over the configured one and survives a new roster (it is stored)', () => {
    const h = harness({ yaml: ROTATION_YAML });
    const roster = rosterOf(h.store, h.config.file.oncall, h.config.timezone);
    const first = roster.addOverride(
      {
        rotation: 'shop-sre',
        who: 'ou_frank',
        from: T('2026-11-28T06:00:00Z'),
        to: T('2026-11-28T07:00:00Z'),
        by: 'ou_admin',
        source: 'message:om_1',
      },
      0,
    );
    const again = roster.addOverride(
      {
        rotation: 'shop-sre',
        who: 'ou_frank',
        from: T('2026-11-28T06:00:00Z'),
        to: T('2026-11-28T07:00:00Z'),
        by: 'ou_admin',
        source: 'message:om_1',
      },
      0,
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ override: first.override, created: false });
    const d = h.routes.decide({ namespace: 'shop' });
    expect(oncallNow(h, d, T('2026-11-28T06:30:00Z')).oncall).toEqual(['ou_frank']);
    expect(oncallNow(h, d, T('2026-11-28T07:30:00Z')).oncall).toEqual(['ou_erin']);
  });
});

describe('escalation and cards follow the rotation', () => {
  it('a handover mid-incident changes who the next escalation step reaches', async () => {
    // Open at 00:50Z on 11-26 (08:50 Shanghai, alice's last ten minutes); bob takes over at 01:00Z.
    const h = harness({ yaml: ROTATION_YAML, clock: new FakeClock(T('2026-11-26T00:50:00Z')) });
    h.people.set('bob@example.com', 'ou_bob');
    const scheduler = new EscalationScheduler(h);
    scheduler.start();
    const id = ingestWebhook(h, body([critical]), '{}').incidents[0] as number;
    const [card] = h.messages({ kind: 'send_card' });
    expect(JSON.stringify(card)).toContain('<at id=ou_alice></at>');
    expect(JSON.stringify(card)).toContain('(shop-sre, until');
    await h.clock.advance(5 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toMatchObject([{ mode: 'app', openIds: ['ou_alice'] }]);
    await h.clock.advance(15 * 60_000);
    expect(h.messages({ kind: 'urgent' })[1]).toMatchObject({ mode: 'phone', openIds: ['ou_bob'] });
    expect(h.store.incidents.get(id)?.status).toBe('open');
    scheduler.stop();
  });

  it("at the handover the live card's on-call line is patched to the new person", async () => {
    const h = harness({ yaml: ROTATION_YAML, clock: new FakeClock(T('2026-11-26T00:30:00Z')) });
    h.people.set('bob@example.com', 'ou_bob');
    ingestWebhook(h, body([critical]), '{}');
    const handovers = new HandoverRefresher(h);
    expect(nextHandover(h, h.clock.now())).toBe(T('2026-11-26T01:00:00Z'));
    handovers.start();
    const latest = () =>
      JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1) ?? h.messages({ kind: 'send_card' })[0]);
    await h.clock.advance(29 * 60_000);
    expect(latest()).toContain('<at id=ou_alice></at>');
    await h.clock.advance(60_000);
    expect(latest()).toContain('<at id=ou_bob></at>');
    expect(latest()).not.toContain('ou_alice');
    handovers.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('an override set in chat shows on the card within a minute, and its end hands back', async () => {
    const h = harness({ yaml: ROTATION_YAML, clock: new FakeClock(T('2026-11-25T08:00:00Z')) });
    ingestWebhook(h, body([critical]), '{}');
    const handovers = new HandoverRefresher(h);
    handovers.start();
    const latest = () =>
      JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1) ?? h.messages({ kind: 'send_card' })[0]);
    const now = h.clock.now();
    rosterOf(h.store, h.config.file.oncall, h.config.timezone).addOverride(
      {
        rotation: 'shop-sre',
        who: 'ou_frank',
        from: now,
        to: now + 30 * 60_000,
        by: 'ou_admin',
        source: 'message:om_x',
      },
      now,
    );
    await h.clock.advance(60_000);
    expect(latest()).toContain('<at id=ou_frank></at>');
    await h.clock.advance(30 * 60_000);
    expect(latest()).toContain('<at id=ou_alice></at>');
    expect(latest()).not.toContain('ou_frank');
    handovers.stop();
  });
});
