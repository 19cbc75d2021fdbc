/**
 * Who may decide an approval, from the person who clicked it and the configured `people`: exactly what
 * `can(actor, 'approval.decide')` answers. Pure; `mcp/policy.ts` asks it when an approval id is presented, so
 * approvals are refused while no people are configured.
 */
import type { Actor, Person } from './actor.js';
import { can } from './can.js';

export function mayDecideApproval(person: string | undefined, people: readonly Person[]): boolean {
  const openId = person?.trim() ?? '';
  const configured = people.find((p) => p.id === openId);
  const actor: Actor = {
    openId,
    ...(configured ? { person: configured } : {}),
    ...(people.length === 0 ? { openAccess: true as const } : {}),
  };
  return can(actor, 'approval.decide').ok;
}
