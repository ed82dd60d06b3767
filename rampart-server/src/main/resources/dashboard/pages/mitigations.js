/*
 * Mitigations: the server-paged list (filters: status, POP), one mitigation's detail with its
 * FlowSpec rule and audit timeline, and, for an operator token, withdrawing it with a reason
 * after a confirmation step. Live 'mitigation' events refresh what is shown.
 */

const STATUSES = ['active', 'withdrawn', 'expired', 'all'];
/** IP protocol numbers the API may give, by the names docs/mitigation.md uses. */
const PROTOCOLS = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 58: 'icmpv6', 132: 'sctp' };

/** The rule's match as FlowSpec components, one readable line each. */
function matchLines(match) {
  const lines = [['destination prefix (type 1)', match?.destination ?? '—']];
  const p = match?.protocol;
  lines.push(['IP protocol (type 3)', p === null || p === undefined ? 'any' : `${p}${PROTOCOLS[p] ? ' (' + PROTOCOLS[p] + ')' : ''}`]);
  const ports = match?.destination_ports || [];
  lines.push(['destination port (type 5)', ports.length ? ports.join(', ') : 'any']);
  lines.push(['TCP flags (type 9)', match?.tcp_flags === 'syn' ? 'SYN set, ACK clear' : 'any']);
  return lines;
}

/** The rule's action as the API gives it, with what the routers receive. */
function actionText(action) {
  if (!action) return '—';
  switch (action.type) {
    case 'police': return `police to ${Number(action.rate_bps).toLocaleString()} bit/s (traffic-rate ${action.bytes_per_second} bytes/s)`;
    case 'discard': return 'discard (traffic-rate 0)';
    case 'redirect': return `redirect to route target ${action.route_target}`;
    case 'mark': return `mark DSCP ${action.dscp}`;
    default: return action.type;
  }
}

export async function render(root, ctx) {
  const { h, ui, params } = ctx;
  if (params.id) return detail(root, ctx, params.id);

  const status = STATUSES.includes(params.status) ? params.status : 'active';
  const form = ui.filters({ label: 'Filter mitigations', test: 'mitigations-filters', idPrefix: 'mit-', submit: 'Apply',
    fields: [
      { name: 'status', label: 'Status', choices: STATUSES.map((s) => [s, s]) },
      { name: 'pop', label: 'POP', placeholder: 'this POP, a name or all' },
    ] });

  const list = h('div', { 'data-test': 'mitigations-table' });
  root.append(h('h1', {}, 'Mitigations'), form, list);
  const draw = () => ui.table(list, {
    path: '/api/v1/mitigations',
    query: { status, pop: params.pop },
    columns: [
      { label: 'created', value: (m) => ui.time(m.created_at) },
      { label: 'victim', value: (m) => h('a', { href: ctx.href('mitigations', { id: m.id }), 'data-test': 'mitigation-link' }, m.victim_ip) },
      { label: 'vector', value: (m) => m.vector },
      { label: 'action', value: (m) => m.rule?.action?.type ?? '—' },
      { label: 'status', value: (m) => statusBadge(ui, m) },
      { label: 'POP', value: (m) => m.pop },
      { label: 'customer', value: (m) => m.customer_id ?? '—' },
      { label: 'expires / ended', value: (m) => ui.time(m.status === 'active' ? m.expires_at : m.ended_at) },
    ],
    empty: status === 'active' ? 'No active mitigation.' : 'No mitigation matches these filters.',
  });
  draw();
  // Several changes in a burst (a batch of events) reload the list once.
  ctx.redrawOnLive('mitigation', draw);
}

function statusBadge(ui, m) {
  const tone = { active: 'bad', withdrawn: 'muted', expired: 'muted' }[m.status] || '';
  return ui.badge(m.status + (m.dry_run ? ' (dry run)' : ''), tone, 'mitigation-status');
}

async function detail(root, ctx, id) {
  const { h, ui, api } = ctx;
  const body = h('div', { 'data-test': 'mitigation-detail' });
  root.append(h('p', {}, h('a', { href: ctx.href('mitigations') }, '← All mitigations')),
    h('h1', {}, 'Mitigation'), body);
  let withdrawing = false;

  const load = async (notice) => {
    let m;
    try {
      m = await api.get('/api/v1/mitigations/' + encodeURIComponent(id));
    } catch (e) {
      if (e.name !== 'AbortError') ui.error(body, e);
      return;
    }
    draw(m, notice);
  };

  const { kv } = ui;

  const draw = (m, notice) => {
    withdrawing = false;
    const facts = h('section', { class: 'card', 'aria-labelledby': 'mit-facts' }, h('h2', { id: 'mit-facts' },
      `${m.victim_ip} · ${m.vector}`),
    kv([
      ['status', statusBadge(ui, m)], ['id', m.id], ['POP', m.pop], ['customer', m.customer_id],
      ['playbook', `${m.playbook} (step ${m.step})`], ['created', ui.time(m.created_at)],
      ['updated', ui.time(m.updated_at)], ['expires', ui.time(m.expires_at)],
      ['events', `${m.event_count} (first ${ui.time(m.first_event_at)}, last ${ui.time(m.last_event_at)})`],
      ['last confidence', m.last_confidence],
      ...(m.status === 'active' ? [] : [['ended', ui.time(m.ended_at)], ['ended by', m.ended_by], ['reason', m.end_reason]]),
    ]));
    const rule = h('section', { class: 'card', 'aria-labelledby': 'mit-rule', 'data-test': 'mitigation-rule' },
      h('h2', { id: 'mit-rule' }, 'FlowSpec rule'),
      h('h3', {}, 'Match'), kv(matchLines(m.rule?.match)),
      h('h3', {}, 'Action'), h('p', { 'data-test': 'mitigation-action' }, actionText(m.rule?.action)),
      m.dry_run ? h('p', { class: 'warn' }, 'Created in dry run: never announced to the routers.') : null);
    const timeline = h('section', { class: 'card', 'aria-labelledby': 'mit-timeline' },
      h('h2', { id: 'mit-timeline' }, 'Timeline'),
      (m.audit || []).length === 0 ? h('p', { class: 'state' }, 'No audit entry yet.')
        : h('ol', { class: 'timeline', 'data-test': 'mitigation-timeline' }, m.audit.map((a) => h('li', {},
          h('span', { class: 'muted' }, ui.time(a.time)), ' ', h('strong', {}, a.action), ' by ', a.actor,
          a.event_id ? ` (event ${a.event_id})` : '',
          Object.keys(a.details || {}).length
            ? h('div', { class: 'muted details' }, Object.entries(a.details).map(([k, v]) => `${k}: ${v}`).join(' · '))
            : null))));
    const parts = [notice || null, facts, rule];
    if (ctx.can('operator') && m.status === 'active') parts.push(withdrawSection(m));
    parts.push(timeline);
    body.replaceChildren(h('div', { class: 'detail-grid' }, parts));
  };

  const withdrawSection = (m) => {
    const section = h('section', { class: 'card', 'aria-labelledby': 'mit-withdraw' }, h('h2', { id: 'mit-withdraw' }, 'Withdraw'));
    const start = h('button', { type: 'button', class: 'danger', 'data-test': 'withdraw-button' }, 'Withdraw…');
    section.append(h('p', { class: 'muted' }, 'Takes the rule back from every router at once.'), start);
    start.addEventListener('click', () => {
      withdrawing = true;
      const error = h('p', { class: 'error', role: 'alert', 'data-test': 'withdraw-error', hidden: true });
      const operator = h('input', { id: 'withdraw-operator', name: 'operator', required: true, autocomplete: 'username',
        'data-test': 'withdraw-operator', 'aria-describedby': 'withdraw-operator-help' });
      const reason = h('textarea', { id: 'withdraw-reason', name: 'reason', required: true, rows: 2,
        'data-test': 'withdraw-reason' });
      const confirm = h('button', { type: 'submit', class: 'danger', 'data-test': 'withdraw-confirm' },
        `Withdraw ${m.victim_ip} now`);
      const cancel = h('button', { type: 'button', class: 'secondary', 'data-test': 'withdraw-cancel' }, 'Cancel');
      const form = h('form', { class: 'confirm', 'data-test': 'withdraw-form', novalidate: true },
        h('p', {}, h('strong', {}, `Withdraw the ${actionText(m.rule?.action).split(' (')[0]} rule for ${m.rule?.match?.destination}?`)),
        h('label', { for: 'withdraw-operator' }, 'Operator'),
        operator,
        h('p', { id: 'withdraw-operator-help', class: 'muted' }, 'Your name, recorded in the audit log as operator:NAME.'),
        h('label', { for: 'withdraw-reason' }, 'Reason'), reason, error,
        h('div', { class: 'filter-actions' }, confirm, cancel));
      cancel.addEventListener('click', () => { withdrawing = false; form.replaceWith(start); start.focus(); });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        for (const [input, name] of [[operator, 'operator'], [reason, 'reason']]) {
          input.toggleAttribute('aria-invalid', !input.value.trim());
          if (!input.value.trim()) {
            error.textContent = `Give the ${name}.`;
            error.hidden = false;
            input.focus();
            return;
          }
        }
        confirm.disabled = true;
        try {
          const ended = await api.post('/api/v1/mitigations/' + encodeURIComponent(m.id) + '/withdraw',
            { operator: operator.value.trim(), reason: reason.value.trim() });
          await load(h('p', { class: 'notice', role: 'status', 'data-test': 'withdraw-result' },
            `Withdrawn: the mitigation is now ${ended.status}.`));
        } catch (err) {
          if (err.name === 'AbortError') return;
          confirm.disabled = false;
          error.textContent = `The service refused: ${err.detail || err.message}` + (err.error ? ` (${err.error})` : '');
          error.hidden = false;
        }
      });
      start.replaceWith(form);
      operator.focus();
    });
    return section;
  };

  ui.loading(body);
  await load();
  // Redraw for a change of this mitigation, but never under an operator typing a withdrawal.
  ctx.redrawOnLive('mitigation', () => load(), { delay: 300, when: (e) => e?.mitigation?.id === id && !withdrawing });
}
