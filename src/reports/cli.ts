/**
 * `sre-nanobot report daily|weekly [--at <date>] --dry-run`: builds the digest that would be posted at `--at`
 * (a date, YYYY-MM-DD read in TZ, or an ISO time; default now) from the configured database and prints its
 * card JSON. Nothing is posted: the running bot posts digests on schedule, and `/report` posts one now.
 */
import type { Config } from '../config.js';
import type { ReportDeps } from './deps.js';
import { buildDigest } from './digests.js';
import { DigestKindSchema } from './model.js';
import { zonedTime } from './zoned.js';

export const REPORT_USAGE = 'usage: sre-nanobot report daily|weekly [--at <YYYY-MM-DD | ISO time>] --dry-run';

export interface ReportCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface ReportCliHost {
  /** The validated configuration, or the problems that prevent it (already formatted). */
  config: () => { ok: true; config: Config } | { ok: false; text: string };
  /** Opens the database read for reports; an error message when it cannot be. */
  open: (config: Config) => { ok: true; deps: ReportDeps; close: () => void } | { ok: false; text: string };
}

/** `2026-11-25` (midnight in TZ) or an ISO time; undefined when it is neither. */
export function parseAt(text: string, timezone: string): number | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
    return zonedTime(timezone, y, m, d);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export async function reportCli(args: string[], io: ReportCliIo, host: ReportCliHost): Promise<number> {
  const [which, ...rest] = args;
  const kind = DigestKindSchema.safeParse(which);
  if (!kind.success) {
    io.err(REPORT_USAGE);
    return 2;
  }
  let atText: string | undefined;
  let dryRun = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--dry-run') dryRun = true;
    else if (a === '--at' && rest[i + 1] !== undefined) atText = rest[++i];
    else if (a.startsWith('--at=')) atText = a.slice('--at='.length);
    else {
      io.err(`unknown argument: ${a}\n${REPORT_USAGE}`);
      return 2;
    }
  }
  if (!dryRun) {
    io.err(
      `only --dry-run is supported: the running bot posts digests on schedule, and /report posts one now\n${REPORT_USAGE}`,
    );
    return 2;
  }
  const loaded = host.config();
  if (!loaded.ok) {
    io.err(loaded.text);
    return 1;
  }
  const { config } = loaded;
  let at = Date.now();
  if (atText !== undefined) {
    const parsed = parseAt(atText, config.timezone);
    if (parsed === undefined) {
      io.err(`--at must be a date (YYYY-MM-DD, read in ${config.timezone}) or an ISO time; got "${atText}"`);
      return 2;
    }
    at = parsed;
  }
  const opened = host.open(config);
  if (!opened.ok) {
    io.err(opened.text);
    return 1;
  }
  try {
    const { card } = buildDigest(kind.data, at, opened.deps);
    io.out(JSON.stringify(card, null, 2));
    return 0;
  } finally {
    opened.close();
  }
}
