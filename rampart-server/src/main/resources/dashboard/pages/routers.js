/*
 * Routers & peers: the routers that send BMP (and imported MRT sources) with their session
 * state; their BGP peers with state and capabilities; for one peer, every field the collector
 * knows, its up/down history with the BMP reasons (GET /api/v1/peer-events) and its Statistics
 * Reports as one small chart per counter (GET /api/v1/peer-statistics). Live router and peer
 * events redraw the session states.
 */

import { sparkline } from './parts.js';

/** BMP Peer Down reasons (RFC 7854 4.9, RFC 9069). */
const DOWN_REASONS = {
  1: 'local system closed the session with a NOTIFICATION',
  2: 'local system closed the session without a NOTIFICATION',
  3: 'remote system closed the session with a NOTIFICATION',
  4: 'remote system closed the session without a NOTIFICATION',
  5: 'peer de-configured',
  6: 'local system closed, BMP session with no more data',
};
/** BGP NOTIFICATION error codes (RFC 4271 4.5, RFC 7313). */
const NOTIFICATION_CODES = {
  1: 'message header error', 2: 'OPEN message error', 3: 'UPDATE message error', 4: 'hold timer expired',
  5: 'finite state machine error', 6: 'cease', 7: 'ROUTE-REFRESH message error',
};
const PEER_TYPES = { 0: 'global', 1: 'RD instance', 2: 'local instance', 3: 'Loc-RIB instance' };
/** Statistics read for the charts: one server page, the newest rows. */
const STATISTICS_ROWS = 1000;
/** Live events come in bursts when a router reconnects: redraw at most this often. */
const REDRAW_MS = 1000;

export async function render(root, ctx) {
  if (ctx.params.peer) return renderPeer(root, ctx);
  return renderLists(root, ctx);
}

function stateBadge(ui, up, upText, downText) {
  return ui.badge(up ? upText : downText, up ? 'up' : 'down', 'session-state');
}

function downReason(event) {
  if (event.reason === null || event.reason === undefined || event.reason < 0) return '';
  let text = DOWN_REASONS[event.reason] || 'reason ' + event.reason;
  const code = event.notification_code;
  if (code !== null && code !== undefined) {
    text += `; NOTIFICATION ${code}/${event.notification_subcode} (${NOTIFICATION_CODES[code] || 'unknown code'})`;
  }
  return text;
}

/** Calls draw now and again after live events (those for which when holds), no more often than REDRAW_MS. */
function redrawOnLive(ctx, types, draw, when) {
  ctx.redrawOnLive(types, draw, { delay: REDRAW_MS, when });
  draw();
}

function renderLists(root, ctx) {
  const { h, ui, params } = ctx;
  const routers = h('div', { 'data-test': 'routers-table' });
  const peers = h('div', { 'data-test': 'peers-table' });

  const form = ui.filters({ label: 'Peer filters', test: 'peers-filters', idPrefix: 'peers-f-', fields: [
    { name: 'router', label: 'Router', placeholder: '192.0.2.1' },
    { name: 'state', label: 'State', choices: [['', 'any'], ['up', 'up'], ['down', 'down']] },
  ] });

  root.append(h('h1', {}, 'Routers & peers'),
    h('section', { class: 'block', 'aria-labelledby': 'rt-routers' }, h('h2', { id: 'rt-routers' }, 'Routers'), routers),
    h('section', { class: 'block', 'aria-labelledby': 'rt-peers' }, h('h2', { id: 'rt-peers' }, 'Peers'), form, peers));

  const drawRouters = () => ui.table(routers, {
    path: '/api/v1/routers',
    empty: 'No router has connected and no MRT file was imported. Point a router\'s BMP at RAMPART_BMP_PORT.',
    columns: [
      { label: 'router', value: (r) => h('a', { href: ctx.href('routers', { router: r.id }), 'aria-label': 'Peers of ' + r.id }, r.id) },
      { label: 'name', value: (r) => r.sys_name ?? '—' },
      { label: 'source', value: (r) => r.source },
      { label: 'BMP session', value: (r) => r.source === 'mrt' ? h('span', { class: 'muted' }, 'MRT import')
        : stateBadge(ui, r.connected, 'connected', 'disconnected') },
      { label: 'last termination', value: (r) => r.termination_reason ?? '—' },
      { label: 'first seen', value: (r) => ui.time(r.first_seen) },
      { label: 'last seen', value: (r) => ui.time(r.last_seen) },
      { label: 'description', value: (r) => h('span', { class: 'clip', title: r.sys_descr ?? '' }, r.sys_descr ?? '—') },
    ],
  });
  const drawPeers = () => ui.table(peers, {
    path: '/api/v1/peers',
    query: { router: params.router, state: params.state },
    empty: params.router || params.state ? 'No peer matches these filters.' : 'No peer is known yet.',
    columns: [
      { label: 'peer', value: (p) => h('a', { href: ctx.href('routers', { peer: p.address, at_router: p.router,
        rd: p.distinguisher }), 'data-test': 'peer-link' }, p.address) },
      { label: 'AS', value: (p) => p.asn },
      { label: 'router', value: (p) => p.router },
      { label: 'state', value: (p) => stateBadge(ui, p.up, 'up', 'down') },
      { label: 'type', value: (p) => PEER_TYPES[p.peer_type] ?? p.peer_type },
      { label: 'RD', value: (p) => p.distinguisher },
      { label: 'capabilities', value: (p) => h('span', { class: 'wrap' }, p.capabilities.length ? p.capabilities.join(', ') : '—') },
      { label: 'last down', value: (p) => h('span', { class: 'wrap' }, downReason({ reason: p.last_down_reason }) || '—') },
      { label: 'last seen', value: (p) => ui.time(p.last_seen) },
    ],
  });
  redrawOnLive(ctx, ['router', 'peer'], () => { drawRouters(); drawPeers(); });
}

/** Finds the peer among its router's peers, a bounded number of server pages. */
async function findPeer(api, params) {
  let cursor;
  for (let i = 0; i < 20; i++) {
    const page = await api.get('/api/v1/peers', { router: params.at_router, limit: 1000, cursor });
    const peer = page.items.find((p) => p.address === params.peer && (!params.rd || p.distinguisher === params.rd));
    if (peer || !page.next_cursor) return peer;
    cursor = page.next_cursor;
  }
  return undefined;
}

function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return (d ? d + 'd ' : '') + hms;
}

function renderPeer(root, ctx) {
  const { h, ui, api, params } = ctx;
  const who = { router: params.at_router, peer: params.peer };
  const summary = h('div', { class: 'body' });
  const events = h('div', { class: 'body', 'data-test': 'peer-events-table' });
  const stats = h('div', { class: 'body' });
  const section = (title, id, body, test) => h('section', { class: 'card', 'aria-labelledby': id, 'data-test': test },
    h('h2', { id }, title), body);
  root.append(h('a', { href: ctx.href('routers', { router: params.at_router }), 'data-test': 'peer-back' }, '← Routers & peers'),
    h('h1', {}, `Peer ${params.peer}` + (params.at_router ? ` on ${params.at_router}` : '')),
    h('div', { class: 'detail-grid' },
      section('Session', 'pd-session', summary, 'peer-detail'),
      section('Up and down', 'pd-events', events, 'peer-history')),
    section('Statistics reports', 'pd-stats', stats, 'peer-statistics'));

  const drawSummary = async () => {
    ui.loading(summary);
    try {
      const [peer, last] = await Promise.all([findPeer(api, params), api.get('/api/v1/peer-events', { ...who, limit: 1 })]);
      if (!peer) {
        ui.empty(summary, 'The collector does not know this peer now.');
        return;
      }
      const latest = last.items[0];
      const since = latest && (latest.event === 'up') === peer.up
        ? `${peer.up ? 'up' : 'down'} for ${duration(Date.now() - Date.parse(latest.time))} (since ${ui.time(latest.time)})`
        : null;
      const pairs = [
        ['state', h('span', {}, stateBadge(ui, peer.up, 'up', 'down'), since ? ' ' + since : '')],
        ['AS', peer.asn], ['BGP ID', peer.bgp_id], ['router', peer.router],
        ['type', PEER_TYPES[peer.peer_type] ?? peer.peer_type], ['distinguisher', peer.distinguisher],
        ['table', peer.table_name], ['local address', peer.local_address && `${peer.local_address} port ${peer.local_port}`],
        ['remote port', peer.remote_port], ['local AS', peer.local_asn], ['local BGP ID', peer.local_bgp_id],
        ['hold time', peer.hold_time !== undefined ? peer.hold_time + ' s' : null],
        ['capabilities', peer.capabilities.length
          ? h('ul', { class: 'inline-list', 'data-test': 'peer-capabilities' }, peer.capabilities.map((c) => h('li', {}, c))) : 'none'],
        ['last down', downReason({ reason: peer.last_down_reason }) || '—'],
        ['last NOTIFICATION', peer.last_notification],
        ['treated as withdraw', Object.keys(peer.routes_treated_as_withdraw || {}).length
          ? Object.entries(peer.routes_treated_as_withdraw).map(([k, v]) => `${k}: ${v}`).join(', ') : 'none'],
        ['first seen', ui.time(peer.first_seen)], ['last seen', ui.time(peer.last_seen)],
        ['seen without Peer Up', peer.seen_without_peer_up ? 'yes' : 'no'],
        ['routes', h('a', { href: ctx.href('routes', { router: peer.router, peer: peer.address }) }, 'this peer\'s routes')],
      ];
      summary.replaceChildren(ui.kv(pairs));
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(summary, e);
    }
  };
  const drawEvents = () => ui.table(events, {
    path: '/api/v1/peer-events',
    query: who,
    pageSize: 20,
    empty: 'No up or down of this peer is recorded.',
    columns: [
      { label: 'time', value: (e) => ui.time(e.time) },
      { label: 'event', value: (e) => stateBadge(ui, e.event === 'up', 'up', 'down') },
      { label: 'reason', value: (e) => h('span', { class: 'wrap' }, downReason(e) || '—') },
    ],
  });
  drawStatistics(ctx, stats, who);
  // Only this peer's (or its router's) events redraw the session: others leave it as it is.
  const mine = (e) => e.router === params.at_router && (e.peer_address === undefined || e.peer_address === params.peer);
  redrawOnLive(ctx, ['router', 'peer'], () => { drawSummary(); drawEvents(); }, mine);
}

/** The newest statistics rows of the peer, one chart per counter (type and, for a gauge per family, AFI/SAFI). */
async function drawStatistics(ctx, el, who) {
  const { h, ui, api } = ctx;
  ui.loading(el);
  let page;
  try {
    page = await api.get('/api/v1/peer-statistics', { ...who, limit: STATISTICS_ROWS });
  } catch (e) {
    if (e.name !== 'AbortError') ui.error(el, e);
    return;
  }
  if (page.items.length === 0) {
    ui.empty(el, 'This peer\'s router has sent no Statistics Report for it.');
    return;
  }
  const series = new Map();
  for (const row of page.items) {
    const key = `${row.stat_type}/${row.afi ?? ''}/${row.safi ?? ''}`;
    if (!series.has(key)) series.set(key, { row, points: [] });
    series.get(key).points.push({ t: Date.parse(row.time), v: row.value });
  }
  const charts = [...series.values()].sort((a, b) => a.row.stat_type - b.row.stat_type).map(({ row, points }) => {
    points.sort((a, b) => a.t - b.t);
    const name = row.name + (row.afi !== null && row.afi !== undefined ? ` (AFI ${row.afi}, SAFI ${row.safi})` : '');
    const last = points[points.length - 1];
    const values = points.map((p) => p.v);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const chart = sparkline(points, min, max,
      `${name}: ${points.length} reports, from ${min.toLocaleString()} to ${max.toLocaleString()}, now ${last.v.toLocaleString()}`);
    return h('figure', { class: 'stat', 'data-test': 'peer-stat-chart' },
      h('figcaption', {}, h('span', { class: 'stat-name' }, name), ' ',
        h('strong', {}, last.v.toLocaleString())),
      chart,
      h('div', { class: 'muted stat-range' }, `min ${min.toLocaleString()} · max ${max.toLocaleString()} · ${points.length} reports`));
  });
  el.replaceChildren(
    h('p', { class: 'muted' }, `The newest ${page.items.length} of ${page.matched} values, from ${ui.time(page.items[page.items.length - 1].time)} to ${ui.time(page.items[0].time)}.`),
    h('div', { class: 'stat-grid' }, charts));
}
