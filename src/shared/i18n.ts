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
    'card.unknown_action': 'This button is from an older card and no longer does anything.',
    'card.action_unavailable': 'This action is not available in this version yet.',
    'card.working': 'Working on it…',
    'help.title': 'sre-nanobot — what I can do',
    'help.intro': 'I am the on-call bot. Mention me in a group or message me directly.',
    'help.footer': 'Commands start with "/". More arrive as they are enabled.',
    'command.help': 'show this list',
    'command.unknown': 'I do not know the command /{name}. Send /help for the list.',
    'fallback.reply':
      'Today I can: post alert cards to this chat and handle their buttons, and answer these commands: {commands}. Conversations with me come later.',
  },
  'zh-CN': {
    'error.internal': '处理时出错了，详情见机器人日志（编号 {ref}）。',
    'common.unknown': '未知',
    'card.unknown_action': '这个按钮来自旧版卡片，已不再可用。',
    'card.action_unavailable': '当前版本暂不支持这个操作。',
    'card.working': '处理中…',
    'help.title': 'sre-nanobot 能做什么',
    'help.intro': '我是值班机器人。在群里 @我，或直接私聊我。',
    'help.footer': '命令以 "/" 开头，更多功能陆续开放。',
    'command.help': '显示本列表',
    'command.unknown': '我不认识命令 /{name}，发送 /help 查看可用命令。',
    'fallback.reply': '目前我可以：在群里发送告警卡片并处理卡片按钮，以及响应这些命令：{commands}。对话功能稍后开放。',
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
