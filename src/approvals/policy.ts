/**
 * The approval policy, pure: how many distinct approvers a risk needs (`approvals.<risk>.approvers`, defaults
 * 1, 1, 2), whether a low-risk run in a namespace runs without a click (`approvals.low.auto_namespaces`), and
 * whether this person's vote counts — an approver or admin (`can(…, 'approval.decide')`), never the requester
 * at high risk, and the requester at lower risk only with `approvals.<risk>.allow_self`. A requester may always
 * withdraw (reject) their own request.
 */
import type { Actor } from '../access/actor.js';
import { can } from '../access/can.js';
import { refusalMessage } from '../access/refusal.js';
import type { Config } from '../config.js';
import type { Risk } from '../runbooks/schema.js';
import type { Translate } from '../shared/i18n.js';

export function approversNeeded(config: Config, risk: Risk): number {
  return config.file.approvals[risk].approvers;
}

export function isAutoFix(config: Config, risk: Risk, namespace: string | undefined): boolean {
  return risk === 'low' && namespace !== undefined && config.file.approvals.low.auto_namespaces.includes(namespace);
}

/** Whether anyone configured could approve at all (approver or admin). */
export function hasApprovers(config: Config): boolean {
  return config.file.people.some((p) => p.roles.includes('approver') || p.roles.includes('admin'));
}

export type VoteCheck = { ok: true } | { ok: false; reason: string };

export function mayVote(
  config: Config,
  t: Translate,
  a: { id: string; requestedBy: string; risk: Risk },
  actor: Actor,
  decision: 'approve' | 'reject',
): VoteCheck {
  const self = actor.openId !== '' && actor.openId === a.requestedBy;
  if (self && decision === 'reject') return { ok: true };
  const allowed = can(actor, 'approval.decide');
  if (!allowed.ok) return { ok: false, reason: refusalMessage(t, allowed, actor) };
  if (self && decision === 'approve') {
    if (a.risk === 'high') return { ok: false, reason: t('approval.refused.selfHigh') };
    if (!config.file.approvals[a.risk].allow_self)
      return { ok: false, reason: t('approval.refused.self', { risk: a.risk }) };
  }
  return { ok: true };
}
