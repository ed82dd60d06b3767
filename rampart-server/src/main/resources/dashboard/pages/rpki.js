/*
 * RPKI: the served payload's state, the VRP sources and their health, a VRP search, a validity
 * checker (Routinator's UI: which VRPs decide a route's state and why), the diffs between retained
 * serials, the route-origin counts per BMP peer with the RTR clients, and the SLURM in force.
 * The sub-section is the URL's `tab` parameter, so every view is a shareable link.
 */

const TABS = [
  ['sources', 'Sources'],
  ['vrps', 'VRPs'],
  ['validity', 'Validity checker'],
  ['diff', 'Serials & diffs'],
  ['peers', 'Peers & RTR'],
  ['slurm', 'SLURM'],
];

/** A diff can hold a whole VRP set (a first fetch): show this many rows of each side. */
const DIFF_ROWS_SHOWN = 500;

export async function render(root, ctx) {
  const { h, ui, api, params } = ctx;
  const tab = TABS.some(([id]) => id === params.tab) ? params.tab : 'sources';

  const { kv, asn } = ui;
  const count = (n) => (n ?? 0).toLocaleString();
  const vrpTable = (vrps, test, empty) => {
    const el = h('div', { 'data-test': test });
    if (!vrps || vrps.length === 0) {
      ui.empty(el, empty);
      return el;
    }
    el.append(h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['origin AS', 'prefix', 'max length'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, vrps.map((v) => h('tr', {}, h('td', {}, String(v.asn).startsWith('AS') ? v.asn : asn(v.asn)),
        h('td', {}, v.prefix), h('td', {}, String(v.max_length))))))));
    return el;
  };

  /** A filter form: its fields go into the URL on submit, next to the tab. */
  const filterForm = (test, fields, { submit = 'Search', clear = true } = {}) => {
    const inputs = {};
    const form = h('form', { class: 'filters', 'data-test': test, role: 'search' },
      fields.map((f) => {
        const id = 'rpki-' + f.name;
        const input = f.options
          ? h('select', { id, name: f.name }, f.options.map(([value, label]) =>
            h('option', { value, selected: (params[f.name] ?? f.default ?? '') === value }, label)))
          : h('input', { id, name: f.name, value: params[f.name] ?? '', placeholder: f.placeholder,
            required: f.required, autocomplete: 'off', spellcheck: 'false', inputmode: f.inputmode });
        inputs[f.name] = input;
        return h('div', { class: 'field' }, h('label', { for: id }, f.label), input);
      }),
      h('div', { class: 'field actions' }, h('button', { type: 'submit' }, submit),
        clear ? h('button', { type: 'button', class: 'secondary', onclick: () => ctx.setParams({ tab }) }, 'Clear') : null));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = { tab };
      for (const [name, input] of Object.entries(inputs)) next[name] = input.value.trim();
      ctx.setParams(next);
    });
    return form;
  };

  const stateBox = h('section', { class: 'card rpki-state', 'data-test': 'rpki-state', 'aria-label': 'Served payload' });
  const refreshBox = h('div', { class: 'rpki-refresh' });
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'RPKI sections', 'data-test': 'rpki-tabs' },
    TABS.map(([id, title]) => h('a', { href: ctx.href('rpki', { tab: id }), 'aria-current': id === tab ? 'page' : null,
      'data-test': 'rpki-tab-' + id }, title)));
  const body = h('div', { 'data-test': 'rpki-' + tab });
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'RPKI'), refreshBox), stateBox, tabs, body);

  /** The state, once per render and again after a refresh; the diff and peers sections read it. */
  let stateLoaded = null;
  const loadState = async () => {
    ui.loading(stateBox);
    let state;
    try {
      state = await api.get('/api/v1/state');
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(stateBox, e);
      return null;
    }
    stateBox.replaceChildren(kv([
      ['serial', String(state.serial)],
      ['VRPs', count(state.vrp_count)],
      ['ASPAs', count(state.aspa_count)],
      ['router keys', count(state.router_key_count)],
      ['data', state.stale ? h('span', { class: 'warn' }, 'stale (older than RAMPART_RPKI_MAX_DATA_AGE)')
        : h('span', { class: 'ok' }, 'fresh')],
      ['data generated', ui.time(state.data_time)],
      ['serial last moved', ui.time(state.last_update)],
      ['RTR clients', String(state.rtr_clients)],
    ]));
    return state;
  };

  if (ctx.can('operator')) {
    const result = h('span', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-test': 'rpki-refresh-result' });
    const button = h('button', { type: 'button', 'data-test': 'rpki-refresh-button' }, 'Refresh now');
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.className = 'muted';
      result.textContent = 'Polling every source…';
      try {
        const r = await api.post('/api/v1/rpki/refresh');
        result.className = r.changed ? 'ok' : 'muted';
        result.textContent = r.changed
          ? `Serial ${r.previous_serial} → ${r.serial}: ${count(r.vrp_count)} VRPs now served.`
          : `No change: serial ${r.serial}, ${count(r.vrp_count)} VRPs.`;
        // Every section may show what moved: the state, the sources, the serials, the VRPs.
        stateLoaded = loadState();
        drawTab();
      } catch (e) {
        if (e.name === 'AbortError') return;
        result.className = 'error';
        result.textContent = `Refresh failed: ${e.detail || e.message} (${e.error})`;
      } finally {
        button.disabled = false;
      }
    });
    refreshBox.append(button, ' ', result);
  }

  const tabs_ = {
    async sources(el) {
      const { sources } = await api.get('/api/v1/rpki/sources');
      if (!sources.length) {
        ui.empty(el, 'No VRP source is configured: set RAMPART_RPKI_SOURCES (docs/rpki.md).');
        return;
      }
      el.replaceChildren(h('div', { class: 'grid' }, sources.map((s) => {
        const health = s.last_error ? ['bad', 'last fetch failed'] : !s.last_success ? ['warn', 'never fetched']
          : ['ok', 'healthy'];
        const tas = Object.entries(s.vrps_by_trust_anchor || {});
        const rejected = Object.entries(s.rejected || {});
        return h('section', { class: 'card', 'data-test': 'rpki-source', 'aria-label': 'Source ' + s.name },
          h('h2', {}, s.name), h('p', {}, h('strong', { class: health[0] }, health[1])),
          s.last_error ? h('p', { class: 'error rpki-wrap' }, s.last_error,
            s.last_success ? h('span', { class: 'muted' }, ' (its last good data is still served)') : null) : null,
          kv([['format', s.format], ['last success', ui.time(s.last_success)], ['last attempt', ui.time(s.last_attempt)],
            ['data generated', ui.time(s.generated_at)], ['fetches', count(s.fetches)],
            ['failures', h('span', { class: s.failures ? 'warn' : '' }, count(s.failures))],
            ['VRPs', count(s.vrps)], ['ASPAs', count(s.aspas)], ['router keys', count(s.router_keys)]]),
          tas.length ? h('div', {}, h('h3', {}, 'VRPs by trust anchor'), kv(tas.map(([ta, n]) => [ta || 'unknown', count(n)]))) : null,
          rejected.length ? h('div', {}, h('h3', {}, 'Entries rejected'), kv(rejected.map(([why, n]) => [why, count(n)]))) : null);
      })));
    },

    async vrps(el) {
      const table = h('div', { 'data-test': 'vrps-table' });
      el.replaceChildren(filterForm('vrp-filters', [
        { name: 'asn', label: 'Origin AS', placeholder: 'AS65000' },
        { name: 'prefix', label: 'Prefix', placeholder: '192.0.2.0/24' },
        { name: 'match', label: 'Prefix match', default: 'all', options: [['all', 'exact, covering or more-specific'],
          ['exact', 'exact'], ['covering', 'covering it'], ['more-specific', 'more-specific']] },
      ]), table);
      ui.table(table, {
        path: '/api/v1/vrps',
        query: { asn: params.asn, prefix: params.prefix, match: params.prefix ? params.match : undefined },
        columns: [
          { label: 'origin AS', value: (v) => asn(v.asn) },
          { label: 'prefix', value: (v) => v.prefix },
          { label: 'max length', value: (v) => String(v.max_length) },
          { label: 'trust anchor', value: (v) => v.ta ?? 'unknown' },
          { label: 'check', value: (v) => h('a', { href: ctx.href('rpki', { tab: 'validity', asn: v.asn, prefix: v.prefix }),
            'aria-label': `Check AS${v.asn} ${v.prefix}` }, 'validity') },
        ],
        empty: params.asn || params.prefix ? 'No VRP matches these filters.' : 'No VRP is served yet.',
      });
    },

    async validity(el) {
      const result = h('div', { 'data-test': 'validity-result', 'aria-live': 'polite' });
      el.replaceChildren(h('p', { class: 'muted' }, 'RFC 6811 route origin validation of one route against the VRPs served now.'),
        filterForm('validity-form', [
          { name: 'asn', label: 'Origin AS', placeholder: 'AS65000', required: true },
          { name: 'prefix', label: 'Announced prefix', placeholder: '192.0.2.0/24', required: true },
        ], { submit: 'Check' }), result);
      if (!params.asn || !params.prefix) {
        ui.empty(result, 'Enter an origin AS and a prefix to see whether the route is valid, invalid or not found, and which VRPs decide it.');
        return;
      }
      const slash = params.prefix.lastIndexOf('/');
      if (slash < 0) {
        result.replaceChildren(h('p', { class: 'state error', role: 'alert' }, 'The prefix needs a length: 192.0.2.0/24.'));
        return;
      }
      ui.loading(result);
      let answer;
      try {
        // Path segments: escaped, but an IPv6 address keeps its colons, as Routinator's clients write them.
        const segment = (text) => encodeURIComponent(text.trim()).replace(/%3A/gi, ':');
        answer = await api.get(['/api/v1/validity', segment(params.asn), segment(params.prefix.slice(0, slash)),
          segment(params.prefix.slice(slash + 1))].join('/'));
      } catch (e) {
        if (e.name !== 'AbortError') ui.error(result, e);
        return;
      }
      const route = answer.validated_route.route;
      const v = answer.validated_route.validity;
      const why = v.state === 'invalid'
        ? (v.reason === 'length'
          ? `Maximum length: a VRP names ${route.origin_asn}, but ${route.prefix} is longer than the maximum length it allows.`
          : `Origin mismatch: VRPs cover ${route.prefix}, but none of them names ${route.origin_asn}.`)
        : v.state === 'valid' ? `A VRP names ${route.origin_asn} and allows a prefix this long.`
          : `No VRP covers ${route.prefix}: RPKI says nothing about this route.`;
      const tone = { valid: 'ok', invalid: 'bad', 'not-found': 'muted' }[v.state] || '';
      result.replaceChildren(
        h('section', { class: 'card validity ' + tone },
          h('p', {}, `${route.origin_asn} ${route.prefix}: `,
            ui.badge(v.state, tone, 'validity-state')),
          h('p', { 'data-test': 'validity-reason' }, why),
          h('p', { class: 'muted' }, v.description, ' · VRPs of ', ui.time(answer.generatedTime))),
        h('h2', {}, 'Matched VRPs'), h('p', { class: 'muted' }, 'Cover the prefix, name this origin and allow its length: they make the route valid.'),
        vrpTable(v.VRPs.matched, 'validity-matched', 'None.'),
        h('h2', {}, 'Unmatched: origin AS'), h('p', { class: 'muted' }, 'Cover the prefix for another AS.'),
        vrpTable(v.VRPs.unmatched_as, 'validity-unmatched-as', 'None.'),
        h('h2', {}, 'Unmatched: maximum length'), h('p', { class: 'muted' }, 'Name this origin, but the prefix is longer than their maximum length.'),
        vrpTable(v.VRPs.unmatched_length, 'validity-unmatched-length', 'None.'));
    },

    async diff(el) {
      const s = await stateLoaded;
      if (!s) return;
      const serials = s.retained_serials || [];
      const result = h('div', { 'data-test': 'diff-result' });
      if (serials.length < 2) {
        el.replaceChildren(h('p', {}, 'Retained serials: ', serials.join(', ') || 'none'));
        ui.empty(result, 'Only one serial is retained so far: a diff needs two. The serial moves when the sources\' data changes.');
        el.append(result);
        return;
      }
      const to = params.to ?? String(serials[serials.length - 1]);
      const from = params.from ?? String(serials[serials.length - 2]);
      const options = serials.map((n) => [String(n), String(n)]);
      el.replaceChildren(
        h('p', { class: 'muted' }, `Retained serials: ${serials[0]} to ${serials[serials.length - 1]}. A backward range gives the inverse.`),
        filterForm('diff-form', [
          { name: 'from', label: 'From serial', options, default: from },
          { name: 'to', label: 'To serial', options, default: to },
        ], { submit: 'Show diff', clear: false }),
        result);
      ui.loading(result);
      let d;
      try {
        d = await api.get('/api/v1/diff', { from, to });
      } catch (e) {
        if (e.name !== 'AbortError') ui.error(result, e);
        return;
      }
      const side = (title, list, test, tone) => h('section', { class: 'card', 'data-test': test },
        h('h2', {}, h('span', { class: tone }, title), ` (${count(list.length)})`),
        list.length > DIFF_ROWS_SHOWN ? h('p', { class: 'muted' }, `The first ${DIFF_ROWS_SHOWN} of ${count(list.length)}; the whole set is /json.`) : null,
        vrpTable(list.slice(0, DIFF_ROWS_SHOWN), test + '-table', 'None.'));
      result.replaceChildren(
        h('p', {}, `Serial ${d.from} → ${d.to} (session ${d.session_id}): `,
          `${count(d.announced.length)} VRPs announced, ${count(d.withdrawn.length)} withdrawn; ASPAs ${d.aspas.announced.length} announced, `
          + `${d.aspas.withdrawn.length} withdrawn; router keys ${d.router_keys.announced.length} announced, ${d.router_keys.withdrawn.length} withdrawn.`),
        h('div', { class: 'grid two' }, side('Announced', d.announced, 'diff-announced', 'ok'),
          side('Withdrawn', d.withdrawn, 'diff-withdrawn', 'bad')));
    },

    async peers(el) {
      const s = await stateLoaded;
      const totals = h('div', { 'data-test': 'rpki-peer-totals' });
      const table = h('div', { 'data-test': 'rpki-peers-table' });
      const clients = h('div', { 'data-test': 'rpki-rtr-clients' });
      el.replaceChildren(h('div', { class: 'stack' },
        h('h2', {}, 'RTR clients'),
        h('p', { class: 'muted' }, 'Routers connected to the RTR server now; the served serial is ' + (s ? s.serial : '—') + '.'),
        clients,
        h('h2', {}, 'Route origin validation per BMP peer'),
        h('p', { class: 'muted' }, 'The routes each peer sent over BMP, by RPKI state against the VRPs served now.'),
        totals, table));
      ui.table(clients, {
        path: '/api/v1/rpki/rtr-clients',
        columns: [
          { label: 'router', value: (c) => (c.address.includes(':') ? `[${c.address}]:${c.port}` : `${c.address}:${c.port}`) },
          { label: 'connected since', value: (c) => ui.time(c.connected_at) },
          { label: 'RTR version', value: (c) => (c.version === null ? 'no query yet' : String(c.version)) },
          { label: 'serial sent', value: (c) => (c.serial === null ? 'none yet'
            : s && c.serial !== s.serial ? h('span', { class: 'warn' }, `${c.serial} (behind)`) : String(c.serial)) },
        ],
        empty: 'No router is connected over RTR (with RAMPART_RTR_PORT=0 the RTR server is off).',
      });
      api.get('/api/v1/rpki/peers', { limit: 1 }).then((p) => {
        const t = p.totals || {};
        totals.replaceChildren(kv([['valid', h('span', { class: 'ok' }, count(t.valid))],
          ['invalid', h('span', { class: t.invalid ? 'bad' : '' }, count(t.invalid))], ['not found', count(t.not_found)]]));
      }, (e) => { if (e.name !== 'AbortError') ui.error(totals, e); });
      ui.table(table, {
        path: '/api/v1/rpki/peers',
        columns: [
          { label: 'router', value: (p) => p.router },
          { label: 'peer', value: (p) => p.peer },
          { label: 'view', value: (p) => p.view },
          { label: 'valid', value: (p) => count(p.valid) },
          { label: 'invalid', value: (p) => h('span', { class: p.invalid ? 'bad' : '' }, count(p.invalid)) },
          { label: 'not found', value: (p) => count(p.not_found) },
        ],
        empty: 'No BMP peer has sent routes yet.',
      });
    },

    async slurm(el) {
      const s = await api.get('/api/v1/rpki/slurm');
      const list = (title, test, items, columns, empty) => {
        const box = h('section', { 'data-test': test }, h('h2', {}, title));
        if (!items.length) box.append(h('p', { class: 'state' }, empty));
        else {
          box.append(h('div', { class: 'table-wrap' }, h('table', {},
            h('thead', {}, h('tr', {}, columns.map(([label]) => h('th', { scope: 'col' }, label)))),
            h('tbody', {}, items.map((item) => h('tr', {}, columns.map(([, value]) => h('td', {}, value(item)))))))));
        }
        return box;
      };
      el.replaceChildren(h('div', { class: 'stack' },
        list('Files', 'slurm-files', s.files, [
          ['file', (f) => f.path],
          ['state', (f) => (f.error ? h('span', { class: 'bad' }, 'error: ' + f.error)
            : f.loaded ? h('span', { class: 'ok' }, 'loaded') : h('span', { class: 'warn' }, 'not loaded'))],
          ['loaded', (f) => ui.time(f.loaded_at)],
          ['prefix filters / assertions', (f) => `${f.prefix_filters} / ${f.prefix_assertions}`],
          ['BGPsec filters / assertions', (f) => `${f.bgpsec_filters} / ${f.bgpsec_assertions}`],
          ['ASPA filters / assertions', (f) => `${f.aspa_filters} / ${f.aspa_assertions}`],
        ], 'No SLURM file is configured (RAMPART_RPKI_SLURM): the sources\' VRPs are served as they are.'),
        list('Prefix filters (VRPs removed)', 'slurm-prefix-filters', s.prefix_filters, [
          ['prefix', (f) => f.prefix ?? 'any'], ['origin AS', (f) => (f.asn === null ? 'any' : asn(f.asn))],
          ['comment', (f) => f.comment ?? ''],
        ], 'None.'),
        list('Prefix assertions (VRPs added)', 'slurm-prefix-assertions', s.prefix_assertions, [
          ['origin AS', (a) => asn(a.asn)], ['prefix', (a) => a.prefix], ['max length', (a) => String(a.max_length)],
          ['comment', (a) => a.comment ?? ''],
        ], 'None.'),
        list('ASPA filters', 'slurm-aspa-filters', s.aspa_filters.map((c) => ({ customer: c })), [
          ['customer AS', (f) => asn(f.customer)],
        ], 'None.'),
        list('ASPA assertions', 'slurm-aspa-assertions', s.aspa_assertions, [
          ['customer AS', (a) => asn(a.customer)], ['providers', (a) => a.providers.map(asn).join(', ')],
        ], 'None.')));
    },
  };

  const drawTab = async () => {
    ui.loading(body);
    try {
      await tabs_[tab](body);
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(body, e);
    }
  };
  stateLoaded = loadState();
  await drawTab();
}
