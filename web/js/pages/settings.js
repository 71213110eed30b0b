// 设置 Settings (admins): users, departments, contacts with their channels (测试发送 shows the
// delivery from the outbox as it happens), the SMTP server. Every string from the server goes in
// as text (dom.js h()); a server error naming a field ("target: ...") is shown next to that field.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, toast, fmtTime, LEVELS } from '../dom.js';

export const TABS = ['users', 'departments', 'contacts', 'smtp'];
const ROLES = ['admin', 'analyst', 'responder', 'viewer'];
const CHANNELS = ['wecom', 'dingtalk', 'feishu', 'email', 'webhook'];
const MIN_LEVELS = [...LEVELS].reverse(); // IV (everything) .. I (red only)

// "target: must be ..." -> ["target", "must be ..."]; "departments[2]: ..." -> ["departments", ...].
export function fieldOf(message) {
  const m = /^([a-z_]+)(?:\[\d+\])?(?:\.[a-z_]+)?:\s*(.*)$/s.exec(String(message || ''));
  return m ? [m[1], m[2]] : [null, String(message || '')];
}

// A form whose fields carry data-field; shows errors next to them.
// A 409 (the name is taken) is shown next to `conflictField` when given.
function formErrors(form, general, conflictField) {
  return {
    clear() {
      for (const el of form.querySelectorAll('.field-msg[data-for]')) { el.textContent = ''; el.className = 'field-msg'; }
      for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
      clear(general);
    },
    show(err) {
      let [field, msg] = fieldOf(err && err.message ? err.message : err);
      if (err && err.status === 409 && conflictField && !field) [field, msg] = [conflictField, `${t('settings.exists')}（${msg}）`];
      const slot = field ? form.querySelector(`.field-msg[data-for="${field}"]`) : null;
      if (slot) {
        slot.textContent = msg;
        slot.className = 'field-msg bad';
        const input = form.querySelector(`[name="${field}"]`);
        if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
      } else {
        clear(general).appendChild(errorBox(err));
      }
    },
  };
}

function field(label, input, name, hint) {
  input.setAttribute('name', name);
  return h('label.field', { dataset: { field: name } }, h('span', label), input,
    hint ? h('div.hint', hint) : null, h('div.field-msg', { dataset: { for: name }, role: 'status' }));
}

function list(value) {
  return String(value || '').split(/[,，、\n]/).map((x) => x.trim()).filter(Boolean);
}

// A button that asks once more before doing something destructive.
function confirmButton(label, confirmLabel, action, attrs = {}) {
  let armed = false;
  const btn = h('button.btn.btn-danger.btn-small', { type: 'button', ...attrs, onclick: async () => {
    if (!armed) {
      armed = true;
      btn.textContent = confirmLabel;
      setTimeout(() => { armed = false; if (btn.isConnected) btn.textContent = label; }, 4000);
      return;
    }
    btn.disabled = true;
    try { await action(); } finally { btn.disabled = false; }
  } }, label);
  return btn;
}

export function mount(root, ctx) {
  if (ctx.user.role !== 'admin') {
    root.append(h('div.page-head', h('h1', t('nav.settings'))), emptyState(t('settings.admin_only')));
    return null;
  }
  const tab = TABS.includes(ctx.params[0]) ? ctx.params[0] : 'users';
  const timers = new Set();
  let disposed = false;
  const later = (fn, ms) => {
    const id = setTimeout(() => { timers.delete(id); if (!disposed) fn(); }, ms);
    timers.add(id);
  };
  const tabs = h('div.segmented', { id: 'settings-tabs', role: 'tablist' }, TABS.map((id) => h(`a.seg${id === tab ? '.active' : ''}`, {
    href: `#/settings/${id}`, role: 'tab', 'aria-selected': id === tab ? 'true' : 'false', dataset: { tab: id },
  }, t(`settings.tab.${id}`))));
  const body = h('div.settings-body', { id: `settings-${tab}` });
  root.append(h('div.page-head', h('h1', t('nav.settings')), h('div.page-tools', tabs)), body);
  const env = { ctx, later, disposed: () => disposed };
  ({ users: usersTab, departments: departmentsTab, contacts: contactsTab, smtp: smtpTab })[tab](body, env);
  return () => {
    disposed = true;
    for (const id of timers) clearTimeout(id);
  };
}

async function departments() {
  const r = await api.get('/departments');
  return Array.isArray(r.items) ? r.items : [];
}

// ---------------------------------------------------------------- 用户

function usersTab(root, env) {
  const tableEl = h('div.table-wrap', loading());
  const secretOut = h('div', { id: 'user-password-out' });
  const generalErr = h('div');
  const name = h('input', { id: 'user-new-name', maxlength: 64, required: true, autocomplete: 'off' });
  const role = h('select', { id: 'user-new-role' }, ROLES.map((r) => h('option', { value: r, selected: r === 'viewer' }, t(`role.${r}`))));
  const deptBox = h('div.check-list', { id: 'user-new-departments' }, loading());
  const password = h('input', { id: 'user-new-password', type: 'password', autocomplete: 'new-password', placeholder: t('settings.user.password_placeholder') });
  const submit = h('button.btn.btn-primary', { type: 'submit', id: 'user-create' }, t('settings.user.create'));
  const form = h('form.settings-form', { id: 'user-form', onsubmit: create },
    h('h2', t('settings.user.new')),
    h('div.field-row', field(t('settings.user.name'), name, 'name'), field(t('settings.user.role'), role, 'role')),
    h('div.field', { dataset: { field: 'departments' } }, h('span', t('settings.user.departments')), deptBox,
      h('div.field-msg', { dataset: { for: 'departments' } })),
    field(t('settings.user.password'), password, 'password', t('settings.user.password_hint')),
    generalErr, h('div.actions', submit));
  const errs = formErrors(form, generalErr, 'name');
  root.append(h('section.card', h('h2', t('settings.tab.users')), tableEl, secretOut), h('section.card', form));

  departments().then((ds) => {
    clear(deptBox);
    if (!ds.length) deptBox.appendChild(h('span.hint', t('settings.user.no_departments')));
    for (const d of ds) {
      deptBox.appendChild(h('label.check-item', h('input', { type: 'checkbox', value: d.name, name: 'dept' }), h('span', d.name)));
    }
  }).catch((e) => clear(deptBox).appendChild(errorBox(e)));

  function showPassword(user, pw) {
    clear(secretOut);
    if (!pw) return;
    secretOut.append(h('div.secret-once', { role: 'status' },
      h('div', t('settings.user.password_once', { name: user })),
      h('code.password', { id: 'user-password-value' }, pw)));
  }

  async function load() {
    try {
      const r = await api.get('/users');
      const users = Array.isArray(r.items) ? r.items : [];
      const me = env.ctx.user.name;
      clear(tableEl).appendChild(h('table.table', { id: 'users-table' },
        h('thead', h('tr', [t('settings.user.name'), t('settings.user.role'), t('settings.user.departments'), t('settings.user.status'),
          t('settings.created_at'), ''].map((x) => h('th', x)))),
        h('tbody', users.map((u) => {
          const roleSel = h('select.user-role', { 'aria-label': t('settings.user.role'), disabled: u.name === me },
            ROLES.map((x) => h('option', { value: x, selected: x === u.role }, t(`role.${x}`))));
          roleSel.addEventListener('change', () => change(u, { role: roleSel.value }));
          return h(`tr${u.disabled ? '.disabled' : ''}`, { dataset: { name: u.name } },
            h('td.user-name', u.name),
            h('td', roleSel),
            h('td', (u.departments || []).join('、') || h('span.muted', t('settings.user.all_or_none'))),
            h('td.user-status', u.disabled ? h('span.badge.bad', t('settings.user.disabled')) : h('span.badge.ok', t('settings.user.active'))),
            h('td.muted', fmtTime(u.created_at)),
            h('td', h('div.row-actions',
              h('button.btn.btn-small.user-reset', { type: 'button', onclick: () => reset(u) }, t('settings.user.reset')),
              u.name === me ? null : h('button.btn.btn-small.user-toggle', { type: 'button', onclick: () => change(u, { disabled: !u.disabled }) },
                u.disabled ? t('settings.user.enable') : t('settings.user.disable')))));
        }))));
    } catch (e) {
      clear(tableEl).appendChild(errorBox(e));
    }
  }

  async function change(u, patch) {
    try {
      await api.patch(`/users/${encodeURIComponent(u.name)}`, patch);
      toast(t('settings.saved'), 'ok');
    } catch (e) {
      toast(e.message, 'error');
    }
    load();
  }

  async function reset(u) {
    try {
      const r = await api.post(`/users/${encodeURIComponent(u.name)}/password`, {});
      showPassword(u.name, r.password);
      toast(t('settings.user.reset_done', { name: u.name }), 'ok');
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  async function create(e) {
    e.preventDefault();
    errs.clear();
    const b = {
      name: name.value.trim(),
      role: role.value,
      departments: [...deptBox.querySelectorAll('input[type=checkbox]:checked')].map((x) => x.value),
    };
    if (password.value) b.password = password.value;
    submit.disabled = true;
    try {
      const r = await api.post('/users', b);
      showPassword(b.name, r.password);
      toast(t('settings.user.created', { name: b.name }), 'ok');
      form.reset();
      role.value = 'viewer';
      load();
    } catch (err) {
      errs.show(err);
    } finally {
      submit.disabled = false;
    }
  }

  load();
}

// ---------------------------------------------------------------- 部门

function departmentsTab(root, env) {
  const tableEl = h('div.table-wrap', loading());
  const generalErr = h('div');
  const name = h('input', { id: 'dept-name', maxlength: 200, required: true });
  const desc = h('textarea', { id: 'dept-description', rows: 2, maxlength: 2000 });
  const regions = h('input', { id: 'dept-regions', placeholder: t('settings.dept.regions_placeholder') });
  const title = h('h2', t('settings.dept.new'));
  const submit = h('button.btn.btn-primary', { type: 'submit', id: 'dept-save' }, t('common.save'));
  const cancel = h('button.btn', { type: 'button', id: 'dept-cancel', hidden: true, onclick: () => edit(null) }, t('common.cancel'));
  let editing = null;
  const form = h('form.settings-form', { id: 'dept-form', onsubmit: save },
    title,
    field(t('settings.dept.name'), name, 'name'),
    field(t('settings.dept.description'), desc, 'description'),
    field(t('settings.dept.regions'), regions, 'regions', t('settings.dept.regions_hint')),
    generalErr, h('div.actions', cancel, submit));
  const errs = formErrors(form, generalErr, 'name');
  root.append(h('section.card', h('h2', t('settings.tab.departments')), tableEl), h('section.card', form));

  function edit(d) {
    editing = d;
    errs.clear();
    title.textContent = d ? `${t('settings.dept.edit')} · ${d.name}` : t('settings.dept.new');
    name.value = d ? d.name : '';
    name.disabled = !!d;
    desc.value = d ? d.description || '' : '';
    regions.value = d ? (d.regions || []).join(', ') : '';
    cancel.hidden = !d;
    (d ? desc : name).focus();
  }

  async function load() {
    try {
      const ds = await departments();
      clear(tableEl);
      if (!ds.length) { tableEl.appendChild(emptyState(t('settings.dept.none'))); return; }
      tableEl.appendChild(h('table.table', { id: 'departments-table' },
        h('thead', h('tr', [t('settings.dept.name'), t('settings.dept.description'), t('settings.dept.regions'), t('settings.dept.contacts'), '']
          .map((x) => h('th', x)))),
        h('tbody', ds.map((d) => h('tr', { dataset: { name: d.name } },
          h('td.dept-name', d.name),
          h('td', d.description || ''),
          h('td', (d.regions || []).join('、')),
          h('td', h('a', { href: `#/settings/contacts?department=${encodeURIComponent(d.name)}` }, String(d.contacts ?? 0))),
          h('td', h('div.row-actions',
            h('button.btn.btn-small.dept-edit', { type: 'button', onclick: () => edit(d) }, t('settings.edit')),
            confirmButton(t('common.delete'), t('settings.confirm_delete'), async () => {
              try {
                await api.del(`/departments/${encodeURIComponent(d.name)}`);
                toast(t('settings.deleted'), 'ok');
                if (editing && editing.name === d.name) edit(null);
                load();
              } catch (e) { toast(e.message, 'error'); }
            }, { class: 'dept-delete' }))))))));
    } catch (e) {
      clear(tableEl).appendChild(errorBox(e));
    }
  }

  async function save(e) {
    e.preventDefault();
    errs.clear();
    const b = { description: desc.value.trim(), regions: list(regions.value) };
    submit.disabled = true;
    try {
      if (editing) await api.patch(`/departments/${encodeURIComponent(editing.name)}`, b);
      else await api.post('/departments', { name: name.value.trim(), ...b });
      toast(t('settings.saved'), 'ok');
      edit(null);
      load();
    } catch (err) {
      errs.show(err);
    } finally {
      submit.disabled = false;
    }
  }

  load();
}

// ---------------------------------------------------------------- 联系人与渠道

function contactsTab(root, env) {
  const { ctx } = env;
  const deptSel = h('select', { id: 'contact-department-filter', 'aria-label': t('settings.contact.department') });
  const listEl = h('div.table-wrap', { id: 'contacts-list' }, loading());
  const generalErr = h('div');
  const title = h('h2', t('settings.contact.new'));
  const dept = h('select', { id: 'contact-department' });
  const channel = h('select', { id: 'contact-channel' }, CHANNELS.map((c) => h('option', { value: c }, t(`channel.${c}`))));
  const target = h('input', { id: 'contact-target', maxlength: 2000, autocomplete: 'off' });
  const secret = h('input', { id: 'contact-secret', type: 'password', autocomplete: 'new-password', maxlength: 512 });
  const secretHint = h('div.hint', { id: 'contact-secret-hint' });
  const cname = h('input', { id: 'contact-name', maxlength: 200 });
  const order = h('input', { id: 'contact-order', type: 'number', min: 0, max: 20, step: 1, value: '0' });
  const minLevel = h('select', { id: 'contact-min-level' }, MIN_LEVELS.map((l) => h('option', { value: l }, t(`settings.contact.min.${l}`))));
  const enabled = h('input', { id: 'contact-enabled', type: 'checkbox', checked: true });
  const submit = h('button.btn.btn-primary', { type: 'submit', id: 'contact-save' }, t('common.save'));
  const cancel = h('button.btn', { type: 'button', id: 'contact-cancel', hidden: true, onclick: () => edit(null) }, t('common.cancel'));
  let editing = null;
  const secretField = field(t('settings.contact.secret'), secret, 'secret');
  secretField.insertBefore(secretHint, secretField.lastChild);
  const form = h('form.settings-form', { id: 'contact-form', onsubmit: save },
    title,
    h('div.field-row', field(t('settings.contact.department'), dept, 'department'), field(t('settings.contact.channel'), channel, 'channel')),
    field(t('settings.contact.target'), target, 'target'),
    secretField,
    h('div.field-row',
      field(t('settings.contact.name'), cname, 'name'),
      field(t('settings.contact.order'), order, 'escalation_order', t('settings.contact.order_hint')),
      field(t('settings.contact.min_level'), minLevel, 'min_level')),
    h('label.field.check', enabled, h('span', t('settings.contact.enabled'))),
    generalErr, h('div.actions', cancel, submit));
  const errs = formErrors(form, generalErr, 'target');
  root.append(
    h('section.card', h('div.card-head', h('h2', t('settings.tab.contacts')), deptSel), listEl),
    h('section.card', form));

  function channelHints() {
    const c = channel.value;
    target.placeholder = t(`settings.contact.target_placeholder.${c}`);
    secretHint.textContent = `${t(`settings.contact.secret_hint.${c}`)}${editing && editing.has_secret ? ` ${t('settings.contact.secret_keep')}` : ''}`;
    secret.disabled = c === 'email';
  }
  channel.addEventListener('change', channelHints);

  function edit(k) {
    editing = k;
    errs.clear();
    title.textContent = k ? `${t('settings.contact.edit')} · #${k.id}` : t('settings.contact.new');
    if (k) {
      dept.value = k.department;
      channel.value = k.channel;
      target.value = '';
      target.placeholder = k.target;
      target.required = false;
      cname.value = k.name || '';
      order.value = String(k.escalation_order ?? 0);
      minLevel.value = k.min_level || 'IV';
      enabled.checked = k.enabled !== false;
    } else {
      form.reset();
      dept.value = deptSel.value;
      order.value = '0';
      enabled.checked = true;
      target.required = true;
    }
    secret.value = '';
    cancel.hidden = !k;
    channelHints();
    if (k) target.placeholder = `${k.target} (${t('settings.contact.target_keep')})`;
  }

  async function loadDepartments() {
    try {
      const ds = await departments();
      clear(deptSel);
      clear(dept);
      if (!ds.length) {
        clear(listEl).appendChild(emptyState(t('settings.contact.need_department')));
        submit.disabled = true;
        return;
      }
      const want = ctx.query.department && ds.some((d) => d.name === ctx.query.department) ? ctx.query.department : ds[0].name;
      for (const d of ds) {
        deptSel.appendChild(h('option', { value: d.name, selected: d.name === want }, d.name));
        dept.appendChild(h('option', { value: d.name, selected: d.name === want }, d.name));
      }
      deptSel.onchange = () => { ctx.replaceQuery({ department: deptSel.value }); dept.value = deptSel.value; load(); };
      load();
    } catch (e) {
      clear(listEl).appendChild(errorBox(e));
    }
  }

  async function load() {
    try {
      const r = await api.get('/contacts', { department: deptSel.value });
      const items = Array.isArray(r.items) ? r.items : [];
      clear(listEl);
      if (!items.length) { listEl.appendChild(emptyState(t('settings.contact.none'))); return; }
      listEl.appendChild(h('table.table', { id: 'contacts-table' },
        h('thead', h('tr', [t('settings.contact.order'), t('settings.contact.name'), t('settings.contact.channel'), t('settings.contact.target'),
          t('settings.contact.secret'), t('settings.contact.min_level'), t('settings.contact.test_result'), ''].map((x) => h('th', x)))),
        h('tbody', items.map((k) => {
          const result = h('span.test-result', { dataset: { state: 'idle' }, role: 'status' });
          return h(`tr${k.enabled === false ? '.disabled' : ''}`, { dataset: { id: String(k.id), channel: k.channel } },
            h('td', String(k.escalation_order ?? 0)),
            h('td.contact-name', k.name || '–', k.enabled === false ? h('span.badge', t('settings.contact.off')) : null),
            h('td', t(`channel.${k.channel}`, null, k.channel)),
            h('td', h('code.contact-target', k.target)),
            h('td', h('code', k.has_secret ? k.secret : '–')),
            h('td', t(`level.${k.min_level}`, null, k.min_level)),
            h('td', result),
            h('td', h('div.row-actions',
              h('button.btn.btn-small.contact-test', { type: 'button', onclick: (e) => test(k, result, e.currentTarget) }, t('settings.contact.test')),
              h('button.btn.btn-small.contact-edit', { type: 'button', onclick: () => edit(k) }, t('settings.edit')),
              confirmButton(t('common.delete'), t('settings.confirm_delete'), async () => {
                try {
                  await api.del(`/contacts/${k.id}`);
                  toast(t('settings.deleted'), 'ok');
                  if (editing && editing.id === k.id) edit(null);
                  load();
                } catch (e) { toast(e.message, 'error'); }
              }, { class: 'contact-delete' }))));
        }))));
    } catch (e) {
      clear(listEl).appendChild(errorBox(e));
    }
  }

  // 测试发送: enqueue, then follow the outbox entry until it is delivered (or keeps failing).
  async function test(k, out, btn) {
    btn.disabled = true;
    const state = (s, text) => { out.dataset.state = s; out.className = `test-result test-${s}`; out.textContent = text; };
    state('pending', t('settings.contact.test_pending'));
    let id;
    try {
      id = (await api.post(`/contacts/${k.id}/test`, {})).outbox_id;
    } catch (e) {
      state('failed', e.message);
      btn.disabled = false;
      return;
    }
    out.dataset.outbox = String(id);
    const started = Date.now();
    const poll = async () => {
      let e;
      try {
        e = await api.get(`/outbox/${id}`);
      } catch (err) {
        state('failed', err.message);
        btn.disabled = false;
        return;
      }
      if (e.status === 'delivered') {
        state('delivered', `${t('settings.contact.delivered')} · ${fmtTime(e.delivered_at, true)}`);
        btn.disabled = false;
        return;
      }
      if (e.last_error) {
        const code = e.log && e.log.length ? e.log[e.log.length - 1].status_code : 0;
        state('failed', `${t('settings.contact.failed')}${code ? ` (${code})` : ''}${t('common.colon')}${e.last_error} · ${t('settings.contact.retrying', { n: e.attempts })}`);
      } else {
        state('pending', t(e.status === 'sending' ? 'settings.contact.test_sending' : 'settings.contact.test_pending'));
      }
      if (Date.now() - started > 120000) { btn.disabled = false; return; }
      env.later(poll, e.last_error ? 2000 : 400);
    };
    env.later(poll, 200);
  }

  async function save(e) {
    e.preventDefault();
    errs.clear();
    const b = {
      department: dept.value,
      channel: channel.value,
      name: cname.value.trim(),
      escalation_order: Number(order.value) || 0,
      min_level: minLevel.value,
      enabled: enabled.checked,
    };
    const tgt = target.value.trim();
    if (tgt || !editing) b.target = tgt;
    if (secret.value) b.secret = secret.value;
    else if (channel.value === 'email') b.secret = '';
    submit.disabled = true;
    try {
      if (editing) await api.patch(`/contacts/${editing.id}`, b);
      else await api.post('/contacts', b);
      toast(t('settings.saved'), 'ok');
      if (deptSel.value !== b.department) { deptSel.value = b.department; ctx.replaceQuery({ department: b.department }); }
      edit(null);
      load();
    } catch (err) {
      errs.show(err);
    } finally {
      submit.disabled = false;
    }
  }

  channelHints();
  loadDepartments();
}

// ---------------------------------------------------------------- 邮件服务器

function smtpTab(root) {
  const generalErr = h('div');
  const url = h('input', { id: 'smtp-url', placeholder: 'smtps://smtp.example.org:465', maxlength: 2000 });
  const from = h('input', { id: 'smtp-from', placeholder: 'yuqing@example.org', maxlength: 500 });
  const user = h('input', { id: 'smtp-user', maxlength: 500, autocomplete: 'off' });
  const password = h('input', { id: 'smtp-password', type: 'password', autocomplete: 'new-password', maxlength: 512 });
  const state = h('div.hint', { id: 'smtp-state' });
  const submit = h('button.btn.btn-primary', { type: 'submit', id: 'smtp-save' }, t('common.save'));
  const form = h('form.settings-form', { id: 'smtp-form', onsubmit: save },
    h('h2', t('settings.tab.smtp')), state,
    field(t('settings.smtp.url'), url, 'url', t('settings.smtp.url_hint')),
    field(t('settings.smtp.from'), from, 'from'),
    h('div.field-row', field(t('settings.smtp.user'), user, 'user'), field(t('settings.smtp.password'), password, 'password')),
    generalErr, h('div.actions', submit));
  const errs = formErrors(form, generalErr);
  root.append(h('section.card', form));

  function show(s) {
    url.value = s.url || '';
    from.value = s.configured ? s.from || '' : '';
    user.value = s.user || '';
    password.value = '';
    password.placeholder = s.password_set ? t('settings.smtp.password_keep') : '';
    state.textContent = s.configured ? t('settings.smtp.configured') : t('settings.smtp.not_configured');
  }

  async function load() {
    try { show(await api.get('/settings/smtp')); } catch (e) { clear(generalErr).appendChild(errorBox(e)); }
  }

  async function save(e) {
    e.preventDefault();
    errs.clear();
    const b = { url: url.value.trim(), from: from.value.trim(), user: user.value.trim() };
    if (password.value) b.password = password.value;
    submit.disabled = true;
    try {
      show(await api.put('/settings/smtp', b));
      toast(t('settings.saved'), 'ok');
    } catch (err) {
      errs.show(err);
    } finally {
      submit.disabled = false;
    }
  }

  load();
}
