/**
 * The rule manager: every evaluation period it scrapes the cluster's series, evaluates each rule and moves its
 * alerts through pending → firing (after the shortened `for:`) → resolved, as Prometheus does. Firing and
 * just-resolved alerts go to the dispatcher with their real labels and annotations.
 */
import { fingerprint } from '../demo/alertmanager.js';
import { renderAnnotation } from './annotations.js';
import { evaluatorFor } from './evaluate.js';
import { KUBE_PROMETHEUS_RULES, type KubePrometheusRule } from './kube-prometheus-rules.js';
import { History, type Labels, type Sample, Scrape } from './samples.js';
import { type AlertTiming, shortFor, shortRange } from './timing.js';

export interface EngineAlert {
  labels: Labels;
  annotations: Labels;
  status: 'firing' | 'resolved';
  startsAt: Date;
  endsAt?: Date;
  fingerprint: string;
}

interface Active {
  labels: Labels;
  activeAt: number;
  firing: boolean;
  /** When it went from pending to firing (Prometheus's FiredAt, sent as startsAt). */
  firedAt: number;
  value: number;
}

export interface RuleEngineOptions {
  scrape: () => Sample[];
  timing: AlertTiming;
  now?: () => number;
  rules?: readonly KubePrometheusRule[];
}

export class RuleEngine {
  private readonly history: History;
  private readonly active = new Map<string, Map<string, Active>>();
  private readonly now: () => number;
  private readonly rules: readonly KubePrometheusRule[];

  constructor(private readonly opts: RuleEngineOptions) {
    this.now = opts.now ?? Date.now;
    this.rules = opts.rules ?? KUBE_PROMETHEUS_RULES;
    // Keep the longest window any rule reads (6h shortened), plus a margin.
    this.history = new History(shortRange(6 * 3_600_000, opts.timing) + 10 * opts.timing.evalMs);
  }

  /** Scrapes once, evaluates every rule; returns the alerts to hand to Alertmanager (firing, and newly resolved). */
  evaluate(): EngineAlert[] {
    const now = this.now();
    const latest = new Scrape(now, this.opts.scrape());
    this.history.push(latest);
    const out: EngineAlert[] = [];
    for (const rule of this.rules) {
      const evaluator = evaluatorFor(rule.name, rule.severity);
      if (!evaluator) continue;
      const id = `${rule.name}/${rule.severity}`;
      const state = this.active.get(id) ?? new Map<string, Active>();
      this.active.set(id, state);
      const holdFor = shortFor(rule.for, this.opts.timing);
      const seen = new Set<string>();
      const instances = evaluator({
        history: this.history,
        latest,
        range: (ms) => shortRange(ms, this.opts.timing),
      });
      for (const inst of instances) {
        const labels: Labels = { ...inst.labels, alertname: rule.name, severity: rule.severity };
        const fp = fingerprint(labels);
        seen.add(fp);
        const prev = state.get(fp);
        const a: Active = prev ?? { labels, activeAt: now, firing: false, firedAt: 0, value: inst.value };
        a.value = inst.value;
        if (!a.firing && now - a.activeAt >= holdFor) {
          a.firing = true;
          a.firedAt = now;
        }
        state.set(fp, a);
        if (a.firing) out.push(this.toAlert(rule, a, fp, 'firing', now));
      }
      for (const [fp, a] of state) {
        if (seen.has(fp)) continue;
        state.delete(fp);
        if (a.firing) out.push(this.toAlert(rule, a, fp, 'resolved', now));
      }
    }
    return out;
  }

  /** Alerts currently pending or firing, by rule (for the page and tests). */
  states(): { alertname: string; labels: Labels; state: 'pending' | 'firing'; activeAt: number }[] {
    return [...this.active.values()].flatMap((m) =>
      [...m.values()].map((a) => ({
        alertname: a.labels.alertname ?? '',
        labels: a.labels,
        state: a.firing ? ('firing' as const) : ('pending' as const),
        activeAt: a.activeAt,
      })),
    );
  }

  private toAlert(
    rule: KubePrometheusRule,
    a: Active,
    fp: string,
    status: 'firing' | 'resolved',
    now: number,
  ): EngineAlert {
    return {
      labels: a.labels,
      annotations: {
        description: renderAnnotation(rule.description, a.labels, a.value),
        runbook_url: rule.runbook_url,
        summary: rule.summary,
      },
      status,
      startsAt: new Date(a.firedAt),
      ...(status === 'resolved' ? { endsAt: new Date(now) } : {}),
      fingerprint: fp,
    };
  }
}
