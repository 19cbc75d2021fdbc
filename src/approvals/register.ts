/**
 * The card buttons of runs: Run (`run_runbook`, on a diagnosis finding or a proposal), Approve and Reject (on a
 * run card) and Undo (`rollback`, on a succeeded run's card). Each answers with a toast that says what happened
 * or why nothing did; Approve and Reject are refused unless the clicked card is that approval's run card, and
 * answer with the card as it is now.
 */
import type { CardActionResult, Router } from '../app/router.js';
import { renderRunCard, targetText } from '../cards/run.js';
import type { RunRequestResult } from '../ports/remediation.js';
import type { RunDeps } from '../runbooks/deps.js';
import type { Launcher } from '../runbooks/launcher.js';
import { loadRun, runCardKey } from '../runbooks/run-record.js';
import { runCardView, runTitle } from '../runbooks/run-view.js';
import type { Decider } from './decider.js';

export function registerRunActions(router: Router, deps: RunDeps, launcher: Launcher, decider: Decider): void {
  const requested = (r: RunRequestResult): CardActionResult => {
    if (!r.ok) return { toast: { type: 'error', content: deps.t('run.toast.refused', { reason: r.reason }) } };
    const run = loadRun(deps, r.runId);
    const title = run ? runTitle(deps, run.runbook) : r.runId;
    const target = run ? targetText(run.plan) : '';
    if (r.duplicate) return { toast: { type: 'info', content: deps.t('run.toast.duplicate') } };
    if (r.phase !== 'awaiting_approval') {
      return { toast: { type: 'success', content: deps.t('run.toast.autoStarted', { title, target }) } };
    }
    return { toast: { type: 'success', content: deps.t('run.toast.requested', { title, target }) } };
  };

  router.onCardAction('run_runbook', async ({ action, click, ctx }) =>
    requested(
      await launcher.request({
        runbookId: action.runbookId,
        params: action.params,
        ...(action.incidentId !== undefined ? { incidentId: action.incidentId } : {}),
        requester: ctx.actor,
        ...(click.chatId ? { chatId: click.chatId } : {}),
        source: 'button',
      }),
    ),
  );

  router.onCardAction('rollback', async ({ action, click, ctx }) => {
    const r = await launcher.requestUndo(action.runId, {
      requester: ctx.actor,
      ...(click.chatId ? { chatId: click.chatId } : {}),
      source: 'button',
    });
    if (!r.ok) return { toast: { type: 'error', content: deps.t('run.toast.noUndo', { reason: r.reason }) } };
    const run = loadRun(deps, r.runId);
    return {
      toast: {
        type: 'success',
        content: deps.t('run.toast.undoRequested', { title: run ? runTitle(deps, run.runbook) : r.runId }),
      },
    };
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.onCardAction(decision, async ({ action, click, ctx }) => {
      const approval = deps.store.approvals.get(action.approvalId);
      const key = approval?.runId ? runCardKey(approval.runId) : undefined;
      if (!key || deps.store.cards.cardKeyOf(click.messageId) !== key) {
        deps.store.audit.record(
          {
            actor: ctx.actor.openId || '(none)',
            action: `approval.${decision}`,
            target: `approval:${action.approvalId}`,
            decision: 'denied',
            detail: { code: 'card_mismatch', messageId: click.messageId },
          },
          deps.clock.now(),
        );
        return {
          toast: {
            type: 'error',
            content: deps.t('approval.toast.refused', {
              reason: deps.t('approval.refused.wrongCard', { id: action.approvalId }),
            }),
          },
        };
      }
      const r = await decider.decide(action.approvalId, ctx.actor, decision);
      const run = approval?.runId ? loadRun(deps, approval.runId) : undefined;
      const card = run ? renderRunCard(runCardView(deps, run), deps.t) : undefined;
      const withCard = (res: CardActionResult): CardActionResult => (card ? { ...res, card } : res);
      if (!r.ok)
        return withCard({
          toast: {
            type: r.code === 'forbidden' ? 'error' : 'info',
            content: deps.t('approval.toast.refused', { reason: r.reason }),
          },
        });
      const title = run ? runTitle(deps, run.runbook) : action.approvalId;
      switch (r.status) {
        case 'approved':
          return withCard({ toast: { type: 'success', content: deps.t('approval.toast.approved', { title }) } });
        case 'pending':
          return withCard({
            toast: { type: 'success', content: deps.t('approval.toast.voted', { votes: r.votes, needed: r.needed }) },
          });
        case 'rejected':
          return withCard({ toast: { type: 'success', content: deps.t('approval.toast.rejected') } });
        default: {
          const never: never = r.status;
          return never;
        }
      }
    });
  }
}
