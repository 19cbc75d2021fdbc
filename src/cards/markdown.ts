/**
 * Escaping for text we did not write (alert labels, annotations, user messages, command output) before it goes
 * into a card's markdown: markdown syntax, HTML-like tags (`<at id=all>` must never be injected) and entities
 * are neutralised, so a label shows exactly as written and can neither format nor mention.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '|': '&#124;',
  '\\': '&#92;',
};

export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]()#|\\]/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Text for a `plain_text` element: no markup is interpreted there, but keep it to one reasonable line. */
export function plainText(text: string, maxChars = 100): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > maxChars ? `${oneLine.slice(0, maxChars - 1)}…` : oneLine;
}

/** A mention of one user inside card markdown. */
export function mentionUser(openId: string): string {
  if (!/^ou_[A-Za-z0-9_-]+$/.test(openId)) return escapeMarkdown(openId);
  return `<at id=${openId}></at>`;
}

/** A fenced code block whose content cannot close the fence. */
export function codeBlock(text: string): string {
  return `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
}
