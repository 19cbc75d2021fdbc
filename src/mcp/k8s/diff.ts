/** What a write changes: the differing leaves between an object before and after (or after a dry run). */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

const IGNORED = new Set([
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.uid',
  'metadata.creationTimestamp',
  'status',
]);

export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (IGNORED.has(path)) return [];
  // a map that appears or disappears is shown leaf by leaf
  if (isObj(before) && after == null) return diff(before, {}, path);
  if (before == null && isObj(after)) return diff({}, after, path);
  if (isObj(before) && isObj(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => diff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = (a: unknown[]) => a.every((x) => isObj(x) && typeof x.name === 'string');
    if (named(before) && named(after)) {
      const byName = (a: unknown[], n: string) => a.find((x) => (x as { name: string }).name === n);
      const names = new Set([...before, ...after].map((x) => (x as { name: string }).name));
      return [...names].flatMap((n) => diff(byName(before, n), byName(after, n), `${path}[${n}]`));
    }
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => diff(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(normal(before)) === JSON.stringify(normal(after))) return [];
  return [{ path, from: before ?? null, to: after ?? null }];
}

function normal(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

export function renderChanges(what: string, changes: Change[], dryRun: boolean): string {
  const head = `${dryRun ? 'dry run — would change' : 'changed'} ${what}`;
  if (changes.length === 0) return `${head}: nothing (already in that state)`;
  return [`${head}:`, ...changes.map((c) => `  ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`)].join(
    '\n',
  );
}
