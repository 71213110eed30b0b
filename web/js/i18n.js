// Strings live in one dictionary per language (js/i18n/*.js); zh-CN is the default and the
// reference. The choice is remembered in localStorage.
import zh from './i18n/zh-CN.js';
import en from './i18n/en.js';

export const DICTS = { 'zh-CN': zh, en };
export const LANGS = [
  { id: 'zh-CN', label: '中文' },
  { id: 'en', label: 'English' },
];
const STORAGE_KEY = 'yuqing.lang';
const listeners = new Set();

function initial() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && DICTS[saved]) return saved;
  } catch { /* storage disabled */ }
  return 'zh-CN';
}

let lang = initial();
document.documentElement.lang = lang;

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!DICTS[next] || next === lang) return;
  lang = next;
  document.documentElement.lang = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* storage disabled */ }
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// t('feed.new_posts', {n: 3}) -> "有 3 条新信息，点击查看". Unknown keys fall back to zh-CN, then `fallback`, then the key.
export function t(key, vars, fallback) {
  let s = DICTS[lang][key] ?? DICTS['zh-CN'][key] ?? fallback ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}
