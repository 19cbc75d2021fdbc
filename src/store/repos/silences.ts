/**
 * Alertmanager silences created from incident cards, and what became of them. At most one set is created per
 * incident at a time: `claim` marks a creation under way (in this process, which owns the database), so a
 * second click waits for it and then finds the silences `activeFor` the incident instead of making its own.
 */
import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export type SilenceState = 'active' | 'expired' | 'removed';

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface SilenceRecord {
  id: number;
  incidentId: number;
  silenceId: string;
  createdBy: string;
  matchers: SilenceMatcher[];
  createdAt: number;
  endsAt: number;
  state: SilenceState;
  checkedAt: number | null;
}

/** A silence creation under way for an incident; `settled` resolves once it is recorded or has failed. */
export interface PendingSilence {
  settled: Promise<void>;
}

export type SilenceClaim = { ok: true; release: () => void } | { ok: false; pending: PendingSilence };

export class SilencesRepo {
  private readonly pending = new Map<number, PendingSilence>();

  constructor(private readonly db: Db) {}

  /** Marks a creation under way for an incident, or answers the one already under way. */
  claim(incidentId: number): SilenceClaim {
    const held = this.pending.get(incidentId);
    if (held) return { ok: false, pending: held };
    let settle: () => void = () => {};
    const mine: PendingSilence = { settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.pending.set(incidentId, mine);
    return {
      ok: true,
      release: () => {
        if (this.pending.get(incidentId) === mine) this.pending.delete(incidentId);
        settle();
      },
    };
  }

  /** Silences of an incident still in force at `now` (active as last checked, and not past their end). */
  activeFor(incidentId: number, now: number): SilenceRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM silences WHERE incident_id = ? AND state = 'active' AND ends_at > ? ORDER BY id")
        .all(incidentId, now) as Row[]
    ).map(toSilence);
  }

  add(
    input: { incidentId: number; silenceId: string; createdBy: string; matchers: SilenceMatcher[]; endsAt: number },
    now: number,
  ): SilenceRecord {
    const r = this.db
      .prepare(
        'INSERT INTO silences (incident_id, silence_id, created_by, matchers, created_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(input.incidentId, input.silenceId, input.createdBy, toJson(input.matchers), now, input.endsAt);
    return this.get(Number(r.lastInsertRowid)) as SilenceRecord;
  }

  get(id: number): SilenceRecord | undefined {
    const r = this.db.prepare('SELECT * FROM silences WHERE id = ?').get(id) as Row | undefined;
    return r && toSilence(r);
  }

  byIncident(incidentId: number): SilenceRecord[] {
    return (this.db.prepare('SELECT * FROM silences WHERE incident_id = ? ORDER BY id').all(incidentId) as Row[]).map(
      toSilence,
    );
  }

  active(): SilenceRecord[] {
    return (this.db.prepare("SELECT * FROM silences WHERE state = 'active' ORDER BY id").all() as Row[]).map(toSilence);
  }

  setState(id: number, state: SilenceState, now: number): boolean {
    const r = this.db
      .prepare('UPDATE silences SET state = ?, checked_at = ? WHERE id = ? AND state != ?')
      .run(state, now, id, state);
    return r.changes === 1;
  }

  touch(id: number, now: number): void {
    this.db.prepare('UPDATE silences SET checked_at = ? WHERE id = ?').run(now, id);
  }
}

interface Row {
  id: number;
  incident_id: number;
  silence_id: string;
  created_by: string;
  matchers: string;
  created_at: number;
  ends_at: number;
  state: SilenceState;
  checked_at: number | null;
}

function toSilence(r: Row): SilenceRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    silenceId: r.silence_id,
    createdBy: r.created_by,
    matchers: fromJson(r.matchers, []),
    createdAt: r.created_at,
    endsAt: r.ends_at,
    state: r.state,
    checkedAt: r.checked_at,
  };
}
