/**
 * PodDisruptionBudgets that allow no disruption (`disruptionsAllowed 0`): every eviction — `kubectl drain`, a
 * cluster upgrade, the cluster autoscaler — is refused for the pods they select. Counted as the disruption
 * controller counts (expected pods, healthy = Ready, desired from minAvailable / maxUnavailable, percentages
 * rounded up), so a stale status does not mislead. Unhealthy pods make it a symptom of their own finding; a
 * budget that can never be met with this many replicas (minAvailable ≥ replicas, maxUnavailable 0) is a cause.
 * A budget whose selector matches no pod protects nothing.
 */
import type { IntOrString, V1Pod } from '@kubernetes/client-node';
import type { ResourceRef } from '../../shared/resource-ref.js';
import { type Analyzer, type Draft, formatLabels, specEvidence, statusEvidence } from '../analyzer.js';
import { iso } from '../snapshot.js';

/** An int-or-percent against a total: `2` → 2, `"50%"` → ceil(total / 2) (as the disruption controller rounds). */
export function scaled(v: IntOrString | undefined, total: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  const pct = /^(\d+)%$/.exec(v.trim());
  if (pct) return Math.ceil((Number(pct[1]) * total) / 100);
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

const ready = (p: V1Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const live = (p: V1Pod) =>
  p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;

export const pdbAnalyzer: Analyzer = {
  kind: 'poddisruptionbudget',
  analyze(snap) {
    const out: Draft[] = [];
    for (const b of snap.objects.poddisruptionbudget) {
      const ns = b.metadata?.namespace;
      const name = b.metadata?.name ?? '';
      const self = snap.ref('poddisruptionbudget', ns, name);
      const selector = b.spec?.selector ?? {};
      const sel = formatLabels(selector.matchLabels) || '(all pods)';
      const pods = snap.podsMatching(ns, selector).filter(live);
      const podRefs = pods.map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      if (pods.length === 0) {
        if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
          continue;
        out.push({
          pattern: 'pdb.no_pods',
          resource: self,
          severity: 'info',
          confidence: 'high',
          vars: { pdb: name, selector: sel },
          evidence: [specEvidence(self, 'spec.selector', sel)],
          related: [self],
        });
        continue;
      }
      const expected = pods.length;
      const healthy = pods.filter(ready).length;
      const min = scaled(b.spec?.minAvailable, expected);
      const maxUnavailable = scaled(b.spec?.maxUnavailable, expected);
      const desired = min ?? (maxUnavailable !== undefined ? Math.max(0, expected - maxUnavailable) : expected);
      const allowed = Math.max(0, healthy - desired);
      if (allowed > 0) continue;
      const owners = new Map<string, ResourceRef>();
      for (const p of pods) {
        const o = snap.ownerOf(p);
        owners.set(`${o.kind}/${o.name}`, o);
      }
      const unhealthy = healthy < expected;
      const rule =
        b.spec?.minAvailable !== undefined
          ? `minAvailable ${b.spec.minAvailable}`
          : `maxUnavailable ${b.spec?.maxUnavailable ?? '-'}`;
      const condition = (b.status?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
      const evidence = [
        specEvidence(self, rule.split(' ')[0] === 'minAvailable' ? 'spec.minAvailable' : 'spec.maxUnavailable', rule),
        statusEvidence(self, 'status.disruptionsAllowed', '0', {
          message: `currentHealthy ${healthy}, desiredHealthy ${desired}, expectedPods ${expected}`,
        }),
        ...(condition && condition.status !== 'True'
          ? [
              statusEvidence(self, 'condition DisruptionAllowed', condition.reason ?? condition.status, {
                message: condition.message,
                at: iso(condition.lastTransitionTime),
              }),
            ]
          : []),
      ];
      const [owner] = [...owners.values()];
      // More replicas fix a budget that cannot be met, when minAvailable is a count (not for maxUnavailable 0).
      const scaleUp =
        !unhealthy && owners.size === 1 && owner?.kind === 'deployment' && typeof b.spec?.minAvailable === 'number';
      out.push({
        pattern: 'pdb.disruptions_blocked',
        resource: self,
        affects: podRefs,
        severity: 'warning',
        confidence: 'high',
        vars: {
          pdb: name,
          selector: sel,
          healthy,
          expected,
          desired,
          rule,
          why: '',
          whyKey: unhealthy ? 'unhealthy' : 'impossible',
        },
        evidence,
        related: [self, ...podRefs, ...owners.values()],
        symptom: unhealthy,
        facts: scaleUp && owner ? { deployment: owner.name, replicas: String(desired + 1) } : {},
      });
    }
    return out;
  },
};
