/*
 * The sandbox page's behaviour: chat list, message polling, card button clicks and the composer. It talks only to
 * the emulator's state API under /sandbox/api and renders messages with SandboxCards (card-render.js).
 */
(function app(root) {
  const SandboxCards = root.SandboxCards;
  const { esc, renderMessage } = SandboxCards;
  const doc = root.document;
  const $ = (id) => doc.getElementById(id);
  const POLL_MS = 1000;
  // One clock for the whole page: the bot's time zone (TZ), the one its cards are written in.
  const TIME_ZONE = doc.documentElement.dataset.timeZone || 'UTC';
  const STATE_EVERY = 5; // refresh users/chats every fifth poll

  const state = {
    bot: null,
    users: [],
    chats: [],
    chatId: null,
    messagesJson: '',
    polls: 0,
    failing: false,
    busy: false,
  };

  async function api(method, path, body) {
    const res = await fetch(`/sandbox/api${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { error: text };
    }
    if (!res.ok) throw new Error(data?.error?.message ?? data?.error ?? data?.msg ?? `HTTP ${res.status}`);
    return data;
  }

  function ctx() {
    const names = {};
    for (const u of state.users) names[u.openId] = u.name;
    if (state.bot) names[state.bot.openId] = state.bot.name;
    return { names, botOpenId: state.bot?.openId, timeZone: TIME_ZONE };
  }

  function toast(type, content) {
    const el = doc.createElement('div');
    const kind = ['success', 'error', 'warning', 'info'].includes(type) ? type : 'info';
    el.className = `toast toast-${kind}`;
    el.setAttribute('role', 'status');
    el.textContent = content;
    $('toasts').appendChild(el);
    setTimeout(() => el.remove(), 4000);
  }

  // ---------------------------------------------------------------- chats and users

  function renderChats() {
    $('chats').innerHTML = state.chats
      .map((c) => {
        const active = c.chatId === state.chatId ? ' active' : '';
        const icon = c.type === 'p2p' ? '@' : '#';
        return `<li><button type="button" class="chat${active}" data-chat-id="${esc(c.chatId)}"><span class="chat-icon">${icon}</span><span class="chat-name">${esc(c.name || c.chatId)}</span></button></li>`;
      })
      .join('');
    const chat = state.chats.find((c) => c.chatId === state.chatId);
    $('chat-title').textContent = chat ? chat.name || chat.chatId : 'No chat';
    $('chat-id').textContent = chat ? chat.chatId : '';
  }

  function renderUsers() {
    const select = $('sender');
    const current = select.value;
    select.innerHTML = state.users.map((u) => `<option value="${esc(u.openId)}">${esc(u.name)}</option>`).join('');
    if (state.users.some((u) => u.openId === current)) select.value = current;
    $('bot-name').textContent = state.bot ? state.bot.name : '';
    $('mention-label').textContent = state.bot ? `@${state.bot.name}` : '@bot';
  }

  /** Whether the text opens by naming the bot (`@sre-nanobot …`, `@bot …`), as a person types a mention. */
  function typedBotMention(text) {
    const m = /^\s*@(\S+)/.exec(text);
    if (!m) return false;
    const name = m[1].toLowerCase();
    return name === 'bot' || (state.bot != null && name === String(state.bot.name).toLowerCase());
  }

  async function loadState() {
    const s = await api('GET', '/state');
    state.bot = s.bot ?? null;
    state.users = Array.isArray(s.users) ? s.users : [];
    state.chats = Array.isArray(s.chats) ? s.chats : [];
    if (!state.chats.some((c) => c.chatId === state.chatId)) {
      state.chatId = (state.chats.find((c) => c.type !== 'p2p') ?? state.chats[0])?.chatId ?? null;
      state.messagesJson = '';
    }
    renderUsers();
    renderChats();
  }

  // ---------------------------------------------------------------- messages

  function isoTime(ms) {
    const d = new Date(Number(ms));
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
  }

  /** 24-hour `16:07:05` in the bot's time zone, with the date in front when it is not today there. */
  function time(ms) {
    const d = new Date(Number(ms));
    if (Number.isNaN(d.getTime())) return '';
    const zoned = SandboxCards.zonedParts(d, TIME_ZONE);
    const today = SandboxCards.zonedParts(new Date(), TIME_ZONE);
    const clock = `${zoned.hour}:${zoned.minute}:${zoned.second}`;
    return zoned.date === today.date ? clock : `${zoned.date} ${clock}`;
  }

  /** One line about a message, for the quote above a reply. */
  function summaryOf(m, c) {
    const content = m.content ?? {};
    let text = '';
    if (m.msgType === 'text') {
      text = String(content.text ?? '')
        .replace(
          /<at[^>]*?(?:user_id|id)=["']?([^"'>\s]*)["']?[^>]*>([^<]*)<\/at>/g,
          (_x, id, name) => `@${name || c.names[id] || id}`,
        )
        .replace(/@_user_\d+/g, (key) => `@${(m.mentions ?? []).find((x) => x.key === key)?.name ?? key}`);
    } else if (m.msgType === 'interactive') {
      text = `[card] ${content.header?.title?.content ?? ''}`;
    } else {
      text = `[${m.msgType}] ${content.title ?? content.zh_cn?.title ?? ''}`;
    }
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }

  function messageHtml(m, c, byId) {
    const bot = m.sender?.type === 'bot';
    const name = m.sender?.name || c.names[m.sender?.openId] || m.sender?.openId || 'unknown';
    const badges = [
      bot ? '<span class="badge badge-bot">BOT</span>' : '',
      `<time title="${esc(isoTime(m.createTime))}">${esc(time(m.createTime))}</time>`,
      m.updateCount > 0
        ? `<span class="edited" title="updated ${esc(m.updateCount)}× · ${esc(time(m.updateTime))}">edited${m.updateCount > 1 ? ` ×${esc(m.updateCount)}` : ''}</span>`
        : '',
    ].join(' ');
    const parent = m.parentId || m.rootId ? byId.get(m.parentId || m.rootId) : undefined;
    const quote =
      m.parentId || m.rootId
        ? `<div class="quote">&#8617; ${parent ? `${esc(parent.sender?.name ?? '')}: ${esc(summaryOf(parent, c))}` : 'reply'}</div>`
        : '';
    const urgent = (Array.isArray(m.urgent) ? m.urgent : [])
      .map((u) => {
        const who = (u.openIds ?? []).map((id) => c.names[id] || id).join(', ');
        return `<div class="urgent">urgent (${esc(String(u.mode ?? '').replace(/^urgent_/, ''))}) &rarr; ${esc(who)}</div>`;
      })
      .join('');
    const toasts = (Array.isArray(m.toasts) ? m.toasts : [])
      .slice(-3)
      .map((t) => `<div class="toast-log toast-log-${esc(t.type)}">toast · ${esc(t.content)}</div>`)
      .join('');
    return `<article class="msg${bot ? ' from-bot' : ''}" data-message-id="${esc(m.messageId)}">
      <div class="avatar${bot ? ' avatar-bot' : ''}">${esc(name.slice(0, 1).toUpperCase())}</div>
      <div class="msg-main"><div class="msg-meta"><span class="sender">${esc(name)}</span> ${badges}</div>
      ${urgent}${quote}<div class="msg-body">${renderMessage(m.msgType, m.content, m.mentions ? { ...c, mentions: m.mentions } : c)}</div>${toasts}</div></article>`;
  }

  function safeMessageHtml(m, c, byId) {
    try {
      return messageHtml(m, c, byId);
    } catch (err) {
      return `<article class="msg"><div class="unsupported">[unsupported message ${esc(m?.messageId)}: ${esc(err.message)}]</div></article>`;
    }
  }

  async function loadMessages() {
    if (!state.chatId) {
      $('messages').innerHTML = '<div class="empty">No chats yet.</div>';
      return;
    }
    const chatId = state.chatId;
    const data = await api('GET', `/chats/${encodeURIComponent(chatId)}/messages`);
    const json = JSON.stringify(data.messages ?? []);
    if (chatId !== state.chatId || json === state.messagesJson) return;
    state.messagesJson = json;
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const open = new Set([...box.querySelectorAll('details[open]')].map((d) => d.dataset.key));
    const c = ctx();
    const messages = data.messages ?? [];
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    box.innerHTML = messages.length
      ? messages.map((m) => safeMessageHtml(m, c, byId)).join('')
      : '<div class="empty">No messages in this chat yet. Say something below.</div>';
    box.querySelectorAll('details').forEach((d, i) => {
      d.dataset.key = String(i);
      if (open.has(String(i))) d.open = true;
    });
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  async function poll() {
    if (state.busy) return;
    state.busy = true;
    try {
      if (state.polls++ % STATE_EVERY === 0) await loadState();
      await loadMessages();
      if (state.failing) $('status').textContent = '';
      state.failing = false;
    } catch (err) {
      state.failing = true;
      $('status').textContent = `emulator unreachable: ${err.message}`;
    } finally {
      state.busy = false;
    }
  }

  // ---------------------------------------------------------------- actions

  async function click(button) {
    const messageId = button.closest('[data-message-id]')?.dataset.messageId;
    let behaviors = [];
    try {
      behaviors = JSON.parse(button.dataset.behaviors || '[]');
    } catch {
      behaviors = [];
    }
    if (button.dataset.confirm && !root.confirm(button.dataset.confirm)) return;
    for (const b of behaviors) {
      if (b?.type === 'open_url' && b.default_url) root.open(b.default_url, '_blank', 'noopener');
    }
    const callback = behaviors.find((b) => b?.type === 'callback');
    if (!callback || !messageId) return;
    button.disabled = true;
    try {
      const body = { messageId, operatorOpenId: $('sender').value, value: callback.value ?? {} };
      if (button.dataset.name) body.name = button.dataset.name;
      const res = await api('POST', '/click', body);
      if (res?.toast) toast(res.toast.type, res.toast.content ?? res.toast.i18n?.zh_cn ?? '');
      else if (res && res.status !== 200) toast('error', `callback answered ${res.status}`);
      $('status').textContent = res ? `callback ${res.status} in ${res.ms} ms` : '';
    } catch (err) {
      toast('error', `click failed: ${err.message}`);
    } finally {
      button.disabled = false;
      await loadMessages().catch(() => {});
    }
  }

  async function send(event) {
    event.preventDefault();
    const text = $('text').value;
    if (!text.trim() || !state.chatId) return;
    $('send').disabled = true;
    try {
      // Typing the bot's name is mentioning it, with or without the @ toggle.
      const body = { userOpenId: $('sender').value, text, mentionBot: $('mention').checked || typedBotMention(text) };
      await api('POST', `/chats/${encodeURIComponent(state.chatId)}/messages`, body);
      $('text').value = '';
      await loadMessages();
    } catch (err) {
      toast('error', `send failed: ${err.message}`);
    } finally {
      $('send').disabled = false;
      $('text').focus();
    }
  }

  // ---------------------------------------------------------------- break something / heal

  async function loadBreakMenu() {
    if (doc.documentElement.dataset.breakMenu !== 'on') return; // an emulator without the cluster: no menu
    let data;
    try {
      data = await api('GET', '/breakage');
    } catch (err) {
      toast('error', `break menu unavailable: ${err.message}`);
      return;
    }
    const select = $('break-select');
    select.innerHTML = '<option value="">Break something…</option>';
    for (const b of data.breakages) {
      const o = doc.createElement('option');
      o.value = b.name;
      o.textContent = b.alerts.length ? `${b.name} → ${b.alerts.join(', ')}` : b.name;
      o.title = `${b.summary}\nFix: ${b.fix}`;
      select.appendChild(o);
    }
    $('break-menu').hidden = false;
  }

  async function breakSomething() {
    const name = $('break-select').value;
    if (!name) return toast('info', 'choose what to break first');
    try {
      const res = await api('POST', `/breakage/${encodeURIComponent(name)}`, {});
      toast('warning', `${res.done}. Fix: ${res.fix}`);
    } catch (err) {
      toast('error', `could not break ${name}: ${err.message}`);
    }
  }

  async function heal() {
    try {
      const res = await api('POST', '/heal', {});
      toast('success', res.done.length ? `healed: ${res.done.join('; ')}` : 'nothing was broken from this page');
    } catch (err) {
      toast('error', `heal failed: ${err.message}`);
    }
  }

  doc.addEventListener('DOMContentLoaded', () => {
    $('break').addEventListener('click', breakSomething);
    $('heal').addEventListener('click', heal);
    loadBreakMenu();
    $('chats').addEventListener('click', (e) => {
      const b = e.target.closest('[data-chat-id]');
      if (!b) return;
      state.chatId = b.dataset.chatId;
      state.messagesJson = '';
      renderChats();
      $('messages').innerHTML = '';
      loadMessages().catch(() => {});
    });
    $('messages').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-behaviors]');
      if (b && !b.disabled) click(b);
    });
    $('composer').addEventListener('submit', send);
    $('text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
    });
    poll();
    setInterval(poll, POLL_MS);
  });
})(globalThis);
