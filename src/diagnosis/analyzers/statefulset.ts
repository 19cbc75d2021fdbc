/** StatefulSets: the governing (headless) Service missing, a claim template's StorageClass missing, replicas not ready. */
import { type Analyzer, type Draft, specEvidence, statusEvidence } from '../analyzer.js';

export const statefulsetAnalyzer: Analyzer = {
  kind: 'statefulset',
  analyze(snap) {
    const out: Draft[] = [];
    for (const s of snap.objects.statefulset) {
      const ns = s.metadata?.namespace;
      const name = s.metadata?.name ?? '';
      const self = snap.ref('statefulset', ns, name);
      const pods = snap
        .podsMatching(ns, s.spec?.selector ?? {})
        .map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      const svc = s.spec?.serviceName;
      if (svc && !snap.find('service', ns, svc))
        out.push({
          pattern: 'statefulset.missing_service',
          resource: self,
          severity: 'warning',
          confidence: 'high',
          vars: { statefulset: name, service: svc },
          evidence: [specEvidence(self, 'spec.serviceName', svc)],
          related: [self, snap.ref('service', ns, svc)],
        });
      for (const t of s.spec?.volumeClaimTemplates ?? []) {
        const sc = t.spec?.storageClassName;
        if (sc && !snap.find('storageclass', undefined, sc))
          out.push({
            pattern: 'statefulset.missing_storage_class',
            resource: self,
            severity: 'critical',
            confidence: 'high',
            vars: { statefulset: name, storageClass: sc, template: t.metadata?.name ?? '' },
            evidence: [specEvidence(self, `volumeClaimTemplates[${t.metadata?.name ?? ''}].storageClassName`, sc)],
            related: [self, ...pods],
          });
      }
      const want = s.spec?.replicas ?? 1;
      const ready = s.status?.readyReplicas ?? 0;
      if (want > 0 && ready < want)
        out.push({
          pattern: 'statefulset.unavailable',
          resource: self,
          severity: ready === 0 ? 'critical' : 'warning',
          confidence: 'low',
          vars: { statefulset: name, want, ready },
          evidence: [statusEvidence(self, 'status.readyReplicas', `${ready}/${want}`)],
          related: [self, ...pods],
          symptom: true,
        });
    }
    return out;
  },
};
