/**
 * The on-call configuration: `oncall.rotations[]` (members by open_id or email, a daily or weekly handover at a
 * wall-clock time in a zone, counted from a start date) and `oncall.overrides[]` (dated replacements);
 * `routes[].rotation` / `routes[].secondary_rotation` name a rotation (config.ts checks the names exist).
 *
 *   oncall:
 *     rotations:
 *       - name: sre
 *         members: [ou_alice, bob@example.com]
 *         every: weekly          # or daily
 *         handover: "10:00"
 *         timezone: Asia/Shanghai  # default: TZ
 *         start: 2026-01-05      # members[0] starts then; weekly handovers fall on its weekday
 *     overrides:
 *       - { rotation: sre, who: ou_carol, from: "2026-12-24T18:00", to: "2026-12-26T10:00" }
 */
import { z } from 'zod';
import { parseHandover, parseStartDate } from './rotation.js';
import { isTimeZone, parseLocalTime } from './zoned-time.js';

const personRef = z
  .string()
  .trim()
  .refine((s) => /^ou_[A-Za-z0-9_-]+$/.test(s) || /^[^@\s]+@[^@\s]+$/.test(s), 'must be an open_id (ou_…) or an email');

export const ROTATION_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const localTime = z
  .string()
  .refine(
    (s) => parseLocalTime(s, 'UTC') !== undefined,
    'must be a time such as 2026-12-24T18:00 (in the rotation’s zone) or an ISO time with an offset',
  );

export const RotationSchema = z.strictObject({
  name: z.string().regex(ROTATION_NAME, 'must be lower-case letters, digits, - or _'),
  members: z.array(personRef).min(1),
  every: z.enum(['daily', 'weekly']).default('weekly'),
  handover: z
    .string()
    .refine((s) => parseHandover(s) !== undefined, 'must be a time of day such as "09:00"')
    .default('09:00'),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
  start: z
    .union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))])
    .refine((s) => parseStartDate(s) !== undefined, 'must be a date such as 2026-01-05'),
});

/**
 * An unquoted YAML date (`2026-12-24`) arrives as a Date at UTC midnight: it means that day on the rotation's
 * wall clock. An unquoted timestamp with a time keeps its instant (YAML reads one without an offset as UTC).
 */
const yamlTime = z.date().transform((d) => {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
});

export const OncallOverrideSchema = z.strictObject({
  rotation: z.string().min(1),
  who: personRef,
  from: z.union([localTime, yamlTime]),
  to: z.union([localTime, yamlTime]),
});

export const OncallConfigSchema = z
  .strictObject({
    rotations: z.array(RotationSchema).default([]),
    overrides: z.array(OncallOverrideSchema).default([]),
  })
  .superRefine((o, ctx) => {
    const names = new Set<string>();
    o.rotations.forEach((r, i) => {
      if (names.has(r.name))
        ctx.addIssue({ code: 'custom', path: ['rotations', i, 'name'], message: 'duplicate name' });
      names.add(r.name);
    });
    o.overrides.forEach((ov, i) => {
      if (!names.has(ov.rotation)) {
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, 'rotation'],
          message: `no rotation named ${ov.rotation}`,
        });
      }
      const from = parseLocalTime(ov.from, 'UTC');
      const to = parseLocalTime(ov.to, 'UTC');
      if (from !== undefined && to !== undefined && to <= from) {
        ctx.addIssue({ code: 'custom', path: ['overrides', i, 'to'], message: 'must be after from' });
      }
    });
  });

export type OncallConfig = z.infer<typeof OncallConfigSchema>;
export type RotationConfig = z.infer<typeof RotationSchema>;

/** Routes naming a rotation that does not exist, as config problems. */
export function rotationReferenceProblems(
  oncall: OncallConfig,
  routes: readonly {
    name?: string | undefined;
    rotation?: string | undefined;
    secondary_rotation?: string | undefined;
  }[],
): string[] {
  const names = new Set(oncall.rotations.map((r) => r.name));
  const problems: string[] = [];
  routes.forEach((r, i) => {
    for (const key of ['rotation', 'secondary_rotation'] as const) {
      const v = r[key];
      if (v !== undefined && !names.has(v)) {
        problems.push(
          `routes[${i}].${key}: no rotation named ${v} under oncall.rotations (${[...names].join(', ') || 'none configured'})`,
        );
      }
    }
  });
  return problems;
}
