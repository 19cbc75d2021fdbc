import type { K8sObject } from './store.js';
import { humanAge } from './time.js';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

/** How one kind prints: its columns and the cells of one object's row (`now` for AGE columns). */
export interface TablePrinter {
  columns: ColumnDefinition[];
  row: (obj: K8sObject, now: number) => Cell[];
}

export function col(
  name: string,
  type: ColumnDefinition['type'] = 'string',
  priority = 0,
  format = '',
): ColumnDefinition {
  return { name, type, format, description: name, priority };
}

export const NAME = col('Name', 'string', 0, 'name');
export const AGE = col('Age', 'string');

export function age(obj: K8sObject, now: number): string {
  return since(obj.metadata.creationTimestamp, now);
}

export function since(timestamp: unknown, now: number): string {
  const t = Date.parse(typeof timestamp === 'string' ? timestamp : '');
  return Number.isNaN(t) ? '<unknown>' : humanAge(now - t);
}

export type Rec = Record<string, unknown>;
export const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
export const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
export const str = (v: unknown, none = '<none>'): string =>
  v === undefined || v === null || v === '' ? none : String(v);

/** The label selector as kubectl prints it: `k=v` pairs and set-based expressions. */
export function selectorText(sel: unknown): string {
  const s = rec(sel);
  const labels = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  const exprs = list(s.matchExpressions).map((e) => {
    const values = Array.isArray(e.values) ? e.values.join(',') : '';
    switch (e.operator) {
      case 'In':
        return `${String(e.key)} in (${values})`;
      case 'NotIn':
        return `${String(e.key)} notin (${values})`;
      case 'DoesNotExist':
        return `!${String(e.key)}`;
      default:
        return String(e.key);
    }
  });
  const all = [...labels, ...exprs];
  return all.length > 0 ? all.join(',') : '<none>';
}

/** Names and images of a workload's pod template (or a CronJob's job template), comma-joined as kubectl prints them. */
export function containers(
  o: K8sObject,
  path: 'template' | 'jobTemplate' = 'template',
): { names: string; images: string } {
  const tpl = path === 'template' ? rec(rec(o.spec).template) : rec(rec(rec(rec(o.spec).jobTemplate).spec).template);
  const cs = list(rec(tpl.spec).containers);
  return { names: cs.map((c) => String(c.name)).join(','), images: cs.map((c) => String(c.image)).join(',') };
}

/** A number from an object's status/spec, 0 when absent (kubectl prints absent counts as 0). */
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The columns every workload table ends with: Age, then (wide) Containers, Images and Selector. */
export const WORKLOAD_TAIL: ColumnDefinition[] = [
  AGE,
  col('Containers', 'string', 1),
  col('Images', 'string', 1),
  col('Selector', 'string', 1),
];

/** The cells of `WORKLOAD_TAIL` for a workload (or, with `jobTemplate`, a CronJob). */
export function workloadTail(o: K8sObject, now: number, path: 'template' | 'jobTemplate' = 'template'): Cell[] {
  const c = containers(o, path);
  const spec = path === 'template' ? rec(o.spec) : rec(rec(rec(o.spec).jobTemplate).spec);
  return [age(o, now), c.names, c.images, selectorText(spec.selector)];
}
