/**
 * The digest schedule on a fake clock: cron strings in TZ, a due time persisted in SQLite, one catch-up after
 * downtime, never a double run across a restart, nothing lost when a build fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CronSchedule } from '../../../src/reports/cron.js';
import { RETRY_AFTER_MS, ReportScheduler } from '../../../src/reports/schedule.js';
import { H, reportWorld, seedHistory, type World } from './history.js';

const schedules: CronSchedule[] = [];
const cron = (expr: string, tz: string) => {
  const c = new CronSchedule(expr, tz);
  schedules.push(c);
  return c;
};
afterEach(() => {
  for (const c of schedules.splice(0)) c.dispose();
});

describe('CronSchedule', () => {
  const t0 = Date.parse('2026-11-25T08:00:00Z'); // 16:00 in Shanghai, a Wednesday

  it('fires a daily 09:00 in Asia/Shanghai at 01:00 UTC the next day', () => {
    expect(new Date(cron('0 9 * * *', 'Asia/Shanghai').next(t0) as number).toISOString()).toBe(
      '2026-11-26T01:00:00.000Z',
    );
  });

  it('fires a Monday 10:00 on the coming Monday, and a step schedule on its next step', () => {
    expect(new Date(cron('0 10 * * 1', 'Asia/Shanghai').next(t0) as number).toISOString()).toBe(
      '2026-11-30T02:00:00.000Z',
    );
    expect(new Date(cron('*/15 * * * *', 'UTC').next(t0) as number).toISOString()).toBe('2026-11-25T08:15:00.000Z');
    expect(new Date(cron('*/15 * * * *', 'UTC').next(t0 - 1) as number).toISOString()).toBe('2026-11-25T08:00:00.000Z');
  });

  it('reads six fields as seconds first, and the last day of the month (L)', () => {
    expect(new Date(cron('30 0 9 * * *', 'UTC').next(t0) as number).toISOString()).toBe('2026-11-25T09:00:30.000Z');
    expect(new Date(cron('0 9 L * *', 'UTC').next(t0) as number).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('skips a local time that a daylight-saving gap removes', () => {
    // 2026-03-29 02:30 does not exist in Berlin; the next 02:30 is the 30th (CEST, 00:30 UTC).
    const next = cron('30 2 * * *', 'Europe/Berlin').next(Date.parse('2026-03-28T12:00:00Z'));
    expect(new Date(next as number).toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('says when a schedule does not fire within five years (1 January on a Sunday: next in 2034)', () => {
    expect(cron('0 0 1 1 0', 'UTC').next(t0)).toBeUndefined();
    expect(new Date(cron('0 0 1 1 6', 'UTC').next(t0) as number).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });
});

const WED_0800 = Date.parse('2026-11-25T08:00:00Z');

function scheduler(w: World): ReportScheduler {
  return new ReportScheduler({ ...w.deps, runs: w.runs });
}
const posted = (w: World, kind: 'daily' | 'weekly') =>
  w.store.outbox.byRef(`digest:${kind}`).filter((m) => m.kind === 'send_card');

describe('ReportScheduler', () => {
  it('arms for the next firing at first start and posts nothing for the time before', async () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    const s = scheduler(w);
    s.start();
    expect(w.runs.get('daily')?.dueAt).toBe(Date.parse('2026-11-25T09:00:00Z'));
    expect(w.runs.get('weekly')?.dueAt).toBe(Date.parse('2026-11-30T10:00:00Z'));
    await w.clock.advance(59 * 60_000);
    expect(posted(w, 'daily')).toHaveLength(0);
    s.stop();
  });

  it('posts the daily digest to reports.chat_id when due, once, and re-arms for the next day', async () => {
    const w = seedHistory(reportWorld({ TZ: 'UTC' }, WED_0800));
    const s = scheduler(w);
    s.start();
    await w.clock.advance(2 * H); // past Wednesday 09:00
    const sent = posted(w, 'daily');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.chatId).toBe('oc_reports');
    const card = sent[0]?.payload.card as { header: { title: { content: string } } };
    expect(card.header.title.content).toBe('Daily report · 2026-11-24');
    expect(w.runs.get('daily')?.dueAt).toBe(Date.parse('2026-11-26T09:00:00Z'));
    expect(w.runs.get('daily')?.lastFireAt).toBe(Date.parse('2026-11-25T09:00:00Z'));
    await w.clock.advance(24 * H); // Thursday 10:00: Wednesday's digest, with the fixture day in it
    const thursday = posted(w, 'daily')[1]?.payload.card as { header: { title: { content: string } } };
    expect(thursday.header.title.content).toBe('Daily report · 2026-11-25');
    expect(JSON.stringify(thursday)).toContain('**Alerts**: 9');
    s.stop();
  });

  it('never runs twice across a restart: the due time moved on in the same transaction as the post', async () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    const first = scheduler(w);
    first.start();
    await w.clock.advance(2 * H);
    first.stop();
    expect(posted(w, 'daily')).toHaveLength(1);
    const second = scheduler(w);
    second.start();
    await w.clock.advance(60_000);
    expect(posted(w, 'daily')).toHaveLength(1);
    second.stop();
  });

  it('catches up once after downtime: five missed dailies give one digest, not five', async () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    const before = scheduler(w);
    before.start();
    before.stop(); // the bot goes down on Wednesday…
    await w.clock.advance(5 * 24 * H); // …and comes back on Monday 08:00 + 5 days = next Monday 08:00
    const after = scheduler(w);
    after.start();
    await w.clock.advance(0);
    expect(posted(w, 'daily')).toHaveLength(1);
    expect(posted(w, 'weekly')).toHaveLength(0); // Monday 10:00 has not come yet
    // The catch-up digest covers the day before the restart, and the next run is the coming 09:00.
    const card = posted(w, 'daily')[0]?.payload.card as { header: { title: { content: string } } };
    expect(card.header.title.content).toBe('Daily report · 2026-11-29');
    expect(w.runs.get('daily')?.dueAt).toBe(Date.parse('2026-11-30T09:00:00Z'));
    await w.clock.advance(3 * H); // 11:00: today's daily and the weekly
    expect(posted(w, 'daily')).toHaveLength(2);
    expect(posted(w, 'weekly')).toHaveLength(1);
    after.stop();
    // A second restart the same day posts nothing more.
    const again = scheduler(w);
    again.start();
    await w.clock.advance(60_000);
    expect([posted(w, 'daily').length, posted(w, 'weekly').length]).toEqual([2, 1]);
    again.stop();
  });

  it('keeps a digest due when building it fails, and posts it on the next start', async () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    const queries = w.deps.queries;
    let fail = true;
    const broken = new Proxy(queries, {
      get(target, prop, receiver) {
        if (prop === 'alertsByIncident' && fail) {
          return () => {
            throw new Error('disk I/O error');
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const s = new ReportScheduler({ ...w.deps, queries: broken, runs: w.runs });
    s.start();
    await w.clock.advance(2 * H);
    expect(posted(w, 'daily')).toHaveLength(0);
    expect(w.runs.get('daily')?.dueAt).toBe(Date.parse('2026-11-25T09:00:00Z'));
    s.stop();
    fail = false;
    const again = scheduler(w);
    again.start();
    await w.clock.advance(0);
    expect(posted(w, 'daily')).toHaveLength(1);
    again.stop();
  });

  it('re-arms from now when the cron string changed', () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    const s = scheduler(w);
    s.start();
    s.stop();
    const changed = {
      ...w.config,
      file: { ...w.config.file, reports: { ...w.config.file.reports, daily: '0 18 * * *' } },
    };
    const t = new ReportScheduler({ ...w.deps, config: changed, runs: w.runs });
    t.start();
    expect(w.runs.get('daily')).toMatchObject({ schedule: '0 18 * * *', dueAt: Date.parse('2026-11-25T18:00:00Z') });
    t.stop();
  });

  it('tries a failed build again after a while in the same process', async () => {
    const w = reportWorld({ TZ: 'UTC' }, WED_0800);
    let failures = 0;
    const broken = new Proxy(w.deps.queries, {
      get(target, prop, receiver) {
        if (prop === 'stillOpenAt' && failures < 1) {
          return () => {
            failures++;
            throw new Error('database is locked');
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const s = new ReportScheduler({ ...w.deps, queries: broken, runs: w.runs });
    s.start();
    await w.clock.advance(H + 60_000); // 09:01: failed once
    expect([failures, posted(w, 'daily').length]).toEqual([1, 0]);
    await w.clock.advance(RETRY_AFTER_MS);
    expect(posted(w, 'daily')).toHaveLength(1);
    s.stop();
  });

  it('without a chat for reports, advances the schedule and posts nothing', async () => {
    const w = reportWorld({ TZ: 'UTC', FEISHU_DEFAULT_CHAT_ID: '' }, WED_0800);
    const s = scheduler(w);
    s.start();
    await w.clock.advance(2 * H);
    expect(posted(w, 'daily')).toHaveLength(0);
    expect(w.runs.get('daily')?.dueAt).toBe(Date.parse('2026-11-26T09:00:00Z'));
    s.stop();
  });
});
