import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export interface Heartbeat {
  name: string;
  lastSeen: number;
  status: string;
  incidentId: number | null;
}

export interface StormCount {
  alertname: string;
  namespace: string;
  firing: number;
  resolved: number;
}

export interface Storm {
  id: number;
  chatId: string;
  startedAt: number;
  lastAt: number;
  endedAt: number | null;
  incidents: number;
  counts: StormCount[];
}

/**
 * Alert-side state around incidents: workload correlation, which live card shows an incident, heartbeat
 * alerts, and alert storms per chat.
 */
export class AlertingRepo {
  constructor(private readonly db: Db) {}

  setIncidentLinks(
    incidentId: number,
    links: { correlationKey?: string | null; cardKey?: string | null; stormId?: number | null },
  ): void {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (links.correlationKey !== undefined) {
      sets.push('correlation_key = ?');
      params.push(links.correlationKey);
    }
    if (links.cardKey !== undefined) {
      sets.push('card_key = ?');
      params.push(links.cardKey);
    }
    if (links.stormId !== undefined) {
      sets.push('storm_id = ?');
      params.push(links.stormId);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE incidents SET ${sets.join(', ')} WHERE id = ?`).run(...params, incidentId);
  }

  incidentLinks(incidentId: number): { correlationKey: string | null; cardKey: string | null; stormId: number | null } {
    const r = this.db
      .prepare('SELECT correlation_key, card_key, storm_id FROM incidents WHERE id = ?')
      .get(incidentId) as
      | { correlation_key: string | null; card_key: string | null; storm_id: number | null }
      | undefined;
    return { correlationKey: r?.correlation_key ?? null, cardKey: r?.card_key ?? null, stormId: r?.storm_id ?? null };
  }

  /** The newest unresolved incident on a workload, seen within the window. */
  findActiveByCorrelation(correlationKey: string, seenSince: number): number | undefined {
    const r = this.db
      .prepare(
        `SELECT id FROM incidents WHERE correlation_key = ? AND status != 'resolved' AND last_seen >= ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(correlationKey, seenSince) as { id: number } | undefined;
    return r?.id;
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

  // Coalesced card refreshes

  /** Marks a live card for a patch at `dueAt` (an earlier pending mark is kept). */
  markCardDirty(cardKey: string, dueAt: number): void {
    this.db.prepare('INSERT OR IGNORE INTO card_refresh (card_key, due_at) VALUES (?, ?)').run(cardKey, dueAt);
  }

  dueCards(now: number, limit = 500): string[] {
    const rows = this.db
      .prepare('SELECT card_key FROM card_refresh WHERE due_at <= ? ORDER BY due_at LIMIT ?')
      .all(now, limit) as { card_key: string }[];
    return rows.map((r) => r.card_key);
  }

  clearCardDirty(cardKey: string): void {
    this.db.prepare('DELETE FROM card_refresh WHERE card_key = ?').run(cardKey);
  }

  nextCardDueAt(): number | undefined {
    const r = this.db.prepare('SELECT MIN(due_at) AS t FROM card_refresh').get() as { t: number | null };
    return r.t ?? undefined;
  }

  // Heartbeats

  heartbeat(name: string): Heartbeat | undefined {
    const r = this.db.prepare('SELECT * FROM heartbeats WHERE name = ?').get(name) as
      | { name: string; last_seen: number; status: string; incident_id: number | null }
      | undefined;
    return r && { name: r.name, lastSeen: r.last_seen, status: r.status, incidentId: r.incident_id };
  }

  heartbeats(): Heartbeat[] {
    const rows = this.db.prepare('SELECT * FROM heartbeats ORDER BY name').all() as {
      name: string;
      last_seen: number;
      status: string;
      incident_id: number | null;
    }[];
    return rows.map((r) => ({ name: r.name, lastSeen: r.last_seen, status: r.status, incidentId: r.incident_id }));
  }

  recordHeartbeat(name: string, status: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO heartbeats (name, last_seen, status) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen, status = excluded.status`,
      )
      .run(name, now, status);
  }

  setHeartbeatIncident(name: string, incidentId: number | null): void {
    this.db.prepare('UPDATE heartbeats SET incident_id = ? WHERE name = ?').run(incidentId, name);
  }

  // Storms

  activeStorm(chatId: string): Storm | undefined {
    const r = this.db
      .prepare('SELECT * FROM alert_storms WHERE chat_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1')
      .get(chatId) as StormRow | undefined;
    return r && toStorm(r);
  }

  storm(id: number): Storm | undefined {
    const r = this.db.prepare('SELECT * FROM alert_storms WHERE id = ?').get(id) as StormRow | undefined;
    return r && toStorm(r);
  }

  startStorm(chatId: string, now: number): Storm {
    const r = this.db
      .prepare('INSERT INTO alert_storms (chat_id, started_at, last_at) VALUES (?, ?, ?)')
      .run(chatId, now, now);
    return this.storm(Number(r.lastInsertRowid)) as Storm;
  }

  saveStorm(storm: Storm): void {
    this.db
      .prepare('UPDATE alert_storms SET last_at = ?, ended_at = ?, incidents = ?, counts = ? WHERE id = ?')
      .run(storm.lastAt, storm.endedAt, storm.incidents, toJson(storm.counts), storm.id);
  }

  /** Whether the first message of a live card was queued already (later changes are patches). */
  cardQueued(cardKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE dedupe_key = ?').get(`send_card:${cardKey}`) !== undefined;
  }

  /** New incident cards queued for a chat since `since` (the storm detector's sliding window). */
  cardsSentSince(chatId: string, since: number): number {
    const r = this.db
      .prepare(
        "SELECT COUNT(*) AS n FROM outbox WHERE chat_id = ? AND kind = 'send_card' AND created_at >= ? AND ref LIKE 'incident:%'",
      )
      .get(chatId, since) as { n: number };
    return r.n;
  }
}

interface StormRow {
  id: number;
  chat_id: string;
  started_at: number;
  last_at: number;
  ended_at: number | null;
  incidents: number;
  counts: string;
}

function toStorm(r: StormRow): Storm {
  return {
    id: r.id,
    chatId: r.chat_id,
    startedAt: r.started_at,
    lastAt: r.last_at,
    endedAt: r.ended_at,
    incidents: r.incidents,
    counts: fromJson(r.counts, []),
  };
}
