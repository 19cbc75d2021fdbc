/**
 * Nodes: Ready not True (NotReady/Unknown) and pressure conditions (MemoryPressure, DiskPressure,
 * PIDPressure, NetworkUnavailable) with when they began and the pods on the node they affect.
 */
import { type Analyzer, type Draft, statusEvidence } from '../analyzer.js';
import { iso } from '../snapshot.js';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export const nodeAnalyzer: Analyzer = {
  kind: 'node',
  analyze(snap) {
    const out: Draft[] = [];
    for (const n of snap.objects.node) {
      const name = n.metadata?.name ?? '';
      const self = snap.ref('node', undefined, name);
      const pods = snap.objects.pod
        .filter((p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded')
        .map((p) => snap.ref('pod', p.metadata?.namespace, p.metadata?.name ?? ''));
      const conds = n.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === 'Ready');
      const taints = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ');
      if (ready && ready.status !== 'True')
        out.push({
          pattern: 'node.not_ready',
          resource: self,
          severity: 'critical',
          confidence: 'high',
          vars: {
            node: name,
            status: ready.status,
            reason: ready.reason ?? '',
            message: ready.message ?? '',
            pods: pods.length,
            since: iso(ready.lastTransitionTime) ?? '?',
          },
          evidence: [
            statusEvidence(self, 'condition Ready', ready.reason ?? ready.status, {
              message: ready.message,
              at: iso(ready.lastTransitionTime),
            }),
            ...(taints ? [statusEvidence(self, 'spec.taints', taints)] : []),
          ],
          related: [self, ...pods],
          affects: pods,
        });
      for (const c of conds)
        if (PRESSURE.includes(c.type) && c.status === 'True')
          out.push({
            pattern: 'node.pressure',
            resource: self,
            severity: c.type === 'NetworkUnavailable' ? 'critical' : 'warning',
            confidence: 'high',
            vars: {
              node: name,
              condition: c.type,
              reason: c.reason ?? '',
              message: c.message ?? '',
              pods: pods.length,
              since: iso(c.lastTransitionTime) ?? '?',
            },
            evidence: [
              statusEvidence(self, `condition ${c.type}`, c.reason ?? 'True', {
                message: c.message,
                at: iso(c.lastTransitionTime),
              }),
            ],
            related: [self, ...pods],
            affects: pods,
          });
    }
    return out;
  },
};
