// The shell: session, header, navigation and hash routing. Each page is one module under
// js/pages/ exporting mount(root, ctx) -> cleanup; adding a page is one entry in PAGES.
import { api, setCsrf, setUnauthorizedHandler, LiveStream } from './api.js';
import { t, getLang, setLang, onLangChange, LANGS } from './i18n.js';
import { h, clear, toast, setClock } from './dom.js';
import { rememberSchemes } from './post_card.js';

// Navigation: order here is order in the sidebar. `roles` limits who sees an entry (omit: all).
export const PAGES = [
  { id: 'overview', icon: '◎', load: () => import('./pages/overview.js') },
  { id: 'feed', icon: '≡', load: () => import('./pages/feed.js') },
  { id: 'alerts', icon: '⚑', load: () => import('./pages/alerts.js'), badge: 'alerts' },
  { id: 'events', icon: '◈', load: () => import('./pages/events.js') },
  { id: 'schemes', icon: '⚙', load: () => import('./pages/schemes.js') },
  { id: 'incidents', icon: '✚', load: () => import('./pages/incidents.js') },
  { id: 'sources', icon: '⇣', load: () => import('./pages/sources.js') },
  { id: 'dict', icon: '词', load: () => import('./pages/dict.js') },
  { id: 'reports', icon: '▤', load: () => import('./pages/reports.js') },
  { id: 'settings', icon: '⚒', roles: ['admin'], load: () => import('./pages/settings.js') },
  // Reached from links only (a post card's 查看详情), not in the sidebar.
  { id: 'posts', hidden: true, load: () => import('./pages/post.js') },
  // The wall screen (大屏): the whole window, no header or navigation.
  { id: 'wall', hidden: true, bare: true, load: () => import('./pages/wall.js') },
];
const LOGIN = { id: 'login', load: () => import('./pages/login.js') };

const state = {
  user: null,
  stream: null,
  cleanup: null,
  openAlerts: 0,
  routeSeq: 0,
  pending: null, // {user, csrf}: logged in with the one-time password, which must be changed first
  drill: null, // the sandbox's drill (GET /api/v1/drill), or null
};
const app = document.getElementById('app');

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'overview', params: parts.slice(1), query: Object.fromEntries(new URLSearchParams(search)) };
}

export function navigate(page, params = [], query = {}) {
  const path = [page, ...params].map(encodeURIComponent).join('/');
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString();
  const next = `#/${path}${search ? `?${search}` : ''}`;
  if (location.hash !== next) location.hash = next;
  else route();
}

// Replaces the hash without a navigation (filters kept in the URL for sharing and reload).
export function replaceQuery(query) {
  const { page, params } = parseHash();
  const path = [page, ...params].map(encodeURIComponent).join('/');
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString();
  history.replaceState(null, '', `#/${path}${search ? `?${search}` : ''}`);
}

function renderShell(current) {
  clear(app);
  const u = state.user;
  const role = u.role ? t(`role.${u.role}`, null, u.role) : '';
  const langSel = h('select.lang-switch', {
    'aria-label': t('header.language'),
    id: 'lang-switch',
    onchange: (e) => setLang(e.target.value),
  }, LANGS.map((l) => h('option', { value: l.id, selected: l.id === getLang() }, l.label)));
  const status = h('span.live-dot', { id: 'live-status', title: t('header.live_unknown') });
  const header = h('header.topbar',
    h('a.brand', { href: '#/overview' }, h('span.brand-mark', '舆'), h('span.brand-name', t('app.title'))),
    h('div.topbar-right',
      status,
      h('span.user', { id: 'user-name', title: (u.departments || []).join(', ') }, h('strong', u.name || u.username || ''), role ? h('span.role', role) : null),
      langSel,
      h('button.btn.btn-ghost', { id: 'logout', type: 'button', onclick: logout }, t('header.logout'))));
  const nav = h('nav.sidenav', { 'aria-label': t('nav.label') },
    PAGES.filter((p) => !p.hidden && (!p.roles || p.roles.includes(u.role))).map((p) => h(`a.nav-item${p.id === current ? '.active' : ''}`, {
      href: `#/${p.id}`, dataset: { page: p.id }, 'aria-current': p.id === current ? 'page' : undefined,
    }, h('span.nav-icon', { 'aria-hidden': 'true' }, p.icon), h('span.nav-label', t(`nav.${p.id}`)),
    p.badge === 'alerts' ? h('span.nav-badge', { id: 'alert-count', hidden: state.openAlerts ? undefined : true }, String(state.openAlerts)) : null)));
  const main = h('main.content', { id: 'main', tabindex: '-1' });
  app.append(header, ...(state.drill ? [drillBanner(state.drill)] : []), h('div.layout', nav, main));
  updateLiveStatus(state.stream ? state.stream.state : 'closed');
  return main;
}

// A sandbox holding a drill (docs/drills.md) says so on every page: nothing here is real.
function drillBanner(d) {
  return h('div.drill-banner', { id: 'drill-banner', role: 'status' },
    h('strong', t('drill.banner')), ' ',
    t('drill.detail', { title: d.title, start: d.start.replace('T', ' ').slice(0, 16), speed: d.speed || t('drill.fast') }));
}

async function loadDrill() {
  try {
    const r = await api.get('/drill', null, { quiet401: true });
    state.drill = r && r.drill ? r.drill : null;
    if (state.drill) setClock(Date.parse(r.now), state.drill.clock_rate);
  } catch { state.drill = null; }
  const header = document.querySelector('header.topbar');
  if (state.drill && header && !document.getElementById('drill-banner')) header.after(drillBanner(state.drill));
}

function updateLiveStatus(s) {
  const el = document.getElementById('live-status');
  if (!el) return;
  el.className = `live-dot live-${s}`;
  el.title = t(`header.live_${s}`, null, s);
  el.textContent = t(`header.live_short_${s === 'open' ? 'open' : 'off'}`);
}

export function setOpenAlerts(n) {
  state.openAlerts = Math.max(0, n | 0);
  const el = document.getElementById('alert-count');
  if (el) {
    el.textContent = String(state.openAlerts);
    el.hidden = !state.openAlerts;
  }
}

// Posts name their schemes by id only; keep the names at hand for the badges.
function loadSchemeNames() {
  api.get('/schemes', null, { quiet401: true }).then((r) => rememberSchemes(r.items)).catch(() => {});
}

async function refreshAlertCount() {
  try {
    const r = await api.get('/alerts', { status: 'open' }, { quiet401: true });
    setOpenAlerts((r.items || []).length);
  } catch { /* warning stage may not exist yet */ }
}

function startStream() {
  if (state.stream) return;
  state.stream = new LiveStream();
  state.stream.on('status', updateLiveStatus);
  state.stream.on('alert', (a) => {
    if (!a || (a.status && a.status !== 'open')) return;
    setOpenAlerts(state.openAlerts + 1);
    toast(`${t('alert.new')} [${t(`level.${a.level}`, null, a.level || '')}] ${a.message || a.rule?.name || ''}`, 'alert', 8000);
  });
  state.stream.connect();
}

function stopStream() {
  if (state.stream) state.stream.close();
  state.stream = null;
}

async function logout() {
  try { await api.post('/auth/logout'); } catch { /* session may already be gone */ }
  setCsrf(null);
  state.user = null;
  state.pending = null;
  stopStream();
  navigate('login');
}

export function onLogin(user, csrf, next) {
  state.pending = null;
  state.user = user;
  setCsrf(csrf);
  startStream();
  refreshAlertCount();
  loadSchemeNames();
  loadDrill();
  const target = next && !next.startsWith('#/login') ? next : '#/overview';
  if (location.hash === target) route();
  else location.hash = target;
}

async function route() {
  const seq = ++state.routeSeq;
  if (state.cleanup) {
    try { state.cleanup(); } catch (e) { console.error(e); }
    state.cleanup = null;
  }
  const r = parseHash();
  document.title = `${t('app.title')} · yuqing`;
  if (!state.user || r.page === 'login') {
    if (state.user && r.page === 'login') { location.hash = '#/overview'; return; }
    const mod = await LOGIN.load();
    if (seq !== state.routeSeq) return;
    document.body.classList.remove('bare');
    clear(app);
    const root = h('div.login-wrap');
    app.appendChild(root);
    const next = r.page === 'login' ? r.query.next : location.hash;
    state.cleanup = mod.mount(root, {
      next, onLogin, change: state.pending, onLogout: logout,
      onMustChange: (user, csrf) => { state.pending = { user, csrf }; },
    });
    return;
  }
  const page = PAGES.find((p) => p.id === r.page);
  document.body.classList.toggle('bare', !!page?.bare);
  const main = page?.bare ? clear(app) : renderShell(page ? page.id : '');
  if (!page) {
    main.appendChild(h('div.empty', t('common.not_found')));
    return;
  }
  document.title = `${t(`nav.${page.id}`)} · ${t('app.title')}`;
  const mod = await page.load();
  if (seq !== state.routeSeq) return;
  const ctx = { user: state.user, params: r.params, query: r.query, stream: state.stream, navigate, replaceQuery, setOpenAlerts };
  state.cleanup = mod.mount(main, ctx) || null;
}

setUnauthorizedHandler(() => {
  if (!state.user) return;
  state.user = null;
  setCsrf(null);
  stopStream();
  toast(t('login.expired'), 'error');
  navigate('login', [], { next: location.hash });
});

onLangChange(() => route());
window.addEventListener('hashchange', () => route());

async function boot() {
  try {
    const me = await api.get('/auth/me', null, { quiet401: true });
    if (me && me.user && (me.must_change_password || me.user.must_change_password)) {
      state.pending = { user: me.user, csrf: me.csrf_token };
    } else if (me && me.user) {
      state.user = me.user;
      setCsrf(me.csrf_token);
      startStream();
      refreshAlertCount();
      loadSchemeNames();
      loadDrill();
    }
  } catch { /* not logged in */ }
  route();
}

boot();
