/** A snapshot of each report card in zh-CN and en-US, over the fixture history, plus what a reader must see. */
import { describe, expect, it } from 'vitest';
import { renderPostmortemCard } from '../../../src/cards/report-postmortem.js';
import { cardBytes, MAX_CARD_BYTES } from '../../../src/cards/size.js';
import type { CardJson } from '../../../src/ports/feishu.js';
import { buildDaily } from '../../../src/reports/daily.js';
import { buildIncidentReport } from '../../../src/reports/incident.js';
import { writePostmortem } from '../../../src/reports/postmortem.js';
import { buildWeekly } from '../../../src/reports/weekly.js';
import { D, H, reportWorld, seedHistory } from './history.js';

type Element = Record<string, unknown> & { tag?: string; chart_spec?: Record<string, unknown> };

function elements(card: CardJson): Element[] {
  const out: Element[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const e = n as Element;
      if (typeof e.tag === 'string') out.push(e);
      Object.values(e).forEach(walk);
    }
  };
  walk((card as { body: unknown }).body);
  return out;
}
const text = (card: CardJson) =>
  elements(card)
    .filter((e) => e.tag === 'markdown')
    .map((e) => e.content)
    .join('\n');

for (const locale of ['en-US', 'zh-CN'] as const) {
  describe(`report cards in ${locale}`, () => {
    const w = seedHistory(reportWorld({ BOT_LOCALE: locale }));

    it('daily digest', () => {
      const { card } = buildDaily(D + 33 * H, w.deps);
      expect(card).toMatchSnapshot();
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      const charts = elements(card).filter((e) => e.tag === 'chart');
      expect(charts.map((c) => c.chart_spec?.type)).toEqual(['bar', 'line']);
      const body = text(card);
      expect(body).toContain(locale === 'en-US' ? '**Alerts**: 9 (▲350% vs previous)' : '**告警**：9（较上期 ▲350%）');
      expect(body).toContain(locale === 'en-US' ? 'median 40m · p90 4h' : '中位数 40m · p90 4h');
      expect(body).toContain('CPUThrottlingHigh');
      expect(body).toContain('team=platform');
    });

    it('weekly digest', () => {
      const { card } = buildWeekly(Date.parse('2026-11-30T10:00:00Z'), w.deps);
      expect(card).toMatchSnapshot();
      const title = (card as { header: { title: { content: string } } }).header.title.content;
      expect(title).toBe(
        locale === 'en-US' ? 'Weekly report · 2026-11-23 – 2026-11-29' : '周报 · 2026-11-23 至 2026-11-29',
      );
      expect(text(card)).toContain(locale === 'en-US' ? '75% right' : '75% 正确');
    });

    it('incident report, with the vote buttons and tally', () => {
      const card = buildIncidentReport(w.ids.A as number, w.deps) as CardJson;
      expect(card).toMatchSnapshot();
      const buttons = elements(card).filter((e) => e.tag === 'button');
      expect(buttons.map((b) => (b.behaviors as { value: unknown }[])[0]?.value)).toEqual([
        { action: 'vote', incidentId: w.ids.A, verdict: 'right' },
        { action: 'vote', incidentId: w.ids.A, verdict: 'partly' },
        { action: 'vote', incidentId: w.ids.A, verdict: 'wrong' },
      ]);
      const body = text(card);
      expect(body).toContain('missing env DATABASE&#95;URL');
      expect(body).toContain('<at id=ou_alice></at>');
      expect(body).toContain(locale === 'en-US' ? '2 right · 0 partly · 1 wrong' : '正确 2 · 部分正确 0 · 错误 1');
    });

    it('postmortem draft built from the timeline', async () => {
      const pm = await writePostmortem(w.ids.E as number, w.deps);
      expect(pm?.by).toBe('timeline');
      const card = renderPostmortemCard(w.ids.E as number, pm as NonNullable<typeof pm>, w.deps.t);
      expect(card).toMatchSnapshot();
      expect(pm?.markdown).toContain(locale === 'en-US' ? '## Action items' : '## 改进项');
      expect(pm?.markdown).toContain('p99 latency still above 2s');
    });
  });
}

describe('report cards escape what they did not write', () => {
  it('an alert name or note cannot mention everyone or format the card', () => {
    const w = reportWorld();
    const world = seedHistory(w);
    world.store.timeline.add(
      world.ids.A as number,
      { kind: 'note', detail: { text: '<at id=all></at> **bold** [x](http://evil)' } },
      'ou_bob',
      D + H + 30 * 60_000,
    );
    const card = buildIncidentReport(world.ids.A as number, world.deps) as CardJson;
    const body = text(card);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain('&lt;at id=all&gt;');
    expect(body).not.toContain('**bold**');
  });
});
