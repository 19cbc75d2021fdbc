/*
 * Card `chart` elements for the sandbox page. Feishu charts carry a VChart spec (`type`, `data.values`, `xField`,
 * `yField`, `seriesField`); line, area and bar charts become a small inline SVG, anything else a table of its
 * values. Pure functions of their input; all text is escaped.
 *
 * A classic script (defines `globalThis.SandboxCharts`); needs `SandboxMarkdown` (markdown.js) loaded first.
 */
(function install(root) {
  const { esc } = root.SandboxMarkdown;
  const PALETTE = ['#3370ff', '#f54a45', '#34c724', '#ff8800', '#7f3bf5', '#14c0ff', '#ffc60a', '#8f959e'];
  const W = 520;
  const H = 220;
  const PAD = { left: 48, right: 12, top: 12, bottom: 34 };

  function valuesOf(spec) {
    const data = spec?.data;
    const sets = Array.isArray(data) ? data : data ? [data] : [];
    return sets.flatMap((d) => (Array.isArray(d?.values) ? d.values : [])).filter((v) => v && typeof v === 'object');
  }

  const first = (f) => (Array.isArray(f) ? f[0] : f);
  const unique = (list) => [...new Set(list)];

  function fmt(n) {
    const a = Math.abs(n);
    if (a >= 1e9) return `${Number((n / 1e9).toFixed(1))}G`;
    if (a >= 1e6) return `${Number((n / 1e6).toFixed(1))}M`;
    if (a >= 1e4) return `${Number((n / 1e3).toFixed(1))}k`;
    return String(Number(n.toFixed(2)));
  }

  function niceStep(range) {
    const raw = range / 4 || 1;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  }

  function svgChart(type, values, x, y, seriesField) {
    const cats = unique(values.map((v) => String(v[x] ?? '')));
    const names = seriesField ? unique(values.map((v) => String(v[seriesField] ?? ''))) : [''];
    const table = new Map(names.map((n) => [n, new Map()]));
    for (const v of values) {
      const n = Number(v[y]);
      if (Number.isFinite(n)) table.get(seriesField ? String(v[seriesField] ?? '') : '').set(String(v[x] ?? ''), n);
    }
    const ys = [...table.values()].flatMap((m) => [...m.values()]);
    if (ys.length === 0) return valueTable(values);
    const step = niceStep(Math.max(...ys, 0) - Math.min(...ys, 0));
    const lo = Math.floor(Math.min(...ys, 0) / step) * step;
    const hi = Math.max(Math.ceil(Math.max(...ys, 0) / step) * step, lo + step);
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;
    const band = plotW / cats.length;
    const sx = (i) => PAD.left + band * (i + 0.5);
    const sy = (v) => PAD.top + plotH * (1 - (v - lo) / (hi - lo));

    const parts = [];
    for (let t = lo; t <= hi + step / 2; t += step) {
      parts.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(t)}" y2="${sy(t)}"/>`);
      parts.push(`<text class="ylab" x="${PAD.left - 6}" y="${sy(t) + 4}" text-anchor="end">${esc(fmt(t))}</text>`);
    }
    const every = Math.ceil(cats.length / 6);
    cats.forEach((c, i) => {
      if (i % every !== 0) return;
      const label = c.length > 14 ? `${c.slice(0, 13)}…` : c;
      parts.push(
        `<text class="xlab" x="${sx(i)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(label)}</text>`,
      );
    });

    names.forEach((name, si) => {
      const colour = PALETTE[si % PALETTE.length];
      const series = table.get(name);
      const tip = (c, v) => `<title>${esc(name ? `${name} · ` : '')}${esc(c)}: ${esc(fmt(v))}</title>`;
      if (type === 'bar') {
        const barW = (band * 0.7) / names.length;
        const y0 = sy(Math.min(Math.max(0, lo), hi));
        cats.forEach((c, i) => {
          const v = series.get(c);
          if (v === undefined) return;
          const bx = sx(i) - band * 0.35 + barW * si;
          const top = Math.min(sy(v), y0);
          const h = Math.max(1, Math.abs(y0 - sy(v)));
          parts.push(`<rect x="${bx}" y="${top}" width="${barW}" height="${h}" fill="${colour}">${tip(c, v)}</rect>`);
        });
        return;
      }
      const points = cats.flatMap((c, i) => (series.has(c) ? [[sx(i), sy(series.get(c)), c, series.get(c)]] : []));
      if (points.length === 0) return;
      const line = points.map((p) => `${p[0]},${p[1]}`).join(' ');
      if (type === 'area') {
        const base = sy(Math.min(Math.max(0, lo), hi));
        const area = `${points[0][0]},${base} ${line} ${points[points.length - 1][0]},${base}`;
        parts.push(`<polygon points="${area}" fill="${colour}" fill-opacity="0.15"/>`);
      }
      parts.push(`<polyline points="${line}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      if (points.length <= 40) {
        for (const p of points)
          parts.push(`<circle cx="${p[0]}" cy="${p[1]}" r="3" fill="${colour}">${tip(p[2], p[3])}</circle>`);
      }
    });

    const legend =
      names.length > 1
        ? `<div class="legend">${names
            .map((n, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(n)}</span>`)
            .join('')}</div>`
        : '';
    return `<svg class="chart-svg" viewBox="0 0 ${W} ${H}" role="img">${parts.join('')}</svg>${legend}`;
  }

  function valueTable(values) {
    if (values.length === 0) return '<div class="chart-empty">no data</div>';
    const keys = unique(values.flatMap((v) => Object.keys(v))).slice(0, 8);
    const head = keys.map((k) => `<th>${esc(k)}</th>`).join('');
    const rows = values
      .slice(0, 50)
      .map(
        (v) =>
          `<tr>${keys.map((k) => `<td>${esc(typeof v[k] === 'object' ? JSON.stringify(v[k]) : v[k])}</td>`).join('')}</tr>`,
      )
      .join('');
    const more = values.length > 50 ? `<div class="chart-empty">… ${values.length - 50} more rows</div>` : '';
    return `<table class="card-table chart-table"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${more}`;
  }

  /** A chart element's spec → an SVG line/area/bar chart, or a table of values for other chart types. */
  function renderChart(spec) {
    const title = typeof spec?.title === 'string' ? spec.title : (spec?.title?.text ?? '');
    const type = String(spec?.type ?? 'unknown');
    const values = valuesOf(spec);
    const x = first(spec?.xField);
    const y = first(spec?.yField);
    const series = spec?.seriesField ?? (Array.isArray(spec?.xField) ? spec.xField[1] : undefined);
    const drawable = ['line', 'area', 'bar'].includes(type) && typeof x === 'string' && typeof y === 'string';
    const body = drawable && values.length ? svgChart(type, values, x, y, series) : valueTable(values);
    const caption = title ? `<figcaption>${esc(title)}</figcaption>` : '';
    return `<figure class="chart" data-chart-type="${esc(type)}">${caption}${body}</figure>`;
  }

  root.SandboxCharts = { renderChart };
})(globalThis);
