/** Alert storms per chat: when one started and last grew, and how many incidents its card summarises. */
import { type Storm, StormSchema } from '../../incidents/model.js';
import type { Db } from '../db.js';
import { type Row, rowMapper } from '../rows.js';

/** A storm card's row: alerts of one name in one namespace, counted by fingerprint. */
export interface StormCount {
  alertname: string;
  namespace: string;
  firing: number;
  resolved: number;
}

const toStorm = rowMapper(StormSchema);

export class StormsRepo {
  constructor(private readonly db: Db) {}

  active(chatId: string): Storm | undefined {
    const r = this.db
      .prepare('SELECT * FROM alert_storms WHERE chat_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1')
      .get(chatId) as Row | undefined;
    return r && toStorm(r);
  }

  get(id: number): Storm | undefined {
    const r = this.db.prepare('SELECT * FROM alert_storms WHERE id = ?').get(id) as Row | undefined;
    return r && toStorm(r);
  }

  start(chatId: string, now: number): Storm {
    const r = this.db
      .prepare('INSERT INTO alert_storms (chat_id, started_at, last_at) VALUES (?, ?, ?) RETURNING *')
      .get(chatId, now, now) as Row;
    return toStorm(r);
  }

  save(storm: Storm): void {
    this.db
      .prepare('UPDATE alert_storms SET last_at = ?, ended_at = ?, incidents = ? WHERE id = ?')
      .run(storm.lastAt, storm.endedAt, storm.incidents, storm.id);
  }

  /** The storm's alerts by name and namespace, counted by fingerprint (firing: its episode still fires). */
  counts(stormId: number): StormCount[] {
    return this.db
      .prepare(
        `SELECT a.alertname AS alertname, COALESCE(i.namespace, '') AS namespace,
                COUNT(DISTINCT CASE WHEN a.status = 'firing' THEN a.fingerprint END) AS firing,
                COUNT(DISTINCT a.fingerprint) - COUNT(DISTINCT CASE WHEN a.status = 'firing' THEN a.fingerprint END)
                  AS resolved
         FROM incidents i JOIN alerts a ON a.incident_id = i.id
         WHERE i.storm_id = ? GROUP BY 1, 2`,
      )
      .all(stormId) as StormCount[];
  }
}
