/**
 * The Alertmanager webhook body, version 4 (prometheus/alertmanager notify/webhook). Unknown extra fields are
 * kept (Alertmanager adds some over time); what the product relies on is required.
 */
import { z } from 'zod';

/**
 * A label or annotation set: an object of string values. Checked with one loop rather than a schema per key —
 * every alert carries two of them, and this check is on the path that answers Alertmanager.
 */
const labelSet = z.custom<Record<string, string>>(isStringMap, {
  error: (issue) => {
    const input = issue.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected an object';
    const bad = Object.keys(input).find((k) => typeof (input as Record<string, unknown>)[k] !== 'string');
    return `"${bad}" must be a string`;
  },
});

/** An RFC 3339 time as Alertmanager writes it (any fraction of a second, `Z` or an offset). */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'expected an RFC 3339 time');

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

export const WebhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((l) => typeof l.alertname === 'string' && l.alertname !== '', 'needs an alertname label'),
  annotations: labelSet.default({}),
  startsAt: timestamp,
  endsAt: timestamp.default('0001-01-01T00:00:00Z'),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1),
});

export const WebhookBodySchema = z.looseObject({
  version: z.literal('4', { error: 'only Alertmanager webhook version "4" is supported' }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(WebhookAlertSchema),
});

export type WebhookAlert = z.infer<typeof WebhookAlertSchema>;
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

/** Alertmanager's zero time means "no end known yet". */
export function isZeroTime(t: string): boolean {
  return t === '' || t.startsWith('0001-01-01');
}
