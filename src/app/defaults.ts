/**
 * What every build answers: `/help` lists the commands registered on the router, an unknown command says so,
 * an unknown command suggests the closest known ones, and a mention or direct message that no feature handles gets a short description of what the bot does (the
 * router's fallback, so features may add message handlers before it in the chain).
 */
import { helpCard } from '../cards/help.js';
import { closest } from '../shared/closest.js';
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
    const unknown = /^(?:\s*@[^\s/@]+)*\s*[/／]([A-Za-z][\w-]*)/.exec(message.text);
    if (unknown) {
      const name = (unknown[1] as string).toLowerCase();
      const near = closest(
        name,
        router.commands().map((c) => c.name),
      );
      const hint = near.length ? ` ${t('command.didYouMean', { names: near.map((n) => `/${n}`).join(', ') })}` : '';
      replyText(ctx, message, t('command.unknown', { name }) + hint);
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
