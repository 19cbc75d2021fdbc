import type { CardJson } from '../ports/feishu.js';
import { redactText } from '../shared/redact.js';
import { codeBlock, escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

/** Bytes of log a card carries: the newest lines that fit, well under Feishu's 30 KB with the envelope. */
export const LOG_BUDGET_BYTES = 20 * 1024;
/** A longer line is cut (a stack of JSON on one line would otherwise crowd out every other line). */
const MAX_LINE_CHARS = 400;

export interface LogsCard {
  title: string;
  log: string;
  /** Words of the footer: `(lines, cut) => …` when lines were dropped, else `lines => …`. */
  note: (shown: number, cut: number) => string;
  empty: string;
}

/** Keeps the newest lines of a log that fit `budget` bytes; long lines are shortened. Secrets are redacted. */
export function tailToFit(log: string, budget = LOG_BUDGET_BYTES): { lines: string[]; cut: number } {
  const all = redactText(log).replace(/\n$/, '').split('\n');
  const kept: string[] = [];
  let used = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const raw = all[i] as string;
    const line = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)} …` : raw;
    const n = Buffer.byteLength(line, 'utf8') + 1;
    if (used + n > budget) break;
    kept.unshift(line);
    used += n;
  }
  return { lines: kept, cut: all.length - kept.length };
}

/** The `/logs` answer (`cards/logs.json`): the log tail as a code block, newest lines kept. */
export function logsCard(c: LogsCard): CardJson {
  const { lines, cut } = tailToFit(c.log);
  const empty = lines.length === 0 || (lines.length === 1 && lines[0] === '');
  return renderTemplate('logs', {
    title: plainText(c.title),
    log: empty ? escapeMarkdown(c.empty) : codeBlock(lines.join('\n')),
    note: c.note(lines.length, cut),
  });
}
