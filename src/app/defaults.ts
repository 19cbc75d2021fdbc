/**
 * What every build answers: `/help` lists the commands registered on the router, an unknown command says so,
 * and a mention or direct message that no feature handles gets a short description of what the bot does (the
 * router's fallback, so features may add message handlers before it in the chain).
 */
import { helpCard } from '../cards/help.js';
import { replyCard, replyText } from './reply.js';
import type { Router } from './router.js';

export function registerDefaults(router: Router): Router {
  router.onCommand(
    'help',
    async ({ message, ctx }) => {
      const { t } = ctx;
      const card = helpCard({
        title: t('help.title'),
        intro: t('help.intro'),
        commands: router.commands().map((c) => ({ usage: c.usage, summary: t(c.summary) })),
        footer: t('help.footer'),
      });
      replyCard(ctx, message, card);
    },
    { usage: '/help', summary: 'command.help' },
  );
  router.fallback(async ({ message, ctx }) => {
    const { t } = ctx;
    const unknown = /^\s*\/([A-Za-z][\w-]*)/.exec(message.text);
    if (unknown) {
      replyText(ctx, message, t('command.unknown', { name: unknown[1] as string }));
      return;
    }
    const commands = router
      .commands()
      .map((c) => c.usage)
      .join(', ');
    const text = t('fallback.reply', { commands });
    replyText(ctx, message, message.chatType === 'p2p' ? text : `<at user_id="${message.senderOpenId}"></at> ${text}`);
  });
  return router;
}
