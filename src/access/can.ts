/**
 * The one answer to "may this actor do this, here": `can(actor, permission, scope)`. Pure and synchronous; the
 * actor comes from the `PeopleDirectory` (configured person, resolved emails, whether any people are configured)
 * and the scope names the on-call people of the incident acted on. In order:
 *
 * 1. An actor without an open_id may do nothing (`no_identity`).
 * 2. A configured person may do what their roles grant (`ROLE_PERMISSIONS`).
 * 3. The on-call (primary or secondary) of the route that owns the incident acts as an operator for it.
 * 4. With no `people` configured at all, anyone may do `OPEN_ACCESS_PERMISSIONS` (reading, ack, resolve,
 *    silence) — the product's behaviour before people were configured; approvals and the rest are refused
 *    (`no_people`) until someone holds the role.
 * 5. Otherwise: `role_missing` for a configured person, `unknown_person` for anyone else; `missing` is the least
 *    role that would grant the permission, for a refusal that says what to ask for.
 */
import type { Actor } from './actor.js';
import { leastRoleFor, type Permission, ROLE_PERMISSIONS, type Role } from './roles.js';

/** Where the action happens. */
export interface AccessScope {
  /** On-call refs (open_ids or emails) of the route that owns the incident acted on. */
  oncall?: readonly string[];
}

export type AccessRefusal = 'no_identity' | 'unknown_person' | 'role_missing' | 'no_people';

export type AccessDecision =
  | { ok: true; via: 'role' | 'oncall' | 'open_access' }
  | { ok: false; missing: Role; reason: AccessRefusal };

/** What anyone may do while no `people` are configured. */
export const OPEN_ACCESS_PERMISSIONS: readonly Permission[] = [
  'report.read',
  'diagnose',
  'incident.ack',
  'incident.resolve',
  'incident.silence',
];

export function can(actor: Actor, permission: Permission, scope: AccessScope = {}): AccessDecision {
  const missing = leastRoleFor(permission);
  if (!actor.openId.trim()) return { ok: false, missing, reason: 'no_identity' };
  const roles = actor.person?.roles ?? [];
  if (roles.some((r) => ROLE_PERMISSIONS[r].includes(permission))) return { ok: true, via: 'role' };
  if (ROLE_PERMISSIONS.operator.includes(permission) && isOncall(actor, scope.oncall ?? [])) {
    return { ok: true, via: 'oncall' };
  }
  if (actor.openAccess) {
    return OPEN_ACCESS_PERMISSIONS.includes(permission)
      ? { ok: true, via: 'open_access' }
      : { ok: false, missing, reason: 'no_people' };
  }
  return { ok: false, missing, reason: actor.person ? 'role_missing' : 'unknown_person' };
}

/** The scope of an incident from its route decision (`AlertRouter.decide(incident.labels)`). */
export function incidentScope(route: { oncall: readonly string[]; secondaryOncall: readonly string[] }): AccessScope {
  return { oncall: [...route.oncall, ...route.secondaryOncall] };
}

function isOncall(actor: Actor, refs: readonly string[]): boolean {
  const emails = (actor.emails ?? []).map((e) => e.toLowerCase());
  return refs.some((r) => r === actor.openId || emails.includes(r.toLowerCase()));
}
