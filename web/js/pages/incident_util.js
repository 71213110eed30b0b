// Shared bits of the incident pages (处置): a countdown that ticks, state names, the page's own
// small stylesheet (static text, never data) and safe number formatting.
import { t } from '../i18n.js';
import { h, nowMs, parseTime } from '../dom.js';

export const STATES = ['detected', 'acknowledged', 'responding', 'monitoring', 'closed', 'reviewed'];
export const ROLES = ['commander', 'spokesperson', 'analyst', 'media_liaison', 'scribe', 'owner', 'legal'];

export function nextState(state) {
  const i = STATES.indexOf(state);
  return i >= 0 && i + 1 < STATES.length ? STATES[i + 1] : null;
}

// "剩余 1小时05分" / "已逾期 12分钟"; data-due keeps the time so tick() can refresh it.
export function countdownText(due, now = nowMs()) {
  const d = parseTime(due);
  if (!d) return '–';
  let s = Math.round((d.getTime() - now) / 1000);
  const late = s < 0;
  s = Math.abs(s);
  const days = Math.floor(s / 86400), hrs = Math.floor((s % 86400) / 3600), mins = Math.floor((s % 3600) / 60);
  const span = days ? t('inc.span_dh', { d: days, h: hrs }) : hrs ? t('inc.span_hm', { h: hrs, m: mins })
    : t('inc.span_ms', { m: mins, s: s % 60 });
  return late ? t('inc.overdue_by', { span }) : t('inc.due_in', { span });
}

export function countdown(due, done) {
  if (done) return h('span.countdown.done', t('inc.done'));
  const d = parseTime(due);
  const late = d && d.getTime() < nowMs();
  return h(`span.countdown${late ? '.late' : ''}`, { dataset: { due: String(due || '') } }, countdownText(due));
}

// Refreshes every countdown under `root` once a second; returns the stop function.
export function startTicking(root) {
  const timer = setInterval(() => {
    for (const el of root.querySelectorAll('.countdown[data-due]')) {
      el.textContent = countdownText(el.dataset.due);
      const d = parseTime(el.dataset.due);
      el.classList.toggle('late', !!d && d.getTime() < nowMs());
    }
  }, 1000);
  return () => clearInterval(timer);
}

export function num(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  const n = Number(v);
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

export function pct(v) {
  return v === null || v === undefined ? '–' : `${(Number(v) * 100).toFixed(1)}%`;
}

const CSS = `
.inc-table { width: 100%; border-collapse: collapse; font-size: .9rem; }
.inc-table th, .inc-table td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e6eaee; vertical-align: top; }
.countdown { font-variant-numeric: tabular-nums; color: #1f4e8c; }
.countdown.late { color: #d9534f; font-weight: 600; }
.countdown.done { color: #3c9d5d; }
.inc-state { display: inline-block; padding: .05rem .45rem; border-radius: 999px; background: #eef2f6; font-size: .8rem; }
.inc-actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
.inc-actions input, .inc-actions select { padding: .3rem .4rem; }
.stmt-editor textarea { width: 100%; min-height: 9rem; font: inherit; padding: .5rem; box-sizing: border-box; }
.stmt-preview { margin-top: .75rem; line-height: 1.9; }
.stmt-sentence { border-radius: 3px; padding: 0 1px; }
.stmt-sentence.has-error { background: #fde2e1; }
.stmt-sentence.has-warning { background: #fff3cd; }
.stmt-sentence mark.finding { background: transparent; border-bottom: 2px solid #d9534f; }
.stmt-sentence mark.finding.warning { border-bottom-color: #c9a227; }
.stmt-sentence mark.finding.info { border-bottom-color: #2a9fd6; }
.finding-list { margin: .25rem 0 .5rem 1rem; padding: 0; font-size: .85rem; }
.finding-list li.error { color: #b52b27; }
.finding-list li.warning { color: #8a6d00; }
.inc-figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .5rem; }
.inc-figure { background: #f6f8fa; border-radius: 6px; padding: .5rem .6rem; }
.inc-figure b { display: block; font-size: 1.2rem; }
.inc-chart { height: 240px; }
.tl-entry { display: grid; grid-template-columns: 10rem 1fr; gap: .5rem; padding: .25rem 0; border-bottom: 1px dashed #e6eaee; font-size: .88rem; }
.diff-added { background: #e6f4ea; }
.diff-removed { background: #fde2e1; text-decoration: line-through; }
`;

export function ensureStyles() {
  if (document.getElementById('incident-styles')) return;
  document.head.appendChild(h('style', { id: 'incident-styles' }, CSS));
}
