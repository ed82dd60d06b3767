/*
 * Audit: the mitigation audit log (mitigations, guardrail refusals, safelist edits, policy
 * reloads), newest first, filtered by actor or token, action and time.
 */

const ACTIONS = ['mitigation_created', 'mitigation_extended', 'mitigation_escalated', 'mitigation_withdrawn',
  'mitigation_expired', 'guardrail_refused', 'safelist_added', 'safelist_removed', 'policy_reloaded',
  'policy_reload_refused'];

export async function render(root, ctx) {
  const { h, ui, params } = ctx;
  const form = ui.filters({ label: 'Filter the audit log', test: 'audit-filters', idPrefix: 'audit-', submit: 'Apply',
    fields: [
      { name: 'actor', label: 'Actor or token', placeholder: 'alice or token:noc' },
      { name: 'action', label: 'Action', choices: [['', 'any'], ...ACTIONS.map((a) => [a, a])] },
      { name: 'since', label: 'Since', time: true },
    ] });
  const list = h('div', { 'data-test': 'audit-table' });
  root.append(h('h1', {}, 'Audit'), form, list);
  ui.table(list, {
    path: '/api/v1/audit',
    query: { actor: params.actor, action: params.action, since: params.since },
    columns: [
      { label: 'time', value: (a) => ui.time(a.time) },
      { label: 'action', value: (a) => a.action },
      { label: 'actor', value: (a) => a.actor },
      { label: 'POP', value: (a) => a.pop ?? '—' },
      { label: 'mitigation', value: (a) => a.mitigation_id ? ui.mitigationLink(a.mitigation_id) : '—' },
      { label: 'details', value: (a) => h('span', { class: 'wrap' },
        Object.entries(a.details || {}).map(([k, v]) => `${k}: ${v}`).join(' · ') || '—') },
    ],
    empty: 'No audit entry matches these filters.',
  });
}
