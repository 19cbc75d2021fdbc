/**
 * Who may do what: the roles a configured person holds and the permissions each role grants. One definition,
 * imported by the configuration, the tool policy, card buttons, commands, approvals and the console.
 *
 * | permission         | viewer | operator | approver | admin |
 * |--------------------|--------|----------|----------|-------|
 * | report.read        |   ✓    |    ✓     |    ✓     |   ✓   |
 * | diagnose           |   ✓    |    ✓     |    ✓     |   ✓   |
 * | logs.read          |        |    ✓     |    ✓     |   ✓   |
 * | incident.ack       |        |    ✓     |    ✓     |   ✓   |
 * | incident.resolve   |        |    ✓     |    ✓     |   ✓   |
 * | incident.silence   |        |    ✓     |    ✓     |   ✓   |
 * | runbook.request    |        |    ✓     |    ✓     |   ✓   |
 * | approval.decide    |        |          |    ✓     |   ✓   |
 * | admin              |        |          |          |   ✓   |
 *
 * The on-call people of the route that owns an incident act as operators for that incident.
 */
import { z } from 'zod';

export const ROLES = ['admin', 'approver', 'operator', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const PERMISSIONS = [
  'incident.ack',
  'incident.resolve',
  'incident.silence',
  'diagnose',
  'logs.read',
  'runbook.request',
  'approval.decide',
  'report.read',
  'admin',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

const VIEWER: readonly Permission[] = ['report.read', 'diagnose'];
const OPERATOR: readonly Permission[] = [
  ...VIEWER,
  'logs.read',
  'incident.ack',
  'incident.resolve',
  'incident.silence',
  'runbook.request',
];
const APPROVER: readonly Permission[] = [...OPERATOR, 'approval.decide'];

/** What each role grants (the table above). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  approver: APPROVER,
  admin: PERMISSIONS,
};

/** The least role that grants a permission, for refusals that say what is missing. */
export function leastRoleFor(permission: Permission): Role {
  for (const role of ['viewer', 'operator', 'approver', 'admin'] as const) {
    if (ROLE_PERMISSIONS[role].includes(permission)) return role;
  }
  return 'admin';
}
