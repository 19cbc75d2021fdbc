import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, decide, type PolicyConfig } from '../../../src/mcp/policy.js';
import type { CallerKind, PolicyInput, PolicyVerdict, SafetyClass } from '../../../src/ports/tools.js';

const input = (over: Partial<PolicyInput>): PolicyInput => ({
  tool: 'k8s.deployment_scale',
  safetyClass: 'write',
  caller: { kind: 'command', person: 'ou_alice' },
  namespace: 'shop',
  cluster: undefined,
  dryRun: false,
  approved: false,
  ...over,
});

type Cls = SafetyClass | 'unclassified';
// expected[class][caller][namespace] for an unapproved call, then for an approved one
const expected: Record<Cls, Record<CallerKind, Record<'shop' | 'kube-system', [PolicyVerdict, PolicyVerdict]>>> = {
  read: {
    llm: { shop: ['allow', 'allow'], 'kube-system': ['allow', 'allow'] },
    command: { shop: ['allow', 'allow'], 'kube-system': ['allow', 'allow'] },
    runbook: { shop: ['allow', 'allow'], 'kube-system': ['allow', 'allow'] },
  },
  write: {
    llm: { shop: ['needs_approval', 'needs_approval'], 'kube-system': ['deny', 'deny'] },
    command: { shop: ['needs_approval', 'allow'], 'kube-system': ['deny', 'deny'] },
    runbook: { shop: ['needs_approval', 'allow'], 'kube-system': ['deny', 'deny'] },
  },
  destructive: {
    llm: { shop: ['needs_approval', 'needs_approval'], 'kube-system': ['deny', 'deny'] },
    command: { shop: ['needs_approval', 'allow'], 'kube-system': ['deny', 'deny'] },
    runbook: { shop: ['needs_approval', 'allow'], 'kube-system': ['deny', 'deny'] },
  },
  unclassified: {
    llm: { shop: ['deny', 'deny'], 'kube-system': ['deny', 'deny'] },
    command: { shop: ['deny', 'deny'], 'kube-system': ['deny', 'deny'] },
    runbook: { shop: ['deny', 'deny'], 'kube-system': ['deny', 'deny'] },
  },
};

describe('policy: class × caller × protected namespace', () => {
  for (const [cls, byCaller] of Object.entries(expected) as [Cls, (typeof expected)[Cls]][]) {
    for (const [caller, byNs] of Object.entries(byCaller) as [CallerKind, (typeof byCaller)[CallerKind]][]) {
      for (const [ns, [unapproved, approved]] of Object.entries(byNs) as [string, [PolicyVerdict, PolicyVerdict]][]) {
        it(`${cls} × ${caller} × ${ns} → ${unapproved} / approved → ${approved}`, () => {
          const base = {
            safetyClass: cls === 'unclassified' ? undefined : cls,
            caller: { kind: caller, person: 'ou_alice' },
            namespace: ns,
          };
          expect(decide(input({ ...base, approved: false }), DEFAULT_POLICY).verdict).toBe(unapproved);
          expect(decide(input({ ...base, approved: true }), DEFAULT_POLICY).verdict).toBe(approved);
        });
      }
    }
  }

  it('the LLM never gets allow on a write, whatever else is true', () => {
    const config: PolicyConfig = {
      protectedNamespaces: [],
      allowNamespaces: undefined,
      people: [{ id: 'ou_root', roles: ['admin'] }],
    };
    for (const safetyClass of ['write', 'destructive'] as const) {
      for (const dryRun of [false, true]) {
        for (const approved of [false, true]) {
          for (const namespace of ['shop', undefined]) {
            const d = decide(
              input({ safetyClass, caller: { kind: 'llm', person: 'ou_root' }, dryRun, approved, namespace }),
              config,
            );
            expect(d.verdict).not.toBe('allow');
          }
        }
      }
    }
  });

  it('a dry run by a command or runbook is allowed (it changes nothing), but not into a protected namespace', () => {
    expect(decide(input({ dryRun: true }), DEFAULT_POLICY)).toMatchObject({ verdict: 'allow', rule: 'dry_run' });
    expect(decide(input({ dryRun: true, caller: { kind: 'runbook' } }), DEFAULT_POLICY).verdict).toBe('allow');
    expect(decide(input({ dryRun: true, namespace: 'kube-system' }), DEFAULT_POLICY).rule).toBe('protected_namespace');
  });

  it('an allowlist refuses writes elsewhere and can open a protected namespace explicitly', () => {
    const config: PolicyConfig = {
      protectedNamespaces: ['kube-system'],
      allowNamespaces: ['shop', 'kube-system'],
      people: [],
    };
    expect(decide(input({ namespace: 'payments' }), config)).toMatchObject({
      verdict: 'deny',
      rule: 'namespace_not_allowed',
    });
    expect(decide(input({ namespace: 'kube-system', approved: true }), config).verdict).toBe('allow');
    expect(decide(input({ namespace: 'payments', safetyClass: 'read' }), config).verdict).toBe('allow');
  });

  it('person roles: a viewer may not request writes; an operator may request writes but not destructive actions', () => {
    const config: PolicyConfig = {
      ...DEFAULT_POLICY,
      people: [
        { id: 'ou_viewer', roles: ['viewer'] },
        { id: 'ou_op', roles: ['operator'] },
        { id: 'ou_boss', roles: ['approver'] },
      ],
    };
    const cmd = (person: string, safetyClass: SafetyClass) =>
      decide(input({ caller: { kind: 'command', person }, safetyClass }), config);
    expect(cmd('ou_viewer', 'write')).toMatchObject({ verdict: 'deny', rule: 'role_insufficient' });
    expect(cmd('ou_viewer', 'read').verdict).toBe('allow');
    expect(cmd('ou_op', 'write').verdict).toBe('needs_approval');
    expect(cmd('ou_op', 'destructive').verdict).toBe('deny');
    expect(cmd('ou_boss', 'destructive').verdict).toBe('needs_approval');
  });

  it('cluster-scoped writes (no namespace) skip the namespace guard but still need approval', () => {
    expect(decide(input({ namespace: undefined, safetyClass: 'destructive' }), DEFAULT_POLICY).verdict).toBe(
      'needs_approval',
    );
  });
});

describe('clusterForAlert', () => {
  it('uses the alert’s cluster label only when it names a configured cluster', async () => {
    const { clusterForAlert } = await import('../../../src/ports/tools.js');
    expect(clusterForAlert({ cluster: 'staging', namespace: 'shop' }, 'cluster', ['prod', 'staging'])).toBe('staging');
    expect(clusterForAlert({ cluster: 'elsewhere' }, 'cluster', ['prod'])).toBeUndefined();
    expect(clusterForAlert({ k8s_cluster: 'prod' }, 'k8s_cluster', ['prod'])).toBe('prod');
    expect(clusterForAlert({}, 'cluster', ['prod'])).toBeUndefined();
  });
});
