/*
 * Overview: the service's components, routers and peers, routes per family and view, the route
 * update rate over the last hour, RPKI, mitigations with the quota gauges, alerts and the recent
 * activity. The headline counters and the update rate come from the live feed's `overview` event
 * (sent at once on connecting, then every few seconds); the rest from the API.
 */

import { gauge, sparkline } from './parts.js';

const ACTIVITY_KEPT = 50;
/** Mitigation events come in bursts: the quotas are read again at most this often. */
const QUOTAS_REDRAW_MS = 1000;

/** Activity survives leaving and coming back to the page while the dashboard stays open. */
const activity = [];

export async function render(root, ctx) {
  const { h, ui, api } = ctx;
  const { kv } = ui;
  const card = (title, id, test) => h('section', { class: 'card', 'aria-labelledby': id, 'data-test': test },
    h('h2', { id }, title), h('div', { class: 'body' }));
  const cards = {
    components: card('Components', 'ov-components'),
    collector: card('Routers and peers', 'ov-collector'),
    routes: card('Routes per family and view', 'ov-routes'),
    rate: card('Route updates, last hour', 'ov-rate', 'overview-update-rate'),
    rpki: card('RPKI', 'ov-rpki'),
    mitigations: card('Mitigations', 'ov-mitigations'),
    alerts: card('Alerts', 'ov-alerts'),
    activity: card('Recent activity', 'ov-activity'),
  };
  const body = (name) => cards[name].querySelector('.body');
  root.append(h('h1', {}, 'Overview'), h('div', { class: 'grid' }, Object.values(cards)));
  for (const name of ['collector', 'routes', 'rate']) ui.loading(body(name));

  const figure = (value, label, tone) => h('div', {},
    h('span', { class: 'figure ' + (tone || '') }, value ?? '—'), ' ', h('span', { class: 'muted' }, label));

  ctx.live('overview', (o) => {
    body('collector').replaceChildren(
      figure(`${o.routers_connected ?? 0}/${o.routers ?? 0}`, 'routers connected',
        o.routers && o.routers_connected < o.routers ? 'warn' : 'ok'),
      figure(`${o.peers_up ?? 0}/${o.peers ?? 0}`, 'peers up', o.peers && o.peers_up < o.peers ? 'warn' : 'ok'),
      h('p', {}, h('a', { href: ctx.href('routers') }, 'Routers & peers')));
    const families = Object.entries(o.routes_by_family || {});
    if (families.length === 0) {
      ui.empty(body('routes'), 'No routes yet: no router has sent BMP and no MRT file was imported.');
    } else {
      const views = [...new Set(families.flatMap(([, v]) => Object.keys(v)))].sort();
      body('routes').replaceChildren(
        figure((o.routes ?? 0).toLocaleString(), 'routes in all'),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'family'), views.map((v) => h('th', { scope: 'col' }, v)))),
          h('tbody', {}, families.map(([family, counts]) => h('tr', {}, h('th', { scope: 'row' }, family),
            views.map((v) => h('td', {}, (counts[v] ?? 0).toLocaleString()))))))));
    }
    if (o.update_rate) drawRate(ctx, body('rate'), o.update_rate);
    if (o.mitigations_active !== undefined) {
      const el = body('mitigations').querySelector('.active-count');
      if (el) el.textContent = o.mitigations_active;
    }
    if (o.alerts_open !== undefined) {
      const el = body('alerts').querySelector('.open-count');
      if (el) el.textContent = o.alerts_open;
    }
  });

  const drawActivity = () => {
    if (activity.length === 0) {
      ui.empty(body('activity'), 'Nothing has happened since this page was opened. Changes appear here as they happen.');
      return;
    }
    body('activity').replaceChildren(h('ul', { class: 'feed', 'aria-live': 'polite' },
      activity.map((a) => h('li', {}, h('span', { class: 'muted' }, a.time.toLocaleTimeString()), ' ', a.text))));
  };
  const remember = (text) => {
    activity.unshift({ time: new Date(), text });
    activity.length = Math.min(activity.length, ACTIVITY_KEPT);
    drawActivity();
  };
  drawActivity();
  ctx.live('alert', (e) => remember(`alert ${e.change}: ${e.alert.type} ${e.alert.prefix} — ${e.alert.summary ?? ''}`));
  ctx.live('mitigation', (e) => remember(
    `mitigation ${e.change}: ${e.mitigation.victim_ip} ${e.mitigation.vector} (${e.mitigation.rule?.action?.type ?? ''})`));
  ctx.live('router', (e) => remember(`router ${e.router} ${e.connected ? 'connected' : 'disconnected'}`
    + (e.termination_reason ? ` (${e.termination_reason})` : '')));
  ctx.live('peer', (e) => remember(`peer ${e.peer_address} AS${e.peer_asn} on ${e.router} ${e.up ? 'up' : 'down'}`
    + (e.down_reason !== null && e.down_reason !== undefined ? ` (reason ${e.down_reason})` : '')));

  const quotaList = (stats) => ((stats.quotas || []).length === 0
    ? h('p', { class: 'muted' }, 'The service reports no quota.')
    : h('ul', { class: 'gauges' }, stats.quotas.map((q) => gauge(h, q))));

  const load = async (name, fill) => {
    ui.loading(body(name));
    try {
      await fill(body(name));
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(body(name), e);
    }
  };

  await Promise.all([
    load('components', async (el) => {
      let ready;
      try {
        ready = await api.get('/health/ready');
      } catch (e) {
        if (e.status !== 503 || !e.body) throw e; // not ready still says which part is down
        ready = e.body;
      }
      const tone = { up: 'ok', degraded: 'warn', down: 'bad' };
      el.replaceChildren(
        h('p', {}, h('strong', { class: ready.status === 'ready' ? 'ok' : 'bad' }, ready.status.replace('_', ' '))),
        kv(Object.entries(ready.checks).map(([name, state]) => [name, h('span', { class: tone[state] }, state)])),
        h('ul', {}, ready.degraded.map((d) => h('li', { class: 'warn' }, d))));
    }),
    load('rpki', async (el) => {
      const [state, peers] = await Promise.all([api.get('/api/v1/state'), api.get('/api/v1/rpki/peers', { limit: 1 })]);
      const totals = peers.totals || {};
      el.replaceChildren(
        h('div', {}, figure((totals.valid ?? 0).toLocaleString(), 'valid', 'ok')),
        h('div', {}, figure((totals.invalid ?? 0).toLocaleString(), 'invalid', totals.invalid ? 'bad' : '')),
        h('div', {}, figure((totals['not-found'] ?? 0).toLocaleString(), 'not found')),
        kv([['serial', state.serial], ['VRPs', state.vrp_count?.toLocaleString()],
          ['data', state.stale ? h('span', { class: 'warn' }, 'stale') : h('span', { class: 'ok' }, 'fresh')],
          ['last update', ui.time(state.last_update)], ['RTR clients', state.rtr_clients]]));
    }),
    load('mitigations', async (el) => {
      const [stats, active] = await Promise.all([api.get('/api/v1/stats'),
        api.get('/api/v1/mitigations', { status: 'active', limit: 1000 })]);
      const byAction = {};
      for (const m of active.items) {
        const action = m.rule?.action?.type ?? 'unknown';
        byAction[action] = (byAction[action] ?? 0) + 1;
      }
      el.replaceChildren(
        h('div', { class: 'mitigation-split' },
          h('div', {},
            h('div', {}, h('span', { class: 'figure active-count' }, active.matched), ' ', h('span', { class: 'muted' }, 'active')),
            Object.keys(byAction).length ? kv(Object.entries(byAction)) : h('p', { class: 'muted' }, 'No active mitigation.')),
          h('div', { 'data-test': 'overview-quotas' }, h('h3', {}, 'Quotas'),
            h('div', { class: 'quota-list' }, quotaList(stats)))),
        kv([['POP', stats.pop], ['BGP sessions up', stats.sessions_established],
          ['mode', stats.dry_run ? h('span', { class: 'warn' }, 'dry run') : 'announcing']]),
        h('p', {}, h('a', { href: ctx.href('mitigations') }, 'Mitigations')));
    }),
    load('alerts', async (el) => {
      const open = await api.get('/api/v1/alerts', { state: 'active', limit: 1 });
      el.replaceChildren(
        h('div', {}, h('span', { class: 'figure open-count ' + (open.matched ? 'bad' : 'ok') }, open.matched), ' ',
          h('span', { class: 'muted' }, 'open')),
        h('p', {}, h('a', { href: ctx.href('alerts') }, 'Alerts')));
    }),
  ]);

  // The quotas follow the mitigations as they change, like the active count.
  ctx.redrawOnLive('mitigation', async () => {
    const el = body('mitigations').querySelector('.quota-list');
    if (!el) return; // the card itself failed to load
    try {
      el.replaceChildren(quotaList(await api.get('/api/v1/stats')));
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(el, e);
    }
  }, { delay: QUOTAS_REDRAW_MS });
}

/**
 * The overview event's `update_rate` (`start`, `per_minute`: 60 counts by family, oldest first,
 * the last the minute in progress) as the hour's figures and one sparkline per family that had
 * updates, all on the same scale so that they compare.
 */
function drawRate(ctx, el, rate) {
  const { h, ui } = ctx;
  const families = Object.entries(rate.per_minute || {})
    .map(([family, counts]) => ({ family, counts, sum: counts.reduce((a, b) => a + b, 0) }))
    .filter((f) => f.sum > 0);
  if (families.length === 0) {
    ui.empty(el, 'No route update from BMP in the last hour.');
    return;
  }
  const start = Date.parse(rate.start);
  const totals = families[0].counts.map((_, i) => families.reduce((a, f) => a + f.counts[i], 0));
  const hour = totals.reduce((a, b) => a + b, 0);
  const peak = Math.max(...totals);
  const lastFull = totals[totals.length - 2] ?? 0;
  const top = Math.max(...families.flatMap((f) => f.counts));
  const minute = (i) => new Date(start + i * 60_000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  el.replaceChildren(
    h('div', {}, h('span', { class: 'figure' }, lastFull.toLocaleString()), ' ',
      h('span', { class: 'muted' }, 'updates in the last full minute')),
    h('p', { class: 'muted' }, `${hour.toLocaleString()} in the hour, peak ${peak.toLocaleString()} a minute; `
      + `from ${minute(0)} to now.`),
    h('div', { class: 'stat-grid' }, families.map((f) => {
      const points = f.counts.map((v, i) => ({ t: start + i * 60_000, v }));
      return h('figure', { class: 'stat', 'data-test': 'update-rate-' + f.family },
        h('figcaption', {}, h('span', { class: 'stat-name' }, f.family), ' ',
          h('strong', {}, f.sum.toLocaleString())),
        sparkline(points, 0, top, `${f.family}: ${f.sum.toLocaleString()} route updates in the last hour, `
          + `at most ${Math.max(...f.counts).toLocaleString()} a minute`));
    })));
}
