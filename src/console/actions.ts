/**
 * What the console does: ack and resolve through incidents/lifecycle behind can() (the on-call of the
 * incident's route count as operators, as in the chat), approve and reject through the ApprovalDecider port.
 * A refusal is an audit row and an answer that names the reason; nothing else changes.
 */
import { z } from 'zod';
import { can, incidentScope } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import type { Permission } from '../access/roles.js';
import { acknowledge, resolve } from '../incidents/lifecycle.js';
import type { Viewer } from './auth.js';
import type { ConsoleDeps } from './deps.js';

export type ActionResult =
  | { status: 200; body: { ok: true; message: string; [k: string]: unknown } }
  | { status: 400 | 403 | 404 | 409 | 503; body: { ok: false; error: string; message: string } };

const fail = (status: 400 | 403 | 404 | 409 | 503, error: string, message: string): ActionResult => ({
  status,
  body: { ok: false, error, message },
});

export const ResolveBodySchema = z.object({
  note: z.string().trim().max(500).optional(),
  _csrf: z.string().optional(),
});
export const RejectBodySchema = z.object({
  reason: z.string().trim().max(300).optional(),
  _csrf: z.string().optional(),
});

function refuse(
  deps: ConsoleDeps,
  viewer: Viewer,
  permission: Permission,
  target: string,
  reason: string,
  message: string,
): ActionResult {
  deps.incidents.store.audit.record(
    { actor: viewer.actor.openId, action: permission, target, decision: 'denied', detail: { via: 'console', reason } },
    deps.incidents.clock.now(),
  );
  return fail(403, 'forbidden', deps.t('console.error.forbidden', { reason: message }));
}

export function incidentAction(
  deps: ConsoleDeps,
  viewer: Viewer,
  id: number,
  action: 'ack' | 'resolve',
  note?: string,
): ActionResult {
  const { t } = deps;
  const inc = deps.incidents.store.incidents.get(id);
  if (!inc) return fail(404, 'not_found', t('incident.toast.notFound', { id }));
  const permission: Permission = action === 'ack' ? 'incident.ack' : 'incident.resolve';
  const decision = can(viewer.actor, permission, incidentScope(deps.incidents.routes.decide(inc.labels)));
  if (!decision.ok) {
    return refuse(
      deps,
      viewer,
      permission,
      `incident:${id}`,
      decision.reason,
      refusalMessage(t, decision, viewer.actor),
    );
  }
  const r =
    action === 'ack'
      ? acknowledge(deps.incidents, id, viewer.actor.openId)
      : resolve(deps.incidents, id, viewer.actor.openId, note || undefined);
  if (r.ok)
    return {
      status: 200,
      body: { ok: true, message: t(action === 'ack' ? 'incident.toast.acked' : 'incident.toast.resolved', { id }) },
    };
  if (r.reason === 'not_found') return fail(404, 'not_found', t('incident.toast.notFound', { id }));
  const message =
    r.incident.status === 'resolved'
      ? t('incident.toast.alreadyResolved', { id })
      : t('incident.toast.alreadyAcked', { id, who: r.incident.ackedBy ?? 'system' });
  return fail(409, 'already', message);
}

export async function approvalAction(
  deps: ConsoleDeps,
  viewer: Viewer,
  id: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<ActionResult> {
  const { t } = deps;
  if (!deps.decider) return fail(503, 'unavailable', t('console.approvals.unavailable'));
  const approval = deps.incidents.store.approvals.get(id);
  if (!approval) return fail(404, 'not_found', t('console.error.notFound'));
  const allowed = can(viewer.actor, 'approval.decide');
  if (!allowed.ok) {
    return refuse(
      deps,
      viewer,
      'approval.decide',
      `approval:${id}`,
      allowed.reason,
      refusalMessage(t, allowed, viewer.actor),
    );
  }
  const r = await deps.decider.decide(id, viewer.actor, decision, reason || undefined);
  if (r.ok)
    return {
      status: 200,
      body: { ok: true, message: t('console.action.done'), status: r.status, votes: r.votes, needed: r.needed },
    };
  const status = r.code === 'not_found' ? 404 : r.code === 'forbidden' ? 403 : 409;
  return fail(status, r.code, r.reason);
}
