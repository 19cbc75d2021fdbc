/** Ingresses: no class, a backend Service or a TLS Secret that does not exist. */
import { type Analyzer, type Draft, specEvidence } from '../analyzer.js';

export const ingressAnalyzer: Analyzer = {
  kind: 'ingress',
  analyze(snap) {
    const out: Draft[] = [];
    for (const i of snap.objects.ingress) {
      const ns = i.metadata?.namespace;
      const name = i.metadata?.name ?? '';
      const self = snap.ref('ingress', ns, name);
      if (!i.spec?.ingressClassName && !i.metadata?.annotations?.['kubernetes.io/ingress.class'])
        out.push({
          pattern: 'ingress.no_class',
          resource: self,
          severity: 'info',
          confidence: 'medium',
          vars: { ingress: name },
          evidence: [specEvidence(self, 'spec.ingressClassName', '(unset)')],
          related: [self],
        });
      const backends = [
        ...(i.spec?.defaultBackend?.service ? [i.spec.defaultBackend.service] : []),
        ...(i.spec?.rules ?? []).flatMap((r) =>
          (r.http?.paths ?? []).map((p) => p.backend.service).filter((s) => s !== undefined),
        ),
      ];
      for (const svc of new Map(backends.map((b) => [b.name, b])).values())
        if (!snap.find('service', ns, svc.name))
          out.push({
            pattern: 'ingress.missing_backend',
            resource: self,
            severity: 'critical',
            confidence: 'high',
            vars: { ingress: name, service: svc.name, port: String(svc.port?.number ?? svc.port?.name ?? '') },
            evidence: [
              specEvidence(self, 'backend.service', `${svc.name}:${svc.port?.number ?? svc.port?.name ?? ''}`),
            ],
            related: [self, snap.ref('service', ns, svc.name)],
          });
      for (const tls of i.spec?.tls ?? [])
        if (tls.secretName && !snap.find('secret', ns, tls.secretName))
          out.push({
            pattern: 'ingress.missing_tls_secret',
            resource: self,
            severity: 'warning',
            confidence: 'high',
            vars: { ingress: name, secret: tls.secretName, hosts: (tls.hosts ?? []).join(', ') },
            evidence: [specEvidence(self, 'spec.tls.secretName', tls.secretName)],
            related: [self, snap.ref('secret', ns, tls.secretName)],
          });
    }
    return out;
  },
};
