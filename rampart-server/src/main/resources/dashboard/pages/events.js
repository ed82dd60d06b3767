/*
 * Events: the attack reports received from detectors, newest first, filtered by victim address,
 * detector and time, each with the mitigations it created, changed or ended.
 */

export async function render(root, ctx) {
  const { h, ui, params } = ctx;
  const form = ui.filters({ label: 'Filter events', test: 'events-filters', idPrefix: 'ev-', submit: 'Apply',
    fields: [
      { name: 'victim', label: 'Victim address', placeholder: '192.0.2.10' },
      { name: 'source', label: 'Detector', placeholder: 'fastnetmon' },
      { name: 'since', label: 'Received since', time: true },
    ] });
  const list = h('div', { 'data-test': 'events-table' });
  root.append(h('h1', {}, 'Events'), form, list);
  const rate = (e) => [e.bps != null ? `${Number(e.bps).toLocaleString()} bit/s` : null,
    e.pps != null ? `${Number(e.pps).toLocaleString()} pkt/s` : null].filter(Boolean).join(', ') || '—';
  const draw = () => ui.table(list, {
    path: '/api/v1/events',
    query: { victim: params.victim, source: params.source, since: params.since },
    columns: [
      { label: 'received', value: (e) => ui.time(e.received_at) },
      { label: 'detector', value: (e) => e.source },
      { label: 'victim', value: (e) => e.victim_ip },
      { label: 'vector', value: (e) => e.vector },
      { label: 'action', value: (e) => e.action },
      { label: 'rate', value: rate },
      { label: 'confidence', value: (e) => e.confidence ?? '—' },
      { label: 'ports', value: (e) => (e.top_dst_ports || []).join(', ') || 'any' },
      { label: 'mitigations', value: (e) => (e.mitigation_ids || []).length === 0 ? '—'
        : h('span', {}, e.mitigation_ids.flatMap((id, i) => [i ? ' ' : '',
          ui.mitigationLink(id)])) },
      { label: 'event id', value: (e) => e.event_id },
    ],
    empty: 'No event matches these filters.',
  });
  draw();
  // Every mitigation change comes from an event (or a withdrawal, TTL or reload): reload the list.
  ctx.redrawOnLive('mitigation', draw);
}
