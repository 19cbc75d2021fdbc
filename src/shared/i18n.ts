/**
 * One message catalog for every user-facing string (cards, replies, reports), in the locale of BOT_LOCALE.
 * Keys are grouped by feature (`incident.ack`, `command.usage`, …); every key exists in every locale — a test
 * checks it — and `{name}` placeholders are filled by `t`. A missing variable throws: a half-filled message
 * must never reach a chat.
 */
export type Locale = 'zh-CN' | 'en-US';

const catalog = {
  'en-US': {
    'error.internal': 'Something went wrong on my side; the on-call log has the details (ref {ref}).',
    'common.unknown': 'unknown',
  },
  'zh-CN': {
    'error.internal': '处理时出错了，详情见机器人日志（编号 {ref}）。',
    'common.unknown': '未知',
  },
} as const satisfies Record<Locale, Record<string, string>>;

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
