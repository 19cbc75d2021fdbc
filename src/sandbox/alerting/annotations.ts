/**
 * The subset of Prometheus's alert templating that kube-prometheus's annotations use: `{{ $labels.x }}`,
 * `{{ $value }}`, `{{ $value | humanizePercentage }}`, `{{ with $labels.x -}} … {{ . }} … {{- end }}` and the
 * whitespace-trimming markers.
 */
import type { Labels } from './samples.js';

export function humanizePercentage(v: number): string {
  const pct = v * 100;
  const text = Number.isInteger(pct) ? String(pct) : pct.toPrecision(4).replace(/\.?0+$/, '');
  return `${text}%`;
}

export function renderAnnotation(template: string, labels: Labels, value: number): string {
  // Trim markers first: `{{-` eats whitespace before, `-}}` after.
  let t = template.replace(/\s*\{\{-\s*/g, '{{ ').replace(/\s*-\}\}\s*/g, ' }}');
  t = t.replace(
    /\{\{\s*with\s+\$labels\.([a-zA-Z_]\w*)\s*\}\}(.*?)\{\{\s*end\s*\}\}/gs,
    (_, name: string, body: string) => {
      const v = labels[name];
      return v ? body.replace(/\{\{\s*\.\s*\}\}/g, v) : '';
    },
  );
  t = t.replace(/\{\{\s*\$value\s*\|\s*humanizePercentage\s*\}\}/g, humanizePercentage(value));
  t = t.replace(/\{\{\s*\$value\s*\}\}/g, String(value));
  t = t.replace(/\{\{\s*\$labels\.([a-zA-Z_]\w*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  return t;
}
