/*
 * Alerts: the detector's alerts, filtered and paged by the service; one alert with its ARTEMIS
 * label, evidence and timeline (the restoration notice last), and the operator's actions on it;
 * the monitors in force and the routes held suppressed for flapping. The sub-section is the URL's
 * `tab` parameter and an open alert its `id`, so every view is a shareable link. Live alert events
 * redraw the list or the alert shown.
 */

const TABS = [['list', 'Alerts'], ['monitors', 'Monitors'], ['flaps', 'Flapping routes']];

const STATES = ['active', 'open', 'acknowledged', 'ignored', 'resolved'];
const TYPES = ['origin_hijack', 'squatting', 'as_set_origin', 'first_hop_hijack', 'new_more_specific', 'path',
  'visibility_loss', 'unlisted_prefix', 'new_neighbour', 'route_leak', 'no_export_leak', 'rpki_invalid',
  'rpki_not_found', 'flap', 'rpki_vrp_removed', 'rpki_expiring', 'churn_anomaly', 'flap_predicted'];

/** The ARTEMIS taxonomy, position by position (docs/detection.md, "Detectors and their alerts"). */
const TAXONOMY = [
  ['prefix', { E: 'exact prefix', S: 'sub-prefix', Q: 'squatting' }],
  ['path', { 0: 'origin (type 0)', 1: 'first hop (type 1)', P: 'path rule', '-': 'legitimate path' }],
  ['policy', { L: 'also a route leak', '-': 'no policy violation seen' }],
];

/** What each action does, for its dialog; the API's verbs. */
const ACTIONS = {
  acknowledge: { title: 'Acknowledge', says: 'Someone is on it; the alert stays active until its condition ends.' },
  ignore: { title: 'Ignore', says: 'Nobody is told of it any more; it still gathers evidence and resolves quietly.' },
  resolve: { title: 'Resolve', says: 'Closes it now. If a route still shows the condition, a new alert opens: ignore is the way to silence one.' },
};

/** Live events come in bursts: redraw at most this often. */
const LIVE_REDRAW_MS = 2000;

const OPERATOR_KEY = 'rampart.operator';

export async function render(root, ctx) {
  const { h, ui, api, params } = ctx;
  const tab = TABS.some(([id]) => id === params.tab) ? params.tab : 'list';
  const { kv, asn } = ui;
  const stateBadge = (s) => ui.badge(s, 'alert-' + s);
  const listParams = () => ({ tab: params.tab, state: params.state, type: params.type, prefix: params.prefix, since: params.since });

  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Alert sections', 'data-test': 'alerts-tabs' },
    TABS.map(([id, title]) => h('a', { href: ctx.href('alerts', id === 'list' ? {} : { tab: id }),
      'aria-current': id === tab ? 'page' : null, 'data-test': 'alerts-tab-' + id }, title)));
  const body = h('div', {});
  root.append(h('h1', {}, 'Alerts'), tabs, body);
  ui.loading(body);

  // With RAMPART_MONITORS unset the API answers monitors {enabled: false} and empty lists: say why.
  let monitors;
  try {
    monitors = await api.get('/api/v1/monitors');
  } catch (e) {
    if (e.name !== 'AbortError') ui.error(body, e);
    return undefined;
  }
  if (!monitors.enabled) {
    body.replaceChildren(h('section', { class: 'state', 'data-test': 'detection-off' },
      h('p', {}, h('strong', {}, 'Detection is off.'), ' RAMPART_MONITORS is not set, so no route is judged and there are no alerts, monitors or flapping routes to show.'),
      h('p', {}, 'To turn it on, point RAMPART_MONITORS at a monitors file and restart: see docs/detection.md, "Turning it on" ',
        '(GET /api/v1/monitors/draft drafts a file for your ASNs).')));
    return undefined;
  }

  if (tab === 'monitors') drawMonitors(body, ctx, monitors, kv, asn);
  else if (tab === 'flaps') drawFlaps(body, ctx);
  else if (params.id) {
    const draw = (notice) => drawDetail(body, ctx, params.id, { kv, asn, stateBadge, back: listParams(), notice, redraw: draw });
    await draw();
    ctx.redrawOnLive('alert', () => draw(), { delay: LIVE_REDRAW_MS, when: (e) => String(e.alert?.id) === params.id });
  } else {
    const table = h('div', { 'data-test': 'alerts-table' });
    body.replaceChildren(filters(ctx), table);
    const draw = () => ui.table(table, {
      path: '/api/v1/alerts',
      query: { state: params.state, type: params.type, prefix: params.prefix, since: params.since },
      columns: [
        { label: 'id', value: (a) => h('a', { href: ctx.href('alerts', { ...listParams(), id: a.id }),
          'data-test': 'alert-link' }, '#' + a.id) },
        { label: 'state', value: (a) => stateBadge(a.state) },
        { label: 'type', value: (a) => a.type },
        { label: 'prefix', value: (a) => a.prefix },
        { label: 'AS', value: (a) => asn(a.asn) },
        { label: 'label', value: (a) => a.taxonomy ?? '' },
        { label: 'summary', value: (a) => h('span', { class: 'alert-summary' }, a.summary ?? '') },
        { label: 'updated', value: (a) => ui.time(a.updated_at) },
        { label: 'sightings', value: (a) => String(a.sightings) },
      ],
      empty: params.state || params.type || params.prefix || params.since
        ? 'No alert matches these filters.' : 'No alert: nothing monitored has shown a problem.',
    });
    draw();
    ctx.redrawOnLive('alert', draw, { delay: LIVE_REDRAW_MS });
  }
}

function filters(ctx) {
  const any = (values, all) => [['', all], ...values.map((v) => [v, v])];
  return ctx.ui.filters({ label: 'Filter alerts', test: 'alert-filters', idPrefix: 'alerts-', fields: [
    { name: 'state', label: 'State', choices: any(STATES, 'any state') },
    { name: 'type', label: 'Type', choices: any(TYPES, 'any type') },
    { name: 'prefix', label: 'Prefix (and more-specifics)', placeholder: '192.0.2.0/24' },
    { name: 'since', label: 'Changed since', time: true },
  ] });
}

/** One alert; notice ({text, tone}) is the outcome of the action just taken, shown above it. */
async function drawDetail(el, ctx, id, { kv, asn, stateBadge, back, notice, redraw }) {
  const { h, ui, api } = ctx;
  const backLink = h('p', {}, h('a', { href: ctx.href('alerts', back) }, '← All alerts'));
  let a;
  try {
    a = await api.get('/api/v1/alerts/' + encodeURIComponent(id));
  } catch (e) {
    if (e.name === 'AbortError') return;
    const box = h('div', {});
    ui.error(box, e.status === 404 ? { detail: `There is no alert ${id}.`, error: e.error } : e);
    el.replaceChildren(backLink, box);
    return;
  }
  const result = h('div', { 'data-test': 'alert-action-result' });
  if (notice) {
    result.append(h('p', { class: notice.tone === 'ok' ? 'ok' : 'state error', role: notice.tone === 'ok' ? 'status' : 'alert' },
      notice.text));
  }
  const taxonomy = a.taxonomy ? h('div', { 'data-test': 'alert-taxonomy' },
    h('p', {}, h('strong', {}, a.taxonomy), ' (ARTEMIS hijack label)'),
    kv(a.taxonomy.split('|').map((part, i) => [TAXONOMY[i]?.[0] ?? '?', `${part}: ${TAXONOMY[i]?.[1][part] ?? 'unknown'}`])))
    : h('p', { class: 'muted', 'data-test': 'alert-taxonomy' }, 'No ARTEMIS label: this type is not a hijack.');
  const timeline = a.timeline || [];
  const last = timeline[timeline.length - 1];
  const restoration = a.state === 'resolved' && last && last.state === 'resolved' ? last : null;

  el.classList.add('stack');
  el.replaceChildren(backLink, h('section', { class: 'card', 'data-test': 'alert-detail' },
    h('h2', {}, `#${a.id} ${a.type} `, stateBadge(a.state)),
    result,
    h('p', { class: 'alert-summary' }, a.summary ?? ''),
    restoration ? h('p', { class: 'ok', 'data-test': 'alert-restoration' },
      // The detector's resolution carries the restoration notice; a person's, who and why.
      restoration.by === 'detector' ? h('strong', {}, 'Restored ') : h('strong', {}, `Resolved by ${restoration.by} `),
      ui.time(restoration.time), restoration.note ? ': ' + restoration.note : '') : null,
    kv([['key', a.key], ['prefix', a.prefix], ['monitored prefix', a.monitored_prefix], ['AS', asn(a.asn)],
      ['group', a.group], ['opened', ui.time(a.opened_at)], ['updated', ui.time(a.updated_at)],
      ['sightings', String(a.sightings)], ['acknowledged by', a.acknowledged_by]]),
    taxonomy,
    actions(ctx, a, redraw)));

  const evidence = (a.evidence || []).slice().sort((x, y) => Date.parse(y.time) - Date.parse(x.time));
  el.append(h('section', { 'data-test': 'alert-evidence' }, h('h2', {}, `Evidence (${evidence.length} kept of ${a.sightings} sightings)`),
    evidence.length === 0 ? h('p', { class: 'state' }, 'No route is kept as evidence.')
      : h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['time', 'vantage point', 'prefix', 'AS path'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, evidence.map((e) => h('tr', {}, h('td', {}, ui.time(e.time)),
          h('td', {}, e.vantage_point), h('td', {}, e.prefix), h('td', { class: 'as-path' }, e.as_path))))))));
  el.append(h('section', { 'data-test': 'alert-timeline' }, h('h2', {}, 'Timeline'),
    h('ol', { class: 'timeline' }, timeline.map((c) => h('li', { class: c === restoration ? 'restoration' : '' },
      h('span', { class: 'muted' }, ui.time(c.time)), ' ', stateBadge(c.state), ' by ', c.by,
      c.note ? h('div', { class: 'note' }, c.note) : null)))));
}

/** The actions the alert's state allows, behind a dialog asking who and why; none for a read token. */
function actions(ctx, a, redraw) {
  const { h, api } = ctx;
  if (!ctx.can('operator') || a.state === 'resolved') return null;
  const allowed = Object.keys(ACTIONS).filter((verb) => !(verb === 'acknowledge' && a.state === 'acknowledged')
    && !(verb === 'ignore' && a.state === 'ignored'));
  const operator = h('input', { id: 'alert-operator', name: 'operator', required: true, autocomplete: 'name',
    value: localStorage.getItem(OPERATOR_KEY) ?? '' });
  const reason = h('input', { id: 'alert-reason', name: 'reason', autocomplete: 'off' });
  const heading = h('h2', { id: 'alert-dialog-title' });
  const says = h('p', {});
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const confirm = h('button', { type: 'submit', 'data-test': 'alert-action-confirm' });
  let verb = null;
  const form = h('form', { method: 'dialog' }, heading, says,
    h('label', { for: 'alert-operator' }, 'Your name (kept in the timeline)'), operator,
    h('label', { for: 'alert-reason' }, 'Reason (optional)'), reason, error,
    h('div', { class: 'actions' }, confirm,
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
  const dialog = h('dialog', { 'aria-labelledby': 'alert-dialog-title', 'data-test': 'alert-action-dialog' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = operator.value.trim();
    if (!name) {
      operator.setAttribute('aria-invalid', 'true');
      error.textContent = 'Say who you are: the timeline keeps it.';
      error.hidden = false;
      return;
    }
    localStorage.setItem(OPERATOR_KEY, name);
    confirm.disabled = true;
    try {
      const changed = await api.post(`/api/v1/alerts/${a.id}/${verb}`, { operator: name, reason: reason.value.trim() });
      dialog.close();
      redraw({ tone: 'ok', text: `${ACTIONS[verb].title}d: the alert is now ${changed.state}.` });
    } catch (err) {
      if (err.name === 'AbortError') return;
      dialog.close();
      // The alert as it is now, with why the change was refused above it.
      redraw({ tone: 'bad', text: err.status === 409
        ? `Not changed (409 invalid_state_change): ${err.detail}. Someone may have changed it meanwhile; below is the alert as it is now.`
        : `${ACTIONS[verb].title} failed: ${err.detail || err.message} (${err.error})` });
    } finally {
      confirm.disabled = false;
    }
  });
  const buttons = allowed.map((v) => h('button', { type: 'button', class: v === 'acknowledge' ? '' : 'secondary',
    'data-test': 'alert-action-' + v, onclick: () => {
      verb = v;
      heading.textContent = `${ACTIONS[v].title} alert #${a.id}`;
      says.textContent = ACTIONS[v].says;
      confirm.textContent = ACTIONS[v].title;
      error.hidden = true;
      operator.removeAttribute('aria-invalid');
      dialog.showModal();
      (operator.value ? reason : operator).focus();
    } }, ACTIONS[v].title));
  return h('div', { class: 'alert-actions' }, h('div', { class: 'actions' }, buttons), dialog);
}

function drawMonitors(el, ctx, m, kv, asn) {
  const { h, ui } = ctx;
  const table = (test, title, rows, columns, empty) => h('section', { 'data-test': test }, h('h2', {}, title),
    rows.length === 0 ? h('p', { class: 'state' }, empty) : h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, columns.map(([label]) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map(([, value]) => h('td', {}, value(r)))))))));
  const asns = (list) => (list && list.length ? list.map(asn).join(', ') : '—');
  const reload = m.last_reload;
  const fd = m.flap_damping || {};
  el.replaceChildren(h('div', { class: 'stack', 'data-test': 'monitors' },
    h('section', { class: 'card' }, kv([
      ['file', m.file], ['loaded', ui.time(m.loaded_at)],
      ['last reload', reload ? h('span', { class: reload.applied ? 'ok' : 'bad' },
        `${reload.applied ? 'applied' : 'refused'} ${ui.time(reload.at)}${reload.problems?.length ? ': ' + reload.problems.join('; ') : ''}`) : 'none since start'],
      ['min vantage points', m.visibility ? String(m.visibility.min_vantage_points) : null],
      ['flap damping', `suppress at ${fd.suppress_threshold}, reuse at ${fd.reuse_threshold}, half-life ${fd.half_life}, max ${fd.max_suppress_time}`],
      ['RPKI expiry warning', m.rpki?.expiry_warning],
    ])),
    table('monitors-prefixes', 'Prefixes', m.prefixes, [
      ['prefix', (p) => p.prefix], ['origins', (p) => (p.origins.length ? asns(p.origins) : 'none (squatting watch)')],
      ['description', (p) => p.description ?? ''], ['group', (p) => p.group ?? ''],
      ['more-specifics', (p) => (p.ignore_more_specifics ? 'ignored' : 'watched')],
      ['path rules', (p) => String(p.path.length)], ['excluded checks', (p) => p.exclude.join(', ')],
      ['min vantage points', (p) => (p.min_vantage_points === null ? 'default' : String(p.min_vantage_points))],
    ], 'No prefix is monitored.'),
    table('monitors-asns', 'ASNs', m.asns, [
      ['AS', (a) => asn(a.asn)], ['upstreams', (a) => asns(a.upstreams)], ['downstreams', (a) => asns(a.downstreams)],
      ['peers', (a) => asns(a.peers)], ['group', (a) => a.group ?? ''],
    ], 'No ASN is monitored.'),
    table('monitors-groups', 'Groups', m.groups, [
      ['group', (g) => g.name], ['channels', (g) => g.channels.join(', ')],
    ], 'No group.')));
}

function drawFlaps(el, ctx) {
  const { h, ui, params } = ctx;
  const table = h('div', { 'data-test': 'flaps-table' });
  const input = h('input', { id: 'flaps-prefix', name: 'prefix', value: params.prefix ?? '', placeholder: '192.0.2.0/24',
    autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'filters', role: 'search', 'data-test': 'flap-filters' },
    h('div', { class: 'field' }, h('label', { for: 'flaps-prefix' }, 'Prefix (and more-specifics)'), input),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Filter'),
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.setParams({ tab: 'flaps' }) }, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.setParams({ tab: 'flaps', prefix: input.value.trim() });
  });
  el.replaceChildren(h('p', { class: 'muted' }, 'Routes whose RFC 2439 figure of merit reached the suppress threshold of the monitors\' flap damping.'),
    form, table);
  ui.table(table, {
    path: '/api/v1/monitors/flaps',
    query: { prefix: params.prefix },
    columns: [
      { label: 'prefix', value: (r) => r.prefix },
      { label: 'monitored prefix', value: (r) => r.monitored_prefix },
      { label: 'vantage point', value: (r) => r.vantage_point },
      { label: 'figure of merit', value: (r) => String(r.figure_of_merit) },
      { label: 'last flap', value: (r) => ui.time(r.updated_at) },
      { label: 'suppressed', value: (r) => ui.time(r.suppressed_at) },
      { label: 'reusable at', value: (r) => ui.time(r.reuse_at) },
      { label: 'route', value: (r) => (r.withdrawn ? 'withdrawn' : 'announced') },
    ],
    empty: params.prefix ? 'No suppressed route under this prefix.' : 'No route is suppressed for flapping.',
  });
}
