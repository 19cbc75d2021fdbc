/**
 * The incident card's buttons: Ack, Resolve and Silence. Each answers with a toast and the card as it is now;
 * a second click (or a redelivered callback) finds the decision already taken and says so. The actor is the
 * event's (`ctx.actor`), logged through the event's own logger. Each is registered through
 * `guardIncidentAction`, which refuses a click from a card that does not show the incident or by someone `can()`
 * does not allow.
 */
import type { CardActionResult, Router } from '../app/router.js';
import { renderIncidentCard } from '../cards/incident.js';
import type { AlertmanagerPort } from '../ports/alertmanager.js';
import { formatDuration, parseDuration } from '../shared/duration.js';
import type { Translate } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { guardIncidentAction } from './authorize-click.js';
import { incidentView } from './card-view.js';
import type { IncidentDeps } from './context.js';
import { acknowledge, resolve } from './lifecycle.js';
import type { Incident } from './model.js';
import { cardOptions } from './publish.js';
import { silenceIncident } from './silence.js';

export function registerIncidentActions(
  router: Router,
  deps: IncidentDeps,
  alertmanager: AlertmanagerPort | undefined,
): void {
  const card = (inc: Incident) => renderIncidentCard(incidentView(deps, inc), deps.t, cardOptions(deps));

  router.onCardAction(
    'ack',
    guardIncidentAction(deps, 'incident.ack', async ({ action, ctx }) => {
      const { t } = ctx;
      const r = acknowledge(deps, action.incidentId, ctx.actor.openId);
      if (!r.ok && r.reason === 'not_found') return notFound(t, action.incidentId);
      if (!r.ok) {
        const who = r.incident.ackedBy ?? r.incident.resolvedBy ?? 'system';
        return {
          toast: {
            type: 'info',
            content:
              r.incident.status === 'resolved'
                ? t('incident.toast.alreadyResolved', { id: r.incident.id })
                : t('incident.toast.alreadyAcked', { id: r.incident.id, who: who }),
          },
          card: card(r.incident),
        };
      }
      ctx.log.info({ incidentId: r.incident.id }, 'incident acknowledged');
      return {
        toast: { type: 'success', content: t('incident.toast.acked', { id: r.incident.id }) },
        card: card(r.incident),
      };
    }),
  );

  router.onCardAction(
    'resolve',
    guardIncidentAction(deps, 'incident.resolve', async ({ action, ctx }) => {
      const { t } = ctx;
      const r = resolve(deps, action.incidentId, ctx.actor.openId, action.note);
      if (!r.ok && r.reason === 'not_found') return notFound(t, action.incidentId);
      if (!r.ok) {
        return {
          toast: { type: 'info', content: t('incident.toast.alreadyResolved', { id: r.incident.id }) },
          card: card(r.incident),
        };
      }
      ctx.log.info({ incidentId: r.incident.id }, 'incident resolved');
      return {
        toast: { type: 'success', content: t('incident.toast.resolved', { id: r.incident.id }) },
        card: card(r.incident),
      };
    }),
  );

  router.onCardAction(
    'silence',
    guardIncidentAction(deps, 'incident.silence', async ({ action, ctx }) => {
      const { t } = ctx;
      const ms = parseDuration(action.duration);
      if (ms === undefined || ms > 30 * 86_400_000) {
        return { toast: { type: 'error', content: t('incident.toast.badDuration', { duration: action.duration }) } };
      }
      const r = await silenceIncident(deps, alertmanager, action.incidentId, ctx.actor.openId, ms);
      const inc = deps.store.incidents.get(action.incidentId);
      if (r.ok) {
        return {
          toast: { type: 'success', content: t('incident.toast.silenced', { duration: formatDuration(ms) }) },
          ...(inc ? { card: card(inc) } : {}),
        };
      }
      switch (r.reason) {
        case 'not_found':
          return notFound(t, action.incidentId);
        case 'resolved':
          return { toast: { type: 'info', content: t('incident.toast.alreadyResolved', { id: action.incidentId }) } };
        case 'unavailable':
          return { toast: { type: 'warning', content: t('incident.toast.silenceUnavailable') } };
        case 'failed':
          ctx.log.warn({ incidentId: action.incidentId, reason: r.message }, 'silence failed');
          return { toast: { type: 'error', content: t('incident.toast.silenceFailed', { reason: r.message ?? '?' }) } };
        case 'already_silenced': {
          const until = formatTime(r.endsAt, deps.config.timezone);
          const content = t('incident.toast.alreadySilenced', { id: action.incidentId, until, who: r.createdBy });
          return { toast: { type: 'info', content }, ...(inc ? { card: card(inc) } : {}) };
        }
        default: {
          const never: never = r;
          return never;
        }
      }
    }),
  );
}

function notFound(t: Translate, id: number): CardActionResult {
  return { toast: { type: 'error', content: t('incident.toast.notFound', { id }) } };
}
