/*
 * Inventory: the POPs writing to the shared database, this instance's FlowSpec BGP sessions, and
 * the quota guardrails as gauges (active mitigations against each limit, from /api/v1/stats).
 */

import { gauge } from './parts.js';

export async function render(root, ctx) {
  const { h, ui, api } = ctx;
  const section = (title, id, test) => h('section', { class: 'card', 'aria-labelledby': id, 'data-test': test },
    h('h2', { id }, title), h('div', { class: 'body' }));
  const quotas = section('Quotas', 'inv-quotas', 'inventory-quotas');
  const pops = section('POPs', 'inv-pops', 'inventory-pops');
  const peers = section('FlowSpec BGP sessions of this instance', 'inv-peers', 'inventory-peers');
  const body = (s) => s.querySelector('.body');
  root.append(h('h1', {}, 'Inventory'), h('div', { class: 'inventory' }, quotas, pops, peers));

  ui.table(body(pops), {
    path: '/api/v1/pops',
    columns: [
      { label: 'POP', value: (p) => p.self ? h('strong', {}, p.pop + ' (this instance)') : p.pop },
      { label: 'active', value: (p) => h('a', { href: ctx.href('mitigations', { pop: p.pop }) }, String(p.active)) },
      { label: 'all mitigations', value: (p) => String(p.total) },
      { label: 'last change', value: (p) => ui.time(p.last_change) },
    ],
    empty: 'No POP has written a mitigation yet.',
  });
  ui.table(body(peers), {
    path: '/api/v1/mitigation/peers',
    columns: [
      { label: 'peer', value: (s) => s.peer },
      { label: 'state', value: (s) => h('span', { class: s.established ? 'ok' : 'warn' }, s.state ?? (s.established ? 'established' : 'down')) },
      { label: 'rules announced', value: (s) => String(s.announced) },
      { label: 'last error', value: (s) => s.last_error ?? '—' },
    ],
    empty: 'No BGP peer is configured (RAMPART_BGP_PEERS or the inventory file\'s bgp section): rules are decided but not announced.',
  });

  const drawQuotas = async () => {
    let stats;
    try {
      stats = await api.get('/api/v1/stats');
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(body(quotas), e);
      return;
    }
    const m = stats.mitigations || {};
    body(quotas).replaceChildren(
      h('p', {}, `POP ${stats.pop}: ${m.active ?? 0} active, ${m.withdrawn ?? 0} withdrawn, ${m.expired ?? 0} expired · `,
        `${stats.sessions_established} BGP sessions up · `,
        stats.dry_run ? h('span', { class: 'warn' }, 'dry run') : 'announcing'),
      (stats.quotas || []).length === 0 ? h('p', { class: 'state' }, 'The service reports no quota.')
        : h('ul', { class: 'gauges' }, stats.quotas.map((q) => gauge(h, q))));
  };
  ui.loading(body(quotas));
  await drawQuotas();
  ctx.redrawOnLive('mitigation', drawQuotas);
}
