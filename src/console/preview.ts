/**
 * Cards and charts drawn on the server with the shared card preview renderers (src/cards/preview/), evaluated
 * once in their own VM context: the console shows a card exactly as the sandbox does, and a chart from the same
 * VChart-subset spec a Feishu card carries — without shipping the renderers to the browser.
 */
import vm from 'node:vm';
import { rendererSource } from '../cards/preview/index.js';

interface Renderers {
  SandboxCards: { renderCard(card: unknown, ctx: unknown): string };
  SandboxCharts: { renderChart(spec: unknown): string };
}

let loaded: Renderers | undefined;

function renderers(): Renderers {
  if (!loaded) {
    const context = vm.createContext({ Intl, Date, Number, Math, JSON, String, Array, Object, Set, Map, URL });
    vm.runInContext(rendererSource(), context);
    loaded = context as unknown as Renderers;
  }
  return loaded;
}

/** A card JSON 2.0 document → HTML (escaped; a broken element shows as "unsupported", never throws). */
export function cardHtml(card: unknown, options: { timeZone: string; names?: Record<string, string> }): string {
  const html = renderers().SandboxCards.renderCard(card, { timeZone: options.timeZone, names: options.names ?? {} });
  return `<div class="card-preview">${html}</div>`;
}

/** A VChart-subset spec (`type`, `data.values`, `xField`, `yField`, `seriesField`) → inline SVG figure. */
export function chartHtml(spec: Record<string, unknown>): string {
  return `<div class="card-preview">${renderers().SandboxCharts.renderChart(spec)}</div>`;
}
