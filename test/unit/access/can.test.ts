import { describe, expect, it } from 'vitest';
import { type Actor, type Person, staticActorResolver } from '../../../src/access/actor.js';
import { can, incidentScope, OPEN_ACCESS_PERMISSIONS } from '../../../src/access/can.js';
import { EmailDirectory } from '../../../src/access/emails.js';
import { PeopleDirectory } from '../../../src/access/people.js';
import { refusalMessage } from '../../../src/access/refusal.js';
import { PERMISSIONS, type Permission, ROLES, type Role } from '../../../src/access/roles.js';
import { translator } from '../../../src/shared/i18n.js';

// The README table, written out by hand so a change to roles.ts has to change this test too.
const TABLE: Record<Permission, Role[]> = {
  'report.read': ['viewer', 'operator', 'approver', 'admin'],
  diagnose: ['viewer', 'operator', 'approver', 'admin'],
  'logs.read': ['operator', 'approver', 'admin'],
  'incident.ack': ['operator', 'approver', 'admin'],
  'incident.resolve': ['operator', 'approver', 'admin'],
  'incident.silence': ['operator', 'approver', 'admin'],
  'runbook.request': ['operator', 'approver', 'admin'],
  'approval.decide': ['approver', 'admin'],
  admin: ['admin'],
};
const LEAST: Record<Permission, Role> = {
  'report.read': 'viewer',
  diagnose: 'viewer',
  'logs.read': 'operator',
  'incident.ack': 'operator',
  'incident.resolve': 'operator',
  'incident.silence': 'operator',
  'runbook.request': 'operator',
  'approval.decide': 'approver',
  admin: 'admin',
};

const people: Person[] = [
  { id: 'ou_admin', roles: ['admin'] },
  { id: 'ou_approver', roles: ['approver'] },
  { id: 'ou_operator', roles: ['operator'] },
  { id: 'ou_viewer', roles: ['viewer'] },
  { id: 'ou_none', roles: [] },
  { id: 'Carol@Example.com', name: 'Carol', roles: ['operator'] },
];
const directory = () => {
  const emails = new EmailDirectory();
  emails.set('carol@example.com', 'ou_carol');
  emails.set('dave@example.com', 'ou_dave');
  return new PeopleDirectory(people, emails);
};
const t = translator('en-US');
const zh = translator('zh-CN');

describe('can(): roles × permissions', () => {
  it('covers every permission of the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = TABLE[permission].includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${permission}`, () => {
        const actor = directory().resolve(`ou_${role}`);
        const d = can(actor, permission);
        if (allowed) expect(d).toEqual({ ok: true, via: 'role' });
        else expect(d).toEqual({ ok: false, missing: LEAST[permission], reason: 'role_missing' });
      });
    }
  }

  it('a person with several roles gets the union', () => {
    const actor: Actor = { openId: 'ou_x', person: { id: 'ou_x', roles: ['viewer', 'approver'] } };
    expect(can(actor, 'approval.decide').ok).toBe(true);
    expect(can(actor, 'admin')).toEqual({ ok: false, missing: 'admin', reason: 'role_missing' });
  });
});

describe('can(): who is asking', () => {
  it('refuses everything to an actor without an open_id, even with no people configured', () => {
    for (const dir of [directory(), new PeopleDirectory([])]) {
      for (const id of [undefined, '', '   ']) {
        for (const p of PERMISSIONS) {
          expect(can(dir.resolve(id), p)).toMatchObject({ ok: false, reason: 'no_identity' });
        }
      }
    }
  });

  it('refuses an unknown person what needs a role, naming the role', () => {
    const stranger = directory().resolve('ou_stranger');
    expect(stranger).toEqual({ openId: 'ou_stranger' });
    for (const p of ['incident.ack', 'incident.resolve', 'incident.silence', 'report.read'] as const) {
      expect(can(stranger, p)).toEqual({ ok: false, missing: LEAST[p], reason: 'unknown_person' });
    }
  });

  it('recognises a person configured by email once the email resolved (case-insensitively)', () => {
    const carol = directory().resolve('ou_carol');
    expect(carol.person?.name).toBe('Carol');
    expect(can(carol, 'incident.silence')).toEqual({ ok: true, via: 'role' });
    expect(can(carol, 'approval.decide')).toEqual({ ok: false, missing: 'approver', reason: 'role_missing' });
    // Before the email resolves, the same open_id is a stranger.
    const unresolved = new PeopleDirectory(people).resolve('ou_carol');
    expect(unresolved.person).toBeUndefined();
    expect(can(unresolved, 'incident.ack')).toMatchObject({ ok: false, reason: 'unknown_person' });
  });

  it('a configured person with no roles is told the role they lack', () => {
    expect(can(directory().resolve('ou_none'), 'diagnose')).toEqual({
      ok: false,
      missing: 'viewer',
      reason: 'role_missing',
    });
  });
});

describe('can(): on-call people act as operators for their incidents', () => {
  const route = { oncall: ['ou_viewer', 'dave@example.com'], secondaryOncall: ['ou_stranger2'] };

  it('lets the on-call of the incident ack, resolve, silence, read logs and request runbooks', () => {
    const dir = directory();
    for (const id of ['ou_viewer', 'ou_dave', 'ou_stranger2']) {
      for (const p of [
        'incident.ack',
        'incident.resolve',
        'incident.silence',
        'logs.read',
        'runbook.request',
      ] as const) {
        expect(can(dir.resolve(id), p, incidentScope(route)), `${id} ${p}`).toEqual({ ok: true, via: 'oncall' });
      }
    }
  });

  it('gives the on-call nothing beyond operator, and nothing on another incident', () => {
    const dir = directory();
    const viewer = dir.resolve('ou_viewer');
    expect(can(viewer, 'approval.decide', incidentScope(route))).toMatchObject({ ok: false, missing: 'approver' });
    expect(can(viewer, 'admin', incidentScope(route))).toMatchObject({ ok: false, missing: 'admin' });
    const other = incidentScope({ oncall: ['ou_someone_else'], secondaryOncall: [] });
    expect(can(viewer, 'incident.ack', other)).toEqual({ ok: false, missing: 'operator', reason: 'role_missing' });
    expect(can(dir.resolve('ou_dave'), 'incident.ack', other)).toMatchObject({ ok: false, reason: 'unknown_person' });
    expect(can(dir.resolve('ou_dave'), 'incident.ack')).toMatchObject({ ok: false, reason: 'unknown_person' });
  });

  it('matches an email on-call ref only once Feishu resolved it', () => {
    const unresolved = new PeopleDirectory(people).resolve('ou_dave');
    expect(can(unresolved, 'incident.ack', incidentScope(route))).toMatchObject({ ok: false });
  });
});

describe('can(): no people configured', () => {
  const open = new PeopleDirectory([]);

  it('says so, so start-up can warn', () => {
    expect(open.openAccess).toBe(true);
    expect(directory().openAccess).toBe(false);
    expect(open.resolve('ou_anyone')).toEqual({ openId: 'ou_anyone', openAccess: true });
    expect(staticActorResolver([]).resolve('ou_anyone').openAccess).toBe(true);
  });

  it('lets anyone ack, resolve and silence (and read), as before people existed', () => {
    for (const p of ['incident.ack', 'incident.resolve', 'incident.silence', 'diagnose', 'report.read'] as const) {
      expect(can(open.resolve('ou_anyone'), p)).toEqual({ ok: true, via: 'open_access' });
    }
    expect([...OPEN_ACCESS_PERMISSIONS].sort()).toEqual(
      ['diagnose', 'incident.ack', 'incident.resolve', 'incident.silence', 'report.read'].sort(),
    );
  });

  it('refuses approvals (and admin, logs, runbooks) until people are configured', () => {
    const anyone = open.resolve('ou_anyone');
    expect(can(anyone, 'approval.decide')).toEqual({ ok: false, missing: 'approver', reason: 'no_people' });
    expect(can(anyone, 'admin')).toEqual({ ok: false, missing: 'admin', reason: 'no_people' });
    expect(can(anyone, 'logs.read')).toMatchObject({ ok: false, reason: 'no_people' });
    expect(can(anyone, 'runbook.request')).toMatchObject({ ok: false, reason: 'no_people' });
    // The on-call still act as operators for their incidents.
    const scope = incidentScope({ oncall: ['ou_anyone'], secondaryOncall: [] });
    expect(can(anyone, 'logs.read', scope)).toEqual({ ok: true, via: 'oncall' });
    expect(can(anyone, 'approval.decide', scope)).toMatchObject({ ok: false, reason: 'no_people' });
  });

  it('a hand-built actor without the flag is treated as if people were configured (safe default)', () => {
    expect(can({ openId: 'ou_anyone' }, 'incident.ack')).toMatchObject({ ok: false, reason: 'unknown_person' });
  });
});

describe('refusal messages', () => {
  it('name the missing role and whom to ask, in both locales', () => {
    const stranger = directory().resolve('ou_stranger');
    const d = can(stranger, 'incident.ack');
    if (d.ok) throw new Error('expected a refusal');
    expect(refusalMessage(t, d, stranger)).toBe('This needs the operator role; ask an admin to add you under people.');
    expect(refusalMessage(zh, d, stranger)).toBe('需要 operator 角色；请联系管理员把你加入 people。');

    const viewer = directory().resolve('ou_viewer');
    const v = can(viewer, 'incident.silence');
    if (v.ok) throw new Error('expected a refusal');
    expect(refusalMessage(t, v, viewer)).toBe(
      'This needs the operator role (you have viewer); ask an admin to add it under people.',
    );
    expect(refusalMessage(zh, v, viewer)).toContain('需要 operator 角色（你当前是 viewer）');

    const anyone = new PeopleDirectory([]).resolve('ou_anyone');
    const a = can(anyone, 'approval.decide');
    if (a.ok) throw new Error('expected a refusal');
    expect(refusalMessage(t, a, anyone)).toMatch(/needs the approver role, and no people are configured/);

    const nobody = directory().resolve('');
    const n = can(nobody, 'incident.ack');
    if (n.ok) throw new Error('expected a refusal');
    expect(refusalMessage(zh, n, nobody)).toBe('飞书没有提供点击者的身份，未做任何更改。');
  });
});
