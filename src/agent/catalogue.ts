/**
 * The runbook catalogue the agent proposes from: the runbook engine's (`RunbookLauncher.catalogue()`) when it is
 * wired, otherwise the runbooks folder read directly, so proposals (Run buttons) work either way.
 */
import type { RunbookSummary } from '../ports/remediation.js';
import { loadRunbooks } from '../runbooks/loader.js';

export function catalogueFromFiles(locale: 'zh-CN' | 'en-US', dir?: string): RunbookSummary[] {
  const { runbooks } = loadRunbooks(dir);
  return [...runbooks.values()].map((r) => ({
    id: r.id,
    title: r.title[locale],
    description: r.description[locale],
    category: r.category,
    risk: r.risk,
    params: Object.entries(r.params).map(([name, p]) => ({
      name,
      required: !p.optional && p.default === undefined,
      ...(p.default !== undefined ? { default: String(p.default) } : {}),
      description: p.description[locale],
    })),
  }));
}
