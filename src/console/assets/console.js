// sre-nanobot console: the one script. Sends actions (forms with data-action) as JSON with the page's CSRF
// token, shows the answer as a toast, and keeps the page live: on a domain event from /console/events it
// re-fetches the page and swaps in the parts that changed (elements with an id under <main>).

const csrf = document.body.dataset.csrf || '';
const live = document.getElementById('live');

function toast(message, ok) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const el = document.createElement('div');
  el.className = ok ? 'toast' : 'toast error';
  el.setAttribute('role', ok ? 'status' : 'alert');
  el.textContent = message;
  box.append(el);
  setTimeout(() => el.remove(), ok ? 4000 : 8000);
}

async function post(url, data) {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(data),
  });
  let body = {};
  try {
    body = await res.json();
  } catch {
    body = { ok: false, message: `HTTP ${res.status}` };
  }
  return { ok: res.ok && body.ok !== false, body };
}

document.addEventListener('submit', async (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement)) return;
  const action = form.dataset.action || (form.classList.contains('signout') ? '/console/logout' : '');
  if (!action) return;
  ev.preventDefault();
  const data = {};
  for (const [k, v] of new FormData(form)) if (k !== '_csrf' && typeof v === 'string' && v !== '') data[k] = v;
  const buttons = form.querySelectorAll('button');
  for (const b of buttons) b.disabled = true;
  try {
    const { ok, body } = await post(action, data);
    toast(body.message || (ok ? 'OK' : 'Error'), ok);
    if (body.location) location.assign(body.location);
    else if (ok) await refresh();
  } catch (err) {
    toast(String(err?.message ?? err), false);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
});

let refreshing;
let again = false;
/** Re-reads this page and replaces every element with an id inside <main> whose content changed. */
async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (res.redirected && new URL(res.url).pathname === '/console/login') return location.assign(res.url);
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const main = document.querySelector('main.content');
      const fresh = doc.querySelector('main.content');
      if (!main || !fresh || fresh.innerHTML === main.innerHTML) continue;
      const active = document.activeElement;
      const typing = active && main.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
      if (!typing) {
        main.innerHTML = fresh.innerHTML;
        continue;
      }
      // Someone is typing: replace only the parts (elements with an id) that do not hold the focus.
      for (const part of fresh.querySelectorAll('[id]')) {
        const current = document.getElementById(part.id);
        if (current && main.contains(current) && !current.contains(active) && current.innerHTML !== part.innerHTML) {
          current.replaceWith(part);
        }
      }
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

// Events are coalesced: a refresh starts 150 ms after the last event, and at most once a second (an alert storm
// does not turn every open page into a request loop).
let timer;
let lastRefresh = 0;
function scheduleRefresh() {
  clearTimeout(timer);
  const wait = Math.max(150, lastRefresh + 1000 - Date.now());
  timer = setTimeout(() => {
    lastRefresh = Date.now();
    refresh().catch(() => {});
  }, wait);
}

function connect() {
  if (!('EventSource' in window)) return;
  const es = new EventSource('/console/events');
  const setLive = (on) => {
    if (!live) return;
    live.classList.toggle('on', on);
    live.classList.toggle('off', !on);
    live.textContent = on ? live.dataset.on : live.dataset.off;
    document.body.dataset.connected = on ? 'yes' : 'no';
  };
  es.addEventListener('open', () => setLive(true));
  es.addEventListener('error', () => setLive(false));
  es.addEventListener('hello', () => setLive(true));
  for (const type of [
    'incident.opened',
    'incident.changed',
    'timeline.added',
    'approval.requested',
    'approval.decided',
    'run.advanced',
    'resync',
  ]) {
    es.addEventListener(type, (ev) => {
      document.body.dataset.lastEvent = ev.lastEventId || '';
      scheduleRefresh();
    });
  }
}

connect();
