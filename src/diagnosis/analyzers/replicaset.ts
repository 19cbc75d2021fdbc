/** ReplicaSets that cannot create pods (ReplicaFailure/FailedCreate: quota, admission), naming the exceeded quota and resource. */
import { type Analyzer, type Draft, eventEvidence, eventsWith, statusEvidence } from '../analyzer.js';

export const replicasetAnalyzer: Analyzer = {
  kind: 'replicaset',
  analyze(snap) {
    const out: Draft[] = [];
    for (const rs of snap.objects.replicaset) {
      const ns = rs.metadata?.namespace;
      const name = rs.metadata?.name ?? '';
      const self = snap.ref('replicaset', ns, name);
      const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
      const ev = eventsWith(snap, self, 'ReplicaSet', ['FailedCreate'])[0];
      if (!failure && !ev) continue;
      if ((rs.spec?.replicas ?? 0) === 0) continue;
      const message = failure?.message ?? ev?.message ?? '';
      const quota = /exceeded quota: ([\w.-]+)/.exec(message)?.[1];
      const exceeded = /requested: ([^,]+(?:,[^,]+)*?), used:/.exec(message)?.[1] ?? '';
      const dep = rs.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment');
      const owner = dep ? snap.ref('deployment', ns, dep.name) : self;
      const evidence = [];
      if (failure)
        evidence.push(statusEvidence(self, 'condition ReplicaFailure', failure.reason ?? 'FailedCreate', { message }));
      if (ev) evidence.push(eventEvidence(ev, self));
      out.push({
        pattern: 'replicaset.create_failed',
        resource: owner,
        subject: self,
        severity: 'critical',
        confidence: 'high',
        vars: { replicaset: name, message, quota: quota ?? '', exceeded },
        evidence,
        related: [owner, self],
      });
    }
    return out;
  },
};
