/**
 * Services with a selector and no ready endpoints. A selector that matches no pod is a cause (naming the
 * labels the pods nearby do have); pods that match but are not ready are a symptom of those pods' findings.
 */
import { type Analyzer, type Draft, formatLabels, specEvidence, statusEvidence } from '../analyzer.js';

export const serviceAnalyzer: Analyzer = {
  kind: 'service',
  analyze(snap) {
    const out: Draft[] = [];
    for (const s of snap.objects.service) {
      const ns = s.metadata?.namespace;
      const name = s.metadata?.name ?? '';
      const selector = s.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || s.spec?.type === 'ExternalName') continue;
      const self = snap.ref('service', ns, name);
      const ep = snap.find('endpoints', ns, name);
      const ready = (ep?.subsets ?? []).reduce((n, x) => n + (x.addresses?.length ?? 0), 0);
      const notReady = (ep?.subsets ?? []).flatMap((x) => x.notReadyAddresses ?? []);
      if (ready > 0) continue;
      const pods = snap.podsMatching(ns, selector);
      const sel = formatLabels(selector);
      const ports = (s.spec?.ports ?? []).map((p) => `${p.port}→${p.targetPort ?? p.port}`).join(', ');
      if (pods.length === 0) {
        const keys = Object.keys(selector);
        const near = snap.objects.pod.filter(
          (p) => p.metadata?.namespace === ns && keys.some((k) => p.metadata?.labels?.[k] !== undefined),
        );
        const have = [
          ...new Set(
            near.map((p) =>
              keys
                .map((k) => `${k}=${p.metadata?.labels?.[k] ?? ''}`)
                .filter((x) => !x.endsWith('='))
                .join(','),
            ),
          ),
        ]
          .slice(0, 5)
          .join('; ');
        out.push({
          pattern: 'service.no_endpoints',
          resource: self,
          severity: 'critical',
          confidence: 'high',
          vars: { service: name, selector: sel, have: have || '-', ports },
          evidence: [
            specEvidence(self, 'spec.selector', sel),
            statusEvidence(snap.ref('endpoints', ns, name), 'subsets', 'NoEndpoints', {
              message: `0 pods match ${sel}`,
            }),
            ...(have ? [specEvidence(self, `pods' labels (${keys.join(',')})`, have)] : []),
          ],
          related: [self],
          facts: { selectorMismatch: 'true' },
        });
        continue;
      }
      const podRefs = pods.map((p) => snap.ref('pod', ns, p.metadata?.name ?? ''));
      out.push({
        pattern: 'service.not_ready_endpoints',
        resource: self,
        severity: 'critical',
        confidence: 'medium',
        vars: { service: name, selector: sel, have: '-', ports, pods: pods.length, notReady: notReady.length },
        evidence: [
          specEvidence(self, 'spec.selector', sel),
          statusEvidence(
            snap.ref('endpoints', ns, name),
            'subsets',
            notReady.length ? 'NotReadyAddresses' : 'NoEndpoints',
            {
              message: `${pods.length} pod(s) match ${sel}, none ready`,
            },
          ),
        ],
        related: [self, ...podRefs],
        symptom: true,
      });
    }
    return out;
  },
};
