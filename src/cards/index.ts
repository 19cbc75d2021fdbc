export {
  CARD_ACTION_NAMES,
  type CardAction,
  type CardActionName,
  type CardActionOf,
  CardActionSchema,
  parseCardAction,
} from './actions.js';
export { type ButtonOptions, type ButtonType, button, buttonRow, type CardElement } from './button.js';
export { helpCard } from './help.js';
export { codeBlock, escapeMarkdown, mentionUser, plainText } from './markdown.js';
export { type HeaderColor, noticeCard } from './notice.js';
export { cardBytes, fitCard, MAX_CARD_BYTES, truncateBytes } from './size.js';
export {
  CARDS_DIR,
  CardTemplateSchema,
  loadTemplate,
  placeholders,
  renderTemplate,
  type TemplateValue,
  type TemplateVars,
  templateNames,
} from './template.js';
