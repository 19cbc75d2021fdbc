/** The progress line a person sees while a tool runs ("reading logs of checkout-7d9f…"), in the bot's language. */
import type { Translate } from '../../shared/i18n.js';

const s = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const short = (v: string, n = 60) => (v.length > n ? `${v.slice(0, n - 1)}…` : v);

export function describeCall(tool: string, args: Record<string, unknown>, t: Translate): string {
  const ns = s(args.namespace);
  const name = s(args.name ?? args.pod ?? args.deployment ?? args.workload);
  const base = tool.split('.').pop() ?? tool;
  if (/logs?$/.test(base)) return t('agent.progress.logs', { name: short(name || '?') });
  if (/events/.test(base)) return t('agent.progress.events', { name: short(name || ns || '?') });
  if (/rollout|history/.test(base)) return t('agent.progress.rollout', { name: short(name || '?') });
  if (/query_range|query/.test(base)) {
    const range = s(args.range ?? args.duration ?? args.start ?? '');
    return t('agent.progress.query', { query: short(s(args.query ?? args.expr ?? ''), 70), range: range || 'now' });
  }
  if (/list/.test(base)) return t('agent.progress.list', { kind: s(args.kind ?? 'resources'), ns: ns || '*' });
  if (/describe|get/.test(base)) return t('agent.progress.describe', { name: short(`${s(args.kind)}/${name}`) });
  if (tool.startsWith('ask_')) return t('agent.progress.delegate', { question: short(s(args.question), 70) });
  return t('agent.progress.tool', { tool });
}
