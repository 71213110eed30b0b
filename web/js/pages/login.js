// 登录 Login: username + password; the CSRF token from the answer is kept in memory by api.js.
import { api } from '../api.js';
import { t, getLang, setLang, LANGS } from '../i18n.js';
import { h } from '../dom.js';

export function mount(root, { next, onLogin }) {
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
        pass.value = '';
        onLogin(r.user || { name: user.value.trim() }, r.csrf_token, next);
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
  h('div.login-brand', h('span.brand-mark.big', '舆'), h('h1', t('app.title')), h('p.muted', t('login.subtitle'))),
  h('label', h('span', t('login.username')), user),
  h('label', h('span', t('login.password')), pass),
  err,
  btn,
  h('div.login-lang', LANGS.map((l) => h(`button.link${l.id === getLang() ? '.active' : ''}`, {
    type: 'button', dataset: { lang: l.id }, onclick: () => setLang(l.id),
  }, l.label))));
  root.appendChild(form);
  user.focus();
  return null;
}
