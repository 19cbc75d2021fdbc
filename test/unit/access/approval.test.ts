import { describe, expect, it } from 'vitest';
import { mayDecideApproval } from '../../../src/access/approval.js';
import { can } from '../../../src/access/can.js';
import { DEFAULT_POLICY, mayApprove } from '../../../src/mcp/policy.js';

const people = [
  { id: 'ou_boss', roles: ['approver'] as const },
  { id: 'ou_root', roles: ['admin'] as const },
  { id: 'ou_op', roles: ['operator'] as const },
  { id: 'ou_eye', roles: ['viewer'] as const },
];

describe('who may decide an approval', () => {
  it('is refused to everyone while no people are configured, as can() says', () => {
    expect(mayDecideApproval('ou_anyone', [])).toBe(false);
    expect(mayApprove('ou_anyone', DEFAULT_POLICY)).toBe(false);
    expect(can({ openId: 'ou_anyone', openAccess: true }, 'approval.decide')).toMatchObject({
      ok: false,
      reason: 'no_people',
    });
  });

  it('is granted to approvers and admins only, never to a missing or unknown person', () => {
    const config = { ...DEFAULT_POLICY, people };
    expect(mayApprove('ou_boss', config)).toBe(true);
    expect(mayApprove('ou_root', config)).toBe(true);
    expect(mayApprove('ou_op', config)).toBe(false);
    expect(mayApprove('ou_eye', config)).toBe(false);
    expect(mayApprove('ou_stranger', config)).toBe(false);
    expect(mayApprove(undefined, config)).toBe(false);
  });
});
