/**
 * From drafts to causes: drafts of one pattern on one resource collapse into one group (ten crash-looping
 * pods of a deployment are one finding, the pods listed as affected); symptoms fold under the cause they
 * share an object with (a Service without endpoints under its pods' crash loop, evicted pods under the node's
 * DiskPressure); causes rank before symptoms, then by severity, confidence and how much they affect.
 */
import type { ResourceRef } from '../shared/resource-ref.js';
import { type Draft, refKey, type Vars } from './analyzer.js';
import type { Confidence, Evidence, PatternId, Severity } from './finding.js';

export interface Group {
  id: string;
  pattern: PatternId;
  resource: ResourceRef;
  severity: Severity;
  confidence: Confidence;
  vars: Vars;
  evidence: Evidence[];
  related: Map<string, ResourceRef>;
  subjects: ResourceRef[];
  symptom: boolean;
  logs: Draft['logs'];
  facts: Record<string, string>;
  folded: Group[];
}

const SEVERITY: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const CONFIDENCE: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

export function collapse(drafts: readonly Draft[]): Group[] {
  const groups = new Map<string, Group>();
  for (const d of drafts) {
    const id = `${d.pattern}:${refKey(d.resource)}`;
    const subject = d.subject ?? d.resource;
    let g = groups.get(id);
    if (!g) {
      g = {
        id,
        pattern: d.pattern,
        resource: d.resource,
        severity: d.severity,
        confidence: d.confidence,
        vars: d.vars,
        evidence: d.evidence,
        related: new Map(),
        subjects: [],
        symptom: d.symptom === true,
        logs: d.logs,
        facts: d.facts ?? {},
        folded: [],
      };
      groups.set(id, g);
    } else {
      if (SEVERITY[d.severity] < SEVERITY[g.severity]) g.severity = d.severity;
      g.symptom = g.symptom && d.symptom === true;
    }
    for (const a of [subject, ...(d.affects ?? [])])
      if (!g.subjects.some((s) => refKey(s) === refKey(a))) g.subjects.push(a);
    for (const r of d.related) g.related.set(refKey(r), r);
  }
  return [...groups.values()];
}

export function compareGroups(a: Group, b: Group): number {
  return (
    Number(a.symptom) - Number(b.symptom) ||
    Number(a.pattern === 'workload.inconclusive') - Number(b.pattern === 'workload.inconclusive') ||
    SEVERITY[a.severity] - SEVERITY[b.severity] ||
    CONFIDENCE[a.confidence] - CONFIDENCE[b.confidence] ||
    b.subjects.length - a.subjects.length ||
    a.id.localeCompare(b.id)
  );
}

function overlaps(a: Group, b: Group): boolean {
  for (const k of a.related.keys()) if (b.related.has(k)) return true;
  return false;
}

/** Folds each symptom under the best-ranked group it shares an object with (causes first); returns the top level. */
export function fold(groups: readonly Group[]): Group[] {
  const ranked = [...groups].sort(compareGroups);
  const top: Group[] = [];
  const parentOf = new Map<Group, Group>();
  for (const g of ranked) {
    if (!g.symptom) {
      top.push(g);
      continue;
    }
    const parent = ranked.find((p) => p !== g && !parentOf.has(p) && compareGroups(p, g) < 0 && overlaps(p, g));
    if (parent) {
      parent.folded.push(g);
      parentOf.set(g, parent);
      // What the symptom touches is explained by the parent too (a Service's pods, a deployment's pods).
      for (const [k, r] of g.related) if (!parent.related.has(k)) parent.related.set(k, r);
    } else top.push(g);
  }
  return top.sort(compareGroups);
}
