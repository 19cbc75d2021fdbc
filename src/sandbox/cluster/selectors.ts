import { badRequest } from './status.js';

/** One parsed term of a label or field selector. */
export type SelectorTerm =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

/** Splits on commas that are not inside `( … )`. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

const SET = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ = /^([^\s!=()]+)\s*(==|!=|=)\s*([^\s!=()]*)$/;
const EXISTS = /^(!?)([^\s!=()]+)$/;

/** Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`). */
export function parseLabelSelector(text: string): SelectorTerm[] {
  return splitTerms(text).map((term) => {
    const set = SET.exec(term);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { op: set[2] === 'in' ? 'in' : 'notin', key: set[1] ?? '', values };
    }
    const eq = EQ.exec(term);
    if (eq) return { op: eq[2] === '!=' ? 'neq' : 'eq', key: eq[1] ?? '', value: eq[3] ?? '' };
    const ex = EXISTS.exec(term);
    if (ex) return { op: ex[1] === '!' ? 'notexists' : 'exists', key: ex[2] ?? '' };
    throw badRequest(`unable to parse requirement: invalid label selector "${term}"`);
  });
}

/** Parses a field selector (`metadata.name=x,status.phase!=Running`). */
export function parseFieldSelector(text: string): SelectorTerm[] {
  return splitTerms(text).map((term) => {
    const eq = EQ.exec(term);
    if (!eq) throw badRequest(`invalid field selector "${term}"`);
    return { op: eq[2] === '!=' ? 'neq' : 'eq', key: eq[1] ?? '', value: eq[3] ?? '' };
  });
}

export function matchTerms(terms: SelectorTerm[], lookup: (key: string) => string | undefined): boolean {
  return terms.every((t) => {
    const v = lookup(t.key);
    switch (t.op) {
      case 'eq':
        return v === t.value;
      case 'neq':
        return v !== t.value;
      case 'in':
        return v !== undefined && t.values.includes(v);
      case 'notin':
        return v === undefined || !t.values.includes(v);
      case 'exists':
        return v !== undefined;
      case 'notexists':
        return v === undefined;
      default: {
        const never: never = t;
        return never;
      }
    }
  });
}

/** Reads a dotted path (`spec.nodeName`, `involvedObject.kind`) as the apiserver's field selectors do. */
export function fieldValue(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Compiles both selectors once into a predicate over objects with `metadata.labels`. */
export function compileSelector(selector?: {
  labels?: string;
  fields?: string;
}): (obj: { metadata: { labels?: Record<string, string> } }) => boolean {
  const labels = selector?.labels ? parseLabelSelector(selector.labels) : [];
  const fields = selector?.fields ? parseFieldSelector(selector.fields) : [];
  if (labels.length === 0 && fields.length === 0) return () => true;
  return (obj) => matchTerms(labels, (k) => obj.metadata.labels?.[k]) && matchTerms(fields, (k) => fieldValue(obj, k));
}
