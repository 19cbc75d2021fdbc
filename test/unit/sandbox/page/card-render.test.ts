/**
 * The sandbox page's renderers are plain browser scripts; here they run in a bare `vm` context (no DOM), on the
 * fixture cards and on hostile input, to check what a reader of the page would see.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildSandboxPage, rendererSource } from '../../../../src/sandbox/page/index.js';

interface Renderers {
  renderCard(card: unknown, ctx?: unknown): string;
  renderMarkdown(md: string, ctx?: unknown): string;
  renderText(text: string, ctx?: unknown): string;
  renderMessage(msgType: string, content: unknown, ctx?: unknown): string;
  TEMPLATES: string[];
}

const sandbox = vm.createContext({}) as { SandboxCards?: Renderers };
vm.runInContext(rendererSource(), sandbox);
const r = sandbox.SandboxCards!;
const cards = JSON.parse(readFileSync(new URL('../../../fixtures/sandbox/cards.json', import.meta.url), 'utf8'));
const ctx = { names: { ou_84aad35d084aa403a838cf73ee18467a: 'Alice', ou_bot: 'SRE Bot' }, botOpenId: 'ou_bot' };

describe('sandbox card renderer', () => {
  it('renders an incident card: header colour, fields side by side, markdown, chart, table, buttons', () => {
    const html = r.renderCard(cards.incident, ctx);
    expect(html).toContain('class="card card-t-red"');
    expect(html).toContain('P1 · checkout-api is crash-looping');
    expect(html).toContain('INC-42 · prod / payments');
    expect(html.match(/class="col"/g)).toHaveLength(6);
    expect(html).toContain('<span class="c-red">P1</span>');
    expect(html).toContain('<span class="mention" title="ou_84aad35d084aa403a838cf73ee18467a">@Alice</span>');
    expect(html).toContain('<strong>12</strong>');
    expect(html).toContain('<em>10 min</em>');
    expect(html).toContain('<li>last exit: <code>OOMKilled</code></li>');
    expect(html).toContain('<span class="text-tag tag-orange">memory</span>');
    expect(html).toContain('href="https://runbooks.example.com/oom?x=1&amp;y=2"');
    expect(html).toMatch(/<svg class="chart-svg"[^>]*>.*<polyline points="[\d., ]+"/);
    expect(html).toContain('<th>Pod</th>');
    expect(html).toContain('<span class="text-tag tag-red">CrashLoopBackOff</span>');
    expect(html).toContain('<details class="panel"><summary><p>Last log lines</p></summary>');
    expect(html).toContain('FATAL: out of memory &lt;heap&gt;');
    expect(html).toContain('memory graph');
    expect(html).toContain('[unsupported: select_person]');
    expect(html).toContain('Fingerprint 3f2a9c');
    const ack = /<button class="btn btn-primary_filled"[^>]*data-behaviors="([^"]*)"[^>]*>Acknowledge<\/button>/.exec(
      html,
    );
    expect(JSON.parse(ack![1]!.replaceAll('&quot;', '"'))).toEqual([
      { type: 'callback', value: { action: 'ack', incident_id: 'INC-42' } },
    ]);
    expect(html).toContain('data-confirm="Restart checkout-api?\nAll pods will be replaced."');
  });

  it('gives every header template its own colour class and falls back to default', () => {
    for (const template of r.TEMPLATES) {
      expect(r.renderCard({ header: { title: { content: 't' }, template } })).toContain(`card-t-${template}"`);
    }
    expect(r.renderCard({ header: { title: { content: 't' }, template: 'chartreuse' } })).toContain('card-t-default"');
  });

  it('never lets card text become markup', () => {
    const html = r.renderCard(cards.hostile, ctx);
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)[\s>]/g)].map((m) => m[1]));
    const allowed = 'div p br strong em span button figure table thead tbody tr th td'.split(' ');
    expect([...tags].filter((t) => !allowed.includes(t!))).toEqual([]);
    expect(html).not.toMatch(/\son\w+="|href="javascript/i);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('card-t-default"');
    expect(html).toContain('[click](javascript:window.__pwned=1)');
    expect(html).toContain('&quot;default_url&quot;:&quot;&quot;'); // a javascript: link is dropped from the button
    expect(html).toContain('&quot;&gt;&lt;b&gt;x&lt;/b&gt;</button>');
    expect(html).toContain('[unsupported: null]');
    expect(html).toContain('<th>type</th><th>value</th>'); // a pie chart becomes a table
  });

  it('draws bar charts with one bar per series and value, and a legend', () => {
    const values = [
      { ns: 'shop', kind: 'restarts', n: 4 },
      { ns: 'shop', kind: 'oom', n: 1 },
      { ns: 'pay', kind: 'restarts', n: 2 },
      { ns: 'pay', kind: 'oom', n: 'n/a' },
    ];
    const chart = {
      tag: 'chart',
      chart_spec: { type: 'bar', data: [{ id: 'd', values }], xField: ['ns', 'kind'], yField: 'n' },
    };
    const html = r.renderCard({ body: { elements: [chart] } });
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html).toContain('<title>restarts · shop: 4</title>');
    expect(html).toContain('<div class="legend"><span><i style="background:#3370ff"></i>restarts</span>');
  });

  it('sizes markdown by text_size', () => {
    const card = {
      body: {
        elements: [
          { tag: 'markdown', content: 'small', text_size: 'notation' },
          { tag: 'markdown', content: 'big', text_size: 'heading-1' },
          { tag: 'markdown', content: 'plain', text_size: 'x" onclick="y' },
        ],
      },
    };
    const html = r.renderCard(card);
    expect(html).toContain('<div class="md size-notation"><p>small</p></div>');
    expect(html).toContain('<div class="md size-heading"><p>big</p></div>');
    expect(html).toContain('<div class="md"><p>plain</p></div>');
  });

  it('does not break on malformed cards', () => {
    expect(r.renderCard(null)).toContain('[unsupported: card');
    expect(r.renderCard({ body: { elements: 'x' } })).toContain('class="card card-t-default"');
    expect(r.renderCard({ type: 'template', data: { template_id: 'AAq1' } })).toContain(
      '[unsupported: template reference: AAq1]',
    );
    expect(r.renderCard({ elements: [{ tag: 'chart', chart_spec: { type: 'bar' } }] })).toContain('no data');
  });

  it('renders markdown tables, nested and ordered lists, quotes and code', () => {
    const html = r.renderMarkdown(
      '| a | b |\n|---|:--:|\n| 1 | **2** |\n\n- x\n  - y\n1. one\n> said\n```\nlet a = "<b>";\n```',
    );
    expect(html).toContain(
      '<table class="md-table"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><strong>2</strong></td></tr>',
    );
    expect(html).toContain('<ul><li>x<ul><li>y</li></ul></li></ul><ol><li>one</li></ol>');
    expect(html).toContain('<blockquote>said</blockquote>');
    expect(html).toContain('<pre class="code"><code>let a = &quot;&lt;b&gt;&quot;;</code></pre>');
  });

  it('shows entity-escaped card text as its characters, without formatting or mentioning', () => {
    // How the product escapes alert labels before they go into card markdown.
    const html = r.renderMarkdown(
      'pod &#42;api&#42; &#95;x&#95; &lt;at id=all&gt;&lt;/at&gt; a &amp;&amp; b &#124; c',
      ctx,
    );
    expect(html).toBe('<p>pod *api* _x_ &lt;at id=all&gt;&lt;/at&gt; a &amp;&amp; b | c</p>');
    expect(r.renderMarkdown('| k | v |\n|---|---|\n| a&#124;b | &#35;1 |')).toContain('<td>a|b</td><td>#1</td>');
    expect(r.renderMarkdown('&#0; &#xd800; &bogus;')).toBe('<p>&amp;#0; &amp;#xd800; &amp;bogus;</p>');
  });

  it('shows text-message mentions as names', () => {
    const html = r.renderMessage(
      'text',
      { text: '<at user_id="ou_bot">SRE Bot</at> status of <at user_id="ou_84aad35d084aa403a838cf73ee18467a"></at>?' },
      ctx,
    );
    expect(html).toContain('<span class="mention mention-bot" title="ou_bot">@SRE Bot</span>');
    expect(html).toContain('<span class="mention" title="ou_84aad35d084aa403a838cf73ee18467a">@Alice</span>?');
    const typed = r.renderText('@_user_1 restart @_user_2 now @_user_9', {
      ...ctx,
      mentions: [
        { key: '@_user_1', openId: 'ou_bot', name: 'SRE Bot' },
        { key: '@_user_2', openId: 'ou_84aad35d084aa403a838cf73ee18467a', name: 'Alice' },
      ],
    });
    expect(typed).toBe(
      '<span class="mention mention-bot" title="ou_bot">@SRE Bot</span> restart <span class="mention" title="ou_84aad35d084aa403a838cf73ee18467a">@Alice</span> now @_user_9',
    );
  });

  it('builds one self-contained page whose only script is allowed by hash', () => {
    const { html, csp } = buildSandboxPage();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('shows table dates in the bot’s time zone, as the cards do, and names that zone on the page', () => {
    const card = {
      schema: '2.0',
      body: {
        elements: [
          {
            tag: 'table',
            columns: [{ name: 'at', display_name: 'At', data_type: 'date' }],
            rows: [{ at: Date.parse('2026-11-25T16:07:00Z') }],
          },
        ],
      },
    };
    expect(r.renderCard(card, { ...ctx, timeZone: 'Asia/Shanghai' })).toContain('<td>2026-11-26 00:07</td>');
    expect(r.renderCard(card, { ...ctx, timeZone: 'UTC' })).toContain('<td>2026-11-25 16:07</td>');
    const { html } = buildSandboxPage({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    expect(html).toContain('<html lang="zh-CN" data-time-zone="Asia/Shanghai">');
    expect(html).toMatch(/font-family:[^;]*"Noto Sans CJK SC"/);
  });
});
