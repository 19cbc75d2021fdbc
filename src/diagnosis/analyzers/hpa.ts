/**
 * HorizontalPodAutoscalers: a scale target that does not exist or cannot be scaled, containers without the
 * resource requests a utilization target needs, metrics it cannot fetch, and scaling held at maxReplicas.
 */
import { type Analyzer, type Draft, specEvidence, statusEvidence } from '../analyzer.js';

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

export const hpaAnalyzer: Analyzer = {
  kind: 'horizontalpodautoscaler',
  analyze(snap) {
    const out: Draft[] = [];
    for (const h of snap.objects.horizontalpodautoscaler) {
      const ns = h.metadata?.namespace;
      const name = h.metadata?.name ?? '';
      const self = snap.ref('horizontalpodautoscaler', ns, name);
      const ref = h.spec?.scaleTargetRef;
      const target = ref ? `${ref.kind}/${ref.name}` : '?';
      const kind = ref?.kind.toLowerCase();
      const obj =
        kind === 'deployment' || kind === 'statefulset' || kind === 'replicaset'
          ? snap.find(kind, ns, ref?.name ?? '')
          : undefined;
      const base = { resource: self, related: [self, ...(ref && kind ? [snap.ref(kind, ns, ref.name)] : [])] };
      if (!ref || !SCALABLE.includes(ref.kind) || !obj) {
        out.push({
          ...base,
          pattern: 'hpa.missing_target',
          severity: 'warning',
          confidence: 'high',
          vars: { hpa: name, target, problem: ref && !SCALABLE.includes(ref.kind) ? 'not scalable' : 'not found' },
          evidence: [specEvidence(self, 'spec.scaleTargetRef', target)],
        });
        continue;
      }
      const resources = (h.spec?.metrics ?? [])
        .map((m) => m.resource?.name)
        .filter((x): x is string => x !== undefined);
      const containers = obj.spec?.template?.spec?.containers ?? [];
      const lacking = resources.filter((r) => containers.some((c) => c.resources?.requests?.[r] === undefined));
      if (lacking.length > 0) {
        out.push({
          ...base,
          pattern: 'hpa.missing_requests',
          severity: 'warning',
          confidence: 'high',
          vars: {
            hpa: name,
            target,
            resource: lacking.join(', '),
            containers: containers
              .filter((c) => lacking.some((r) => c.resources?.requests?.[r] === undefined))
              .map((c) => c.name)
              .join(', '),
          },
          evidence: [
            specEvidence(snap.ref(kind ?? '', ns, ref.name), `resources.requests.${lacking.join('/')}`, '(unset)'),
          ],
        });
        continue;
      }
      for (const c of h.status?.conditions ?? []) {
        if (c.type === 'ScalingActive' && c.status === 'False')
          out.push({
            ...base,
            pattern: 'hpa.metrics_unavailable',
            severity: 'warning',
            confidence: 'medium',
            vars: { hpa: name, target, reason: c.reason ?? '', message: c.message ?? '' },
            evidence: [statusEvidence(self, 'condition ScalingActive', c.reason ?? 'False', { message: c.message })],
            symptom: true,
          });
        if (c.type === 'ScalingLimited' && c.status === 'True' && c.reason === 'TooManyReplicas')
          out.push({
            ...base,
            pattern: 'hpa.scaling_limited',
            severity: 'warning',
            confidence: 'high',
            vars: { hpa: name, target, max: h.spec?.maxReplicas ?? 0, message: c.message ?? '' },
            facts: { max: String(h.spec?.maxReplicas ?? 0) },
            evidence: [
              statusEvidence(self, 'condition ScalingLimited', 'TooManyReplicas', { message: c.message }),
              specEvidence(self, 'spec.maxReplicas', String(h.spec?.maxReplicas ?? 0)),
            ],
          });
      }
    }
    return out;
  },
};
