export type Labels = Record<string, string>;

/** Prometheus text exposition (0.0.4): one HELP/TYPE per family, samples grouped under it. */
export class Exposition {
  private readonly families = new Map<string, { type: string; help: string; lines: string[] }>();

  add(name: string, type: 'gauge' | 'counter', help: string, labels: Labels, value: number): void {
    let f = this.families.get(name);
    if (!f) {
      f = { type, help, lines: [] };
      this.families.set(name, f);
    }
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
    f.lines.push(`${name}{${l}} ${Number.isFinite(value) ? value : 0}`);
  }

  render(): string {
    let out = '';
    for (const [name, f] of this.families)
      out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`;
    return out;
  }
}

export interface MetricsOptions {
  /** Resource use of a running container's image (cores, bytes), for cAdvisor-style usage series. */
  usage?: (image: string) => { cpuCores: number; memoryBytes: number };
  now?: number;
}

export const PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'];
export const POD_REASONS = ['Evicted', 'NodeAffinity', 'NodeLost', 'Shutdown', 'UnexpectedAdmissionError'];
export const b = (x: boolean) => (x ? 1 : 0);
export const secs = (ts: string | undefined) => (ts ? Date.parse(ts) / 1000 : 0);

export function tri(m: Exposition, name: string, help: string, base: Labels, status: string | undefined): void {
  for (const s of ['true', 'false', 'unknown'])
    m.add(name, 'gauge', help, { ...base, status: s }, b((status ?? 'Unknown').toLowerCase() === s));
}
