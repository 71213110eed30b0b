// 数据源 Sources: the feeds `yuqing serve` fetches on their schedule — kind, schedule, last
// success, last error, posts per hour, a chart of the last 48 hours and the fetch log of the
// selected source; admins add, pause, resume and remove. Everything from the server goes in as
// text (dom.js h()); an error naming a field ("url: ...") is shown next to that field.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, toast, fmtTime, fmtNum } from '../dom.js';
import { makeChart, baseGrid, COLORS } from '../charts.js';
import { fieldOf } from './settings.js';

const KINDS = ['feed', 'page', 'imap'];
const MAILBOX = ['user', 'password_env', 'ca_file'];
const SELECTORS = ['item', 'title', 'link', 'time'];

function field(label, input, name, hint) {
  input.setAttribute('name', name);
  return h('label.field', { dataset: { field: name } }, h('span', label), input,
    hint ? h('div.hint', hint) : null, h('div.field-msg', { dataset: { for: name }, role: 'status' }));
}

function statusOf(s) {
  if (s.paused) return ['paused', 'badge-muted'];
  if (s.silent) return ['silent', 'badge-bad'];
  if (s.last_error) return ['error', 'badge-warn'];
  return ['running', 'badge-ok'];
}

export function hourlyOption(rows) {
  return {
    tooltip: { trigger: 'axis' },
    grid: baseGrid(),
    xAxis: { type: 'time' },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('sources.stored'), type: 'bar', color: COLORS.palette[0],
      data: rows.map((r) => [r.hour, Number(r.stored || 0)]) }],
  };
}

export function mount(root, ctx) {
  const admin = ctx.user.role === 'admin';
  let disposed = false;
  let chart = null;
  let timer = null;
  let selected = ctx.params[0] || null;
  const tableEl = h('div.table-wrap', loading());
  const detailEl = h('section.card', { id: 'source-detail', hidden: true });
  root.append(h('div.page-head', h('h1', t('nav.sources'))),
    h('section.card', h('h2', t('sources.list')), tableEl), detailEl);

  if (admin) root.append(h('section.card', addForm()));

  async function load() {
    try {
      const r = await api.get('/sources');
      if (disposed) return;
      const items = Array.isArray(r.items) ? r.items : [];
      clear(tableEl);
      if (!items.length) {
        tableEl.appendChild(emptyState(t('sources.none')));
      } else {
        tableEl.appendChild(h('table.table', { id: 'sources-table' },
          h('thead', h('tr', ['name', 'kind', 'every', 'last_success', 'last_error', 'per_hour', 'status', '']
            .map((k) => h('th', k ? t(`sources.col.${k}`) : '')))),
          h('tbody', items.map(row))));
      }
      if (selected) await detail(selected);
      // A source not fetched yet is fetched within a second or two: look again soon.
      schedule(items.some((s) => !s.paused && !s.last_run_at) ? 2000 : 15000);
    } catch (e) {
      if (!disposed) clear(tableEl).appendChild(errorBox(e));
      schedule(15000);
    }
  }

  // The figures move as the scheduler fetches: refresh while the page is open.
  function schedule(ms) {
    clearTimeout(timer);
    if (!disposed) timer = setTimeout(load, ms);
  }

  function row(s) {
    const [st, cls] = statusOf(s);
    const actions = admin ? h('td.actions',
      s.paused
        ? h('button.btn.btn-small.source-resume', { type: 'button', onclick: () => act(s, 'resume') }, t('sources.resume'))
        : h('button.btn.btn-small.source-pause', { type: 'button', onclick: () => act(s, 'pause') }, t('sources.pause')),
      removeButton(s)) : h('td');
    return h('tr', { dataset: { id: String(s.id), name: s.name } },
      h('td', h('a.source-name', { href: `#/sources/${encodeURIComponent(s.id)}`, onclick: (e) => { e.preventDefault(); select(s.id); } }, s.name),
        h('div.hint.source-url', s.url)),
      h('td.source-kind', t(`sources.kind.${s.kind}`, null, s.kind)),
      h('td.source-every', s.every),
      h('td.source-success', s.last_success_at ? fmtTime(s.last_success_at) : '—'),
      h('td.source-error', s.last_error ? h('span', { title: s.last_error_at ? fmtTime(s.last_error_at) : '' }, s.last_error) : '—'),
      h('td.source-rate', `${fmtNum(s.posts_last_hour)} / ${Number(s.posts_per_hour || 0).toFixed(1)}`),
      h('td.source-status', h(`span.badge.${cls}`, t(`sources.status.${st}`))),
      actions);
  }

  function removeButton(s) {
    let armed = false;
    const btn = h('button.btn.btn-danger.btn-small.source-remove', { type: 'button', onclick: async () => {
      if (!armed) {
        armed = true;
        btn.textContent = t('settings.confirm_delete');
        setTimeout(() => { armed = false; if (btn.isConnected) btn.textContent = t('common.delete'); }, 4000);
        return;
      }
      try {
        await api.del(`/sources/${encodeURIComponent(s.id)}`);
        toast(t('settings.deleted'), 'ok');
        if (String(selected) === String(s.id)) { selected = null; detailEl.hidden = true; }
        await load();
      } catch (e) { toast(e.message, 'error'); }
    } }, t('common.delete'));
    return btn;
  }

  async function act(s, what) {
    try {
      await api.post(`/sources/${encodeURIComponent(s.id)}/${what}`);
      await load();
    } catch (e) { toast(e.message, 'error'); }
  }

  function select(id) {
    selected = String(id);
    history.replaceState(null, '', `#/sources/${encodeURIComponent(id)}`);
    detail(selected);
  }

  async function detail(id) {
    try {
      const s = await api.get(`/sources/${encodeURIComponent(id)}`);
      if (disposed) return;
      detailEl.hidden = false;
      if (chart) { chart.dispose(); chart = null; }
      const chartEl = h('div.chart', { id: 'source-chart', style: 'height:240px' });
      const fetches = Array.isArray(s.fetches) ? s.fetches : [];
      clear(detailEl).append(
        h('h2', { id: 'source-detail-title' }, t('sources.detail', { name: s.name })),
        h('div.hint', `${t('sources.silence_after')}${t('common.colon')}${Math.round((s.silence_threshold_ms || 0) / 60000)} ${t('unit.minute')}`),
        h('h3', t('sources.chart')), chartEl,
        h('h3', t('sources.fetches')),
        fetches.length ? h('div.table-wrap', h('table.table.compact', { id: 'source-fetches' },
          h('thead', h('tr', ['at', 'result', 'stored', 'duplicates', 'quarantined'].map((k) => h('th', t(`sources.fetch.${k}`))))),
          h('tbody', fetches.map((f) => h('tr',
            h('td', fmtTime(f.at, true)),
            h('td', f.ok ? (f.not_modified ? t('sources.fetch.not_modified') : t('sources.fetch.ok')) : f.error),
            h('td', fmtNum(f.stored)), h('td', fmtNum(f.duplicates)), h('td', fmtNum(f.quarantined)))))))
          : emptyState(t('sources.no_fetches')));
      chart = makeChart(chartEl);
      if (chart) chart.set(hourlyOption(Array.isArray(s.hourly) ? s.hourly : []));
    } catch (e) {
      if (!disposed) { detailEl.hidden = false; clear(detailEl).appendChild(errorBox(e)); }
    }
  }

  function addForm() {
    const kind = h('select', { id: 'source-kind' }, KINDS.map((k) => h('option', { value: k }, t(`sources.kind.${k}`))));
    const url = h('input', { id: 'source-url', type: 'url', maxlength: 4096, required: true, placeholder: 'https://rsshub.example.org/weibo/user/1234' });
    const name = h('input', { id: 'source-name', maxlength: 200, placeholder: t('sources.name_placeholder') });
    const every = h('input', { id: 'source-every', value: '10m', maxlength: 32 });
    const dept = h('input', { id: 'source-department', maxlength: 200 });
    // A page source names its items with CSS selectors (the subset in docs/sources.md).
    const selInputs = Object.fromEntries(SELECTORS.map((k) => [k, h('input', { id: `source-${k}`, maxlength: 1000, placeholder: t(`sources.sel.${k}_placeholder`) })]));
    const selBox = h('div.field-row', { id: 'source-selectors', hidden: true },
      SELECTORS.map((k) => field(t(`sources.sel.${k}`), selInputs[k], k)));
    // A mailbox names its user and the server's environment variable holding the password (the
    // password itself never passes through the dashboard).
    const mailInputs = Object.fromEntries(MAILBOX.map((k) => [k, h('input', { id: `source-${k.replace('_', '-')}`, maxlength: 200, autocomplete: 'off' })]));
    const mailBox = h('div.field-row', { id: 'source-mailbox', hidden: true },
      MAILBOX.map((k) => field(t(`sources.mail.${k}`), mailInputs[k], k)));
    kind.addEventListener('change', () => { selBox.hidden = kind.value !== 'page'; mailBox.hidden = kind.value !== 'imap'; });
    const general = h('div');
    const form = h('form.settings-form', { id: 'source-form', onsubmit: async (e) => {
      e.preventDefault();
      for (const el of form.querySelectorAll('.field-msg[data-for]')) { el.textContent = ''; el.className = 'field-msg'; }
      clear(general);
      const body = { kind: kind.value, url: url.value.trim(), every: every.value.trim() || '10m' };
      if (name.value.trim()) body.name = name.value.trim();
      if (dept.value.trim()) body.department = dept.value.trim();
      if (kind.value === 'page') {
        for (const k of SELECTORS) if (selInputs[k].value.trim()) body[k] = selInputs[k].value.trim();
      } else if (kind.value === 'imap') {
        for (const k of MAILBOX) if (mailInputs[k].value.trim()) body[k] = mailInputs[k].value.trim();
      }
      try {
        const s = await api.post('/sources', body);
        toast(t('sources.added'), 'ok');
        url.value = ''; name.value = '';
        selected = String(s.id);
        await load();
      } catch (err) {
        let [f, msg] = fieldOf(err.message);
        if (err.status === 409 && !f) [f, msg] = ['name', `${t('settings.exists')}（${msg}）`];
        const slot = f ? form.querySelector(`.field-msg[data-for="${f}"]`) : null;
        if (slot) { slot.textContent = msg; slot.className = 'field-msg bad'; } else general.appendChild(errorBox(err));
      }
    } },
    h('h2', t('sources.new')),
    h('div.field-row', field(t('sources.col.kind'), kind, 'kind'), field(t('sources.col.every'), every, 'every', t('sources.every_hint'))),
    field(t('sources.url'), url, 'url', t('sources.url_hint')),
    selBox, mailBox,
    h('div.field-row', field(t('sources.col.name'), name, 'name'), field(t('sources.department'), dept, 'department', t('sources.department_hint'))),
    general, h('div.actions', h('button.btn.btn-primary', { type: 'submit', id: 'source-save' }, t('sources.add'))));
    return form;
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
    if (chart) chart.dispose();
  };
}
