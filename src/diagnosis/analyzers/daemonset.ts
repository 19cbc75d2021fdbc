/** DaemonSets: fewer ready pods than scheduled (a symptom), and imagePullSecrets that do not exist (a cause). */
import { type Analyzer, type Draft, specEvidence, statusEvidence } from '../analyzer.js';

export const daemonsetAnalyzer: Analyzer = {
  kind: 'daemonset',
  analyze(snap) {
    const out: Draft[] = [];
    for (const d of snap.objects.daemonset) {
      const ns = d.metadata?.namespace;
      const name = d.metadata?.name ?? '';
      const self = snap.ref('daemonset', ns, name);
      const pods = snap
        .podsMatching(ns, d.spec?.selector ?? {})
        .map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      for (const s of d.spec?.template?.spec?.imagePullSecrets ?? [])
        if (s.name && !snap.find('secret', ns, s.name))
          out.push({
            pattern: 'daemonset.missing_pull_secret',
            resource: self,
            severity: 'critical',
            confidence: 'high',
            vars: { daemonset: name, secret: s.name },
            evidence: [specEvidence(self, 'spec.template.spec.imagePullSecrets', s.name)],
            related: [self, ...pods],
          });
      const want = d.status?.desiredNumberScheduled ?? 0;
      const ready = d.status?.numberReady ?? 0;
      if (ready < want)
        out.push({
          pattern: 'daemonset.unavailable',
          resource: self,
          severity: 'warning',
          confidence: 'low',
          vars: { daemonset: name, want, ready },
          evidence: [statusEvidence(self, 'status.numberReady', `${ready}/${want}`)],
          related: [self, ...pods],
          symptom: true,
        });
    }
    return out;
  },
};
