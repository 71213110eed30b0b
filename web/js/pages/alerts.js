// 预警 Alerts: by level (I red first), with the rule that fired, the evidence posts (each opens its
// post), acknowledge / resolve, 开启处置 (open an incident from the alert, or go to the one already
// opened from it), and the delivery log. New alerts arrive over the live stream.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, levelBadge, statusBadge, timeEl, fmtTime, asText, toast, LEVELS, nowMs } from '../dom.js';
import { postCard } from '../post_card.js';

const STATUSES = ['open', 'acked', 'resolved'];
const RANK = { I: 0, II: 1, III: 2, IV: 3 };

export function mount(root, ctx) {
  const focus = ctx.params[0] || '';
  const f = { status: ctx.query.status ?? (focus ? '' : 'open'), level: ctx.query.level || '' };
  let disposed = false;
  let items = [];
  let incidentOf = new Map(); // alert id -> id of the incident (处置) opened from it
  const canAct = ctx.user.role !== 'viewer';

  const statusTabs = h('div.segmented', { id: 'alert-status-tabs' },
    [['', t('filter.all')], ...STATUSES.map((s) => [s, t(`alert.status.${s}`)])].map(([v, label]) => h(`button.seg${f.status === v ? '.active' : ''}`, {
      type: 'button', dataset: { status: v || 'all' },
      onclick: (e) => { f.status = v; mark(statusTabs, e.currentTarget); ctx.replaceQuery(f); load(); },
    }, label)));
  const levelTabs = h('div.segmented.levels', { id: 'alert-level-tabs' },
    [['', t('filter.all')], ...LEVELS.map((l) => [l, t(`level.${l}`)])].map(([v, label]) => h(`button.seg${v ? `.seg-level-${v}` : ''}${f.level === v ? '.active' : ''}`, {
      type: 'button', dataset: { level: v || 'all' },
      onclick: (e) => { f.level = v; mark(levelTabs, e.currentTarget); ctx.replaceQuery(f); load(); },
    }, label)));
  const list = h('div.alert-list', { id: 'alert-list' }, loading());
  root.append(h('div.page-head', h('h1', t('nav.alerts')), h('div.page-tools', statusTabs, levelTabs)), list);

  function mark(group, btn) {
    for (const b of group.children) b.classList.toggle('active', b === btn);
  }

  async function load() {
    try {
      const [r, inc] = await Promise.all([
        api.get('/alerts', { status: f.status, level: f.level }),
        api.get('/incidents', { limit: 1000 }).catch(() => null), // the incident module may be off
      ]);
      if (disposed) return;
      incidentOf = new Map((inc && Array.isArray(inc.items) ? inc.items : [])
        .filter((i) => i.alert_id !== undefined && i.alert_id !== null && i.alert_id !== '')
        .map((i) => [String(i.alert_id), i.id]));
      items = (Array.isArray(r.items) ? r.items : []).slice().sort((a, b) => ((RANK[a.level] ?? 9) - (RANK[b.level] ?? 9))
        || String(b.created_at || '').localeCompare(String(a.created_at || '')));
      render();
      if (f.status === 'open' && !f.level) ctx.setOpenAlerts(items.length);
    } catch (e) {
      if (disposed) return;
      clear(list).appendChild(e.status === 404
        ? h('div.empty', { id: 'alerts-unavailable' }, t('alert.unavailable')) : errorBox(e));
    }
  }

  function render() {
    clear(list);
    if (!items.length) { list.appendChild(emptyState(t('alert.none'))); return; }
    for (const a of items) list.appendChild(alertCard(a, a.id !== undefined && String(a.id) === focus));
    const el = focus && list.querySelector(`[data-id="${CSS.escape(focus)}"]`);
    if (el) el.scrollIntoView({ block: 'start' });
  }

  function alertCard(a, open) {
    const details = h('div.alert-details', { hidden: !open });
    const toggle = h('button.link.alert-toggle', { type: 'button', 'aria-expanded': String(open),
      onclick: () => {
        details.hidden = !details.hidden;
        toggle.setAttribute('aria-expanded', String(!details.hidden));
        toggle.textContent = details.hidden ? t('alert.show_details') : t('alert.hide_details');
        if (!details.hidden && !details.dataset.loaded) fillDetails(a, details);
      } }, open ? t('alert.hide_details') : t('alert.show_details'));
    if (open) fillDetails(a, details);

    const actions = h('div.alert-actions');
    if (canAct && a.status === 'open') actions.appendChild(h('button.btn.btn-primary.alert-ack', { type: 'button', onclick: () => act(a, 'ack') }, t('alert.ack')));
    if (canAct && a.status !== 'resolved') actions.appendChild(h('button.btn.alert-resolve', { type: 'button', onclick: () => act(a, 'resolve') }, t('alert.resolve')));
    const incident = incidentOf.get(String(a.id));
    if (incident !== undefined) {
      actions.appendChild(h('a.btn.alert-incident', { href: `#/incidents/${encodeURIComponent(String(incident))}` }, `${t('nav.incidents')} #${incident}`));
    } else if (canAct) {
      actions.appendChild(h('button.btn.alert-open-incident', { type: 'button', onclick: (e) => openIncident(a, e.currentTarget) }, t('alert.open_incident')));
    }
    actions.appendChild(toggle);

    const deadline = a.deadline ? h('span.deadline', { class: a.status === 'open' && Date.parse(a.deadline) < nowMs() ? 'overdue' : '' },
      `${t('alert.deadline')} `, timeEl(a.deadline)) : null;
    const scheme = schemeText(a);
    const eventId = Number(a.event_id) > 0 ? Number(a.event_id) : null;
    return h(`article.alert-card.level-border-${LEVELS.includes(a.level) ? a.level : 'unknown'}`, { dataset: { id: String(a.id), status: String(a.status || ''), level: String(a.level || '') } },
      h('header.alert-head', levelBadge(a.level), statusBadge(a.status),
        h('strong.alert-message', String(a.message || ruleName(a.rule) || `#${a.id}`)),
        h('span.spacer'), timeEl(a.created_at)),
      h('div.alert-meta',
        h('span', `${t('alert.rule')}: `, h('span.rule', { title: typeof a.rule === 'string' ? a.rule : undefined }, ruleLabel(a.rule) || '–')),
        scheme ? h('span', `${t('alert.scheme')}: ${scheme}`) : null,
        eventId ? h('a.alert-event', { href: `#/events/${encodeURIComponent(String(eventId))}` }, t('alert.view_event', { id: eventId })) : null,
        deadline,
        a.acked_by ? h('span.muted', t('alert.acked_by', { who: asText(a.acked_by), at: fmtTime(a.acked_at) })) : null),
      actions, details);
  }

  async function act(a, what) {
    try {
      await api.post(`/alerts/${encodeURIComponent(a.id)}/${what}`);
      toast(what === 'ack' ? t('alert.acked') : t('alert.resolved'), 'ok');
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  // One click: the server fills level, title, departments, evidence posts and the event from the alert.
  async function openIncident(a, btn) {
    btn.disabled = true;
    try {
      const inc = await api.post('/incidents', { alert_id: Number(a.id) });
      toast(t('alert.incident_opened', { id: inc.id }), 'ok');
      ctx.navigate('incidents', [String(inc.id)]);
    } catch (e) {
      toast(`${t('alert.open_incident_failed')}: ${e.message}`, 'error');
      btn.disabled = false;
    }
  }

  async function fillDetails(a0, el) {
    el.dataset.loaded = '1';
    clear(el).appendChild(loading());
    // The single-alert answer may carry more (history, full evidence) than the list.
    const full = await api.get(`/alerts/${encodeURIComponent(a0.id)}`).catch(() => null);
    const body = full && full.alert && typeof full.alert === 'object' ? { ...full, ...full.alert } : full;
    const a = body ? { ...a0, ...body } : a0;
    clear(el);
    // The signals that fired with their values: `rule` when it is an object, `numbers` beside it.
    for (const [obj, key] of [[a.rule, 'alert.rule'], [a.numbers, 'alert.numbers']]) {
      if (obj && typeof obj === 'object' && Object.keys(obj).length) el.append(h('h3', t(key)), kv(obj));
    }
    const evidence = Array.isArray(a.evidence) ? a.evidence : [];
    const evList = h('div.post-list.evidence');
    el.append(h('h3', `${t('alert.evidence')} (${evidence.length})`), evidence.length ? evList : emptyState());
    for (const p of evidence.slice(0, 20)) {
      if (p && typeof p === 'object') evList.appendChild(postCard(p, { compact: true }));
      else {
        // Evidence given as post ids: fetch each post.
        const slot = h('div.muted', `#${p}`);
        evList.appendChild(slot);
        api.get(`/posts/${encodeURIComponent(p)}`).then((post) => slot.replaceWith(postCard(post.post || post, { compact: true }))).catch(() => {});
      }
    }
    const history = Array.isArray(a.history) ? a.history : [];
    if (history.length) {
      el.append(h('h3', t('alert.history')), h('ul.history', history.map((x) => h('li',
        h('span.muted', fmtTime(x.at, true)), ' ', t(`alert.kind.${x.kind}`, null, asText(x.kind)),
        x.level ? [' ', levelBadge(x.level)] : null, x.by ? ` · ${actorText(x.by)}` : '', x.note ? ` · ${noteText(x.note)}` : ''))));
    }
    const deliveries = h('div.deliveries', loading());
    el.append(h('h3', t('alert.deliveries')), deliveries);
    try {
      const r = await api.get(`/alerts/${encodeURIComponent(a.id)}/deliveries`);
      const rows = Array.isArray(r.items) ? r.items : Array.isArray(r) ? r : [];
      clear(deliveries).appendChild(rows.length ? h('div.table-wrap', h('table.table.compact',
        h('thead', h('tr', h('th', t('delivery.channel')), h('th', t('delivery.target')), h('th', t('delivery.status')), h('th.num', t('delivery.attempts')), h('th', t('delivery.time')), h('th', t('delivery.error')))),
        h('tbody', rows.map((d) => h('tr',
          h('td', t(`channel.${d.channel}`, null, asText(d.channel))), h('td', asText(d.target || d.department || d.recipient)),
          h('td', h(`span.badge.delivery-${String(d.status || '').replace(/[^a-z_]/gi, '')}`, t(`delivery.status.${d.status}`, null, asText(d.status)))),
          h('td.num', String(d.attempts ?? '–')),
          h('td', fmtTime(d.delivered_at ?? d.updated_at ?? d.created_at, true)),
          h('td.muted', asText(d.last_error ?? d.error))))))) : emptyState(t('delivery.none')));
    } catch (e) {
      clear(deliveries).appendChild(e.status === 404 ? emptyState(t('delivery.none')) : errorBox(e));
    }
  }

  const offAlert = ctx.stream ? ctx.stream.on('alert', () => load()) : () => {};
  load();
  return () => { disposed = true; offAlert(); };
}

// The signals' numbers as a readable list: nested objects as nested lists, arrays joined, rule
// names translated, never a JSON dump.
function kv(obj) {
  return h('dl.kv', Object.entries(obj).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [h('dt', t(`heat.${k}`, null, k)),
    h('dd', kvValue(k, v))]));
}

// "system" is the engine itself; people keep their names.
function actorText(by) {
  return by === 'system' ? t('alert.by.system') : asText(by);
}

// Notes written before the engine spoke Chinese ("quiet for 1603m") read like the new ones.
function noteText(note) {
  const m = /^quiet for (\d+)([smhd])$/.exec(String(note));
  if (!m) return asText(note);
  const n = Number(m[1]);
  const minutes = { s: n / 60, m: n, h: n * 60, d: n * 1440 }[m[2]];
  return t('alert.quiet_for', { d: fmtMinutes(minutes) });
}

function fmtMinutes(min) {
  const d = Math.floor(min / 1440), hr = Math.floor((min % 1440) / 60), m = Math.round(min % 60);
  const parts = [];
  if (d) parts.push(`${d} ${t('unit.day')}`);
  if (hr) parts.push(`${hr} ${t('unit.hour')}`);
  if (!d && m) parts.push(`${m} ${t('unit.minute')}`);
  return parts.join(' ') || `0 ${t('unit.minute')}`;
}

function kvValue(k, v) {
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
  if (k === 'method' && typeof v === 'string') return t(`forecast.method.${v}`, null, v);
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.map((x) => (k === 'fired' ? t(`rule.${x}`, null, String(x)) : typeof x === 'object' && x ? asText(x) : kvValue(k, x))).join('、');
  if (v && typeof v === 'object') return kv(v);
  return String(v);
}

function schemeText(a) {
  const s = a.scheme;
  if (s && typeof s === 'object') return asText(s.name ?? `#${s.id}`);
  if (typeof s === 'string' && s) return s;
  if (typeof s === 'number') return `#${s}`;
  return a.scheme_id ? `#${a.scheme_id}` : null;
}

// "burst|growth" -> "突发 · 增长"
function ruleLabel(rule) {
  if (typeof rule === 'string') return rule.split('|').filter(Boolean).map((r) => t(`rule.${r}`, null, r)).join(' · ');
  return ruleName(rule);
}

function ruleName(rule) {
  if (!rule) return '';
  if (typeof rule === 'string') return rule;
  return asText(rule.name ?? rule.kind ?? rule.type ?? rule.id);
}
