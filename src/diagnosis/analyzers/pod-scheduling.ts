/**
 * Why a Pending pod has no node: the scheduler's message decoded against the pod's spec and the nodes —
 * the nodeSelector no node carries (with the labels nodes do have), the taints it does not tolerate, the
 * resource it requests more of than any node has free (extended resources too), an unbound claim, or
 * scheduling gates.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { type Draft, eventEvidence, eventsWith, formatLabels, specEvidence, statusEvidence } from '../analyzer.js';
import { iso, type Snapshot } from '../snapshot.js';

export function schedulingDrafts(snap: Snapshot, pod: V1Pod): Draft[] {
  const ns = pod.metadata?.namespace;
  const name = pod.metadata?.name ?? '';
  const self = snap.ref('pod', ns, name);
  const owner = snap.ownerOf(pod);
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (!cond) return [];
  const related = [owner, self];
  if (cond.reason === 'SchedulingGated' || (pod.spec?.schedulingGates ?? []).length > 0) {
    const gates = (pod.spec?.schedulingGates ?? []).map((g) => g.name).join(', ') || '(unnamed)';
    return [
      {
        pattern: 'pod.scheduling_gated',
        resource: owner,
        subject: self,
        severity: 'warning',
        confidence: 'high',
        vars: { pod: name, gates },
        evidence: [
          statusEvidence(self, 'condition PodScheduled', 'SchedulingGated', { message: cond.message }),
          specEvidence(self, 'spec.schedulingGates', gates),
        ],
        related,
      },
    ];
  }
  if (cond.reason !== 'Unschedulable') return [];
  const message = cond.message ?? '';
  const evidence = [
    statusEvidence(self, 'condition PodScheduled', 'Unschedulable', {
      message,
      at: iso(cond.lastTransitionTime),
    }),
  ];
  const ev = eventsWith(snap, self, 'Pod', ['FailedScheduling'])[0];
  if (ev) evidence.push(eventEvidence(ev, self));
  const details: string[] = [];
  const facts: Record<string, string> = {};
  let symptom = false;
  if (/node affinity\/selector|node\(s\) didn't match/.test(message)) {
    const sel = pod.spec?.nodeSelector ?? {};
    const want = formatLabels(sel);
    if (want) {
      evidence.push(specEvidence(self, 'spec.nodeSelector', want));
      const have = [
        ...new Set(
          snap.objects.node
            .flatMap((n) =>
              Object.keys(sel).map((k) =>
                n.metadata?.labels?.[k] !== undefined ? `${k}=${n.metadata?.labels?.[k]}` : undefined,
              ),
            )
            .filter((x): x is string => x !== undefined),
        ),
      ];
      details.push(
        `nodeSelector ${want}; nodes have ${have.length ? have.join(', ') : `no ${Object.keys(sel).join('/')} label`}`,
      );
      facts.change = 'nodeSelector';
    } else details.push('node affinity matches no node');
  }
  for (const m of message.matchAll(/Insufficient ([A-Za-z0-9./-]*[A-Za-z0-9])/g)) {
    const resource = m[1] ?? '';
    const requested = (pod.spec?.containers ?? [])
      .map((c) => c.resources?.requests?.[resource])
      .filter((x): x is string => x !== undefined);
    const largest = snap.objects.node
      .map((n) => n.status?.allocatable?.[resource])
      .filter((x): x is string => x !== undefined)
      .sort()
      .at(-1);
    details.push(
      `Insufficient ${resource}: requests ${requested.join('+') || '?'}, nodes allocate ${largest ?? 'none'}`,
    );
    evidence.push(specEvidence(self, `resources.requests.${resource}`, requested.join('+') || '?'));
    facts.change = 'resources';
  }
  for (const m of message.matchAll(/untolerated taint\(s\)?[^,.]*|had untolerated taint \{([^}]*)\}/g)) {
    details.push(`untolerated taint ${m[1] ?? m[0]}`);
  }
  if (/unbound immediate PersistentVolumeClaims|persistentvolumeclaim .* not found/i.test(message)) {
    const claims = (pod.spec?.volumes ?? [])
      .map((v) => v.persistentVolumeClaim?.claimName)
      .filter((x): x is string => x !== undefined);
    for (const c of claims) related.push(snap.ref('persistentvolumeclaim', ns, c));
    details.push(`unbound PersistentVolumeClaim ${claims.join(', ')}`);
    symptom = true;
  }
  return [
    {
      pattern: 'pod.unschedulable',
      resource: owner,
      subject: self,
      severity: 'critical',
      confidence: details.length > 0 ? 'high' : 'medium',
      vars: { pod: name, message, detail: details.join('; ') || message },
      evidence,
      related,
      symptom,
      facts,
    },
  ];
}
