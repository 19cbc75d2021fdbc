/**
 * `/console/api/*`: the pages' data as JSON for headless use (the admin token, scripts), and the actions —
 * ack and resolve an incident, approve and reject an approval — that the pages' buttons call.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { redactValue } from '../shared/redact.js';
import { approvalAction, incidentAction, RejectBodySchema, ResolveBodySchema } from './actions.js';
import type { ConsoleDeps } from './deps.js';
import { apiRoutes, idOf } from './guard.js';
import { listAlertGroups, parseMatchers } from './queries/alerts.js';
import { AuditFilterSchema, listAudit } from './queries/audit.js';
import {
  approvalIdsOfIncident,
  cardsOf,
  IncidentFilterSchema,
  listIncidents,
  runsOfIncident,
} from './queries/incidents.js';
import { overview } from './queries/overview.js';

export function mountApiRoutes(router: Router, deps: ConsoleDeps): void {
  const { t } = deps;
  const api = apiRoutes(router, deps);
  const incidentFilter = (ctx: Context) => IncidentFilterSchema.safeParse(ctx.query);
  api('get', '/console/api/overview', (ctx) => {
    ctx.body = overview(deps.incidents.store, deps.incidents.clock.now(), deps.timeZone);
  });
  api('get', '/console/api/incidents', (ctx) => {
    const f = incidentFilter(ctx);
    if (!f.success) {
      ctx.status = 400;
      ctx.body = {
        ok: false,
        error: 'bad_request',
        message: f.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      };
      return;
    }
    ctx.body = redactValue(listIncidents(deps.incidents.store, f.data, undefined, deps.timeZone));
  });
  api('get', '/console/api/incidents/:id', (ctx) => {
    const inc = deps.incidents.store.incidents.get(idOf(ctx) ?? 0);
    if (!inc) {
      ctx.status = 404;
      ctx.body = { ok: false, error: 'not_found', message: t('console.error.notFound') };
      return;
    }
    const { store } = deps.incidents;
    ctx.body = redactValue({
      incident: inc,
      timeline: store.timeline.list(inc.id),
      alerts: store.alerts.byIncident(inc.id),
      cards: cardsOf(store, inc.id),
      runs: runsOfIncident(store, inc.id),
      approvals: approvalIdsOfIncident(store, inc.id).flatMap((id) => store.approvals.get(id) ?? []),
    });
  });
  api('get', '/console/api/alerts', (ctx) => {
    const parsed = parseMatchers(typeof ctx.query.match === 'string' ? ctx.query.match : '');
    if (!parsed.ok) {
      ctx.status = 400;
      ctx.body = { ok: false, error: 'bad_request', message: t('console.alerts.badMatcher', { text: parsed.bad }) };
      return;
    }
    ctx.body = redactValue(listAlertGroups(deps.incidents.store, parsed.matchers, Number(ctx.query.page) || 1));
  });
  api('get', '/console/api/runbooks', (ctx) => {
    ctx.body = deps.runbooks.all().map(({ runbook: r }) => ({
      id: r.id,
      title: r.title,
      risk: r.risk,
      category: r.category,
      params: r.params,
      match: r.match,
    }));
  });
  api('get', '/console/api/approvals', (ctx) => {
    ctx.body = { available: Boolean(deps.decider), pending: redactValue(deps.incidents.store.approvals.pending()) };
  });
  api('get', '/console/api/audit', (ctx) => {
    ctx.body = listAudit(deps.incidents.store, AuditFilterSchema.parse(ctx.query));
  });

  const reply = (ctx: Context, r: { status: number; body: unknown }) => {
    ctx.status = r.status;
    ctx.body = r.body;
  };
  const bodyOf = (ctx: Context) => (ctx.request.body && typeof ctx.request.body === 'object' ? ctx.request.body : {});
  for (const action of ['ack', 'resolve'] as const) {
    api('post', `/console/api/incidents/:id/${action}`, (ctx, viewer) => {
      const id = idOf(ctx);
      const body = ResolveBodySchema.safeParse(bodyOf(ctx));
      if (id === undefined || !body.success) {
        return reply(ctx, {
          status: 400,
          body: {
            ok: false,
            error: 'bad_request',
            message: t('console.action.badInput', { reason: id === undefined ? 'id' : 'note' }),
          },
        });
      }
      reply(ctx, incidentAction(deps, viewer, id, action, body.data.note));
    });
  }
  for (const decision of ['approve', 'reject'] as const) {
    api('post', `/console/api/approvals/:id/${decision}`, async (ctx, viewer) => {
      const body = RejectBodySchema.safeParse(bodyOf(ctx));
      if (!body.success) {
        return reply(ctx, {
          status: 400,
          body: { ok: false, error: 'bad_request', message: t('console.action.badInput', { reason: 'reason' }) },
        });
      }
      reply(ctx, await approvalAction(deps, viewer, ctx.params.id ?? '', decision, body.data.reason));
    });
  }
}
