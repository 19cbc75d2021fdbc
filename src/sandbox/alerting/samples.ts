/**
 * Reading Prometheus text exposition (0.0.4) back into samples, and the small vector operations the in-process
 * rules need over a short history of scrapes (max_over_time, changes, increase).
 */
export type Labels = Record<string, string>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;

export function parseExposition(text: string, extra: Labels = {}): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Labels = { ...extra };
    for (const p of (m[2] ?? '').matchAll(PAIR))
      labels[p[1] as string] = (p[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/** A canonical key of a label set (sorted), for joins across scrapes. */
export function labelKey(labels: Labels, only?: readonly string[]): string {
  const keys = (only ?? Object.keys(labels)).filter((k) => labels[k] !== undefined).sort();
  return keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
}

/** One scrape, indexed by metric name. */
export class Scrape {
  private readonly byName = new Map<string, Sample[]>();

  constructor(
    readonly at: number,
    samples: Sample[],
  ) {
    for (const s of samples) {
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
    }
  }

  select(name: string, match: (l: Labels) => boolean = () => true): Sample[] {
    return (this.byName.get(name) ?? []).filter((s) => match(s.labels));
  }

  /** Series of `name` keyed by the labels `on` (all labels when omitted). */
  keyed(name: string, match?: (l: Labels) => boolean, on?: readonly string[]): Map<string, Sample> {
    return new Map(this.select(name, match).map((s) => [labelKey(s.labels, on), s]));
  }
}

/** The scrapes of the last few minutes, newest last. */
export class History {
  private readonly scrapes: Scrape[] = [];

  constructor(private readonly keepMs: number) {}

  push(s: Scrape): void {
    this.scrapes.push(s);
    while (this.scrapes.length > 1 && (this.scrapes[0]?.at ?? 0) < s.at - this.keepMs) this.scrapes.shift();
  }

  get latest(): Scrape | undefined {
    return this.scrapes.at(-1);
  }

  window(ms: number): Scrape[] {
    const end = this.latest?.at ?? 0;
    return this.scrapes.filter((s) => s.at >= end - ms);
  }

  /** max_over_time(name[ms]) per series. */
  maxOverTime(name: string, ms: number, match?: (l: Labels) => boolean): Map<string, Sample> {
    const out = new Map<string, Sample>();
    for (const scrape of this.window(ms))
      for (const s of scrape.select(name, match)) {
        const k = labelKey(s.labels);
        const prev = out.get(k);
        if (!prev || s.value > prev.value) out.set(k, s);
      }
    return out;
  }

  /** changes(name[ms]) per series present in the latest scrape. */
  changes(name: string, ms: number, match?: (l: Labels) => boolean): Map<string, number> {
    const seen = new Map<string, { last: number; changes: number }>();
    for (const scrape of this.window(ms))
      for (const s of scrape.select(name, match)) {
        const k = labelKey(s.labels);
        const p = seen.get(k);
        if (!p) seen.set(k, { last: s.value, changes: 0 });
        else if (p.last !== s.value) seen.set(k, { last: s.value, changes: p.changes + 1 });
      }
    return new Map([...seen].map(([k, v]) => [k, v.changes]));
  }

  /** increase(name[ms]) per series (counter resets taken as restarts from zero). */
  increase(name: string, ms: number, match?: (l: Labels) => boolean): Map<string, { labels: Labels; value: number }> {
    const acc = new Map<string, { labels: Labels; last: number; total: number; points: number }>();
    for (const scrape of this.window(ms))
      for (const s of scrape.select(name, match)) {
        const k = labelKey(s.labels);
        const p = acc.get(k);
        if (!p) acc.set(k, { labels: s.labels, last: s.value, total: 0, points: 1 });
        else {
          p.total += s.value >= p.last ? s.value - p.last : s.value;
          p.last = s.value;
          p.points++;
        }
      }
    return new Map(
      [...acc].filter(([, v]) => v.points >= 2).map(([k, v]) => [k, { labels: v.labels, value: v.total }]),
    );
  }
}
