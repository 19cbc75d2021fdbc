/** `/reset`: forgets the conversation memory of this chat (or of this thread). */
import { z } from 'zod';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const resetCommand = defineCommand({
  name: 'reset',
  usage: '/reset',
  summary: 'command.reset',
  args: positionalOnly(z.array(z.string()).max(0)),
  permission: undefined,
  async run(_a, ev) {
    const { message, ctx } = ev;
    const threadKey = message.rootId ?? '';
    const n = ctx.store.conversations.forget(message.chatId, threadKey);
    return text(ctx.t(n > 0 ? 'command.reset.done' : 'command.reset.nothing'));
  },
});
