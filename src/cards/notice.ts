import type { CardJson } from '../ports/feishu.js';
import { buttonRow, type CardElement } from './button.js';
import { plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export type HeaderColor =
  | 'blue'
  | 'wathet'
  | 'turquoise'
  | 'green'
  | 'yellow'
  | 'orange'
  | 'red'
  | 'carmine'
  | 'violet'
  | 'purple'
  | 'indigo'
  | 'grey'
  | 'default';

export interface NoticeCard {
  title: string;
  /** Markdown: escape any text you did not write with `escapeMarkdown`. */
  body: string;
  color?: HeaderColor;
  buttons?: CardElement[];
}

/** A titled message with optional buttons (`cards/notice.json`). */
export function noticeCard(c: NoticeCard): CardJson {
  return renderTemplate('notice', {
    title: plainText(c.title),
    summary: plainText(c.title),
    color: c.color ?? 'blue',
    body: c.body,
    buttons: buttonRow(c.buttons ?? []),
  });
}
