/**
 * Buttons whose click comes back as a typed `CardAction`: the callback value is checked against
 * `CardActionSchema` when the card is built, so a card can never carry a value the router would refuse.
 */
import { type CardAction, CardActionSchema } from './actions.js';
import { plainText } from './markdown.js';

export type ButtonType =
  | 'default'
  | 'primary'
  | 'danger'
  | 'text'
  | 'primary_text'
  | 'danger_text'
  | 'primary_filled'
  | 'danger_filled'
  | 'laser';

export interface ButtonOptions {
  text: string;
  action: CardAction;
  type?: ButtonType;
  /** A confirmation dialog before the click is sent (for destructive actions). */
  confirm?: { title: string; text: string };
  /** Element name, echoed back in the callback as `action.name`. */
  name?: string;
}

export type CardElement = Record<string, unknown>;

export function button(options: ButtonOptions): CardElement {
  const value = CardActionSchema.parse(options.action);
  const el: CardElement = {
    tag: 'button',
    type: options.type ?? 'default',
    size: 'medium',
    text: { tag: 'plain_text', content: plainText(options.text, 100) },
    behaviors: [{ type: 'callback', value }],
  };
  if (options.name) el.name = options.name;
  if (options.confirm) {
    el.confirm = {
      title: { tag: 'plain_text', content: plainText(options.confirm.title) },
      text: { tag: 'plain_text', content: plainText(options.confirm.text, 500) },
    };
  }
  return el;
}

/** Lays buttons out side by side (JSON 2.0 has no `action` module: a column set holds them). */
export function buttonRow(buttons: CardElement[]): CardElement[] {
  if (buttons.length === 0) return [];
  return [
    {
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: 'small',
      columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
    },
  ];
}
