/** Heartbeat alerts (Watchdog): when each was last heard of, and the "pipeline down" incident it opened. */
import { type Heartbeat, HeartbeatSchema } from '../../alerts/model.js';
import type { Db } from '../db.js';
import { type Row, rowMapper } from '../rows.js';

const toHeartbeat = rowMapper(HeartbeatSchema);

export class HeartbeatsRepo {
  constructor(private readonly db: Db) {}

  get(name: string): Heartbeat | undefined {
    const r = this.db.prepare('SELECT * FROM heartbeats WHERE name = ?').get(name) as Row | undefined;
    return r && toHeartbeat(r);
  }

  list(): Heartbeat[] {
    return (this.db.prepare('SELECT * FROM heartbeats ORDER BY name').all() as Row[]).map(toHeartbeat);
  }

  record(name: string, status: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO heartbeats (name, last_seen, status) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen, status = excluded.status`,
      )
      .run(name, now, status);
  }

  setIncident(name: string, incidentId: number | null): void {
    this.db.prepare('UPDATE heartbeats SET incident_id = ? WHERE name = ?').run(incidentId, name);
  }
}
