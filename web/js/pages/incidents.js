// 处置 Incidents: the list (with each incident's overdue and next deadline), opening one from an
// alert or by hand; #/incidents/ID shows one incident (incident_detail.js).
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, levelBadge, timeEl, toast, LEVELS } from '../dom.js';
import { countdown, ensureStyles, num, pct, startTicking } from './incident_util.js';
import { talkingPoints } from './incident_talking_points.js';

export function mount(root, ctx) {
  ensureStyles();
  if (ctx.params[0]) {
    let cleanup = null;
    let disposed = false;
    import('./incident_detail.js').then((m) => {
      if (!disposed) cleanup = m.mountDetail(root, ctx, ctx.params[0]);
    });
    return () => { disposed = true; if (cleanup) cleanup(); };
  }
  let disposed = false;
  const canAct = ctx.user.role !== 'viewer';
  const list = h('div.card', { id: 'incident-list' }, loading());
  const openBox = h('div.card', { id: 'incident-open' });
  const stats = h('div.card', { id: 'incident-stats', hidden: true });
  const library = talkingPoints(canAct);
  root.append(h('div.page-head', h('h1', t('nav.incidents'))), canAct ? openBox : null, list, stats, library.el);
  const stop = startTicking(root);

  async function load() {
    try {
      const r = await api.get('/incidents');
      if (disposed) return;
      render(r.items || []);
      api.get('/incidents/stats').then((s) => { if (!disposed) renderStats(s); }).catch(() => {});
    } catch (e) {
      if (disposed) return;
      clear(list).appendChild(e.status === 404 ? h('div.empty', t('inc.unavailable')) : errorBox(e));
    }
  }

  function render(items) {
    clear(list);
    if (!items.length) { list.appendChild(emptyState(t('inc.none'))); return; }
    const rows = items.map((i) => h('tr', { dataset: { id: String(i.id) } },
      h('td', h('a.incident-link', { href: `#/incidents/${encodeURIComponent(i.id)}` }, `#${i.id} `, String(i.title || ''))),
      h('td', levelBadge(i.level)),
      h('td', h('span.inc-state', t(`inc.state.${i.state}`, null, String(i.state)))),
      h('td', timeEl(i.detected_at)),
      h('td', i.overdue_tasks ? h('span.countdown.late', t('inc.overdue_tasks', { n: i.overdue_tasks })) : null,
        i.next_due_at ? countdown(i.next_due_at) : null)));
    list.appendChild(h('table.inc-table',
      h('thead', h('tr', ['inc.title', 'inc.level', 'inc.state_label', 'inc.detected', 'inc.deadlines'].map((k) => h('th', t(k))))),
      h('tbody', rows)));
  }

  // Across incidents: medians, so a team sees whether it is getting faster.
  function renderStats(s) {
    if (!s || !s.incidents) return;
    const m = s.median_minutes || {};
    const fig = (key, v) => h('div.inc-figure', h('span.muted', t(key)), h('b', num(v)));
    clear(stats).append(h('h2', t('inc.stats')), h('div.inc-figures',
      fig('inc.stats_incidents', s.incidents), fig('inc.ev.to_detect', m.to_detect), fig('inc.ev.to_acknowledge', m.to_acknowledge),
      fig('inc.ev.to_first_statement', m.to_first_statement), fig('inc.ev.to_authoritative', m.to_authoritative_statement),
      h('div.inc-figure', h('span.muted', t('inc.ev.deadlines_met')), h('b', pct(s.task_deadlines_met_share))),
      h('div.inc-figure', h('span.muted', t('inc.ev.commitments')), h('b', pct(s.commitments_kept_on_time_share)))));
    stats.hidden = false;
  }

  async function fillOpen() {
    clear(openBox);
    const alertSel = h('select', { id: 'open-alert' }, h('option', { value: '' }, t('inc.pick_alert')));
    const title = h('input', { id: 'open-title', placeholder: t('inc.title'), maxlength: '200' });
    const level = h('select', { id: 'open-level' }, LEVELS.map((l) => h('option', { value: l }, t(`level.${l}`))));
    const dept = h('input', { id: 'open-department', placeholder: t('inc.department') });
    const commander = h('input', { id: 'open-commander', placeholder: t('inc.role.commander') });
    const spokes = h('input', { id: 'open-spokesperson', placeholder: t('inc.role.spokesperson') });
    const submit = h('button.btn.btn-primary', { id: 'open-submit', type: 'button', onclick: open }, t('inc.open'));
    openBox.append(h('h2', t('inc.open_title')),
      h('div.inc-actions', alertSel, h('span.muted', t('inc.or')), title, level, dept),
      h('div.inc-actions', commander, spokes, submit));
    try {
      const r = await api.get('/alerts', { limit: 50 });
      for (const a of r.items || []) {
        alertSel.appendChild(h('option', { value: String(a.id) }, `#${a.id} [${a.level}] ${t(`alert.status.${a.status}`, null, String(a.status || ''))} ${String(a.scheme_name || '')} ${String(a.message || '').slice(0, 60)}`));
      }
    } catch { /* alerts may be unavailable: open by hand */ }

    async function open() {
      const team = [];
      if (commander.value.trim()) team.push({ role: 'commander', person: commander.value.trim() });
      if (spokes.value.trim()) team.push({ role: 'spokesperson', person: spokes.value.trim() });
      const body = { team };
      if (alertSel.value) body.alert_id = Number(alertSel.value);
      else Object.assign(body, { title: title.value.trim(), level: level.value });
      if (dept.value.trim()) body.departments = [dept.value.trim()];
      submit.disabled = true;
      try {
        const inc = await api.post('/incidents', body);
        toast(t('inc.opened', { id: inc.id }), 'ok');
        ctx.navigate('incidents', [String(inc.id)]);
      } catch (e) {
        toast(e.message, 'error');
      } finally {
        submit.disabled = false;
      }
    }
  }

  if (canAct) fillOpen();
  load();
  const timer = setInterval(load, 30000);
  return () => { disposed = true; stop(); clearInterval(timer); library.dispose(); };
}
