/**
 * The overview's figures, from the store: open incidents by priority, MTTA and MTTR since a time, alerts per
 * hour, runbook success. Day and week start in the bot's time zone (weeks on Monday).
 */
import type { Priority } from '../../alerts/model.js';
import type { Store } from '../../store/index.js';

export interface Overview {
  openByPriority: Record<Priority, number>;
  mtta: { today: number | null; week: number | null };
  mttr: { today: number | null; week: number | null };
  /** Alerts first seen per hour, oldest first, for the last 24 hours. */
  alertRate: { hour: string; alerts: number }[];
  runbooks: { total: number; ok: number };
}

export function overview(store: Store, now: number, timeZone: string): Overview {
  const openByPriority: Record<Priority, number> = { P0: 0, P1: 0, P2: 0, P3: 0 };
  const rows = store.db
    .prepare("SELECT priority, count(*) AS n FROM incidents WHERE status != 'resolved' GROUP BY priority")
    .all() as { priority: Priority; n: number }[];
  for (const r of rows) openByPriority[r.priority] = r.n;
  const day = startOfDay(now, timeZone);
  const week = startOfWeek(now, timeZone);
  const avg = (col: 'acked_at' | 'resolved_at', since: number): number | null => {
    const r = store.db
      .prepare(`SELECT avg(${col} - first_seen) AS v FROM incidents WHERE first_seen >= ? AND ${col} IS NOT NULL`)
      .get(since) as { v: number | null };
    return r.v === null ? null : Math.round(r.v);
  };
  const hourMs = 3_600_000;
  const from = Math.floor(now / hourMs) * hourMs - 23 * hourMs;
  const counts = new Map(
    (
      store.db
        .prepare(
          'SELECT CAST((first_seen - ?) / ? AS INTEGER) AS h, count(*) AS n FROM alerts WHERE first_seen >= ? GROUP BY h',
        )
        .all(from, hourMs, from) as { h: number; n: number }[]
    ).map((r) => [r.h, r.n]),
  );
  const hourFmt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
  const alertRate = Array.from({ length: 24 }, (_, h) => ({
    hour: hourFmt.format(from + h * hourMs),
    alerts: counts.get(h) ?? 0,
  }));
  const runs = store.db
    .prepare(
      `SELECT count(*) AS total, coalesce(sum(state = 'succeeded'), 0) AS ok FROM runbook_runs
       WHERE created_at >= ? AND state IN ('succeeded','failed','rolled_back','interrupted')`,
    )
    .get(now - 7 * 86_400_000) as { total: number; ok: number };
  return {
    openByPriority,
    mtta: { today: avg('acked_at', day), week: avg('acked_at', week) },
    mttr: { today: avg('resolved_at', day), week: avg('resolved_at', week) },
    alertRate,
    runbooks: runs,
  };
}

/** Milliseconds between UTC and the zone's wall clock at `ms`. */
function zoneOffset(ms: number, timeZone: string): number {
  const p: Record<string, string> = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  const n = (k: string) => Number(p[k] ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

export function startOfDay(now: number, timeZone: string): number {
  const offset = zoneOffset(now, timeZone);
  const wall = now + offset;
  return wall - (((wall % 86_400_000) + 86_400_000) % 86_400_000) - offset;
}

export function startOfWeek(now: number, timeZone: string): number {
  const day = startOfDay(now, timeZone);
  const weekday = new Date(day + zoneOffset(day, timeZone)).getUTCDay(); // 0 = Sunday
  return startOfDay(day - ((weekday + 6) % 7) * 86_400_000 + 12 * 3_600_000, timeZone);
}

/** 95 s → "1m 35s", 2 h → "2h 0m". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
