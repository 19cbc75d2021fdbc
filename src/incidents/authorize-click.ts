/**
 * The one gate every incident button passes: `guardIncidentAction(deps, permission, handler)` wraps a card
 * handler so that, before it runs,
 *
 * 1. the clicked card must show the incident the button names (the card → incidents lookup; a storm card lists
 *    all its members): a forged or foreign value is refused and the clicked card is left as it is;
 * 2. `can(actor, permission, incidentScope(route))` must allow it — the on-call of the incident's route count as
 *    operators — otherwise a toast names what is missing.
 *
 * Every refusal is an audit row (`decision: 'denied'`, the permission, the reason) and changes nothing. Wrapping
 * the handler (rather than a check inside each) means a new incident button gets the gate by being registered
 * through it.
 */
import { can, incidentScope } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import type { Permission } from '../access/roles.js';
import type { CardActionHandler, CardActionResult } from '../app/router.js';
import type { CardActionName } from '../cards/actions.js';
import type { IncidentDeps } from './context.js';
import { oncallNow } from './oncall.js';
import { incidentsOfCardMessage } from './publish.js';

type IncidentActionName = Extract<CardActionName, 'ack' | 'resolve' | 'silence' | 'investigate'>;

export function guardIncidentAction<N extends IncidentActionName>(
  deps: IncidentDeps,
  permission: Permission,
  handler: CardActionHandler<N>,
): CardActionHandler<N> {
  return async (args) => {
    const { action, click, ctx } = args;
    const id: number = (action as { incidentId: number }).incidentId;
    const deny = (reason: string, content: string, extra: Record<string, unknown> = {}): CardActionResult => {
      deps.store.audit.record(
        {
          actor: ctx.actor.openId || '(none)',
          action: permission,
          target: `incident:${id}`,
          decision: 'denied',
          detail: { permission, reason, messageId: click.messageId, chatId: click.chatId, ...extra },
        },
        deps.clock.now(),
      );
      ctx.log.warn({ incidentId: id, permission, reason }, 'card click refused');
      return { toast: { type: 'error', content } };
    };
    const shown = incidentsOfCardMessage(deps.store, click.messageId);
    if (!shown.includes(id)) {
      return deny('card_mismatch', ctx.t('access.refused.wrongCard', { id }), { cardShows: shown });
    }
    const incident = deps.store.incidents.get(id);
    const scope = incident ? incidentScope(oncallNow(deps, deps.routes.decide(incident.labels), deps.clock.now())) : {};
    const decision = can(ctx.actor, permission, scope);
    if (!decision.ok) {
      return deny(decision.reason, refusalMessage(ctx.t, decision, ctx.actor), { missing: decision.missing });
    }
    return handler(args);
  };
}
