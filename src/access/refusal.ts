/**
 * The words of a refusal, for the toast or reply the refused person sees: which role is missing and whom to
 * ask ("需要 operator 角色… / needs the operator role; ask an admin to add you under people").
 */
import type { Translate } from '../shared/i18n.js';
import type { Actor } from './actor.js';
import type { AccessDecision } from './can.js';

export function refusalMessage(t: Translate, refusal: Extract<AccessDecision, { ok: false }>, actor: Actor): string {
  switch (refusal.reason) {
    case 'no_identity':
      return t('access.refused.noIdentity');
    case 'unknown_person':
      return t('access.refused.unknownPerson', { role: refusal.missing });
    case 'role_missing':
      return t('access.refused.roleMissing', {
        role: refusal.missing,
        roles: actor.person?.roles.join(', ') || '—',
      });
    case 'no_people':
      return t('access.refused.noPeople', { role: refusal.missing });
    default: {
      const never: never = refusal.reason;
      return never;
    }
  }
}
