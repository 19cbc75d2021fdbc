/**
 * NetworkPolicies that cut a Service off. Policies are additive: a pod selected by any Ingress policy accepts
 * only what the union of those policies' rules allows. So for each Service's pods: selected by policies with no
 * ingress rule at all (a default deny with nothing allowing) → every connection is dropped; rules whose only
 * peers are same-namespace pod selectors that match no pod → nothing can reach them either. A rule with an
 * empty `from`, a namespaceSelector or an ipBlock admits callers this snapshot cannot see, so it is left alone.
 * A policy whose selector matches no pod is applied to nothing (k8sgpt's "not applied to any pods").
 */
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyIngressRule, V1Pod } from '@kubernetes/client-node';
import type { ResourceRef } from '../../shared/resource-ref.js';
import { type Analyzer, type Draft, formatLabels, refKey, specEvidence } from '../analyzer.js';
import { matches, type Snapshot } from '../snapshot.js';

const isEmpty = (s: V1LabelSelector | undefined) =>
  Object.keys(s?.matchLabels ?? {}).length === 0 && (s?.matchExpressions ?? []).length === 0;

/** A podSelector as the API means it: empty selects every pod of the namespace. */
function selects(s: V1LabelSelector | undefined, p: V1Pod): boolean {
  return isEmpty(s) || matches(s as V1LabelSelector, p.metadata?.labels ?? {});
}

const governsIngress = (np: V1NetworkPolicy) =>
  (np.spec?.policyTypes ?? []).length === 0 ? true : (np.spec?.policyTypes ?? []).includes('Ingress');

/** Whether a rule admits some caller: any source, other namespaces or IP blocks, or a pod that exists. */
function admitsSomeone(rule: V1NetworkPolicyIngressRule, nsPods: readonly V1Pod[]): boolean {
  const from = rule._from ?? [];
  if (from.length === 0) return true;
  return from.some(
    (peer) =>
      peer.ipBlock !== undefined ||
      peer.namespaceSelector !== undefined ||
      nsPods.some((p) => selects(peer.podSelector, p)),
  );
}

const selectorText = (s: V1LabelSelector | undefined) => (isEmpty(s) ? '(all pods)' : formatLabels(s?.matchLabels));

export const networkPolicyAnalyzer: Analyzer = {
  kind: 'networkpolicy',
  analyze(snap) {
    const out: Draft[] = [];
    const policies = snap.objects.networkpolicy;
    if (policies.length === 0) return out;
    for (const np of policies) {
      const ns = np.metadata?.namespace;
      const sel = np.spec?.podSelector;
      if (isEmpty(sel)) continue;
      if (snap.objects.pod.some((p) => p.metadata?.namespace === ns && selects(sel, p))) continue;
      const self = snap.ref('networkpolicy', ns, np.metadata?.name ?? '');
      out.push({
        pattern: 'networkpolicy.no_pods',
        resource: self,
        severity: 'info',
        confidence: 'high',
        vars: { policy: np.metadata?.name ?? '', selector: selectorText(sel) },
        evidence: [specEvidence(self, 'spec.podSelector', selectorText(sel))],
        related: [self],
      });
    }
    // One finding per cause: Services cut off by the same policies are one finding on the (first) policy.
    const byCause = new Map<string, Draft>();
    for (const svc of snap.objects.service)
      for (const d of serviceDrafts(snap, svc, policies)) {
        const key = `${d.pattern}:${refKey(d.resource)}`;
        const known = byCause.get(key);
        if (!known) {
          byCause.set(key, d);
          continue;
        }
        known.vars = { ...known.vars, services: `${known.vars.services}, ${d.vars.services}` };
        known.vars.pods = Number(known.vars.pods) + Number(d.vars.pods);
        known.affects = [...(known.affects ?? []), ...(d.affects ?? [])];
        known.related = [...known.related, ...d.related];
        known.evidence = [...known.evidence, ...d.evidence.filter((e) => e.source !== known.evidence[0]?.source)];
      }
    out.push(...byCause.values());
    return out;
  },
};

function serviceDrafts(snap: Snapshot, svc: Snapshot['objects']['service'][number], all: V1NetworkPolicy[]): Draft[] {
  const ns = svc.metadata?.namespace;
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const nsPods = snap.objects.pod.filter((p) => p.metadata?.namespace === ns && p.status?.phase === 'Running');
  const backing = snap.podsMatching(ns, selector).filter((p) => p.status?.phase === 'Running');
  if (backing.length === 0) return [];
  const nsPolicies = all.filter((np) => np.metadata?.namespace === ns && governsIngress(np));
  const governing = new Map<string, V1NetworkPolicy>();
  for (const p of backing) {
    const mine = nsPolicies.filter((np) => selects(np.spec?.podSelector, p));
    if (mine.length === 0) return []; // an unselected pod accepts everything
    if (mine.flatMap((np) => np.spec?.ingress ?? []).some((r) => admitsSomeone(r, nsPods))) return [];
    for (const np of mine) governing.set(np.metadata?.name ?? '', np);
  }
  const policies = [...governing.values()].sort((a, b) =>
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
  const rules = policies.flatMap((np) => np.spec?.ingress ?? []);
  const name = svc.metadata?.name ?? '';
  const self = snap.ref('service', ns, name);
  const refs: ResourceRef[] = policies.map((np) => snap.ref('networkpolicy', ns, np.metadata?.name ?? ''));
  const podRefs = backing.map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
  const owners = [...new Map(backing.map((p) => snap.ownerOf(p)).map((o) => [`${o.kind}/${o.name}`, o])).values()];
  const evidence = policies.map((np) =>
    specEvidence(
      snap.ref('networkpolicy', ns, np.metadata?.name ?? ''),
      'spec',
      `podSelector ${selectorText(np.spec?.podSelector)}; policyTypes ${(np.spec?.policyTypes ?? ['Ingress']).join(',')}; ingress ${
        (np.spec?.ingress ?? []).length === 0
          ? '[] (no rule)'
          : (np.spec?.ingress ?? [])
              .map((r) => (r._from ?? []).map((f) => `from podSelector ${selectorText(f.podSelector)}`).join(' | '))
              .join('; ')
      }`,
    ),
  );
  const [first] = refs;
  if (!first) return [];
  const base = {
    resource: first,
    subject: self,
    affects: podRefs,
    severity: 'critical' as const,
    confidence: 'high' as const,
    evidence: [
      ...evidence,
      specEvidence(self, 'spec.selector', formatLabels(selector)),
      specEvidence(
        self,
        'spec.ports',
        (svc.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(', '),
      ),
    ],
    related: [self, ...refs, ...podRefs, ...owners],
  };
  const common = {
    policies: policies.map((np) => np.metadata?.name ?? '').join(', '),
    services: name,
    pods: backing.length,
    examples: backing
      .slice(0, 3)
      .map((p) => p.metadata?.name ?? '')
      .join(', '),
    selector: policies.map((np) => selectorText(np.spec?.podSelector)).join('; '),
  };
  if (rules.length === 0) return [{ ...base, pattern: 'networkpolicy.deny_ingress', vars: common }];
  const peers = [...new Set(rules.flatMap((r) => (r._from ?? []).map((f) => selectorText(f.podSelector))))].join('; ');
  const have =
    [
      ...new Set(
        nsPods
          .filter((p) => !backing.includes(p))
          .map((p) => formatLabels(p.metadata?.labels))
          .filter((l) => l !== ''),
      ),
    ]
      .slice(0, 4)
      .join('; ') || '-';
  return [{ ...base, pattern: 'networkpolicy.no_allowed_peers', vars: { ...common, peers, have } }];
}
