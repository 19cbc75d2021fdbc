/** PersistentVolumeClaims stuck Pending: a StorageClass that does not exist, or the provisioner's message. */
import { type Analyzer, type Draft, eventEvidence, eventsWith, specEvidence, statusEvidence } from '../analyzer.js';

export const pvcAnalyzer: Analyzer = {
  kind: 'persistentvolumeclaim',
  analyze(snap) {
    const out: Draft[] = [];
    for (const c of snap.objects.persistentvolumeclaim) {
      if (c.status?.phase !== 'Pending' && c.status?.phase !== 'Lost') continue;
      const ns = c.metadata?.namespace;
      const name = c.metadata?.name ?? '';
      const self = snap.ref('persistentvolumeclaim', ns, name);
      const sc = c.spec?.storageClassName;
      const missing = sc !== undefined && sc !== '' && !snap.find('storageclass', undefined, sc);
      const ev = eventsWith(snap, self, 'PersistentVolumeClaim', ['ProvisioningFailed', 'FailedBinding'])[0];
      const users = snap.objects.pod
        .filter(
          (p) =>
            p.metadata?.namespace === ns &&
            (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name),
        )
        .map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      const evidence = [statusEvidence(self, 'status.phase', c.status?.phase ?? 'Pending')];
      if (sc) evidence.push(specEvidence(self, 'spec.storageClassName', sc));
      if (ev) evidence.push(eventEvidence(ev, self));
      out.push({
        pattern: 'pvc.pending',
        resource: self,
        severity: 'critical',
        confidence: missing || ev ? 'high' : 'low',
        vars: {
          claim: name,
          storageClass: sc ?? '(default)',
          message: missing ? `StorageClass ${sc} does not exist` : (ev?.message ?? 'no provisioner event recorded'),
        },
        evidence,
        related: [self, ...users],
        affects: users,
        facts: { missingStorageClass: missing ? 'true' : 'false' },
      });
    }
    return out;
  },
};
