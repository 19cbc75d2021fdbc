/**
 * The alert side of the domain model, zod first: priorities and the stored firing episode of an alert. The
 * store parses its rows through these; config, cards and incidents import them. Nothing here has state.
 */
import { z } from 'zod';

/** P0 is the most urgent. */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/** The higher (more urgent) of two priorities. */
export function maxPriority(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) <= PRIORITIES.indexOf(b) ? a : b;
}

export const AlertStatusSchema = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

const labels = z.record(z.string(), z.string());

/** One firing episode of an alert (fingerprint + startsAt), as stored. */
export const AlertSchema = z.object({
  id: z.number().int(),
  fingerprint: z.string(),
  /** RFC 3339, as Alertmanager sent it. */
  startsAt: z.string(),
  alertname: z.string(),
  status: AlertStatusSchema,
  severity: z.string().nullable(),
  priority: PrioritySchema.nullable(),
  labels,
  annotations: labels,
  endsAt: z.string().nullable(),
  generatorUrl: z.string().nullable(),
  incidentId: z.number().int().nullable(),
  /** Epoch ms when this process first and last heard of it. */
  firstSeen: z.number(),
  lastSeen: z.number(),
  receiveCount: z.number().int(),
});
export type Alert = z.infer<typeof AlertSchema>;

/** What the intake writes for an episode: the alert without the columns only the database knows. */
export type AlertInput = Omit<Alert, 'id' | 'incidentId' | 'firstSeen' | 'lastSeen' | 'receiveCount'> & {
  /** The incident a new episode belongs to (ignored for an episode already stored). */
  incidentId?: number | null;
};

/** A heartbeat alert (Watchdog): when it was last heard of, and the "pipeline down" incident it opened. */
export const HeartbeatSchema = z.object({
  name: z.string(),
  lastSeen: z.number(),
  status: z.string(),
  incidentId: z.number().int().nullable(),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;
