import { describe, expect, it } from 'vitest';
import { can } from '../../../src/access/can.js';
import { PeopleDirectory } from '../../../src/access/people.js';
import { createLogger } from '../../../src/shared/log.js';

function fakeFeishu(known: Record<string, string>, fail = false) {
  const calls: string[][] = [];
  return {
    calls,
    async resolveEmails(emails: string[]) {
      calls.push(emails);
      if (fail) throw new Error('feishu unavailable');
      return new Map(emails.flatMap((e) => (known[e] ? [[e, known[e]] as [string, string]] : [])));
    },
  };
}

describe('people directory', () => {
  it('resolves people and on-call emails at start-up, once, and reports the unknown', async () => {
    const dir = new PeopleDirectory([
      { id: 'alice@example.com', roles: ['approver'] },
      { id: 'ou_bob', roles: ['viewer'] },
    ]);
    const feishu = fakeFeishu({ 'alice@example.com': 'ou_alice', 'oncall@example.com': 'ou_pager' });
    const r = await dir.load(feishu, ['Oncall@Example.com', 'ghost@example.com', 'ou_bob']);
    expect(r.missing).toEqual(['ghost@example.com']);
    expect(feishu.calls).toEqual([['alice@example.com', 'oncall@example.com', 'ghost@example.com']]);

    const alice = dir.resolve('ou_alice');
    expect(alice.person?.id).toBe('alice@example.com');
    expect(can(alice, 'approval.decide')).toEqual({ ok: true, via: 'role' });
    expect(dir.resolve('ou_pager').emails).toEqual(['oncall@example.com']);

    await dir.load(feishu, ['Oncall@Example.com']);
    expect(feishu.calls).toHaveLength(1); // already resolved: no second lookup
  });

  it('a failed lookup is logged, not thrown, and leaves those people unknown until a later load', async () => {
    const dir = new PeopleDirectory([{ id: 'alice@example.com', roles: ['admin'] }]);
    const log = createLogger('silent');
    expect((await dir.load(fakeFeishu({}, true), [], log)).missing).toEqual(['alice@example.com']);
    expect(can(dir.resolve('ou_alice'), 'admin')).toMatchObject({ ok: false, reason: 'unknown_person' });
    await dir.load(fakeFeishu({ 'alice@example.com': 'ou_alice' }), [], log);
    expect(can(dir.resolve('ou_alice'), 'admin')).toEqual({ ok: true, via: 'role' });
  });
});
