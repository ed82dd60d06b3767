/*
 * Routes: search the collected RIB (GET /api/v1/routes) with every filter the API takes, the
 * filters kept in the URL; and one route's detail: every attribute the API returns, its RPKI
 * origin state with the VRPs that decide it (GET /api/v1/validity/...), and the prefix's
 * recorded history as a timeline (GET /api/v1/routes/{prefix}/history). Every request is one
 * server page, so the page stays fast however many routes the RIB holds.
 */

const VIEWS = ['adj-rib-in-pre', 'adj-rib-in-post', 'adj-rib-out-pre', 'adj-rib-out-post', 'loc-rib'];
const FAMILIES = ['ipv4', 'ipv6', 'evpn', 'other'];
const RPKI_STATES = ['valid', 'invalid', 'not-found'];

/** The list filters: URL parameter, API parameter of the same name, label, and input. */
const FILTERS = [
  { name: 'prefix', label: 'Prefix', placeholder: '192.0.2.0/24' },
  { name: 'match', label: 'Match', choices: [['exact', 'exact'], ['longer', 'this and more specific'], ['shorter', 'this and covering']] },
  { name: 'origin_asn', label: 'Origin AS', placeholder: 'AS65000' },
  { name: 'as_path_contains', label: 'AS path contains', placeholder: 'AS65001' },
  { name: 'community', label: 'Community', placeholder: '65000:100 or 65000:1:2' },
  { name: 'router', label: 'Router', placeholder: '192.0.2.1' },
  { name: 'peer', label: 'Peer address', placeholder: '198.51.100.1' },
  { name: 'view', label: 'RIB view', choices: [['', 'any'], ...VIEWS.map((v) => [v, v])] },
  { name: 'family', label: 'Family', choices: [['', 'any'], ...FAMILIES.map((v) => [v, v])] },
  { name: 'rpki', label: 'RPKI state', choices: [['', 'any'], ...RPKI_STATES.map((v) => [v, v])] },
];

/** The URL parameters that select one route for the detail view. */
const DETAIL_KEYS = ['detail', 'at_router', 'at_peer', 'at_rd', 'at_view', 'path_id', 'vpn_rd'];

export async function render(root, ctx) {
  if (ctx.params.detail) return renderDetail(root, ctx);
  return renderList(root, ctx);
}

function listParams(params) {
  return Object.fromEntries(Object.entries(params).filter(([k]) => !DETAIL_KEYS.includes(k)));
}

function rpkiBadge(h, ui, state) {
  if (!state) return h('span', { class: 'muted' }, '—');
  return ui.badge(state, 'rpki-' + state, 'rpki-state');
}

/**
 * A prefix as the path segments address/length, each escaped: the prefix may come from the URL
 * (detail=...), and unescaped it could step out of the route ("../..") to another endpoint.
 */
function prefixPath(prefix) {
  const slash = prefix.lastIndexOf('/');
  return slash < 0 ? encodeURIComponent(prefix)
    : encodeURIComponent(prefix.slice(0, slash)) + '/' + encodeURIComponent(prefix.slice(slash + 1));
}

function asPathText(route) {
  return (route.as_path || []).join(' ');
}

function renderList(root, ctx) {
  const { h, ui, params } = ctx;
  const form = ui.filters({ label: 'Route filters', test: 'routes-filters', fields: FILTERS, submit: 'Search',
    submitTest: 'routes-search',
    adjust: (next) => ({ ...next, match: !next.prefix || next.match === 'exact' ? '' : next.match }), // exact is the API's default
  });

  const results = h('div', { 'data-test': 'routes-table' });
  root.append(h('h1', {}, 'Routes'), form, h('section', { 'aria-label': 'Matching routes' }, results));

  const query = {};
  for (const f of FILTERS) if (params[f.name]) query[f.name] = params[f.name];
  const isIp = (r) => r.family === 'ipv4' || r.family === 'ipv6';
  ui.table(results, {
    path: '/api/v1/routes',
    query,
    pageSize: 50,
    empty: Object.keys(query).length ? 'No route matches these filters.' : 'The RIB is empty: no router has sent BMP and no MRT file was imported.',
    columns: [
      { label: 'prefix', value: (r) => isIp(r)
        ? h('a', { href: ctx.href('routes', { ...listParams(params), detail: r.prefix, at_router: r.router,
          at_peer: r.peer, at_rd: r.distinguisher, at_view: r.view, path_id: r.path_id, vpn_rd: r.vpn?.rd }), 'data-test': 'route-link' },
        r.prefix + (r.vpn?.rd ? ' (' + r.vpn.rd + ')' : ''))
        : r.prefix },
      { label: 'origin AS', value: (r) => r.origin_asn ?? '—' },
      { label: 'AS path', value: (r) => h('span', { class: 'aspath' }, asPathText(r) || '(empty)') },
      { label: 'next hop', value: (r) => r.next_hop ?? '—' },
      { label: 'router', value: (r) => r.router },
      { label: 'peer', value: (r) => r.peer },
      { label: 'view', value: (r) => r.view },
      { label: 'RPKI', value: (r) => rpkiBadge(h, ui, r.rpki) },
      { label: 'last change', value: (r) => ui.time(r.last_change) },
    ],
  });
}

/** A value of the route as text or a small list; objects (vpn, evpn, bmp) as nested key/value lists. */
function attributeValue(h, key, value) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, '—');
  if (key === 'as_path_segments') {
    return h('span', { class: 'aspath' }, value.map((s) => s.type === 'as_sequence'
      ? s.asns.join(' ') : s.type.replace('as_', '') + ' {' + s.asns.join(' ') + '}').join(' ') || '(empty)');
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'muted' }, 'none');
    return h('ul', { class: 'inline-list' }, value.map((v) => h('li', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))));
  }
  if (typeof value === 'object') {
    return h('dl', { class: 'kv' }, Object.entries(value).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, attributeValue(h, k, v))]));
  }
  return String(value);
}

function vrpTable(h, title, vrps, testId) {
  return h('div', { 'data-test': testId },
    h('h3', {}, `${title} (${vrps.length})`),
    vrps.length === 0 ? h('p', { class: 'muted' }, 'none')
      : h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['ASN', 'prefix', 'max length'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, vrps.map((v) => h('tr', {}, h('td', {}, v.asn), h('td', {}, v.prefix), h('td', {}, v.max_length)))))));
}

async function renderDetail(root, ctx) {
  const { h, ui, api, params } = ctx;
  const prefix = params.detail;
  const back = h('a', { href: ctx.href('routes', listParams(params)), 'data-test': 'route-back' }, '← Back to the routes');
  const attributes = h('div', { class: 'body' });
  const rpki = h('div', { class: 'body' });
  const history = h('div', { class: 'body' });
  const section = (title, id, body, test) => h('section', { class: 'card', 'aria-labelledby': id, 'data-test': test },
    h('h2', { id }, title), body);
  root.append(back, h('h1', {}, 'Route ' + prefix),
    h('div', { class: 'detail-grid', 'data-test': 'route-detail' },
      section('Attributes', 'rd-attributes', attributes, 'route-attributes'),
      section('RPKI origin validation', 'rd-rpki', rpki, 'route-rpki'),
      section('History', 'rd-history', history, 'route-history')));

  drawHistory(ctx, history, prefix, params);

  ui.loading(attributes);
  ui.loading(rpki);
  let route;
  try {
    // One exact-prefix page for this router, peer and view: a handful of paths at most.
    const page = await api.get('/api/v1/routes', { prefix, match: 'exact', router: params.at_router,
      peer: params.at_peer, view: params.at_view, limit: 1000 });
    route = page.items.find((r) => String(r.path_id) === String(params.path_id ?? r.path_id)
      && (!params.at_rd || r.distinguisher === params.at_rd) && (r.vpn?.rd || '') === (params.vpn_rd || ''));
  } catch (e) {
    if (e.name === 'AbortError') return;
    ui.error(attributes, e);
    ui.error(rpki, e);
    return;
  }
  if (!route) {
    const gone = 'This route is not in the RIB now: it was withdrawn or its session ended. Its history is below.';
    ui.empty(attributes, gone);
    ui.empty(rpki, 'No current route to validate.');
    return;
  }
  attributes.replaceChildren(h('dl', { class: 'kv' }, Object.entries(route).flatMap(([k, v]) =>
    [h('dt', {}, k.replaceAll('_', ' ')), h('dd', { 'data-field': k }, k === 'rpki' ? rpkiBadge(h, ui, v)
      : k === 'last_change' ? ui.time(v) : attributeValue(h, k, v))])));

  if (route.origin_asn === null || route.origin_asn === undefined) {
    rpki.replaceChildren(rpkiBadge(h, ui, route.rpki),
      h('p', { class: 'muted' }, 'The AS path is empty or ends in a set, so the route has no origin AS to validate (RFC 6811: not found).'));
    return;
  }
  try {
    const answer = await api.get('/api/v1/validity/' + encodeURIComponent(route.origin_asn) + '/' + prefixPath(route.prefix));
    const v = answer.validated_route.validity;
    rpki.replaceChildren(
      h('p', {}, rpkiBadge(h, ui, v.state), ' ', v.reason ? h('span', { class: 'bad' }, 'reason: ' + v.reason + ' ') : '',
        h('span', { class: 'muted' }, v.description)),
      h('p', { class: 'muted' }, `AS${route.origin_asn} originating ${route.prefix}, against the VRPs of ${ui.time(answer.generatedTime)}.`),
      vrpTable(h, 'Matched VRPs', v.VRPs.matched, 'vrps-matched'),
      vrpTable(h, 'Covering VRPs of another AS', v.VRPs.unmatched_as, 'vrps-unmatched-as'),
      vrpTable(h, 'Covering VRPs of this AS, prefix too long', v.VRPs.unmatched_length, 'vrps-unmatched-length'));
  } catch (e) {
    if (e.name !== 'AbortError') ui.error(rpki, e);
  }
}

/** The prefix's recorded changes, newest first, one server page at a time, as a timeline. */
function drawHistory(ctx, el, prefix, params) {
  const { h, ui } = ctx;
  const ours = (row) => row.router === params.at_router && row.peer === params.at_peer && row.view === params.at_view;
  ui.table(el, {
    path: '/api/v1/routes/' + prefixPath(prefix) + '/history',
    empty: 'No change of this prefix is recorded.',
    counted: 'recorded',
    list: (items) => h('div', {},
      h('p', { class: 'muted' }, 'Every router and peer; changes of the route shown above are marked.'),
      h('ol', { class: 'timeline', 'data-test': 'route-history-timeline' }, items.map((row) =>
        h('li', { class: (row.withdrawn ? 'withdrawn' : 'announced') + (ours(row) ? ' ours' : '') },
          h('div', {}, h('time', { datetime: row.time }, ui.time(row.time)), ' ',
            ui.badge(row.withdrawn ? 'withdrawn' : 'announced', row.withdrawn ? 'down' : 'up'),
            ' ', h('span', { class: 'muted' }, `${row.peer} on ${row.router} · ${row.view}${row.path_id ? ' · path ' + row.path_id : ''}`)),
          row.withdrawn ? null : h('div', { class: 'aspath' },
            (row.as_path.join(' ') || '(empty path)') + (row.next_hop ? ' → ' + row.next_hop : '')
            + (row.communities.length ? ' · ' + row.communities.join(' ') : '')))))),
  });
}
