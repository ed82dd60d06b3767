/*
 * Safelist: the prefixes Rampart never filters (the inventory file's and the API's). An operator
 * token may add entries and remove the API's, after a confirmation step; file entries are changed
 * in the inventory file, so they offer no removal.
 */

export async function render(root, ctx) {
  const { h, ui, api } = ctx;
  const notice = h('div', { 'aria-live': 'polite' });
  const list = h('div', { 'data-test': 'safelist-table' });
  root.append(h('h1', {}, 'Safelist'),
    h('p', { class: 'muted' }, 'No rule is ever announced for traffic to these prefixes. Entries apply to the next rule; they do not end active mitigations.'),
    notice);
  const operator = ctx.can('operator');

  const say = (text, tone) => notice.replaceChildren(
    h('p', { class: tone === 'error' ? 'state error' : 'notice', role: tone === 'error' ? 'alert' : 'status',
      'data-test': tone === 'error' ? 'safelist-error' : 'safelist-result' }, text));
  const problem = (e) => `The service refused: ${e.detail || e.message}` + (e.error ? ` (${e.error})` : '');

  if (operator) root.append(addForm());
  root.append(list);

  const draw = () => ui.table(list, {
    path: '/api/v1/safelist',
    columns: [
      { label: 'prefix', value: (e) => e.prefix },
      { label: 'reason', value: (e) => e.reason || '—' },
      { label: 'origin', value: (e) => e.origin === 'file' ? 'inventory file' : e.origin },
      ...(operator ? [{ label: 'action', value: (e) => e.origin === 'file'
        ? h('span', { class: 'muted' }, 'edit the file') : removeControl(e) }] : []),
    ],
    empty: 'No prefix is safelisted.',
  });
  draw();

  function addForm() {
    const prefix = h('input', { id: 'safe-prefix', name: 'prefix', required: true, placeholder: '2001:db8:dead::/48',
      autocomplete: 'off', spellcheck: 'false', 'data-test': 'safelist-prefix' });
    const reason = h('input', { id: 'safe-reason', name: 'reason', placeholder: 'monitoring', 'data-test': 'safelist-reason' });
    const who = h('input', { id: 'safe-operator', name: 'operator', required: true, autocomplete: 'username',
      'data-test': 'safelist-operator' });
    const form = h('form', { class: 'filters', 'aria-label': 'Add a safelist entry', 'data-test': 'safelist-add', novalidate: true },
      h('div', {}, h('label', { for: 'safe-prefix' }, 'Prefix'), prefix),
      h('div', {}, h('label', { for: 'safe-reason' }, 'Reason'), reason),
      h('div', {}, h('label', { for: 'safe-operator' }, 'Operator'), who),
      h('div', { class: 'filter-actions' }, h('button', { type: 'submit', 'data-test': 'safelist-add-button' }, 'Add')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!prefix.value.trim() || !who.value.trim()) {
        say('Give a prefix and your name as operator.', 'error');
        return;
      }
      try {
        const entry = await api.post('/api/v1/safelist',
          { prefix: prefix.value.trim(), reason: reason.value.trim(), operator: who.value.trim() });
        say(`Added ${entry.prefix}.`);
        prefix.value = '';
        reason.value = '';
        draw();
      } catch (err) {
        if (err.name !== 'AbortError') say(problem(err), 'error');
      }
    });
    return form;
  }

  function removeControl(entry) {
    const cell = h('span', {});
    const ask = h('button', { type: 'button', class: 'secondary', 'data-test': 'safelist-remove',
      'aria-label': 'Remove ' + entry.prefix }, 'Remove…');
    ask.addEventListener('click', () => {
      const who = h('input', { name: 'operator', required: true, autocomplete: 'username', class: 'narrow',
        'aria-label': 'Operator removing ' + entry.prefix, placeholder: 'operator', 'data-test': 'safelist-remove-operator' });
      const confirm = h('button', { type: 'submit', class: 'danger', 'data-test': 'safelist-remove-confirm' },
        'Remove ' + entry.prefix);
      const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
      const form = h('form', { class: 'inline-confirm', novalidate: true }, who, confirm, cancel);
      cancel.addEventListener('click', () => { form.replaceWith(ask); ask.focus(); });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (!who.value.trim()) {
          who.setAttribute('aria-invalid', 'true');
          who.focus();
          return;
        }
        confirm.disabled = true;
        try {
          await api.del('/api/v1/safelist', { prefix: entry.prefix, operator: who.value.trim() });
          say(`Removed ${entry.prefix}.`);
          draw();
        } catch (err) {
          if (err.name === 'AbortError') return;
          confirm.disabled = false;
          say(problem(err), 'error');
        }
      });
      ask.replaceWith(form);
      who.focus();
    });
    cell.append(ask);
    return cell;
  }
}
