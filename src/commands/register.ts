/**
 * Puts commands on the router: the text after the name is tokenized and checked against the command's schema
 * (a mismatch answers the one-line usage), the actor is checked with `can()` (a refusal names the role needed
 * and is audited), the thread's incident is found from the thread root, and the reply is queued through the
 * outbox. A failing command answers with a reference, never a stack trace.
 */
import { can } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import { replyCard, replyText } from '../app/reply.js';
import type { Router } from '../app/router.js';
import { incidentsOfCardMessage } from '../incidents/publish.js';
import type { AnyCommand, CommandDeps, CommandEvent } from './define.js';
import { tokenize } from './parse.js';

export function registerCommands(
  router: Router,
  defs: readonly AnyCommand[],
  deps: Omit<CommandDeps, 'commands'>,
): void {
  const full: CommandDeps = { ...deps, commands: () => router.commands() };
  for (const def of defs) {
    router.onCommand(
      def.name,
      async ({ command, message, ctx }) => {
        const { t } = ctx;
        const parsed = def.args.safeParse(tokenize(command.rest));
        if (!parsed.success) {
          replyText(ctx, message, t('command.usage', { usage: def.usage }));
          return;
        }
        const root = message.rootId ?? message.parentId;
        const threadIncidentId = root ? incidentsOfCardMessage(ctx.store, root)[0] : undefined;
        const ev: CommandEvent = {
          message,
          ctx,
          deps: full,
          threadIncidentId,
          interim: (text) => replyText(ctx, message, text),
        };
        try {
          if (def.permission) {
            const decision = can(ctx.actor, def.permission, def.scope?.(parsed.data, ev) ?? {});
            if (!decision.ok) {
              ctx.store.audit.record(
                {
                  actor: ctx.actor.openId || 'unknown',
                  action: `command.${def.name}`,
                  target: threadIncidentId ? `incident:${threadIncidentId}` : `chat:${message.chatId}`,
                  decision: 'denied',
                  detail: { permission: def.permission, missing: decision.missing, reason: decision.reason },
                },
                ctx.clock.now(),
              );
              replyText(ctx, message, refusalMessage(t, decision, ctx.actor));
              return;
            }
          }
          const reply = await def.run(parsed.data, ev);
          if (reply.kind === 'text') replyText(ctx, message, reply.text);
          else replyCard(ctx, message, reply.card);
        } catch (err) {
          ctx.log.error({ err, command: def.name }, 'command failed');
          replyText(ctx, message, t('error.internal', { ref: message.eventId.slice(0, 12) }));
        }
      },
      { usage: def.usage, summary: def.summary },
    );
  }
}
