import { describe, expect, it } from 'vitest';
import { unflatten } from '../../../src/feishu/long-connection.js';
import { contentText, parseMessageEvent, replaceMentions } from '../../../src/feishu/message.js';
import { MessageEventSchema } from '../../../src/feishu/schemas.js';
import { BOT_OPEN_ID, clone, examples } from '../../helpers/feishu.js';

describe('message parsing', () => {
  it('turns placeholders into names, drops the bot mention, keeps thread ids', () => {
    const body = clone(examples.im_message_receive_v1_group_text_bot_mention.body);
    body.event.message.root_id = 'om_root';
    body.event.message.thread_id = 'omt_1';
    const parsed = parseMessageEvent('e1', MessageEventSchema.parse(body.event), BOT_OPEN_ID);
    expect(parsed.kind).toBe('addressed');
    if (parsed.kind !== 'addressed') return;
    expect(parsed.message).toMatchObject({
      text: 'ack INC-1042 and page @Li Lei',
      rootId: 'om_root',
      threadId: 'omt_1',
    });
    expect(parsed.message.mentions.map((m) => [m.name, m.isBot])).toEqual([
      ['SRE Bot', true],
      ['Li Lei', false],
    ]);
  });

  it('does not let @_user_1 eat the prefix of @_user_10', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({
      key: `@_user_${i + 1}`,
      openId: `ou_${i + 1}`,
      name: `P${i + 1}`,
      isBot: false,
    }));
    expect(replaceMentions('@_user_10 and @_user_1 and @_all', mentions)).toBe('@P10 and @P1 and @all');
  });

  it('reads post content, localized or not', () => {
    const post = {
      zh_cn: {
        title: '故障',
        content: [
          [
            { tag: 'at', user_id: '@_user_1' },
            { tag: 'text', text: ' restart ' },
            { tag: 'a', text: 'shop', href: 'http://x' },
          ],
          [{ tag: 'text', text: 'please' }],
        ],
      },
    };
    expect(contentText('post', JSON.stringify(post))).toBe('故障\n@_user_1 restart shop\nplease');
    expect(contentText('post', JSON.stringify(post.zh_cn))).toBe('故障\n@_user_1 restart shop\nplease');
    expect(contentText('image', '{"image_key":"x"}')).toBe('[image]');
    expect(contentText('text', 'not json')).toBe('');
  });

  it('falls back to mentioned_type when the bot open_id is not known yet', () => {
    const body = clone(examples.im_message_receive_v1_group_text_bot_mention.body);
    const parsed = parseMessageEvent('e1', MessageEventSchema.parse(body.event), undefined);
    expect(parsed.kind).toBe('addressed');
  });

  it('rebuilds the envelope from the long connection flattened event', () => {
    const card = examples.card_action_trigger_button.body;
    const flat = { schema: '2.0', ...card.header, ...card.event };
    const env = unflatten(flat) as { header: Record<string, unknown>; event: Record<string, unknown> };
    expect(env.header.event_type).toBe('card.action.trigger');
    expect(env.event.token).toBe(card.event.token);
    const msg = examples.im_message_receive_v1_p2p_text.body;
    const m = unflatten({ schema: '2.0', ...msg.header, ...msg.event }) as typeof env;
    expect(m.header.token).toBe(msg.header.token);
    expect(MessageEventSchema.parse(m.event).message.message_id).toBe(msg.event.message.message_id);
  });
});
