/** The approval policy: approvers per risk, who may vote, auto-fix namespaces, and the config that sets them. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/access/actor.js';
import type { Role } from '../../../src/access/roles.js';
import { approversNeeded, hasApprovers, isAutoFix, mayVote } from '../../../src/approvals/policy.js';
import { loadConfig } from '../../../src/config.js';
import { translator } from '../../../src/shared/i18n.js';

const t = translator('en-US');
function config(yaml: string) {
  const r = loadConfig({ BOT_LOCALE: 'en-US', SRE_NANOBOT_CONFIG: 'x.yaml' }, { readFile: () => yaml });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}
const actor = (openId: string, roles: Role[]): Actor => ({ openId, person: { id: openId, roles } });

describe('approval policy', () => {
  it('defaults: 1, 1 and 2 approvers, no self-approval, no auto-fix; all configurable', () => {
    const c = config('');
    expect([approversNeeded(c, 'low'), approversNeeded(c, 'medium'), approversNeeded(c, 'high')]).toEqual([1, 1, 2]);
    expect(c.file.approvals.expire_after).toBe(30 * 60_000);
    expect(isAutoFix(c, 'low', 'shop')).toBe(false);
    const d = config('approvals: { expire_after: 5m, high: { approvers: 3 }, low: { auto_namespaces: [shop] } }\n');
    expect(approversNeeded(d, 'high')).toBe(3);
    expect(d.file.approvals.expire_after).toBe(5 * 60_000);
    expect(isAutoFix(d, 'low', 'shop')).toBe(true);
    expect(isAutoFix(d, 'medium', 'shop')).toBe(false);
    expect(isAutoFix(d, 'low', 'payments')).toBe(false);
  });

  it('refuses auto_namespaces above low risk and approver counts out of range, naming the key', () => {
    const r = loadConfig(
      { SRE_NANOBOT_CONFIG: 'x.yaml' },
      { readFile: () => 'approvals: { medium: { auto_namespaces: [shop] }, high: { approvers: 0 } }\n' },
    );
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems.join('\n');
    expect(problems).toContain('approvals.medium.auto_namespaces: auto_namespaces is only for low risk');
    expect(problems).toContain('approvals.high.approvers');
  });

  it('who may vote: approvers and admins; the requester never at high risk, at lower risk only with allow_self', () => {
    const c = config('');
    const req = { id: 'ap-1', requestedBy: 'ou_req', risk: 'medium' as const };
    expect(mayVote(c, t, req, actor('ou_a', ['approver']), 'approve')).toEqual({ ok: true });
    expect(mayVote(c, t, req, actor('ou_b', ['admin']), 'approve')).toEqual({ ok: true });
    expect(mayVote(c, t, req, actor('ou_o', ['operator']), 'approve')).toMatchObject({ ok: false });
    expect(mayVote(c, t, req, { openId: 'ou_x' }, 'approve')).toMatchObject({ ok: false });
    expect(mayVote(c, t, req, { openId: '' }, 'approve')).toMatchObject({ ok: false });
    expect(mayVote(c, t, req, actor('ou_req', ['approver']), 'approve')).toEqual({
      ok: false,
      reason: 'you requested this run; at medium risk the requester may not approve it (approvals.medium.allow_self)',
    });
    const self = config('approvals: { medium: { allow_self: true }, high: { allow_self: true } }\n');
    expect(mayVote(self, t, req, actor('ou_req', ['approver']), 'approve')).toEqual({ ok: true });
    expect(mayVote(self, t, { ...req, risk: 'high' }, actor('ou_req', ['admin']), 'approve')).toEqual({
      ok: false,
      reason: 'you requested this high-risk run; the requester never counts as its approver',
    });
    // a requester may withdraw their own request whatever their role
    expect(mayVote(c, t, req, actor('ou_req', ['operator']), 'reject')).toEqual({ ok: true });
    expect(mayVote(c, t, req, actor('ou_o', ['operator']), 'reject')).toMatchObject({ ok: false });
  });

  it('knows whether anyone could approve at all', () => {
    expect(hasApprovers(config(''))).toBe(false);
    expect(hasApprovers(config('people: [{ id: ou_a, roles: [operator] }]\n'))).toBe(false);
    expect(hasApprovers(config('people: [{ id: ou_a, roles: [admin] }]\n'))).toBe(true);
  });
});
