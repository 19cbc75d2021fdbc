/**
 * The card preview renderers: plain browser scripts, pure functions of Feishu card JSON (markdown.js,
 * chart-render.js, card-render.js). The sandbox page and the web console both draw cards and VChart-subset
 * charts with them, so one chart spec serves the Feishu card, the sandbox and the console. Evaluating
 * `rendererSource()` defines `SandboxMarkdown`, `SandboxCharts` and `SandboxCards` on `globalThis`.
 */
import { readFileSync } from 'node:fs';

const HERE = new URL('./', import.meta.url);
export const RENDERERS = ['markdown.js', 'chart-render.js', 'card-render.js'] as const;

/** One renderer script's text. */
export function rendererAsset(name: (typeof RENDERERS)[number]): string {
  return readFileSync(new URL(name, HERE), 'utf8');
}

/** The renderer scripts, in load order. */
export function rendererSource(): string {
  return RENDERERS.map(rendererAsset).join('\n');
}

/** The preview's styles, scoped under `.card-preview`, for a page that embeds rendered cards and charts. */
export function cardPreviewCss(): string {
  return readFileSync(new URL('card.css', HERE), 'utf8');
}
