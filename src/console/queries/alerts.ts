/**
 * The alert centre: alerts grouped by fingerprint (one row per alert, its firing episodes counted), filtered by
 * Alertmanager-style label matchers (`namespace="shop", severity=~"crit.*"`, parsed by alerts/matchers.ts).
 */
import { type Matcher, matchesAll, parseMatcher } from '../../alerts/matchers.js';
import type { Store } from '../../store/index.js';
import { PAGE_SIZE, type Paged } from './incidents.js';

export interface AlertGroup {
  fingerprint: string;
  alertname: string;
  status: string;
  severity: string | null;
  labels: Record<string, string>;
  episodes: number;
  lastSeen: number;
  incidentId: number | null;
}

/** Splits `a="x, y", b=~"z"` at the commas outside quotes and parses each matcher. */
export function parseMatchers(text: string): { ok: true; matchers: Matcher[] } | { ok: false; bad: string } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && quoted) {
      cur += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const matchers: Matcher[] = [];
  for (const p of parts.map((s) => s.trim()).filter(Boolean)) {
    try {
      matchers.push(parseMatcher(p));
    } catch {
      return { ok: false, bad: p };
    }
  }
  return { ok: true, matchers };
}

/** How many of the newest fingerprints are searched (a bound on the work of one request). */
const SCAN_LIMIT = 20_000;

export function listAlertGroups(
  store: Store,
  matchers: readonly Matcher[],
  page: number,
  pageSize = PAGE_SIZE,
): Paged<AlertGroup> {
  const rows = store.db
    .prepare(
      `SELECT a.fingerprint, a.alertname, a.status, a.severity, a.labels, a.incident_id AS incidentId,
              g.episodes, g.lastSeen
       FROM (SELECT fingerprint, count(*) AS episodes, max(last_seen) AS lastSeen, max(id) AS latest
             FROM alerts GROUP BY fingerprint ORDER BY lastSeen DESC LIMIT ?) g
       JOIN alerts a ON a.id = g.latest ORDER BY g.lastSeen DESC`,
    )
    .all(SCAN_LIMIT) as (Omit<AlertGroup, 'labels'> & { labels: string })[];
  const matched: AlertGroup[] = [];
  for (const r of rows) {
    let labels: Record<string, string> = {};
    try {
      labels = JSON.parse(r.labels) as Record<string, string>;
    } catch {
      labels = {};
    }
    if (matchesAll(matchers, labels)) matched.push({ ...r, labels });
  }
  const pages = Math.max(1, Math.ceil(matched.length / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return {
    rows: matched.slice((current - 1) * pageSize, current * pageSize),
    total: matched.length,
    page: current,
    pages,
  };
}
