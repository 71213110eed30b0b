// 登录 Login: username + password; the CSRF token from the answer is kept in memory by api.js.
// A login with the one-time admin password (must_change_password: true) is not finished: the
// server refuses every other route until POST /auth/password {current, new} succeeds, so the
// page turns into the change-password form and continues to the page asked for afterwards. The
// app also mounts this page in that form (`change`) when a reload finds such a session.
import { api, setCsrf } from '../api.js';
import { t, getLang, setLang, LANGS } from '../i18n.js';
import { h, clear, toast } from '../dom.js';

const MIN_BYTES = 10;
const MAX_BYTES = 1024;
const bytes = (s) => new TextEncoder().encode(s).length;

export function mount(root, { next, onLogin, onMustChange = () => {}, onLogout = () => {}, change = null }) {
  const brand = () => h('div.login-brand', h('span.brand-mark.big', '舆'), h('h1', t('app.title')), h('p.muted', t('login.subtitle')));
  const langs = () => h('div.login-lang', LANGS.map((l) => h(`button.link${l.id === getLang() ? '.active' : ''}`, {
    type: 'button', dataset: { lang: l.id }, onclick: () => setLang(l.id),
  }, l.label)));

  if (change) {
    showChange(change.user, change.csrf, '');
    return null;
  }

  const err = h('div.error-box', { id: 'login-error', role: 'alert', hidden: true });
  const user = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const btn = h('button.btn.btn-primary', { type: 'submit', id: 'login-submit' }, t('login.submit'));
  const form = h('form.login-card', {
    async onsubmit(e) {
      e.preventDefault();
      err.hidden = true;
      btn.disabled = true;
      try {
        const r = await api.post('/auth/login', { username: user.value.trim(), password: pass.value }, { quiet401: true });
        const who = r.user || { name: user.value.trim() };
        if (r.must_change_password || who.must_change_password) {
          const current = pass.value;
          pass.value = '';
          showChange(who, r.csrf_token, current);
          return;
        }
        pass.value = '';
        onLogin(who, r.csrf_token, next);
      } catch (e2) {
        err.textContent = e2.status === 401 || e2.status === 403 ? t('login.bad_credentials')
          : e2.status === 429 ? t('login.rate_limited') : `${t('login.failed')}: ${e2.message}`;
        err.hidden = false;
        pass.select();
      } finally {
        btn.disabled = false;
      }
    },
  },
  brand(),
  h('label', h('span', t('login.username')), user),
  h('label', h('span', t('login.password')), pass),
  err,
  btn,
  langs());
  root.appendChild(form);
  user.focus();
  return null;

  // The change-password form. `current` is the password just typed at login (not asked again);
  // after a reload it is unknown and asked for.
  function showChange(who, csrf, current) {
    setCsrf(csrf);
    onMustChange(who, csrf);
    const err2 = h('div.error-box', { id: 'pw-error', role: 'alert', hidden: true });
    const cur = h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
    const fresh = h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true });
    const again = h('input', { id: 'pw-confirm', type: 'password', autocomplete: 'new-password', required: true });
    const submit = h('button.btn.btn-primary', { type: 'submit', id: 'pw-submit' }, t('login.change_submit'));
    const fail = (msg) => {
      err2.textContent = msg;
      err2.hidden = false;
    };
    const form2 = h('form.login-card', {
      id: 'pw-change',
      async onsubmit(e) {
        e.preventDefault();
        err2.hidden = true;
        const currentValue = current || cur.value;
        const n = bytes(fresh.value);
        if (n < MIN_BYTES) { fail(t('login.password_too_short')); fresh.focus(); return; }
        if (n > MAX_BYTES) { fail(t('login.password_too_long')); fresh.focus(); return; }
        if (fresh.value !== again.value) { fail(t('login.password_mismatch')); again.select(); return; }
        if (fresh.value === currentValue) { fail(t('login.password_same')); fresh.select(); return; }
        submit.disabled = true;
        try {
          const r = await api.post('/auth/password', { current: currentValue, new: fresh.value }, { quiet401: true });
          fresh.value = '';
          again.value = '';
          toast(t('login.password_changed'), 'ok');
          onLogin({ ...who, ...(r.user || {}), must_change_password: false }, csrf, next);
        } catch (e2) {
          if (e2.status === 403 && /current/i.test(e2.message)) {
            fail(t('login.current_wrong'));
            if (!current) cur.select();
          } else if (e2.status === 401) {
            fail(t('login.expired'));
          } else if (e2.status === 429) {
            fail(t('login.rate_limited'));
          } else {
            fail(`${t('login.change_failed')}: ${e2.message}`);
          }
        } finally {
          submit.disabled = false;
        }
      },
    },
    brand(),
    h('h2.pw-title', t('login.change_title')),
    h('p.muted.small', { id: 'pw-hint' }, t('login.change_hint')),
    h('div.muted.small', `${t('login.username')}${t('common.colon')}`, h('strong', String(who.name || who.username || ''))),
    current ? null : h('label', h('span', t('login.current_password')), cur),
    h('label', h('span', t('login.new_password')), fresh),
    h('label', h('span', t('login.confirm_password')), again),
    h('p.pw-rules', t('login.password_rules')),
    err2,
    submit,
    h('button.link', { type: 'button', id: 'pw-logout', onclick: onLogout }, t('login.other_account')),
    langs());
    clear(root).appendChild(form2);
    (current ? fresh : cur).focus();
  }
}
