import { describe, expect, it } from 'vitest';
import { ROTATION_YAML } from '../oncall/rotation-config.js';
import { bench } from './harness.js';

const TWO_ROTATIONS = ROTATION_YAML.replace(
  '  overrides:',
  `    - { name: db-dba, members: [ou_dana], every: weekly, start: 2026-11-23, timezone: Europe/Berlin }
  overrides:`,
);
const erin = { key: '@_user_1', openId: 'ou_erin', name: 'Erin', isBot: false };

function overrides(h: ReturnType<typeof bench>['h']) {
  return h.store.db.prepare('SELECT rotation, who, starts_at, ends_at, created_by FROM oncall_overrides').all();
}

describe('/oncall with rotations', () => {
  it('shows who is on call now, until when, and who is next, per route', async () => {
    const { send } = bench({ yaml: ROTATION_YAML });
    // The fake clock starts at 2026-11-25 16:00 in Shanghai: alice's day.
    expect(await send('/oncall', { senderOpenId: 'ou_viewer' })).toEqual([
      'shop: on call now <at user_id="ou_alice"></at> until 2026-11-26 09:00 Asia/Shanghai; next <at user_id="ou_bob"></at> from 2026-11-26 09:00; secondary <at user_id="ou_carol"></at>',
    ]);
    expect((await send('/oncall shop-sre'))[0]).toContain('shop-sre: on call now <at user_id="ou_alice"></at>');
    expect((await send('／oncall　SHOP', { chatType: 'p2p' }))[0]).toContain('shop: on call now');
    expect((await send('/oncall nowhere'))[0]).toBe('No route named nowhere; routes: shop, shop-sre.');
  });

  it("the rotation's current person acts as an operator on the route's incidents, only during their turn", async () => {
    const { h, send, id, threadOf } = bench({ yaml: ROTATION_YAML });
    await h.clock.advance(17 * 3_600_000); // bob's turn: alice is no longer on call
    expect((await send('/ack', { ...threadOf(id), senderOpenId: 'ou_alice' }))[0]).toContain('operator');
    expect(h.store.incidents.get(id)?.status).toBe('open');
    await h.clock.advance(2 * 86_400_000); // alice again
    expect(await send('/ack', { ...threadOf(id), senderOpenId: 'ou_alice' })).toEqual([
      `Incident #${id} acknowledged.`,
    ]);
  });

  it('with rotations but no route naming one, /oncall lists the rotations', async () => {
    const yaml = ROTATION_YAML.replace('    rotation: shop-sre\n', '').replace(
      '    secondary_oncall: [ou_carol]\n',
      '',
    );
    const { send } = bench({ yaml });
    expect((await send('/oncall'))[0]).toMatch(
      /^shop-sre: on call now <at user_id="ou_alice"><\/at> until 2026-11-26 09:00/,
    );
  });

  it('after the handover the next person is on call', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    await h.clock.advance(17 * 3_600_000);
    expect((await send('/oncall'))[0]).toContain('on call now <at user_id="ou_bob"></at> until 2026-11-27 09:00');
  });
});

describe('/oncall override', () => {
  it('an admin records an override for an @mention; it takes effect, is audited and shows in /oncall', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    const [reply] = await send('/oncall override @Erin 2026-11-25T18:00 12h', { mentions: [erin] });
    expect(reply).toBe(
      'Override recorded: <at user_id="ou_erin"></at> is on call for shop-sre from 2026-11-25 18:00 to 2026-11-26 06:00 Asia/Shanghai.',
    );
    expect(overrides(h)).toEqual([
      {
        rotation: 'shop-sre',
        who: 'ou_erin',
        starts_at: Date.parse('2026-11-25T10:00:00Z'),
        ends_at: Date.parse('2026-11-25T22:00:00Z'),
        created_by: 'ou_admin',
      },
    ]);
    const audit = h.store.db
      .prepare("SELECT action, target, decision FROM audit_log WHERE action = 'oncall.override'")
      .all();
    expect(audit).toEqual([{ action: 'oncall.override', target: 'rotation:shop-sre', decision: 'allowed' }]);
    expect((await send('/oncall'))[0]).toContain('next <at user_id="ou_erin"></at> from 2026-11-25 18:00');
    await h.clock.advance(3 * 3_600_000);
    expect((await send('/oncall'))[0]).toContain(
      'on call now <at user_id="ou_erin"></at> (override by <at user_id="ou_admin"></at>) until 2026-11-26 06:00',
    );
  });

  it('an @mention whose name holds a space is one person', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    const wang = { key: '@_user_1', openId: 'ou_wang', name: 'Wang Wei', isBot: false };
    expect((await send('/oncall override @Wang Wei now 2h', { mentions: [wang] }))[0]).toContain(
      '<at user_id="ou_wang"></at> is on call for shop-sre',
    );
    expect(overrides(h)).toMatchObject([{ who: 'ou_wang' }]);
  });

  it('a redelivered message records one override', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    await send('/oncall override me now 2h', { messageId: 'om_same' });
    await send('/oncall override me now 2h', { messageId: 'om_same', eventId: 'ev_again' });
    expect(overrides(h)).toHaveLength(1);
  });

  it('reads times with a space, full-width commas, now and durations; the rotation is implied in its thread', async () => {
    const { h, send, id, threadOf } = bench({ yaml: TWO_ROTATIONS });
    expect((await send('/oncall override me now 2h'))[0]).toBe('Which rotation? Add its name: shop-sre, db-dba.');
    expect((await send('／oncall override me，2026-11-26 08:00，2026-11-26 10:00', threadOf(id)))[0]).toContain(
      'for shop-sre from 2026-11-26 08:00 to 2026-11-26 10:00',
    );
    expect((await send('/oncall override ou_dana now 1d db-dba', { chatType: 'p2p' }))[0]).toContain(
      'for db-dba from 2026-11-25 09:00 to 2026-11-26 09:00 Europe/Berlin',
    );
    expect((await send('/oncall override bob@example.com now 3h rotation=shop-sre'))[0]).toContain(
      '<at user_id="ou_bob"></at>',
    );
    expect(overrides(h)).toHaveLength(3);
  });

  it('bad input gets a clear answer and records nothing', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    expect((await send('/oncall override me'))[0]).toBe('Usage: /oncall override <who> <from> <to> [rotation]');
    expect((await send('/oncall override @Nobody now 2h'))[0]).toBe(
      'Usage: /oncall override <who> <from> <to> [rotation]',
    );
    expect((await send('/oncall override me tomorrow 2h'))[0]).toContain('I could not read tomorrow as a time');
    expect((await send('/oncall override me 2026-11-26T10:00 2026-11-26T09:00'))[0]).toBe(
      'The override must end after it starts and last at most 90 days.',
    );
    expect((await send('/oncall override me now 100d'))[0]).toContain('at most 90 days');
    expect((await send('/oncall override me 2026-11-01 2026-11-02'))[0]).toBe(
      'The override ends in the past; nothing recorded.',
    );
    expect((await send('/oncall override me now 2h nosuch'))[0]).toContain('Which rotation?');
    expect((await send('/oncall shop extra'))[0]).toContain('Usage: /oncall');
    expect(overrides(h)).toEqual([]);
  });

  it('only admins: a viewer and an operator on the rotation are refused, naming the role, audited', async () => {
    const { h, send } = bench({ yaml: ROTATION_YAML });
    expect((await send('/oncall override me now 2h', { senderOpenId: 'ou_viewer' }))[0]).toContain('admin');
    expect((await send('/oncall override me now 2h', { senderOpenId: 'ou_dave' }))[0]).toContain('admin');
    expect(overrides(h)).toEqual([]);
    const denied = h.store.db
      .prepare("SELECT action, actor FROM audit_log WHERE decision = 'denied' ORDER BY id")
      .all();
    expect(denied).toEqual([
      { action: 'command.oncall.override', actor: 'ou_viewer' },
      { action: 'command.oncall.override', actor: 'ou_dave' },
    ]);
  });

  it('without rotations it says so', async () => {
    const { send } = bench();
    expect((await send('/oncall override me now 2h'))[0]).toBe('No rotations are configured (oncall.rotations).');
  });
});
