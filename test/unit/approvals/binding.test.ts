import { describe, expect, it } from 'vitest';
import { bindingFor, canonicalArgsHash, canonicalJson, checkApproval } from '../../../src/approvals/binding.js';
import { type Approval, ApprovalSchema } from '../../../src/approvals/model.js';
import { Store } from '../../../src/store/index.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const call = bindingFor({
  tool: 'k8s.workload_scale',
  args: { name: 'cart', namespace: 'shop', replicas: 3 },
  cluster: 'prod',
  namespace: 'shop',
});

function approval(over: Partial<Approval> = {}): Approval {
  return ApprovalSchema.parse({
    id: 'ap-1',
    runId: null,
    incidentId: null,
    action: 'k8s.workload_scale',
    params: {},
    requestedBy: 'ou_op',
    status: 'approved',
    decidedBy: 'ou_boss',
    decidedAt: NOW,
    reason: null,
    chatId: null,
    createdAt: NOW,
    expiresAt: null,
    binding: call,
    usedAt: null,
    usedBy: null,
    ...over,
  });
}

describe('canonicalArgsHash', () => {
  it('ignores key order at every depth, dryRun, cluster and undefined members', () => {
    const a = canonicalArgsHash('k8s.set_resources', { name: 'x', limits: { memory: '1Gi', cpu: '1' }, dryRun: true });
    const b = canonicalArgsHash('k8s.set_resources', {
      limits: { cpu: '1', memory: '1Gi' },
      name: 'x',
      cluster: 'prod',
      container: undefined,
    });
    expect(a).toBe(b);
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: null })).toBe('{"a":null,"b":[2,{"c":0,"d":1}]}');
  });

  it('differs for another tool, another value or another type', () => {
    const base = canonicalArgsHash('k8s.workload_scale', { name: 'cart', replicas: 3 });
    expect(canonicalArgsHash('k8s.pod_delete', { name: 'cart', replicas: 3 })).not.toBe(base);
    expect(canonicalArgsHash('k8s.workload_scale', { name: 'cart', replicas: 30 })).not.toBe(base);
    expect(canonicalArgsHash('k8s.workload_scale', { name: 'cart', replicas: '3' })).not.toBe(base);
    expect(canonicalArgsHash('k8s.workload_scale', { name: 'cart', replicas: 3, extra: true })).not.toBe(base);
  });
});

describe('checkApproval', () => {
  it('accepts only an approved, unexpired, unused approval bound to exactly this call', () => {
    expect(checkApproval(approval(), call, NOW)).toEqual({ ok: true });
    const cases: [Partial<Approval>, string][] = [
      [{ status: 'pending' }, 'ap-1 is pending'],
      [{ status: 'rejected' }, 'ap-1 is rejected'],
      [{ expiresAt: NOW - 1 }, 'ap-1 has expired'],
      [{ usedAt: NOW }, 'ap-1 was already used'],
      [{ binding: null }, 'ap-1 approves no tool call'],
      [{ binding: { ...call, tool: 'k8s.pod_delete' } }, 'approves k8s.pod_delete, not k8s.workload_scale'],
      [{ binding: { ...call, cluster: 'staging' } }, 'approves cluster staging, not prod'],
      [{ binding: { ...call, namespace: 'payments' } }, 'approves namespace payments, not shop'],
      [{ binding: { ...call, argsHash: '0'.repeat(64) } }, 'approves other arguments'],
    ];
    for (const [over, reason] of cases) {
      const r = checkApproval(approval(over), call, NOW);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain(reason);
    }
  });
});

describe('ApprovalsRepo binding', () => {
  it('stores the binding and spends the approval exactly once, only on its call', () => {
    const store = Store.open(':memory:');
    try {
      const { binding, usedAt, usedBy, status, decidedBy, decidedAt, reason, createdAt, ...input } = approval();
      store.approvals.create({ ...input, binding }, NOW);
      expect(store.approvals.get('ap-1')).toMatchObject({ binding: call, usedAt: null, status: 'pending' });
      expect(store.approvals.consume('ap-1', call, 'ou_boss', NOW)).toBe(false); // still pending
      store.approvals.decide('ap-1', 'approved', 'ou_boss', NOW);
      expect(store.approvals.consume('ap-1', { ...call, tool: 'k8s.pod_delete' }, 'ou_boss', NOW)).toBe(false);
      expect(store.approvals.consume('ap-1', { ...call, namespace: 'payments' }, 'ou_boss', NOW)).toBe(false);
      expect(store.approvals.consume('ap-1', call, 'ou_boss', NOW + 1)).toBe(true);
      expect(store.approvals.consume('ap-1', call, 'ou_boss', NOW + 2)).toBe(false);
      expect(store.approvals.get('ap-1')).toMatchObject({ usedAt: NOW + 1, usedBy: 'ou_boss' });
    } finally {
      store.close();
    }
  });

  it('an expired approval cannot be spent, and a malformed row is an error rather than a guess', () => {
    const store = Store.open(':memory:');
    try {
      const { binding, usedAt, usedBy, status, decidedBy, decidedAt, reason, createdAt, ...input } = approval();
      store.approvals.create({ ...input, binding, expiresAt: NOW }, NOW);
      store.approvals.decide('ap-1', 'approved', 'ou_boss', NOW);
      expect(store.approvals.consume('ap-1', call, 'ou_boss', NOW + 1)).toBe(false);
      store.db.prepare("UPDATE approvals SET args_hash = 'not-a-hash' WHERE id = 'ap-1'").run();
      expect(() => store.approvals.get('ap-1')).toThrow(/SHA-256/);
    } finally {
      store.close();
    }
  });
});
