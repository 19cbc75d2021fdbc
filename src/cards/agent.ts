/**
 * The agent's card (`cards/agent.json`), posted in the incident's thread (or under the question) and updated in
 * place: progress while it runs, then the answer as the model wrote it (sections root cause, evidence, impact,
 * next steps), the engine findings it cites, similar past incidents, **Run** buttons for the runbooks it
 * proposed, writes it was refused, and a footer with steps, tool calls, tokens and wall time. Model text is
 * Markdown from an untrusted source: mentions and HTML-ish tags are removed before it reaches the card.
 */
import type { CardJson } from '../ports/feishu.js';
import type { Translate } from '../shared/i18n.js';
import { button, buttonRow, type CardElement } from './button.js';
import { escapeMarkdown } from './markdown.js';
import { renderTemplate } from './template.js';

export type AgentCardStatus =
  | { kind: 'running'; progress: string[] }
  | { kind: 'waiting'; message: string }
  | { kind: 'done'; answer: string; inconclusive: boolean }
  | { kind: 'partial'; answer: string; budget: string }
  | { kind: 'failed'; answer: string; reason: string };

export interface AgentCardInput {
  incident?: { id: number; title: string };
  status: AgentCardStatus;
  findings: { id: string; title: string }[];
  cites: string[];
  similar: string[];
  proposals: { runbookId: string; params: Record<string, string>; reason: string }[];
  refused: string[];
  decided: string[];
  footer: { steps: number; toolCalls: number; tokens: number; ms: number; model: string };
}

const md = (text: string): CardElement => ({ tag: 'markdown', content: text });

/** Model output as card Markdown: no mentions, no tags, bounded. */
export function sanitizeModelMarkdown(text: string, max = 12_000): string {
  const clean = text
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, '')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function statusLine(s: AgentCardStatus, t: Translate): { subtitle: string; color: string } {
  switch (s.kind) {
    case 'running':
      return { subtitle: t('agent.card.running', { progress: s.progress.at(-1) ?? '' }), color: 'blue' };
    case 'waiting':
      return { subtitle: t('agent.card.waiting'), color: 'orange' };
    case 'done':
      return s.inconclusive
        ? { subtitle: t('agent.card.inconclusive'), color: 'grey' }
        : { subtitle: t('agent.card.done'), color: 'green' };
    case 'partial':
      return { subtitle: t('agent.card.partial', { budget: s.budget }), color: 'yellow' };
    case 'failed':
      return { subtitle: t('agent.card.failed', { reason: s.reason.slice(0, 80) }), color: 'red' };
    default: {
      const never: never = s;
      return never;
    }
  }
}

export function agentCard(input: AgentCardInput, t: Translate): CardJson {
  const { status } = input;
  const elements: CardElement[] = [];
  switch (status.kind) {
    case 'running':
      elements.push(
        md(
          status.progress
            .slice(-6)
            .map((p) => `· ${escapeMarkdown(p)}`)
            .join('\n') || '…',
        ),
      );
      break;
    case 'waiting':
      elements.push(md(escapeMarkdown(status.message)));
      break;
    case 'done':
    case 'partial':
    case 'failed':
      elements.push(md(sanitizeModelMarkdown(status.answer)));
      break;
    default: {
      const never: never = status;
      return never;
    }
  }
  const cited = input.findings.filter((f) => input.cites.includes(f.id));
  if (cited.length > 0) {
    elements.push(
      md(escapeMarkdown(t('agent.card.cites', { list: cited.map((f) => `[${f.id}] ${f.title}`).join('; ') }))),
    );
  }
  if (input.similar.length > 0) {
    elements.push(
      md(`**${t('agent.card.similar')}**\n${input.similar.map((l) => `- ${escapeMarkdown(l)}`).join('\n')}`),
    );
  }
  if (input.decided.length > 0) {
    elements.push(md(input.decided.map((d) => escapeMarkdown(t('agent.card.decided', { outcome: d }))).join('\n')));
  }
  if (input.refused.length > 0) {
    elements.push(md(escapeMarkdown(t('agent.card.refused', { list: input.refused.join('; ') }))));
  }
  const buttons = input.proposals.slice(0, 4).map((p) =>
    button({
      text: t('agent.card.run', { runbook: p.runbookId }),
      type: 'primary',
      action: {
        action: 'run_runbook',
        runbookId: p.runbookId,
        params: p.params,
        ...(input.incident ? { incidentId: input.incident.id } : {}),
      },
    }),
  );
  elements.push(...buttonRow(buttons));
  const { subtitle, color } = statusLine(status, t);
  const title = input.incident
    ? t('agent.card.title', { id: input.incident.id, title: input.incident.title.slice(0, 80) })
    : t('agent.card.title_chat');
  const f = input.footer;
  return renderTemplate('agent', {
    summary: `${title} · ${subtitle}`,
    title,
    subtitle,
    color,
    elements,
    footer: t('agent.card.footer', {
      steps: f.steps,
      tools: f.toolCalls,
      tokens: f.tokens,
      seconds: (f.ms / 1000).toFixed(1),
      model: f.model,
    }),
  });
}
