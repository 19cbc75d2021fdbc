/**
 * The accuracy vote on an incident report: right / partly / wrong. One vote per person and incident, changed by
 * clicking another answer; stored with the incident and counted in the weekly figures. Refused, with a toast
 * saying why and an audit row, for a click from outside the incident's chat (its report is posted there; an
 * incident without a chat is graded from the reports chat) and — when people are configured — for someone
 * without a role (`can(actor, 'report.read')`; the incident's on-call count).
 */
import { can, incidentScope } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import type { RouteTable } from '../alerts/route-table.js';
import type { CardActionResult, Router } from '../app/router.js';
import { type ReportDeps, reportsChat } from './deps.js';
import { buildIncidentReport } from './incident.js';
import { incidentReportRef } from './incident-poster.js';

export function registerReportActions(router: Router, deps: ReportDeps, routes: RouteTable): void {
  router.onCardAction('vote', async ({ action, click, ctx }): Promise<CardActionResult> => {
    const { t } = ctx;
    const { store, clock } = deps;
    const id = action.incidentId;
    const audit = (decision: string, detail: Record<string, unknown>) =>
      store.audit.record(
        { actor: ctx.actor.openId || '(none)', action: 'report.vote', target: `incident:${id}`, decision, detail },
        clock.now(),
      );
    const inc = store.incidents.get(id);
    if (!inc) return { toast: { type: 'error', content: t('incident.toast.notFound', { id }) } };
    const chat = inc.chatId ?? reportsChat(deps.config);
    if (!chat || click.chatId !== chat) {
      audit('denied', { reason: 'outside_chat', chatId: click.chatId, verdict: action.verdict });
      ctx.log.warn({ incidentId: id, chatId: click.chatId }, 'vote from outside the incident chat refused');
      return { toast: { type: 'error', content: t('report.vote.outsideChat', { id }) } };
    }
    const decision = can(ctx.actor, 'report.read', incidentScope(routes.decide(inc.labels)));
    if (!decision.ok) {
      audit('denied', { reason: decision.reason, missing: decision.missing, verdict: action.verdict });
      return {
        toast: {
          type: 'error',
          content: t('report.vote.refused', { why: refusalMessage(t, decision, ctx.actor) }),
        },
      };
    }
    const outcome = store.tx(() => {
      const o = deps.votes.cast(id, ctx.actor.openId, action.verdict, clock.now());
      if (o !== 'unchanged') audit(o, { verdict: action.verdict });
      return o;
    });
    const verdict = t(`report.vote.${action.verdict}`);
    const toast = {
      type: outcome === 'unchanged' ? ('info' as const) : ('success' as const),
      content: t(`report.vote.${outcome}`, { id, verdict }),
    };
    // Redraw the clicked card with the new tally — unless it is another live card (an incident or storm card).
    const key = store.cards.cardKeyOf(click.messageId);
    if (key !== undefined && key !== incidentReportRef(id)) return { toast };
    const card = buildIncidentReport(id, deps);
    return card ? { toast, card } : { toast };
  });
}
