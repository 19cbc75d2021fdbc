/**
 * When a cron string fires next, in a time zone, from any instant — the scheduler persists that time and a
 * DueTimer waits for it, so a fake clock drives it in tests and a restart picks it up from SQLite. Matching is
 * node-cron's own (`L`, `W`, `#`, names), the same parser that validated the string in config.ts; this module
 * only walks candidate times: day by day, and within a matching day the listed hours, minutes and seconds.
 */
import { createTask, parse, type ScheduledTask } from 'node-cron';
import { localParts, zonedTime } from './zoned.js';

/** How far ahead a schedule is searched before it is declared never to fire (`0 0 30 2 *`). */
const SEARCH_DAYS = 5 * 366;

export class CronSchedule {
  private readonly task: ScheduledTask;
  private readonly seconds: number[];
  private readonly minutes: number[];
  private readonly hours: number[];

  /** Throws on a string node-cron refuses (config validation has already said why). */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    const fields = parse(expression);
    const asc = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
    this.seconds = asc(fields.second);
    this.minutes = asc(fields.minute);
    this.hours = asc(fields.hour);
    // Never started: used only for its matcher, which node-cron keeps with the task.
    this.task = createTask(expression, () => {}, { timezone, name: `report-schedule:${expression}` });
  }

  /** Whether the schedule fires at `ms` (to the second). */
  matches(ms: number): boolean {
    return this.task.match(new Date(ms));
  }

  /** The first firing strictly after `after`; `undefined` if it never fires within five years. */
  next(after: number): number | undefined {
    const start = localParts(after, this.timezone);
    const first = this.seconds[0] ?? 0;
    for (let d = 0; d < SEARCH_DAYS; d++) {
      const day = zonedTime(this.timezone, start.year, start.month, start.day + d, 12);
      if (day === undefined) continue;
      const p = localParts(day, this.timezone);
      // Hours, minutes and seconds come from the field lists, so a day matches iff its first listed time does
      // (unless a daylight-saving gap swallowed that time: then the day is walked).
      const probe = zonedTime(this.timezone, p.year, p.month, p.day, this.hours[0] ?? 0, this.minutes[0] ?? 0, first);
      if (probe !== undefined && !this.matches(probe)) continue;
      for (const h of this.hours) {
        if (d === 0 && h < start.hour) continue;
        for (const m of this.minutes) {
          if (d === 0 && h === start.hour && m < start.minute) continue;
          for (const s of this.seconds) {
            const at = zonedTime(this.timezone, p.year, p.month, p.day, h, m, s);
            if (at !== undefined && at > after && this.matches(at)) return at;
          }
        }
      }
    }
    return undefined;
  }

  /** Forgets node-cron's registration of the matcher. */
  dispose(): void {
    void this.task.destroy();
  }
}
