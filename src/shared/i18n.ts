/**
 * One message catalog for every user-facing string (cards, replies, reports), in the locale of BOT_LOCALE.
 * Keys are grouped by feature (`incident.ack`, `command.usage`, …); every key exists in every locale — a test
 * checks it — and `{name}` placeholders are filled by `t`. A missing variable throws: a half-filled message
 * must never reach a chat.
 */
import { catalog } from './messages/index.js';

export type Locale = 'zh-CN' | 'en-US';

export type MessageKey = keyof (typeof catalog)['en-US'];
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const table: Record<string, string> = catalog[locale];
  return (key, vars = {}) => {
    const template = table[key];
    if (template === undefined) throw new Error(`message ${key} is missing in ${locale}`);
    return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`message ${key} needs {${name}}`);
      return String(v);
    });
  };
}

/** For the catalog test: every locale's keys. */
export function catalogKeys(): Record<Locale, string[]> {
  return { 'en-US': Object.keys(catalog['en-US']), 'zh-CN': Object.keys(catalog['zh-CN']) };
}
