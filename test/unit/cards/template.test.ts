import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { button, buttonRow } from '../../../src/cards/button.js';
import { helpCard } from '../../../src/cards/help.js';
import { escapeMarkdown } from '../../../src/cards/markdown.js';
import { noticeCard } from '../../../src/cards/notice.js';
import { cardBytes, MAX_CARD_BYTES } from '../../../src/cards/size.js';
import {
  CardTemplateSchema,
  loadTemplate,
  renderTemplate,
  templateNames,
  validateCardTemplates,
} from '../../../src/cards/template.js';

function tempCards(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cards-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(body));
  return dir;
}

const card = (elements: unknown[]) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: 'T {{n}}' } },
  body: { elements },
});

describe('card templates', () => {
  it('every template in cards/ is a shared JSON 2.0 card', () => {
    expect(templateNames().length).toBeGreaterThan(0);
    for (const name of templateNames())
      expect(CardTemplateSchema.safeParse(loadTemplate(name)).success, name).toBe(true);
  });

  it('refuses a template that cannot be updated in place', () => {
    const dir = tempCards({ bad: { schema: '2.0', config: {}, body: { elements: [] } }, good: card([]) });
    expect(() => loadTemplate('bad', dir)).toThrow(/update_multi/);
    const report = validateCardTemplates(dir);
    expect(report.count).toBe(2);
    expect(report.problems).toEqual([expect.stringMatching(/^card template bad: config.update_multi/)]);
    expect(validateCardTemplates().problems).toEqual([]);
  });

  it('fills text, splices element lists and throws on a missing variable', () => {
    const dir = tempCards({ c: card([{ tag: 'markdown', content: 'hello {{who}}' }, '{{extra}}']) });
    const out = renderTemplate('c', { n: 3, who: 'ops', extra: [{ tag: 'hr' }, { tag: 'hr' }] }, dir);
    expect(out).toEqual({
      ...card([{ tag: 'markdown', content: 'hello ops' }, { tag: 'hr' }, { tag: 'hr' }]),
      header: { title: { tag: 'plain_text', content: 'T 3' } },
    });
    expect(() => renderTemplate('c', { n: 3, extra: [] }, dir)).toThrow(/needs \{\{who\}\}/);
  });

  it('escapes alert text so it can neither format nor mention everyone', () => {
    const hostile = '<at id=all></at> **boom** [x](http://evil) `rm` _a_ #h | \\';
    const escaped = escapeMarkdown(hostile);
    expect(escaped.replace(/&#?[a-z0-9]+;/g, '')).not.toMatch(/[<>*[\]`_#|\\]/);
    expect(escaped).toContain('&lt;at id=all&gt;');
  });

  it('keeps a card with a huge body under 30 KB, marking the cut', () => {
    const body = escapeMarkdown(`${'x'.repeat(60_000)}<tail>`);
    const c = noticeCard({ title: 'big', body });
    expect(cardBytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(MAX_CARD_BYTES).toBeLessThan(30 * 1024);
    const content = ((c.body as { elements: { content?: string }[] }).elements[0]?.content ?? '') as string;
    expect(content.endsWith('…')).toBe(true);
    expect(content).not.toMatch(/&[#A-Za-z0-9]*\n…$/);
  });

  it('keeps multibyte text under the limit too', () => {
    const c = noticeCard({ title: '告警', body: '磁盘'.repeat(20_000) });
    expect(cardBytes(c)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});

describe('card snapshots', () => {
  it('notice', () => {
    expect(
      noticeCard({
        title: 'Bot not in chat',
        body: `Add the bot to ${escapeMarkdown('oc_123')} and retry.`,
        color: 'orange',
        buttons: [
          button({ text: 'Ack', action: { action: 'ack', incidentId: 1 }, type: 'primary' }),
          button({
            text: 'Silence 2h',
            action: { action: 'silence', incidentId: 1, duration: '2h' },
            confirm: { title: 'Silence?', text: 'No notifications for 2h' },
          }),
        ],
      }),
    ).toMatchSnapshot();
    expect(buttonRow([])).toEqual([]);
  });

  it('help', () => {
    expect(
      helpCard({
        title: 'What I can do',
        intro: 'Mention me.',
        commands: [{ usage: '/help', summary: 'show this list' }],
        footer: 'More soon.',
      }),
    ).toMatchSnapshot();
  });
});
