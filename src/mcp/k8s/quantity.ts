/** Kubernetes resource quantities as numbers: bytes for memory and storage, cores for CPU. */
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  n: 1e-9,
  u: 1e-6,
};

/** The value of a quantity such as 512Mi, 250m, 1.5 or 3e3; undefined when it is not one. */
export function parseQuantity(q: string | number | undefined | null): number | undefined {
  if (q === undefined || q === null) return undefined;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9]+(?:\.[0-9]+)?)(?:[eE]([+-]?[0-9]+))?(n|u|m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]) * 10 ** Number(m[2] ?? 0);
  return base * (SUFFIX[m[3] ?? ''] ?? 1);
}

/** Bytes for people: 1.5Gi, 512Mi. */
export function formatBytes(n: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${units[i]}`;
}

/** Cores for people: 250m, 1.5. */
export function formatCores(n: number): string {
  return n < 1 ? `${Math.round(n * 1000)}m` : `${Number(n.toFixed(2))}`;
}
