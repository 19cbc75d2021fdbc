/** A notify step: the runbook's message, in the bot's locale, under the run card (or in its chat). */

import { runCardKey } from '../run-record.js';
import { runTitle } from '../run-view.js';
import { renderTemplate } from '../template.js';
import type { StepExecutor } from './context.js';

export const notifyStep: StepExecutor<'notify'> = async (step, ctx) => {
  const { deps, run } = ctx;
  const message = renderTemplate(step.message[deps.config.locale], run.plan.params) as string;
  const text = deps.t('run.notify', { title: runTitle(deps, run.runbook), message });
  const key = runCardKey(run.row.id);
  const messageId = deps.store.cards.messageId(key);
  const now = deps.clock.now();
  const dedupeKey = `run-notify:${run.row.id}:${ctx.section}:${ctx.index}`;
  if (messageId) {
    deps.store.outbox.enqueueMessage(
      { kind: 'reply', chatId: run.plan.chatId, messageId, msgType: 'text', content: JSON.stringify({ text }) },
      now,
      { dedupeKey, ref: key },
    );
  } else {
    deps.store.outbox.enqueueMessage({ kind: 'send_text', chatId: run.plan.chatId, text }, now, {
      dedupeKey,
      ref: key,
    });
  }
  return { result: 'ok', summary: message.slice(0, 200) };
};
