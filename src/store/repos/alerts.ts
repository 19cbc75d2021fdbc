/** Alert episodes (one row per fingerprint + startsAt) and the raw Alertmanager bodies they came in. */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type Alert, type AlertInput, AlertSchema } from '../../alerts/model.js';
import type { Db } from '../db.js';
import { toJson } from '../json.js';
import { type Row, rowMapper } from '../rows.js';

const toAlert = rowMapper(AlertSchema, ['labels', 'annotations'], { trusted: true });

export interface UpsertResult {
  alert: Alert;
  /** First time this firing episode (fingerprint + startsAt) was seen. */
  isNew: boolean;
  /** The status differs from what was stored (firing → resolved or back). */
  statusChanged: boolean;
}

/** Bodies of at least this many bytes are stored deflated (a 50-alert body: ~20 KB → ~1 KB). */
export const DEFLATE_ABOVE = 2048;

export class AlertsRepo {
  constructor(private readonly db: Db) {}

  /**
   * The raw webhook body, kept whole so nothing acknowledged is ever lost. Bodies from `DEFLATE_ABOVE` bytes are
   * stored deflated (see `webhookBody`).
   */
  recordWebhook(
    input: { groupKey: string; status: string; alertCount: number; body: string | Buffer },
    now: number,
  ): number {
    const bytes = typeof input.body === 'string' ? Buffer.byteLength(input.body) : input.body.length;
    const deflate = bytes >= DEFLATE_ABOVE;
    const body = deflate ? deflateRawSync(input.body, { level: 3 }) : input.body.toString();
    const r = this.db
      .prepare(
        'INSERT INTO alert_webhooks (received_at, group_key, status, alert_count, body, encoding) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(now, input.groupKey, input.status, input.alertCount, body, deflate ? 'deflate' : 'utf8');
    return Number(r.lastInsertRowid);
  }

  /** A stored body, as the text Alertmanager sent. */
  webhookBody(id: number): string | undefined {
    const row = this.db.prepare('SELECT body, encoding FROM alert_webhooks WHERE id = ?').get(id) as
      | { body: string | Buffer; encoding: 'utf8' | 'deflate' }
      | undefined;
    if (!row) return undefined;
    return row.encoding === 'deflate' ? inflateRawSync(row.body as Buffer).toString('utf8') : String(row.body);
  }

  /** Bodies not applied yet (in arrival order), leaving out those that failed `maxAttempts` times. */
  pendingWebhooks(maxAttempts: number): { id: number; attempts: number; receivedAt: number }[] {
    return this.db
      .prepare(
        `SELECT id, attempts, received_at AS receivedAt FROM alert_webhooks
         WHERE processed_at IS NULL AND attempts < ? ORDER BY id`,
      )
      .all(maxAttempts) as { id: number; attempts: number; receivedAt: number }[];
  }

  /** Records a failed attempt; returns how many attempts the body has had. */
  markWebhookFailed(id: number, error: string): number {
    const r = this.db
      .prepare('UPDATE alert_webhooks SET attempts = attempts + 1, error = ? WHERE id = ? RETURNING attempts')
      .get(error.slice(0, 2000), id) as { attempts: number } | undefined;
    return r?.attempts ?? 0;
  }

  webhookCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM alert_webhooks').get() as { n: number }).n;
  }

  /**
   * Inserts a new firing episode or updates the stored one. `stored` is what the caller already looked up for
   * this fingerprint + startsAt (`null`: none), which saves reading it again. The record returned is built
   * from the input and the few columns only the database knows, not re-read and re-parsed.
   */
  upsert(input: AlertInput, now: number, stored?: { id: number; status: string } | null): UpsertResult {
    const existing =
      stored === undefined
        ? (this.db
            .prepare('SELECT id, status FROM alerts WHERE fingerprint = ? AND starts_at = ?')
            .get(input.fingerprint, input.startsAt) as { id: number; status: string } | undefined)
        : (stored ?? undefined);
    const record = (r: { id: number; incident_id: number | null; first_seen: number; receive_count: number }) => ({
      id: r.id,
      fingerprint: input.fingerprint,
      startsAt: input.startsAt,
      alertname: input.alertname,
      status: input.status,
      severity: input.severity,
      priority: input.priority,
      labels: input.labels,
      annotations: input.annotations,
      endsAt: input.endsAt,
      generatorUrl: input.generatorUrl,
      incidentId: r.incident_id,
      firstSeen: r.first_seen,
      lastSeen: now,
      receiveCount: r.receive_count,
    });
    if (!existing) {
      const r = this.db
        .prepare(
          `INSERT INTO alerts (fingerprint, starts_at, alertname, status, severity, priority, labels, annotations,
             ends_at, generator_url, first_seen, last_seen, incident_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          input.fingerprint,
          input.startsAt,
          input.alertname,
          input.status,
          input.severity,
          input.priority,
          toJson(input.labels),
          toJson(input.annotations),
          input.endsAt,
          input.generatorUrl,
          now,
          now,
          input.incidentId ?? null,
        ) as { id: number };
      const alert = record({ id: r.id, incident_id: input.incidentId ?? null, first_seen: now, receive_count: 1 });
      return { alert, isNew: true, statusChanged: true };
    }
    const updated = this.db
      .prepare(
        `UPDATE alerts SET status = ?, severity = ?, priority = ?, labels = ?, annotations = ?, ends_at = ?,
           generator_url = ?, last_seen = ?, receive_count = receive_count + 1 WHERE id = ?
         RETURNING id, incident_id, first_seen, receive_count`,
      )
      .get(
        input.status,
        input.severity,
        input.priority,
        toJson(input.labels),
        toJson(input.annotations),
        input.endsAt,
        input.generatorUrl,
        now,
        existing.id,
      ) as { id: number; incident_id: number | null; first_seen: number; receive_count: number };
    return { alert: record(updated), isNew: false, statusChanged: existing.status !== input.status };
  }

  /** Marks stored bodies applied, in one statement. */
  markWebhooksProcessed(ids: readonly number[], now: number): void {
    if (ids.length === 0) return;
    this.db
      .prepare('UPDATE alert_webhooks SET processed_at = ? WHERE id IN (SELECT value FROM json_each(?))')
      .run(now, JSON.stringify(ids));
  }

  setIncident(alertId: number, incidentId: number): void {
    this.db.prepare('UPDATE alerts SET incident_id = ? WHERE id = ?').run(incidentId, alertId);
  }

  get(id: number): Alert | undefined {
    const row = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as Row | undefined;
    return row && toAlert(row);
  }

  /** The newest episode of a fingerprint. */
  latestByFingerprint(fingerprint: string): Alert | undefined {
    const row = this.db
      .prepare('SELECT * FROM alerts WHERE fingerprint = ? ORDER BY starts_at DESC, id DESC LIMIT 1')
      .get(fingerprint) as Row | undefined;
    return row && toAlert(row);
  }

  byIncident(incidentId: number): Alert[] {
    const rows = this.db.prepare('SELECT * FROM alerts WHERE incident_id = ? ORDER BY id').all(incidentId) as Row[];
    return rows.map(toAlert);
  }

  /**
   * An incident's alerts by name, counted by fingerprint (an alert that fired, resolved and fired again is one
   * alert): how many fire now and how many there are. Firing names first.
   */
  namesOf(incidentId: number): { name: string; firing: number; total: number }[] {
    return this.db
      .prepare(
        `SELECT alertname AS name, COUNT(DISTINCT CASE WHEN status = 'firing' THEN fingerprint END) AS firing,
                COUNT(DISTINCT fingerprint) AS total
         FROM alerts WHERE incident_id = ? GROUP BY alertname ORDER BY firing DESC, total DESC, alertname`,
      )
      .all(incidentId) as { name: string; firing: number; total: number }[];
  }

  /** The alert that best describes an incident: firing first, then the most urgent, then the latest heard of. */
  leadOf(incidentId: number): Alert | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM alerts WHERE incident_id = ? ORDER BY status = 'firing' DESC, priority, last_seen DESC LIMIT 1`,
      )
      .get(incidentId) as Row | undefined;
    return row && toAlert(row);
  }

  /** When the earliest of an incident's alerts started, as Alertmanager said (epoch ms). */
  earliestStart(incidentId: number): number | undefined {
    const rows = this.db
      .prepare('SELECT DISTINCT starts_at AS s FROM alerts WHERE incident_id = ?')
      .all(incidentId) as {
      s: string;
    }[];
    let min: number | undefined;
    for (const r of rows) {
      const t = Date.parse(r.s);
      if (Number.isFinite(t) && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  countByStatus(incidentId: number): { firing: number; resolved: number } {
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM alerts WHERE incident_id = ? GROUP BY status')
      .all(incidentId) as { status: Alert['status']; n: number }[];
    const out = { firing: 0, resolved: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** The stored episode of a fingerprint starting at `startsAt`, if any. */
  episode(
    fingerprint: string,
    startsAt: string,
  ): { id: number; incidentId: number | null; status: string } | undefined {
    const r = this.db
      .prepare('SELECT id, incident_id, status FROM alerts WHERE fingerprint = ? AND starts_at = ?')
      .get(fingerprint, startsAt) as { id: number; incident_id: number | null; status: string } | undefined;
    return r && { id: r.id, incidentId: r.incident_id, status: r.status };
  }

  /** Whether a later firing episode of the fingerprint is stored (so the one starting at `startsAt` is over). */
  hasNewerEpisode(fingerprint: string, startsAt: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM alerts WHERE fingerprint = ? AND starts_at > ? LIMIT 1')
        .get(fingerprint, startsAt) !== undefined
    );
  }

  /**
   * A new firing episode of a fingerprint means its older episodes ended, even if Alertmanager never said so:
   * they are marked resolved. Returns the episodes closed this way.
   */
  closeEarlierEpisodes(
    fingerprint: string,
    startsAt: string,
    now: number,
  ): { id: number; incidentId: number | null }[] {
    const rows = this.db
      .prepare("SELECT id, incident_id FROM alerts WHERE fingerprint = ? AND starts_at < ? AND status = 'firing'")
      .all(fingerprint, startsAt) as { id: number; incident_id: number | null }[];
    if (rows.length === 0) return [];
    this.db
      .prepare(
        `UPDATE alerts SET status = 'resolved', ends_at = COALESCE(ends_at, ?), last_seen = ?
         WHERE fingerprint = ? AND starts_at < ? AND status = 'firing'`,
      )
      .run(startsAt, now, fingerprint, startsAt);
    return rows.map((r) => ({ id: r.id, incidentId: r.incident_id }));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
  }
}
