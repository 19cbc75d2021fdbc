/** Deployments: Progressing=False (ProgressDeadlineExceeded) and fewer available replicas than wanted — symptoms their pods' findings usually explain. */
import { type Analyzer, type Draft, statusEvidence } from '../analyzer.js';
import { iso } from '../snapshot.js';

export const deploymentAnalyzer: Analyzer = {
  kind: 'deployment',
  analyze(snap) {
    const out: Draft[] = [];
    for (const d of snap.objects.deployment) {
      const ns = d.metadata?.namespace;
      const name = d.metadata?.name ?? '';
      const self = snap.ref('deployment', ns, name);
      const pods = snap
        .podsMatching(ns, d.spec?.selector ?? {})
        .map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      const related = [self, ...pods];
      const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False');
      if (progressing)
        out.push({
          pattern: 'deployment.progress_deadline',
          resource: self,
          severity: 'critical',
          confidence: 'high',
          vars: { deployment: name, reason: progressing.reason ?? '', message: progressing.message ?? '' },
          evidence: [
            statusEvidence(self, 'condition Progressing', progressing.reason ?? 'False', {
              message: progressing.message,
              at: iso(progressing.lastTransitionTime),
            }),
          ],
          related,
          symptom: true,
        });
      const want = d.spec?.replicas ?? 1;
      const available = d.status?.availableReplicas ?? 0;
      if (want > 0 && available < want && !progressing)
        out.push({
          pattern: 'deployment.unavailable',
          resource: self,
          severity: available === 0 ? 'critical' : 'warning',
          confidence: 'low',
          vars: { deployment: name, want, available },
          evidence: [statusEvidence(self, 'status.availableReplicas', `${available}/${want}`)],
          related,
          symptom: true,
        });
    }
    return out;
  },
};
