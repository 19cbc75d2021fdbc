import { describe, expect, it } from 'vitest';
import { parseMessageEvent } from '../../../src/feishu/message.js';
import { MessageEventSchema } from '../../../src/feishu/schemas.js';
import { BOT_OPEN_ID, clone, examples } from '../../helpers/feishu.js';

function groupMessage(text: string) {
  const body = clone(examples.im_message_receive_v1_group_text_bot_mention.body);
  body.event.message.mentions = [];
  body.event.message.content = JSON.stringify({ text });
  return MessageEventSchema.parse(body.event);
}

describe('commands without an @mention in groups (commands.without_mention)', () => {
  it('ignores an unmentioned group command by default, takes it when the option is on', () => {
    expect(parseMessageEvent('e1', groupMessage('/incidents'), BOT_OPEN_ID).kind).toBe('ignored');
    const on = parseMessageEvent('e2', groupMessage('／ack 3'), BOT_OPEN_ID, { commandsWithoutMention: true });
    expect(on.kind).toBe('addressed');
    const chatter = parseMessageEvent('e3', groupMessage('lunch?'), BOT_OPEN_ID, { commandsWithoutMention: true });
    expect(chatter.kind).toBe('ignored');
  });
});
