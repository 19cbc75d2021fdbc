/** Plain-text renderings of Prometheus results for people and the LLM (structured data travels beside). */
export type Labels = Record<string, string>;
export type Sample = [number, string];
export interface VectorItem {
  metric: Labels;
  value: Sample;
}
export interface MatrixItem {
  metric: Labels;
  values: Sample[];
}

export function seriesName(metric: Labels): string {
  const { __name__: name, ...rest } = metric;
  const labels = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name ?? ''}{${labels}}`;
}

export function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

export function renderVector(items: VectorItem[]): string {
  return items.map((i) => `${seriesName(i.metric)} ${i.value[1]}`).join('\n');
}

export function renderMatrix(items: MatrixItem[]): string {
  return items
    .map((i) => {
      const nums = i.values.map((v) => Number(v[1]));
      const first = i.values[0];
      const last = i.values[i.values.length - 1];
      if (!first || !last) return `${seriesName(i.metric)} (no points)`;
      return (
        `${seriesName(i.metric)}: ${i.values.length} points ${iso(first[0])} → ${iso(last[0])}; ` +
        `first ${first[1]}, last ${last[1]}, min ${Math.min(...nums)}, max ${Math.max(...nums)}`
      );
    })
    .join('\n');
}
