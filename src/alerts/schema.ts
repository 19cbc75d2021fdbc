/**
 * The Alertmanager webhook body, version 4 (prometheus/alertmanager notify/webhook). Unknown extra fields are
 * kept (Alertmanager adds some over time); what the product relies on is required.
 */
import { z } from 'zod';

const labelSet = z.record(z.string(), z.string());

export const WebhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((l) => typeof l.alertname === 'string' && l.alertname !== '', 'needs an alertname label'),
  annotations: labelSet.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().default('0001-01-01T00:00:00Z'),
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
