/*
 * Markdown and text for the sandbox page: the subset of Feishu card markdown bots use (bold, italics, strike,
 * links, lists, quotes, code, tables, headings, `<font color>`, `<text_tag>`, `<at id=…>`, `<br>`) and text
 * messages with `<at user_id=…>` mentions → an HTML string. Pure functions of their input: no DOM, no network.
 *
 * Safety: every piece of message text is HTML-escaped before any markup is added; the only tags in the output
 * are written in this file (card markup is never passed through). Links keep only http(s)/mailto URLs.
 *
 * A classic script (defines `globalThis.SandboxMarkdown`), loaded by the page and by Node tests through `vm`.
 * Context `ctx`: `{ names: { [openId]: displayName }, botOpenId }` resolves mentions.
 */
(function install(root) {
  const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

  const COLOURS = [
    'blue',
    'wathet',
    'turquoise',
    'green',
    'lime',
    'yellow',
    'orange',
    'red',
    'carmine',
    'violet',
    'purple',
    'indigo',
    'grey',
    'neutral',
    'default',
  ];
  /** A palette name from a Feishu colour (`red`, `red-400`, `gray`), or ''. */
  function paletteName(colour) {
    const m = /^([a-z]+)(?:-\d{2,3})?$/.exec(
      String(colour ?? '')
        .trim()
        .toLowerCase(),
    );
    const name = m?.[1] === 'gray' ? 'grey' : m?.[1];
    return name && COLOURS.includes(name) ? name : '';
  }

  /** Attributes for `<font color=…>`: a palette class or a checked hex colour. */
  function fontAttr(colour) {
    const name = paletteName(colour);
    if (name) return ` class="c-${name}"`;
    const c = String(colour ?? '').trim();
    return /^#[0-9a-fA-F]{3,8}$/.test(c) ? ` style="color:${c}"` : '';
  }

  /** Class list for a `text_tag` chip. */
  function tagClass(colour) {
    return `text-tag tag-${paletteName(colour) || 'neutral'}`;
  }

  function safeUrl(url) {
    const u = String(url ?? '').trim();
    return /^(https?:\/\/|mailto:)/i.test(u) ? u : '';
  }

  function link(url, labelHtml) {
    return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
  }

  function nameOf(id, ctx) {
    if (id === 'all') return 'All';
    return (ctx?.names && Object.hasOwn(ctx.names, id) && ctx.names[id]) || id;
  }

  function mentionHtml(ids, ctx, shownName) {
    return ids
      .map((id) => {
        const name = shownName || nameOf(id, ctx);
        const bot = ctx?.botOpenId && id === ctx.botOpenId ? ' mention-bot' : '';
        return `<span class="mention${bot}" title="${esc(id)}">@${esc(name)}</span>`;
      })
      .join(' ');
  }

  // ---------------------------------------------------------------- inline markdown

  const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|lt|gt|amp|quot|apos|nbsp);/gi;
  const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

  function decodeEntity(entity) {
    const body = entity.slice(1, -1).toLowerCase();
    if (!body.startsWith('#')) return NAMED[body] ?? entity;
    const code = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : entity;
  }

  // Placeholders for markup produced before escaping; message text can never contain these characters.
  const OPEN = '\uE000';
  const CLOSE = '\uE001';
  const stripMarkers = (s) => String(s ?? '').replace(/[\uE000\uE001]/g, '');

  function inline(source, ctx) {
    const held = [];
    const hold = (html) => `${OPEN}${held.push(html) - 1}${CLOSE}`;
    let s = stripMarkers(source);

    s = s.replace(/`([^`\n]+)`/g, (_m, code) => hold(`<code>${esc(code)}</code>`));
    // Entities are how card text escapes markdown (`&#42;`, `&lt;at id=all&gt;`): shown as the character, inert.
    s = s.replace(ENTITY, (m) => hold(esc(decodeEntity(m))));
    s = s.replace(
      /<at\s+(id|ids|email|user_id|open_id)\s*=\s*["']?([^"'>\s]*)["']?\s*>([^<]*)<\/at>/gi,
      (_m, kind, value, name) =>
        hold(mentionHtml(kind.toLowerCase() === 'ids' ? value.split(',').filter(Boolean) : [value], ctx, name.trim())),
    );
    s = s.replace(/<br\s*\/?>/gi, () => hold('<br>'));
    // Innermost pairs first, so nested <font> tags balance.
    const FONT = /<font\s+colou?r\s*=\s*["']?([#\w-]+)["']?\s*>((?:(?!<font[\s>])[\s\S])*?)<\/font>/i;
    const TAG = /<text_tag\s+colou?r\s*=\s*["']?([\w-]+)["']?\s*>([\s\S]*?)<\/text_tag>/i;
    for (let guard = 0; guard < 50 && (FONT.test(s) || TAG.test(s)); guard++) {
      s = s.replace(FONT, (_m, colour, inner) => hold(`<span${fontAttr(colour)}>`) + inner + hold('</span>'));
      s = s.replace(TAG, (_m, colour, inner) => hold(`<span class="${tagClass(colour)}">`) + inner + hold('</span>'));
    }

    s = esc(s);

    s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (m, label, url) => {
      const target = safeUrl(url.replace(/&amp;/g, '&'));
      return target ? hold(link(target, emphasis(label))) : m;
    });
    s = s.replace(/(^|[\s(（])(https?:\/\/[^\s<（）]+[^\s<.,;:!?)（）])/g, (_m, lead, url) => {
      const target = url.replace(/&amp;/g, '&');
      return lead + hold(link(target, url));
    });
    s = emphasis(s);

    for (let guard = 0; guard < 5 && s.includes(OPEN); guard++) {
      s = s.replace(/\uE000(\d+)\uE001/g, (_m, i) => held[Number(i)] ?? '');
    }
    return s;
  }

  function emphasis(s) {
    return s
      .replace(/\*\*(?!\s)([^\n]+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^\w])__(?!\s)([^\n]+?)__(?!\w)/g, '$1<strong>$2</strong>')
      .replace(/~~(?!\s)([^\n]+?)~~/g, '<del>$1</del>')
      .replace(/(^|[^*\w])\*(?![\s*])([^*\n]+?)\*(?!\*)/g, '$1<em>$2</em>')
      .replace(/(^|[^\w])_(?![\s_])([^_\n]+?)_(?!\w)/g, '$1<em>$2</em>');
  }

  // ---------------------------------------------------------------- block markdown

  const FENCE = /^\s*```\s*([\w+-]*)\s*$/;
  const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
  const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

  function cells(line) {
    return line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  }

  function renderList(items, ctx) {
    // items: { indent, ordered, text }; deeper indents nest under the previous item.
    let html = '';
    let i = 0;
    const build = (level) => {
      const ordered = items[i].ordered;
      let out = ordered ? '<ol>' : '<ul>';
      const sameList = (item) => item.indent > level || (item.indent === level && item.ordered === ordered);
      while (i < items.length && sameList(items[i])) {
        const item = items[i];
        if (item.indent > level) {
          out = `${out.replace(/<\/li>$/, '')}${build(item.indent)}</li>`;
          continue;
        }
        out += `<li>${inline(item.text, ctx)}</li>`;
        i++;
      }
      return `${out}${ordered ? '</ol>' : '</ul>'}`;
    };
    while (i < items.length) html += build(items[i].indent);
    return html;
  }

  function renderMarkdown(source, ctx) {
    const lines = stripMarkers(source).replace(/\r\n?/g, '\n').split('\n');
    const out = [];
    let para = [];
    const flush = () => {
      if (para.length) out.push(`<p>${para.map((l) => inline(l, ctx)).join('<br>')}</p>`);
      para = [];
    };
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      const fence = FENCE.exec(line);
      if (fence) {
        flush();
        const code = [];
        i++;
        while (i < lines.length && !FENCE.test(lines[i])) code.push(lines[i++]);
        i++;
        out.push(`<pre class="code"><code>${esc(code.join('\n'))}</code></pre>`);
        continue;
      }
      if (line.trim().startsWith('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])) {
        flush();
        const head = cells(line);
        i += 2;
        const rows = [];
        while (i < lines.length && lines[i].trim().startsWith('|')) rows.push(cells(lines[i++]));
        const th = head.map((c) => `<th>${inline(c, ctx)}</th>`).join('');
        const tb = rows.map((r) => `<tr>${head.map((_h, k) => `<td>${inline(r[k] ?? '', ctx)}</td>`).join('')}</tr>`);
        out.push(`<table class="md-table"><thead><tr>${th}</tr></thead><tbody>${tb.join('')}</tbody></table>`);
        continue;
      }
      if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
        flush();
        out.push('<hr>');
        i++;
        continue;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        const level = Math.min(6, heading[1].length + 2);
        out.push(`<h${level}>${inline(heading[2], ctx)}</h${level}>`);
        i++;
        continue;
      }
      if (LIST_ITEM.test(line)) {
        flush();
        const items = [];
        for (let m = LIST_ITEM.exec(lines[i]); m && i < lines.length; m = LIST_ITEM.exec(lines[i] ?? '')) {
          items.push({ indent: m[1].replace(/\t/g, '  ').length, ordered: /\d/.test(m[2]), text: m[3] });
          i++;
        }
        out.push(renderList(items, ctx));
        continue;
      }
      if (/^\s*>/.test(line)) {
        flush();
        const quoted = [];
        while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ''));
        out.push(`<blockquote>${quoted.map((l) => inline(l, ctx)).join('<br>')}</blockquote>`);
        continue;
      }
      if (line.trim() === '') flush();
      else para.push(line);
      i++;
    }
    flush();
    return out.join('');
  }

  /**
   * Feishu text message: plain text with `<at user_id="ou_x">Name</at>` mentions (as bots send them) or
   * `@_user_N` keys (as Feishu delivers what people type), resolved through `ctx.mentions: [{key, openId, name}]`.
   */
  function renderText(text, ctx) {
    const held = [];
    const hold = (html) => `${OPEN}${held.push(html) - 1}${CLOSE}`;
    let s = stripMarkers(text).replace(
      /<at\s+(?:user_id|id|open_id)\s*=\s*["']?([^"'>\s]*)["']?\s*>([^<]*)<\/at>/gi,
      (_m, id, name) => hold(mentionHtml([id], ctx, name.trim())),
    );
    const keyed = Array.isArray(ctx?.mentions) ? ctx.mentions : [];
    s = s.replace(/@_user_\d+/g, (key) => {
      const m = keyed.find((x) => x?.key === key);
      return m ? hold(mentionHtml([m.openId], ctx, m.name)) : key;
    });
    s = esc(s).replace(/(^|\s)(https?:\/\/[^\s<]+)/g, (_m, lead, url) => lead + link(url.replace(/&amp;/g, '&'), url));
    return s.replace(/\n/g, '<br>').replace(/\uE000(\d+)\uE001/g, (_m, i) => held[Number(i)] ?? '');
  }

  root.SandboxMarkdown = { esc, safeUrl, link, tagClass, mentionHtml, renderMarkdown, renderText, COLOURS };
})(globalThis);
