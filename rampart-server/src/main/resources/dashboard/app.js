/*
 * Rampart dashboard shell: sign-in, navigation, routing, the API client, the live feed.
 *
 * PAGE MODULE CONTRACT
 * --------------------
 * A page is one ES module in pages/ (served at /ui/pages/NAME.js) registered with ONE line in
 * PAGES below. It exports:
 *
 *   export async function render(root, ctx)
 *
 * `root` is an empty element the page owns. The shell calls render again whenever the URL's
 * page or parameters change, with a new empty root, so a page draws from ctx.params and never
 * keeps state between renders. render may return a function, called when the page is left.
 *
 * ctx offers:
 *   ctx.api.get(path, query?)      GET /api/v1/...: resolves to the parsed JSON body. query is an
 *   ctx.api.post(path, body?)      object of parameters (empty values are left out). Writes send
 *   ctx.api.put(path, body?)       the session's CSRF token. A failure rejects with an ApiProblem
 *   ctx.api.del(path, query?)      {status, error, detail, field} (the API's error body); a 401
 *                                  sends the user to sign-in by itself; problem.body is the whole
 *                                  answer (a 503 readiness report). Requests are aborted when
 *                                  the page is left.
 *   ctx.params                     the page's URL parameters as a plain object of strings
 *                                  (#/routes?prefix=10.0.0.0/8 gives {prefix: '10.0.0.0/8'}).
 *   ctx.setParams(next)            replaces the parameters (filters) in the URL and renders again:
 *                                  links stay shareable. Keys with '' or null are dropped.
 *   ctx.navigate(page, params?)    goes to another page ('mitigations', {id: 'm-1'}).
 *   ctx.href(page, params?)        the link for it, for <a href>.
 *   ctx.can(scope)                 whether the signed-in token may act with 'read', 'operator' or
 *                                  'admin': leave out any control the token may not use.
 *   ctx.live(type, handler)        handler(data) for each server-sent event of type 'overview',
 *                                  'alert', 'mitigation', 'router' or 'peer' (docs/dashboard.md);
 *                                  unsubscribed when the page is left. An 'overview' subscriber
 *                                  gets the latest one at once.
 *   ctx.h(tag, attrs, ...children) builds an element; strings become text (never HTML), so data
 *                                  from the API cannot inject markup. attrs: {class, href, onclick,
 *                                  'aria-label', ...}; on* values are listeners.
 *   ctx.ui.loading(el) / ctx.ui.empty(el, text) / ctx.ui.error(el, problem)
 *                                  the standard loading, empty and error states inside el.
 *   ctx.ui.table(el, {path, query, columns, empty, pageSize, list, counted})
 *                                  a server-paged table over a list endpoint (items, matched,
 *                                  next_cursor): columns are [{label, value: item => text|Node}].
 *                                  Handles its loading, empty and error states and its pager
 *                                  ("First", "Next", "N matched"). list(items) => Node draws the
 *                                  items some other way than a table (a timeline) under the same
 *                                  pager; counted is the pager's word after the count.
 *   ctx.ui.time(iso)               an API time, shown in the browser's locale.
 *   ctx.ui.kv(pairs)               a <dl class="kv"> of [term, value] pairs; a missing value shows '—'.
 *   ctx.ui.asn(n)                  'AS65000', or '—' when there is none.
 *   ctx.ui.badge(text, tone, test) a status pill (<span class="badge TONE">); tone is a class
 *                                  of style.css (ok, bad, muted, up, down, rpki-valid,
 *                                  alert-open, ...), test its data-test attribute if given.
 *   ctx.ui.mitigationLink(id)      a short link (the id's first 8 characters) to a mitigation.
 *   ctx.ui.filters({fields, label, test, idPrefix, submit, submitTest, adjust})
 *                                  a list's filter form whose values live in the URL: fields are
 *                                  [{name, label, placeholder?, choices?: [[value, text]], time?}],
 *                                  shown from ctx.params; a time field is picked in the browser's
 *                                  local time and kept in the URL as an ISO 8601 UTC instant (as
 *                                  the API takes it). Submitting trims them, passes them through
 *                                  adjust(next) when given, and calls ctx.setParams; "Clear" links
 *                                  to the page without filters. Returns the <form> to append.
 *   ctx.redrawOnLive(types, redraw, {delay, when})
 *                                  calls redraw() once after live events of the types (one type or
 *                                  a list) for which when(data) holds (default: all): a burst of
 *                                  events redraws once, at most every delay ms (default 1000); the
 *                                  timer is dropped when the page is left.
 *
 * Adding a page: write pages/NAME.js with render(root, ctx), then set `module: 'NAME'` on its
 * entry in PAGES. Nothing else in the shell changes.
 */

/** The pages, in navigation order. A page without a module shows "not built yet". */
const PAGES = [
  { id: 'overview', title: 'Overview', module: 'overview' },
  { id: 'routes', title: 'Routes', module: 'routes' },
  { id: 'routers', title: 'Routers & peers', module: 'routers' },
  { id: 'rpki', title: 'RPKI', module: 'rpki' },
  { id: 'mitigations', title: 'Mitigations', module: 'mitigations' },
  { id: 'events', title: 'Events', module: 'events' },
  { id: 'audit', title: 'Audit', module: 'audit' },
  { id: 'safelist', title: 'Safelist', module: 'safelist' },
  { id: 'inventory', title: 'Inventory', module: 'inventory' },
  { id: 'alerts', title: 'Alerts', module: 'alerts' },
];

const SCOPES = ['read', 'operator', 'admin'];
const EVENT_TYPES = ['overview', 'alert', 'mitigation', 'router', 'peer'];

/** The signed-in session: {scope, token_name, expires_at, csrf_token, allows, authentication}. */
let session = null;
let stream = null;
const listeners = new Map(EVENT_TYPES.map((t) => [t, new Set()]));
/** The last overview event, handed at once to a page that subscribes after it arrived. */
let lastOverview = null;
let leave = null;

const $ = (id) => document.getElementById(id);

/** An error answer of the API, or a network failure (status 0). */
export class ApiProblem extends Error {
  constructor(status, error, detail, field, body) {
    super(detail || error);
    this.status = status;
    this.error = error;
    this.detail = detail;
    this.field = field;
    this.body = body;
  }
}

async function request(method, path, { query, body, signal } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!['GET', 'HEAD'].includes(method) && session && session.csrf_token) {
    headers['X-CSRF-Token'] = session.csrf_token;
  }
  let res;
  try {
    res = await fetch(url, {
      method, headers, signal, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiProblem(0, 'network', 'the service cannot be reached: ' + e.message);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const problem = new ApiProblem(res.status, data?.error || 'http_' + res.status,
      data?.detail || res.statusText, data?.field, data);
    if (res.status === 401 && path !== '/api/v1/session') showSignIn('Your session ended; sign in again.');
    throw problem;
  }
  return data;
}

function apiFor(signal) {
  return {
    get: (path, query) => request('GET', path, { query, signal }),
    post: (path, body) => request('POST', path, { body: body ?? {}, signal }),
    put: (path, body) => request('PUT', path, { body: body ?? {}, signal }),
    del: (path, query) => request('DELETE', path, { query, signal }),
  };
}

/** Builds an element; children that are strings or numbers become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const ui = {
  loading(el) { el.replaceChildren(h('p', { class: 'state', role: 'status' }, 'Loading…')); },
  empty(el, text) { el.replaceChildren(h('p', { class: 'state' }, text || 'Nothing here yet.')); },
  error(el, problem) {
    const code = problem?.error ? ' (' + problem.error + ')' : '';
    el.replaceChildren(h('p', { class: 'state error', role: 'alert' },
      'Could not load: ' + (problem?.detail || problem?.message || problem) + code));
  },
  time(iso) { return iso ? new Date(iso).toLocaleString() : '—'; },
  kv(pairs) { return h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')])); },
  asn(n) { return n === null || n === undefined ? '—' : 'AS' + n; },
  badge(text, tone, test) { return h('span', { class: tone ? 'badge ' + tone : 'badge', 'data-test': test }, text); },
  mitigationLink(id) { return h('a', { href: href('mitigations', { id }) }, id.slice(0, 8) + '…'); },
  table: null, // set below; it needs the page's api
};

/**
 * A server-paged table: first page, then "Next" follows next_cursor; "First" starts over.
 * The cursor is not put in the URL: cursors are the list's business and may expire.
 */
function pagedTable(api, el, { path, query = {}, columns, empty, pageSize = 50, list, counted = 'matched' }) {
  const cursors = [];
  async function load(cursor) {
    ui.loading(el);
    let page;
    try {
      page = await api.get(path, { ...query, limit: pageSize, cursor });
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(el, e);
      return;
    }
    if (!page.items || page.items.length === 0) {
      ui.empty(el, empty);
      return;
    }
    const items = list ? list(page.items) : h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, page.items.map((item) => h('tr', {}, columns.map((c) => h('td', {}, c.value(item))))))));
    const first = h('button', { type: 'button', class: 'secondary', disabled: cursors.length === 0,
      onclick: () => { cursors.length = 0; load(undefined); } }, 'First');
    const next = h('button', { type: 'button', class: 'secondary', disabled: !page.next_cursor,
      onclick: () => { cursors.push(page.next_cursor); load(page.next_cursor); } }, 'Next');
    el.replaceChildren(items,
      h('div', { class: 'pager' }, first, next,
        h('span', { class: 'muted' }, `${page.matched} ${counted}`)));
  }
  load(undefined);
}

/** A list's filter form over the page's URL parameters (see ctx.ui.filters in the contract). */
function filterForm(pageId, params, setParams,
  { fields, label, test, idPrefix = pageId + '-f-', submit = 'Filter', submitTest, adjust = (next) => next }) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': label, 'data-test': test },
    fields.map((f) => {
      const id = idPrefix + f.name;
      const control = f.choices
        ? h('select', { id, name: f.name }, f.choices.map(([value, text]) =>
          h('option', { value, selected: (params[f.name] || '') === value }, text)))
        : f.time ? h('input', { id, name: f.name, type: 'datetime-local', value: toLocalInput(params[f.name]) })
        : h('input', { id, name: f.name, type: 'text', value: params[f.name] || '', placeholder: f.placeholder,
          autocomplete: 'off', spellcheck: 'false' });
      return h('div', { class: 'field' }, h('label', { for: id }, f.label), control);
    }),
    h('div', { class: 'field actions' },
      h('button', { type: 'submit', 'data-test': submitTest }, submit),
      h('a', { href: href(pageId), class: 'reset' }, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    setParams(adjust(Object.fromEntries(fields.map((f) => {
      const value = String(data.get(f.name) || '').trim();
      return [f.name, f.time && value ? toUtcInstant(value) : value];
    }))));
  });
  return form;
}

/** An ISO instant as the value of a datetime-local input, in the browser's time zone ('' if none). */
function toLocalInput(iso) {
  const d = new Date(iso || '');
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the browser's time zone) as the ISO 8601 UTC instant the API takes. */
function toUtcInstant(local) {
  return new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [id, query] = raw.split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  return { id: PAGES.some((p) => p.id === id) ? id : 'overview', params };
}

function href(id, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return '#/' + id + (s ? '?' + s : '');
}

function can(scope) {
  return !!session && SCOPES.indexOf(session.scope) >= SCOPES.indexOf(scope);
}

function drawNav(current) {
  const nav = $('nav');
  nav.replaceChildren(...PAGES.map((p) => h('a', {
    href: href(p.id), 'aria-current': p.id === current ? 'page' : null,
  }, p.title)));
  nav.hidden = false;
}

async function route() {
  if (!session) return;
  if (leave) { leave(); leave = null; }
  const { id, params } = parseHash();
  const page = PAGES.find((p) => p.id === id);
  drawNav(id);
  document.title = page.title + ' · Rampart';
  const controller = new AbortController();
  const subscriptions = [];
  const api = apiFor(controller.signal);
  const setParams = (next) => { location.hash = href(id, next); };
  const ctx = {
    api, params, h, can, href, setParams,
    navigate: (to, p) => { location.hash = href(to, p); },
    live: (type, handler) => {
      if (!listeners.has(type)) throw new Error('no live event type ' + type);
      listeners.get(type).add(handler);
      if (type === 'overview' && lastOverview) handler(lastOverview);
      subscriptions.push(() => listeners.get(type).delete(handler));
    },
    redrawOnLive: (types, redraw, { delay = 1000, when = () => true } = {}) => {
      let timer = null;
      const schedule = (data) => {
        if (timer === null && when(data)) timer = setTimeout(() => { timer = null; redraw(); }, delay);
      };
      [].concat(types).forEach((t) => ctx.live(t, schedule));
      subscriptions.push(() => clearTimeout(timer));
    },
    ui: { ...ui, table: (el, options) => pagedTable(api, el, options),
      filters: (options) => filterForm(id, params, setParams, options) },
  };
  const root = h('div', {});
  $('page').replaceChildren(root);
  let cleanup = null;
  leave = () => {
    controller.abort();
    subscriptions.forEach((off) => off());
    if (typeof cleanup === 'function') cleanup();
  };
  if (!page.module) {
    root.append(h('h1', {}, page.title),
      h('p', { class: 'state' }, 'This page is not built yet. The same data is in the API: see /openapi.json.'));
    return;
  }
  ui.loading(root);
  try {
    const mod = await import('./pages/' + page.module + '.js');
    root.replaceChildren();
    cleanup = await mod.render(root, ctx);
  } catch (e) {
    if (e.name !== 'AbortError') ui.error(root, e);
  }
}

function openStream() {
  if (stream) stream.close();
  stream = new EventSource('/api/v1/stream', { withCredentials: true });
  const state = $('live-state');
  stream.onopen = () => { state.textContent = 'live'; state.classList.add('on'); };
  stream.onerror = () => {
    state.textContent = 'reconnecting'; state.classList.remove('on');
    // A stream refused for an ended session would retry for ever: ask who we are instead.
    request('GET', '/api/v1/session').catch((e) => {
      if (e.status === 401) showSignIn('Your session ended; sign in again.');
    });
  };
  for (const type of EVENT_TYPES) {
    stream.addEventListener(type, (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      if (type === 'overview') lastOverview = data;
      listeners.get(type).forEach((handler) => {
        try { handler(data); } catch (err) { console.error(err); }
      });
    });
  }
}

function signedIn(s) {
  session = s;
  $('sign-in').hidden = true;
  $('page').hidden = false;
  $('who').hidden = false;
  $('who-scope').textContent = s.authentication === 'off'
    ? 'API open (no sign-in)' : `${s.token_name} · ${s.scope}`;
  $('sign-out').hidden = s.authentication === 'off';
  openStream();
  route();
}

function showSignIn(message) {
  session = null;
  if (stream) { stream.close(); stream = null; }
  if (leave) { leave(); leave = null; }
  $('page').hidden = true;
  $('page').replaceChildren();
  $('who').hidden = true;
  $('nav').hidden = true;
  $('sign-in').hidden = false;
  const error = $('sign-in-error');
  error.hidden = !message;
  error.textContent = message || '';
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const input = $('token');
  const token = input.value.trim();
  const error = $('sign-in-error');
  if (!token) {
    input.setAttribute('aria-invalid', 'true');
    error.textContent = 'Paste an API token.';
    error.hidden = false;
    return;
  }
  try {
    const s = await request('POST', '/api/v1/session', { body: { token } });
    input.value = '';
    input.removeAttribute('aria-invalid');
    signedIn(s);
  } catch (e) {
    input.setAttribute('aria-invalid', 'true');
    error.textContent = e.status === 401 ? 'That token is unknown or revoked.' : (e.detail || e.message);
    error.hidden = false;
  }
}

async function signOut() {
  try { await request('DELETE', '/api/v1/session'); } catch { /* signed out either way */ }
  showSignIn('Signed out.');
}

async function start() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', () => { route(); $('main').focus(); });
  try {
    signedIn(await request('GET', '/api/v1/session'));
  } catch {
    showSignIn();
  }
}

start();
