/** The runbook catalogue as a picker, `/runbooks` or the console lists it, in the bot's locale. */
import type { RunbookSummary } from '../ports/remediation.js';
import type { Runbook } from './schema.js';

export function catalogueOf(runbooks: Iterable<Runbook>, locale: 'zh-CN' | 'en-US'): RunbookSummary[] {
  return [...runbooks].map((rb) => ({
    id: rb.id,
    title: rb.title[locale],
    description: rb.description[locale],
    category: rb.category,
    risk: rb.risk,
    params: Object.entries(rb.params).map(([name, p]) => ({
      name,
      required: !p.optional && p.default === undefined,
      ...(p.default !== undefined ? { default: String(p.default) } : {}),
      description: p.description[locale],
    })),
  }));
}
