/**
 * What every build answers: `/help` lists the commands registered on the router, an unknown command says so,
 * and a mention or direct message that no feature handles gets a short description of what the bot does.
 */
import { helpCard } from '../cards/help.js';
import { replyCard, replyText, translate } from './reply.js';
import type { Router } from './router.js';

export function registerDefaults(router: Router): Router {
  router.onCommand(
    'help',
    async (_cmd, msg, ctx) => {
      const t = translate(ctx);
      const card = helpCard({
        title: t('help.title'),
        intro: t('help.intro'),
        commands: router.commands().map((c) => ({ usage: c.usage, summary: t(c.summary) })),
        footer: t('help.footer'),
      });
      replyCard(ctx, msg, card);
    },
    { usage: '/help', summary: 'command.help' },
  );
  router.onMessage(async (msg, ctx) => {
    const t = translate(ctx);
    const unknown = /^\s*\/([A-Za-z][\w-]*)/.exec(msg.text);
    if (unknown) {
      replyText(ctx, msg, t('command.unknown', { name: unknown[1] as string }));
      return;
    }
    const commands = router
      .commands()
      .map((c) => c.usage)
      .join(', ');
    const text = t('fallback.reply', { commands });
    replyText(ctx, msg, msg.chatType === 'p2p' ? text : `<at user_id="${msg.senderOpenId}"></at> ${text}`);
  });
  return router;
}
