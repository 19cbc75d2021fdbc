/*
 * Feishu messages for the sandbox page: cards (JSON 2.0, and the 1.0 shapes bots still send), post (rich text)
 * and text messages → an HTML string. Pure functions of their input: no DOM, no network. Unknown tags become a
 * small "[unsupported: tag]" box; a broken element never breaks the rest of the card.
 *
 * A classic script (defines `globalThis.SandboxCards`); needs `SandboxMarkdown` (markdown.js) and optionally
 * `SandboxCharts` (chart-render.js) loaded first. Buttons carry their behaviours in `data-behaviors`; the page
 * turns clicks into callbacks.
 */
(function install(root) {
  const { esc, safeUrl, link, tagClass, mentionHtml, renderMarkdown, renderText } = root.SandboxMarkdown;

  const TEMPLATES = [
    'blue',
    'wathet',
    'turquoise',
    'green',
    'yellow',
    'orange',
    'red',
    'carmine',
    'violet',
    'purple',
    'indigo',
    'grey',
    'default',
  ];
  const BUTTON_TYPES = [
    'default',
    'primary',
    'danger',
    'text',
    'primary_text',
    'danger_text',
    'primary_filled',
    'danger_filled',
    'laser',
  ];

  // ---------------------------------------------------------------- post (rich text) messages

  function renderPost(content, ctx) {
    const body = content?.post ?? content ?? {};
    const doc = Array.isArray(body.content) ? body : (body.zh_cn ?? body.en_us ?? Object.values(body)[0] ?? {});
    const title = doc.title ? `<div class="post-title">${esc(doc.title)}</div>` : '';
    const paragraphs = (Array.isArray(doc.content) ? doc.content : []).map((para) => {
      const parts = (Array.isArray(para) ? para : []).map((node) => {
        switch (node?.tag) {
          case 'text': {
            let t = esc(node.text).replace(/\n/g, '<br>');
            const style = Array.isArray(node.style) ? node.style : [];
            if (style.includes('bold')) t = `<strong>${t}</strong>`;
            if (style.includes('italic')) t = `<em>${t}</em>`;
            if (style.includes('lineThrough')) t = `<del>${t}</del>`;
            if (style.includes('underline')) t = `<u>${t}</u>`;
            return t;
          }
          case 'a':
            return safeUrl(node.href) ? link(safeUrl(node.href), esc(node.text || node.href)) : esc(node.text);
          case 'at':
            return mentionHtml([node.user_id], ctx, node.user_name);
          case 'md':
            return renderMarkdown(node.text, ctx);
          case 'code_block':
            return `<pre class="code"><code>${esc(node.text)}</code></pre>`;
          case 'hr':
            return '<hr>';
          case 'emotion':
            return `<span class="emoji">[${esc(node.emoji_type)}]</span>`;
          case 'img':
          case 'media':
            return `<span class="img-ph">${node.tag === 'img' ? 'image' : 'media'}</span>`;
          default:
            return unsupported(node?.tag);
        }
      });
      return `<p>${parts.join('')}</p>`;
    });
    return `<div class="post">${title}${paragraphs.join('')}</div>`;
  }

  // ---------------------------------------------------------------- cards

  function unsupported(tag, detail) {
    const more = detail ? `: ${esc(detail)}` : '';
    return `<div class="unsupported">[unsupported: ${esc(tag ?? 'unknown')}${more}]</div>`;
  }

  function textOf(t, ctx) {
    if (t == null) return '';
    if (typeof t === 'string') return esc(t).replace(/\n/g, '<br>');
    if (t.tag === 'lark_md' || t.tag === 'markdown') return renderMarkdown(t.content, ctx);
    return esc(t.content ?? t.text ?? '').replace(/\n/g, '<br>');
  }

  function plainOf(t) {
    if (t == null) return '';
    return typeof t === 'string' ? t : String(t.content ?? t.text ?? '');
  }

  /** Normalises a button's 2.0 `behaviors` and the 1.0 `value` / `url` / `multi_url` fields. */
  function behaviorsOf(button) {
    if (Array.isArray(button.behaviors)) return button.behaviors;
    const out = [];
    const url = button.url ?? button.multi_url?.url ?? button.multi_url?.pc_url;
    if (url) out.push({ type: 'open_url', default_url: url });
    if (button.value !== undefined) out.push({ type: 'callback', value: button.value });
    return out;
  }

  function renderButton(el) {
    const type = BUTTON_TYPES.includes(el.type) ? el.type : 'default';
    const behaviors = behaviorsOf(el).map((b) =>
      b?.type === 'open_url' ? { ...b, default_url: safeUrl(b.pc_url ?? b.default_url) } : b,
    );
    const confirm = el.confirm ? [plainOf(el.confirm.title), plainOf(el.confirm.text)].filter(Boolean).join('\n') : '';
    const attrs = [
      `class="btn btn-${type}${el.size ? ` btn-${esc(el.size)}` : ''}"`,
      'type="button"',
      `data-behaviors="${esc(JSON.stringify(behaviors))}"`,
      el.name ? `data-name="${esc(el.name)}"` : '',
      confirm ? `data-confirm="${esc(confirm)}"` : '',
      el.disabled ? 'disabled' : '',
      el.disabled && el.disabled_tips ? `title="${esc(plainOf(el.disabled_tips))}"` : '',
    ].filter(Boolean);
    return `<button ${attrs.join(' ')}>${esc(plainOf(el.text) || 'Button')}</button>`;
  }

  function renderColumns(columns, el, ctx) {
    const cols = (Array.isArray(columns) ? columns : []).map((col) => {
      const auto = col?.width === 'auto';
      const weight = Math.max(1, Math.min(5, Number(col?.weight) || 1));
      const flex = auto ? '0 0 auto' : `${weight} 1 0`;
      const grey = col?.background_style && col.background_style !== 'default' ? ' col-bg' : '';
      return `<div class="col${grey}" style="flex:${flex}">${renderElements(col?.elements, ctx)}</div>`;
    });
    const bg = el.background_style && el.background_style !== 'default' ? ' cols-bg' : '';
    return `<div class="cols${bg}">${cols.join('')}</div>`;
  }

  function renderDiv(el, ctx) {
    const text = el.text ? `<div class="div-text">${textOf(el.text, ctx)}</div>` : '';
    const fields = Array.isArray(el.fields)
      ? `<div class="fields">${el.fields
          .map((f) => `<div class="field${f?.is_short ? ' short' : ''}">${textOf(f?.text, ctx)}</div>`)
          .join('')}</div>`
      : '';
    const extra = el.extra ? `<div class="div-extra">${renderElement(el.extra, ctx)}</div>` : '';
    return `<div class="div${extra ? ' with-extra' : ''}"><div>${text}${fields}</div>${extra}</div>`;
  }

  function cellOf(value, type, ctx) {
    if (value == null) return '';
    switch (type) {
      case 'lark_md':
      case 'markdown':
        return renderMarkdown(String(value), ctx);
      case 'options':
        return (Array.isArray(value) ? value : [value])
          .map((o) => `<span class="${tagClass(o?.color)}">${esc(o?.text ?? o)}</span>`)
          .join(' ');
      case 'persons':
        return mentionHtml(Array.isArray(value) ? value : [value], ctx);
      case 'date': {
        const d = new Date(Number(value));
        if (Number.isNaN(d.getTime())) return esc(value);
        const z = zonedParts(d, ctx?.timeZone);
        return esc(`${z.date} ${z.hour}:${z.minute}`);
      }
      default:
        return typeof value === 'object' ? esc(JSON.stringify(value)) : esc(value);
    }
  }

  function renderTable(el, ctx) {
    const columns = Array.isArray(el.columns) ? el.columns : [];
    const rows = Array.isArray(el.rows) ? el.rows : [];
    const head = columns.map((c) => `<th>${esc(c?.display_name ?? c?.name ?? '')}</th>`).join('');
    const body = rows
      .map((r) => `<tr>${columns.map((c) => `<td>${cellOf(r?.[c?.name], c?.data_type, ctx)}</td>`).join('')}</tr>`)
      .join('');
    return `<table class="card-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  function renderElement(el, ctx) {
    if (!el || typeof el !== 'object') return unsupported(el === null ? 'null' : typeof el);
    switch (el.tag) {
      case 'markdown':
      case 'lark_md': {
        const align = ['center', 'right'].includes(el.text_align) ? ` style="text-align:${el.text_align}"` : '';
        const size = /^(notation|heading|heading-\d|xxxx-large|xxx-large|xx-large|x-large|large)$/.test(el.text_size)
          ? ` size-${el.text_size.startsWith('heading') || el.text_size.endsWith('large') ? 'heading' : 'notation'}`
          : '';
        return `<div class="md${size}"${align}>${renderMarkdown(el.content, ctx)}</div>`;
      }
      case 'plain_text':
        return `<div class="plain">${textOf(el, ctx)}</div>`;
      case 'div':
        return renderDiv(el, ctx);
      case 'hr':
        return '<hr>';
      case 'column_set':
        return renderColumns(el.columns, el, ctx);
      case 'column':
        return renderColumns([el], {}, ctx);
      case 'button':
        return renderButton(el);
      case 'action':
        return `<div class="btn-row">${renderElements(el.actions, ctx)}</div>`;
      case 'chart':
        return root.SandboxCharts ? root.SandboxCharts.renderChart(el.chart_spec, ctx) : unsupported('chart');
      case 'table':
        return renderTable(el, ctx);
      case 'img': {
        const alt = plainOf(el.alt) || plainOf(el.title) || 'image';
        return `<div class="img-ph" title="${esc(el.img_key)}"><span class="img-icon"></span>${esc(alt)}</div>`;
      }
      case 'img_combination':
        return `<div class="img-ph"><span class="img-icon"></span>${esc((el.img_list ?? []).length)} images</div>`;
      case 'note':
        return `<div class="note">${renderElements(el.elements, ctx)}</div>`;
      case 'collapsible_panel': {
        const title = textOf(el.header?.title, ctx) || 'Details';
        return `<details class="panel"${el.expanded ? ' open' : ''}><summary>${title}</summary>${renderElements(el.elements, ctx)}</details>`;
      }
      case 'form':
      case 'interactive_container':
        return `<div class="container">${renderElements(el.elements, ctx)}</div>`;
      case 'person':
        return `<div>${mentionHtml([el.user_id], ctx)}</div>`;
      case 'person_list':
        return `<div>${mentionHtml(
          (el.persons ?? []).map((p) => p?.id),
          ctx,
        )}</div>`;
      default:
        return unsupported(el.tag);
    }
  }

  function renderElements(elements, ctx) {
    const list = Array.isArray(elements) ? elements : [];
    let html = '';
    let buttons = '';
    for (const el of list) {
      let piece;
      try {
        piece = renderElement(el, ctx);
      } catch (err) {
        piece = unsupported(el?.tag, err?.message ?? 'render error');
      }
      if (el?.tag === 'button') {
        buttons += piece;
        continue;
      }
      if (buttons) html += `<div class="btn-row">${buttons}</div>`;
      buttons = '';
      html += piece;
    }
    return buttons ? `${html}<div class="btn-row">${buttons}</div>` : html;
  }

  function renderHeader(header, ctx) {
    if (!header || typeof header !== 'object') return '';
    const title = textOf(header.title, ctx);
    const subtitle = header.subtitle ? `<div class="card-subtitle">${textOf(header.subtitle, ctx)}</div>` : '';
    const tags = (Array.isArray(header.text_tag_list) ? header.text_tag_list : [])
      .map((t) => `<span class="${tagClass(t?.color)}">${esc(plainOf(t?.text))}</span>`)
      .join('');
    return `<div class="card-header"><div class="card-title">${title}${tags ? `<span class="header-tags">${tags}</span>` : ''}</div>${subtitle}</div>`;
  }

  /** A whole card: header (with its template colour) and body elements. Never throws. */
  function renderCard(card, ctx) {
    try {
      if (!card || typeof card !== 'object') return `<div class="card">${unsupported('card', 'not an object')}</div>`;
      if (card.type === 'template' || card.type === 'card') {
        const id = card.data?.template_id ?? card.data?.card_id ?? '';
        return `<div class="card">${unsupported(`${card.type} reference`, id)}</div>`;
      }
      const template = TEMPLATES.includes(card.header?.template) ? card.header.template : 'default';
      const elements = card.body?.elements ?? card.elements ?? Object.values(card.i18n_elements ?? {})[0];
      const header = renderHeader(card.header, ctx);
      return `<div class="card card-t-${template}">${header}<div class="card-body">${renderElements(elements, ctx)}</div></div>`;
    } catch (err) {
      return `<div class="card">${unsupported('card', err?.message ?? 'render error')}</div>`;
    }
  }

  const zoneFormats = new Map();

  /**
   * A time's parts in a time zone (the bot's TZ, so the page reads the same clock as the cards): `date` is
   * `2026-11-25`, hours are 00–23. An unknown zone falls back to UTC.
   */
  function zonedParts(d, timeZone) {
    const zone = timeZone || 'UTC';
    let f = zoneFormats.get(zone);
    if (!f) {
      const options = {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      };
      try {
        f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
      } catch {
        f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
      }
      zoneFormats.set(zone, f);
    }
    const p = {};
    for (const part of f.formatToParts(d)) p[part.type] = part.value;
    return { date: `${p.year}-${p.month}-${p.day}`, hour: p.hour, minute: p.minute, second: p.second };
  }

  /** Any message body the emulator stores, by msg_type. */
  function renderMessage(msgType, content, ctx) {
    switch (msgType) {
      case 'text':
        return `<div class="text">${renderText(content?.text ?? '', ctx)}</div>`;
      case 'post':
        return renderPost(content, ctx);
      case 'interactive':
        return renderCard(content, ctx);
      default:
        return unsupported(msgType);
    }
  }

  root.SandboxCards = {
    esc,
    renderCard,
    renderMarkdown,
    renderText,
    renderPost,
    renderMessage,
    zonedParts,
    TEMPLATES,
  };
})(globalThis);
